"""Gas-gap heat switches: on/off conductances against closed forms, and placed in a solvable design.

References: the on state is k_He·A/d with helium's k read from CoolProp directly here,
plus the shell's k(T)·A/L from the SS304 fit; the off heat flow is (A/L)·∫k dT by scipy
``quad`` of the fit (not the library's Kirchhoff table). A dilute gas's conductivity does
not depend on pressure (Maxwell), which the two fill pressures of the family must show.
"""

from __future__ import annotations

import math

import pytest
from CoolProp.CoolProp import PropsSI
from scipy.integrate import quad

import solver
from solver import catalog, design, gases, materials
from solver.errors import DesignError

SWITCHES = catalog.components("heat_switch")


def _switch(gap_um, area_cm2, pressure_Pa, shell="tube-12-7-x-0-1-mm-20mm"):
    return catalog.get(f"heat-switch-gas-gap-{gap_um}um-{area_cm2}cm2-{pressure_Pa}pa-{shell}")


def test_family_is_listed_with_on_and_off_numbers():
    assert len(SWITCHES) >= 30
    for sw in SWITCHES:
        p = sw.parameters
        assert p["on_conductance_W_per_K"], sw.id
        lo, hi = p["operating_range_K"]
        assert lo == min(map(float, p["on_conductance_W_per_K"])) and hi >= lo
        assert set(p["on_conductance_W_per_K"]).isdisjoint(p["on_unavailable_K"])


def test_on_conductance_is_helium_k_A_over_d_plus_the_shell():
    ss = materials.get("SS304")
    for sw in SWITCHES:
        p = sw.parameters
        D, w = p["shell_section"]["outer_diameter_m"], p["shell_section"]["wall_m"]
        shell_area = math.pi * (D * w - w * w)
        assert p["shell_area_m2"] == pytest.approx(shell_area, rel=1e-12)
        for T, g in p["on_conductance_W_per_K"].items():
            T = float(T)
            k_he = PropsSI("L", "T", T, "P", p["pressure_Pa"], "Helium")
            expected = (
                k_he * p["gap_area_m2"] / p["gap_m"]
                + float(ss.k(T)) * shell_area / p["shell_length_m"]
            )
            # same CoolProp call and the same fit: equal to rounding
            assert g == pytest.approx(expected, rel=1e-12), (sw.id, T)


def test_off_heat_flow_matches_quad_of_the_shell_fit():
    ss = materials.get("SS304")
    for sw in SWITCHES[::5]:
        p = sw.parameters
        for key, q in p["off_heat_flow_W"].items():
            T_hot, T_cold = (float(x) for x in key.split("-"))
            lo, hi = ss.k_fit_range_K
            breaks = [t for t in (lo, hi) if T_cold < t < T_hot] or None
            integral, _ = quad(
                lambda t: float(ss.k(t)), T_cold, T_hot, points=breaks, epsrel=1e-11, limit=200
            )
            # 1e-5: the Kirchhoff table against quadrature of the same fit (see test_derived)
            assert q == pytest.approx(
                p["shell_area_m2"] / p["shell_length_m"] * integral, rel=1e-5
            ), (sw.id, key)


def test_listed_on_states_are_continuum_and_gas():
    for sw in SWITCHES:
        p = sw.parameters
        for T in p["on_conductance_W_per_K"]:
            T = float(T)
            kn = gases.helium_mean_free_path_m(T, p["pressure_Pa"]) / p["gap_m"]
            assert kn <= gases.CONTINUUM_KNUDSEN_LIMIT, (sw.id, T)
            if T < PropsSI("Tcrit", "Helium"):
                assert p["pressure_Pa"] < PropsSI("P", "T", T, "Q", 0, "Helium"), (sw.id, T)
        for why in p["on_unavailable_K"].values():
            assert "Knudsen" in why or "saturation" in why


def test_gas_conductance_does_not_depend_on_pressure_in_the_continuum():
    # same gap and area at 100 Pa and 1000 Pa: k of a dilute gas is pressure independent,
    # to within the real-gas correction (< 0.5 % for helium at these states, CoolProp)
    low, high = _switch(500, 20, 100), _switch(500, 20, 1000)
    shared = set(low.parameters["on_conductance_W_per_K"]) & set(
        high.parameters["on_conductance_W_per_K"]
    )
    assert shared
    for T in shared:
        assert low.parameters["on_conductance_W_per_K"][T] == pytest.approx(
            high.parameters["on_conductance_W_per_K"][T], rel=5e-3
        )
    # and λ ∝ 1/p: ten times the pressure lists at least as many temperatures
    assert len(high.parameters["on_conductance_W_per_K"]) >= len(
        low.parameters["on_conductance_W_per_K"]
    )
    assert gases.helium_mean_free_path_m(10.0, 100.0) == pytest.approx(
        10 * gases.helium_mean_free_path_m(10.0, 1000.0), rel=1e-3
    )


