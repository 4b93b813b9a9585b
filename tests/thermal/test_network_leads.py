"""Current leads and baths in the network: end flows, energy balance with Joule heat, boil-off."""

from __future__ import annotations

import numpy as np
import pytest
from CoolProp.CoolProp import PropsSI
from scipy import integrate

import solver
from solver import fluids, materials
from solver.design import from_dict
from solver.errors import DesignError
from solver.materials._resistivity import copper_resistivity
from solver.thermal import leads
from solver.thermal.results import summary_dict

LEAD = {
    "id": "lead",
    "type": "current_lead",
    "from": "room",
    "to": "lhe",
    "material": "OFHC-Cu-RRR100",
    "current_A": 100.0,
    "length_m": 0.5,
    "area_m2": 1e-5,
    "count": 2,
}


def design(*links, pressure=101325.0):
    return {
        "schema": "cryogen/design@1",
        "components": [
            {"id": "room", "type": "boundary", "temperature_K": 300.0},
            {"id": "lhe", "type": "bath", "fluid": "He", "pressure_Pa": pressure, "volume_L": 100},
            {"id": "plate", "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 1.0},
        ],
        "links": [
            {
                "id": "strap",
                "type": "strap",
                "from": "plate",
                "to": "lhe",
                "material": "OFHC-Cu-RRR100",
                "length_m": 0.1,
                "area_m2": 1e-5,
            },
            *links,
        ],
    }


def test_bath_temperature_and_boil_off_from_coolprop():
    ds = solver.steady_state(design(LEAD, pressure=120000.0))
    out = summary_dict(ds)
    T_sat = PropsSI("T", "P", 120000.0, "Q", 0, "Helium")
    assert out["temperatures_K"]["lhe"] == pytest.approx(T_sat, rel=1e-12)
    h_fg = PropsSI("H", "P", 120000.0, "Q", 1, "Helium") - PropsSI(
        "H", "P", 120000.0, "Q", 0, "Helium"
    )
    rho_l = PropsSI("D", "P", 120000.0, "Q", 0, "Helium")
    load = out["stage_loads_W"]["lhe"]
    assert out["boil_off_L_per_day"]["lhe"] == pytest.approx(
        load / (h_fg * rho_l) * 1e3 * 86400, rel=1e-12
    )


def test_lead_end_flows_balance_joule_heat():
    """Heat leaving the warm node + Joule heat = heat arriving at the bath (energy conservation)."""
    ds = solver.steady_state(design(LEAD))
    ends = summary_dict(ds)["link_end_flows_W"]
    q_from, q_to = ends["lead"]["from"], ends["lead"]["to"]
    assert summary_dict(ds)["heat_flows_W"]["lead"] == q_to
    assert ends["strap"]["from"] == ends["strap"]["to"]
    # Joule heat of the solved profile (the standalone solver's profile), trapezoid rule
    single = leads.Lead("l", leads.lead_material("OFHC-Cu-RRR100"), 100.0, 0.5, 1e-5)
    e = single.ends(float(ds.temperature.sel(node="lhe")), 300.0)
    x = single.length_m / (e.profile_K.size - 1)
    joule = 2 * 100.0**2 / 1e-5 * integrate.trapezoid(copper_resistivity(e.profile_K, 100.0), dx=x)
    assert q_from + joule == pytest.approx(q_to, rel=1e-3)  # trapezoid on 64 segments


def test_zero_current_lead_is_a_conductor():
    lead = dict(LEAD, current_A=0.0)
    rod = {k: v for k, v in LEAD.items() if k not in ("current_A",)} | {
        "type": "conductor",
        "id": "rod",
    }
    a = summary_dict(solver.steady_state(design(lead)))["heat_flows_W"]["lead"]
    b = summary_dict(solver.steady_state(design(rod)))["heat_flows_W"]["rod"]
    assert a == pytest.approx(b, rel=1e-6)


def test_bath_below_lambda_point_refused():
    with pytest.raises(DesignError, match="'lhe', field 'pressure_Pa'"):
        solver.steady_state(from_dict(design(LEAD, pressure=3000.0)))


def test_lead_needs_geometry_or_optimal_shape():
    bad = {k: v for k, v in LEAD.items() if k != "area_m2"}
    with pytest.raises(DesignError, match="optimal"):
        from_dict(design(bad))


def test_brass_lead_refused_naming_the_field():
    with pytest.raises(DesignError, match=r"'lead', field 'material'.*only copper"):
        from_dict(design(dict(LEAD, material="Brass")))


def test_hts_section_flags_current_sharing():
    """A REBCO section whose critical current at its warm end is below the lead current is flagged."""
    hts = {
        "id": "hts",
        "type": "current_lead",
        "from": "plate",
        "to": "lhe",
        "material": "SS304",
        "current_A": 100.0,
        "length_m": 0.2,
        "area_m2": 1e-6,
        "superconductor": "REBCO",
        "superconductor_area_m2": 1e-10,
        "field_T": 0.1,
    }
    d = design(hts)
    d["links"].append(
        {
            "id": "warm",
            "type": "conductor",
            "from": "room",
            "to": "plate",
            "material": "SS304",
            "length_m": 0.1,
            "area_m2": 1e-5,
        }
    )
    ds = solver.steady_state(d)
    assert "current sharing" in ds.attrs["flags"]
    ends = summary_dict(ds)["link_end_flows_W"]["hts"]
    assert ends["from"] == pytest.approx(ends["to"], rel=1e-9)  # no Joule heat modelled


def test_vapour_cooled_lead_in_network_matches_standalone_solve():
    """A lone vapour-cooled lead pair into a bath: the network's outer loop on the vented gas
    gives the standalone lead-and-boil-off solution (solver.thermal.leads.vapour_cooled_lead)."""
    lead = dict(LEAD, area_m2=2e-5, length_m=1.0, cooling="vapour")
    d = design(lead)
    d["links"] = [lead]
    d["components"] = d["components"][:2]
    ds = solver.steady_state(d)
    out = summary_dict(ds)
    bath = fluids.bath_state("He", 101325.0)
    single = leads.Lead("l", leads.lead_material("OFHC-Cu-RRR100"), 100.0, 1.0, 2e-5)
    alone = leads.vapour_cooled_lead(single, bath, 300.0)  # gas of its own heat, one lead
    # two leads share the gas of two leads' heat: the same flow per lead
    assert out["link_end_flows_W"]["lead"]["to"] == pytest.approx(2 * alone.q_cold_W, rel=1e-6)
    assert out["boil_off_L_per_day"]["lhe"] == pytest.approx(2 * alone.boil_off_L_per_day, rel=1e-6)


def test_cooldown_liquid_remaining_matches_energy_into_the_bath():
    """Liquid boiled during a cooldown = (enthalpy the stage lost + heat leaked into it) / (h_fg ρ_l)."""
    d = {
        "schema": "cryogen/design@1",
        "components": [
            {"id": "room", "type": "boundary", "temperature_K": 300.0},
            {"id": "ln2", "type": "bath", "fluid": "N2", "volume_L": 30.0},
            {"id": "shield", "type": "stage", "material": "Al6061-T6", "mass_kg": 5.0},
        ],
        "links": [
            {
                "id": "strap",
                "type": "strap",
                "from": "shield",
                "to": "ln2",
                "material": "OFHC-Cu-RRR100",
                "length_m": 0.2,
                "area_m2": 2e-4,
            },
            {
                "id": "mli",
                "type": "mli",
                "from": "room",
                "to": "shield",
                "area_m2": 1.0,
                "layers": 20,
                "layer_density_per_cm": 20,
            },
        ],
    }
    ds = solver.cooldown(d, target_K=80.0, node="shield")
    left = ds.liquid_remaining.sel(node="ln2").values
    h_fg = PropsSI("H", "P", 101325.0, "Q", 1, "Nitrogen") - PropsSI(
        "H", "P", 101325.0, "Q", 0, "Nitrogen"
    )
    rho_l = PropsSI("D", "P", 101325.0, "Q", 0, "Nitrogen")
    # energy into the bath: the shield's enthalpy change (quadrature of the Al cp fit) plus
    # the MLI heat that crossed it (its flow history, trapezoid in time)
    al = materials.get("Al6061-T6")
    T_end = float(ds.temperature.sel(node="shield").values[-1])
    enthalpy = 5.0 * integrate.quad(al.cp, T_end, 300.0, epsrel=1e-10)[0]
    mli = integrate.trapezoid(ds.heat_flow.sel(link="mli").values, ds.time.values)
    # 2 %: trapezoid in time over the solver's steps; the cooldown itself is implicit (backward)
    assert left[0] - left[-1] == pytest.approx((enthalpy + mli) / (h_fg * rho_l) * 1e3, rel=0.02)
    assert left[0] == 30.0 and np.all(np.diff(left) <= 0)


def test_finite_exchange_lead_in_network_between_conduction_and_perfect_exchange():
    """``exchange_W_per_m_K`` in a design: the network's lead equals the standalone lead with
    that h·P, and its bath heat lies between no gas cooling and perfect exchange."""
    heat = {}
    for name, extra in (
        ("conduction", {}),
        ("finite", {"cooling": "vapour", "exchange_W_per_m_K": 0.5}),
        ("perfect", {"cooling": "vapour"}),
    ):
        lead = dict(LEAD, area_m2=2e-5, length_m=1.0, **extra)
        d = design(lead)
        d["links"] = [lead]
        d["components"] = d["components"][:2]
        heat[name] = summary_dict(solver.steady_state(d))["link_end_flows_W"]["lead"]["to"]
    assert heat["perfect"] < heat["finite"] < heat["conduction"]
    bath = fluids.bath_state("He", 101325.0)
    single = leads.Lead(
        "l",
        leads.lead_material("OFHC-Cu-RRR100"),
        100.0,
        1.0,
        2e-5,
        gas=fluids.vapour_enthalpy_table("He", 101325.0),
        exchange_W_per_m_K=0.5,
    )
    alone = leads.vapour_cooled_lead(single, bath, 300.0)
    assert heat["finite"] == pytest.approx(2 * alone.q_cold_W, rel=1e-6)


def test_exchange_without_vapour_cooling_is_refused():
    d = design(dict(LEAD, exchange_W_per_m_K=0.5))
    with pytest.raises(DesignError, match="exchange_W_per_m_K applies only with"):
        from_dict(d)