def test_off_and_on_switch_solve_in_a_design():
    sw = _switch(100, 10, 1000)
    nodes = [
        {"id": "still", "type": "boundary", "temperature_K": 4.0},
        {"id": "pot", "type": "boundary", "temperature_K": 4.4},
        {"id": "hot", "type": "boundary", "temperature_K": 10.0},
        {"id": "cold", "type": "boundary", "temperature_K": 4.2},
    ]
    off = catalog.to_design_element(sw.id, id="off", from_="hot", to="cold", state="off")
    on = catalog.to_design_element(
        sw.id, id="on", from_="pot", to="still", state="on", temperature_K=4.2
    )
    assert off["type"] == "support" and on["type"] == "contact"
    d = {"schema": "cryogen/design@1", "name": "switches", "components": nodes, "links": [off, on]}
    assert design.validate(d) == []
    ds = solver.steady_state(design.from_dict(d))
    ss = materials.get("SS304")
    integral, _ = quad(lambda t: float(ss.k(t)), 4.2, 10.0, epsrel=1e-11)
    p = sw.parameters
    assert ds.heat_flow.sel(link="off").item() == pytest.approx(
        p["shell_area_m2"] / p["shell_length_m"] * integral, rel=1e-5
    )
    # a closed switch: Q = G(4.2 K)·ΔT for the 0.4 K across it
    assert ds.heat_flow.sel(link="on").item() == pytest.approx(
        p["on_conductance_W_per_K"]["4.2"] * 0.4, rel=1e-12
    )
    # a gas-gap switch is worth using when on/off is large
    assert p["on_conductance_W_per_K"]["4.2"] / p["off_conductance_W_per_K"]["4.2"] > 100


def test_bad_placements_name_the_part_and_what_to_give():
    sw = _switch(100, 5, 100)
    with pytest.raises(DesignError, match=r"state must be 'on' or 'off'"):
        catalog.to_design_element(sw.id, id="hs", from_="a", to="b", state="closed")
    with pytest.raises(DesignError, match=r"listed at 2\.2, 3 K.*4\.2 K: .*Knudsen"):
        catalog.to_design_element(sw.id, id="hs", from_="a", to="b", state="on", temperature_K=4.2)
    with pytest.raises(DesignError, match="give one of them"):
        catalog.to_design_element(sw.id, id="hs", from_="a", to="b", state="on")
    with pytest.raises(DesignError, match="missing state"):
        catalog.to_design_element(sw.id, id="hs", from_="a", to="b")


def test_continuum_gap_refuses_liquid_and_rarefied_states():
    with pytest.raises(ValueError, match="saturation pressure"):
        gases.helium_continuum_gap_conductance(1e-3, 1e-4, 1e5, 4.0)
    with pytest.raises(ValueError, match="continuum limit"):
        gases.helium_continuum_gap_conductance(1e-3, 1e-4, 1.0, 4.0)
    with pytest.raises(ValueError, match="starts at"):
        gases.helium_continuum_gap_conductance(1e-3, 1e-4, 100.0, 1.5)


def test_search_finds_heat_switches(db_url):
    from cryogen_widgets import catalog as store_catalog
    from cryogen_widgets.catalog import Filters

    cat = store_catalog.open(db_url, "alice")
    hits = cat.search("gas gap heat switch", category="heat_switch")
    assert hits and all(h.category == "heat_switch" for h in hits)
    warm = cat.search("", category="heat_switch", filters=Filters(temperature_K=20.0))
    assert warm and all(
        h.parameters["operating_range_K"][0] <= 20.0 <= h.parameters["operating_range_K"][1]
        for h in warm
    )


def test_temperature_filter_reaches_every_category_with_an_operating_range(db_url):
    from cryogen_widgets import catalog as store_catalog
    from cryogen_widgets.catalog import Filters

    cat = store_catalog.open(db_url, "alice")
    categories = {
        h.category for h in cat.search("", filters=Filters(temperature_K=4.2), limit=2000)
    }
    # sensors and heat switches carry operating_range_K as well as coolers and wires
    assert {"sensor", "heat_switch", "superconductor"} <= categories
