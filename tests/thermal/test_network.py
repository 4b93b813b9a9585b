"""Steady network physics against closed forms and root finds on the material fits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

import solver
from solver import materials
from solver.errors import SolverError
from solver.thermal.network import build_network

SIGMA = 5.670374419e-8  # CODATA 2018


def design(components, links):
    return {"schema": "cryogen/design@1", "components": components, "links": links}


def boundary(node_id, T):
    return {"id": node_id, "type": "boundary", "temperature_K": T}


def stage(node_id, material="OFHC-Cu-RRR100", **extra):
    return {"id": node_id, "type": "stage", "material": material, "mass_kg": 1.0, **extra}


def fit_integral(material_id, T1, T2):
    """∫k dT by adaptive quadrature of the material's k(T) (independent of the Kirchhoff table)."""
    m = materials.get(material_id)
    return quad(lambda T: float(m.k(T)), T1, T2, epsabs=0, epsrel=1e-12, limit=200)[0]


def test_series_conductors_match_root_find_on_the_fit():
    # 300 K -- SS304 tube -- mid stage -- Cu rod -- 4 K ; the mid temperature balances both integrals
    ss = {"material": "SS304", "length_m": 0.2, "area_m2": 3e-5}
    cu = {"material": "OFHC-Cu-RRR100", "length_m": 0.5, "area_m2": 1e-6}
    d = design(
        [boundary("warm", 300.0), stage("mid"), boundary("cold", 4.0)],
        [
            {"id": "tube", "type": "conductor", "from": "warm", "to": "mid", **ss},
            {"id": "rod", "type": "conductor", "from": "mid", "to": "cold", **cu},
        ],
    )
    ds = solver.steady_state(d)
    g_ss, g_cu = ss["area_m2"] / ss["length_m"], cu["area_m2"] / cu["length_m"]
    T_mid = brentq(
        lambda T: (
            g_ss * fit_integral("SS304", T, 300) - g_cu * fit_integral("OFHC-Cu-RRR100", 4, T)
        ),
        4.5,
        299,
        xtol=1e-12,
    )
    Q = g_ss * fit_integral("SS304", T_mid, 300)
    # tolerance 1e-6: the Kirchhoff tables agree with quadrature of the fit to 1e-6 (materials tests)
    assert ds.temperature.sel(node="mid").item() == pytest.approx(T_mid, rel=1e-6)
    assert ds.heat_flow.sel(link="tube").item() == pytest.approx(Q, rel=1e-6)
    assert ds.heat_flow.sel(link="rod").item() == pytest.approx(Q, rel=1e-6)


def test_every_node_balances_to_1e_9():
    d = design(
        [
            boundary("vessel", 300.0),
            stage("shield", "Al6061-T6"),
            stage("plate"),
            {
                "id": "pt",
                "type": "cryocooler",
                "model": "Cryomech PT420",
                "stages": {"first": "shield", "second": "plate"},
            },
            {"id": "heater", "type": "heat_load", "stage": "plate", "power_W": 0.5},
        ],
        [
            {
                "id": "legs",
                "type": "support",
                "from": "vessel",
                "to": "shield",
                "material": "G10-normal",
                "length_m": 0.15,
                "area_m2": 2e-5,
                "count": 4,
            },
            {
                "id": "mli",
                "type": "mli",
                "from": "vessel",
                "to": "shield",
                "area_m2": 1.2,
                "layers": 30,
                "layer_density_per_cm": 20,
            },
            {
                "id": "rad",
                "type": "radiation",
                "from": "vessel",
                "to": "shield",
                "area_m2": 0.2,
                "emissivity_from": 0.1,
                "emissivity_to": 0.05,
            },
            {
                "id": "struts",
                "type": "support",
                "from": "shield",
                "to": "plate",
                "material": "SS304",
                "length_m": 0.1,
                "area_m2": 1e-5,
                "count": 3,
            },
        ],
    )
    ds = solver.steady_state(d)
    net = build_network(d)
    T = ds.temperature.values
    R, S, _, _ = net.balance(T)
    assert np.all(np.abs(R) <= 1e-9 * S)
    # the stage loads are what the cooler removes at the solution (energy balance per node)
    cap, _, _ = net.sources[0].source.model.capacity(T[net.sources[0].nodes])
    assert ds.stage_load.sel(node="shield").item() == pytest.approx(cap[0], rel=1e-8)
    assert ds.stage_load.sel(node="plate").item() == pytest.approx(cap[1], rel=1e-8)
    # parallel-plate emissivity 1/(1/0.1 + 1/0.05 - 1)
    eps = 1 / (1 / 0.1 + 1 / 0.05 - 1)
    Ts = T[net.node_ids.index("shield")]
    assert ds.heat_flow.sel(link="rad").item() == pytest.approx(
        SIGMA * 0.2 * eps * (300**4 - Ts**4), rel=1e-12
    )


def test_mli_modified_lockheed_matches_published_derived_flux():
    # ../shared/reference/extra/mli_lockheed.json "derived_heat_fluxes": 300->77 K, 30 layers,
    # 20 layers/cm, 1e-6 torr, modified Lockheed 7.3e-8 set: 0.64 W/m² (given to 2 digits)
    link = {
        "type": "mli",
        "area_m2": 1.0,
        "layers": 30,
        "layer_density_per_cm": 20,
        "pressure_Pa": 1e-6 * 133.322368,
    }
    ds = solver.steady_state(
        design(
            [boundary("h", 300.0), boundary("c", 77.0)],
            [{"id": "x", "from": "h", "to": "c", **link}],
        )
    )
    assert ds.heat_flow.item() == pytest.approx(
        0.64, abs=0.005
    )  # half a unit in the last published digit
    # and exactly the equation (Keller et al. 1974, as in solver.thermal.network)
    Th, Tc, N, Nbar, P = 300.0, 77.0, 30, 20.0, 1e-6
    q = (
        7.3e-8 * Nbar**2.63 * (Th - Tc) * (Th + Tc) / (2 * (N + 1))
        + 7.07e-10 * 0.043 * (Th**4.67 - Tc**4.67) / N
        + 1.46e4 * P * (Th**0.52 - Tc**0.52) / N
    )
    assert ds.heat_flow.item() == pytest.approx(q, rel=1e-9)


def test_gas_conduction_free_molecular_closed_form():
    # Corruccini (1959): Q = α A p (γ+1)/(γ−1) sqrt(R/(8π M T_p)) ΔT, helium γ = 5/3, M = 4.002602 g/mol
    link = {
        "type": "gas",
        "species": "He",
        "area_m2": 0.5,
        "pressure_Pa": 1e-3,
        "gauge_K": 300.0,
        "accommodation": 0.5,
    }
    ds = solver.steady_state(
        design(
            [boundary("h", 77.0), boundary("c", 4.2)], [{"id": "x", "from": "h", "to": "c", **link}]
        )
    )
    expected = (
        0.5
        * 0.5
        * 1e-3
        * 4.0
        * math.sqrt(8.314462618 / (8 * math.pi * 4.002602e-3 * 300.0))
        * (77.0 - 4.2)
    )
    assert ds.heat_flow.item() == pytest.approx(expected, rel=1e-12)


def test_contact_power_law_is_integrated_exactly():
    link = {"type": "contact", "g0_W_K": 0.2, "T0_K": 4.0, "exponent": 1.0, "count": 2}
    ds = solver.steady_state(
        design(
            [boundary("h", 10.0), boundary("c", 4.0)], [{"id": "x", "from": "h", "to": "c", **link}]
        )
    )
    # ∫ g0 (T/T0) dT = g0/(2 T0) (Th² − Tc²), times count
    assert ds.heat_flow.item() == pytest.approx(2 * 0.2 / (2 * 4.0) * (10.0**2 - 4.0**2), rel=1e-12)


def test_wiring_layers_sum_conductivity_integrals():
    layers = [
        {"material": "SS304", "area_m2": 2e-8},
        {"material": "PTFE", "area_m2": 2.5e-7},
        {"material": "SS304", "area_m2": 1.2e-7},
    ]
    link = {"type": "wiring", "length_m": 0.3, "layers": layers, "count": 12}
    ds = solver.steady_state(
        design(
            [boundary("h", 50.0), boundary("c", 4.0)], [{"id": "x", "from": "h", "to": "c", **link}]
        )
    )
    expected = (
        12 / 0.3 * sum(lay["area_m2"] * fit_integral(lay["material"], 4.0, 50.0) for lay in layers)
    )
    assert ds.heat_flow.item() == pytest.approx(expected, rel=1e-6)


def test_wiring_of_a_material_without_cp_solves():
    # Manganin has a k fit but no cp data: steady state needs only k, so a manganin
    # bundle onto a stage solves (it used to exit 2 with "no cp data")
    link = {
        "type": "wiring",
        "length_m": 0.3,
        "layers": [{"material": "Manganin", "area_m2": 1e-8}],
    }
    d = design(
        [boundary("w", 4.0), boundary("b", 1.0), stage("c", heat_load_W=1e-6)],
        [
            {"id": "x", "from": "w", "to": "c", "count": 24, **link},
            {"id": "sink", "type": "contact", "from": "c", "to": "b", "conductance_W_K": 1e-3},
        ],
    )
    ds = solver.steady_state(d)
    T = float(ds.temperature.sel(node="c"))
    wiring = 24 * 1e-8 / 0.3 * fit_integral("Manganin", T, 4.0)
    assert float(ds.heat_flow.sel(link="x")) == pytest.approx(wiring, rel=1e-6)
    assert wiring + 1e-6 == pytest.approx(1e-3 * (T - 1.0), rel=1e-8)  # the stage balances


def test_dilution_unit_mixing_chamber_temperature():
    # Pobell eq. 7.30 with an ideal heat exchanger: Q = 84 ṅ T² -> T = sqrt(P / (84 ṅ))
    flow, load = 500e-6, 20e-6
    d = design(
        [
            stage("mxc", heat_load_W=load),
            {"id": "du", "type": "dilution_unit", "stage": "mxc", "flow_mol_s": flow},
        ],
        [],
    )
    ds = solver.steady_state(d)
    assert ds.temperature.item() == pytest.approx(math.sqrt(load / (84 * flow)), rel=1e-9)
    # with a fixed inlet temperature: ṅ (95 T² − 11 T_in²) = P
    d["components"][1]["inlet_K"] = 0.05
    ds = solver.steady_state(d)
    assert ds.temperature.item() == pytest.approx(
        math.sqrt((load / flow + 11 * 0.05**2) / 95), rel=1e-9
    )


def test_pt420_second_stage_capacity_near_4_K_with_a_light_first_stage():
    # margins themselves are checked in test_margins.py
    d = design(
        [
            boundary("vessel", 300.0),
            stage("shield", "Al6061-T6", max_K=50.0),
            stage("plate", max_K=4.2),
            {
                "id": "pt",
                "type": "cryocooler",
                "model": "Cryomech PT420",
                "stages": {"first": "shield", "second": "plate"},
            },
        ],
        [
            {
                "id": "mli",
                "type": "mli",
                "from": "vessel",
                "to": "shield",
                "area_m2": 2.0,
                "layers": 20,
                "layer_density_per_cm": 15,
            },
            {
                "id": "rod",
                "type": "conductor",
                "from": "shield",
                "to": "plate",
                "material": "SS304",
                "length_m": 0.1,
                "area_m2": 5e-5,
            },
        ],
    )
    ds = solver.steady_state(d)
    net = build_network(d)
    T = ds.temperature.values.copy()
    k = net.node_ids.index("plate")
    T[k] = 4.2
    cap = net.sources[0].source.model.capacity(T[net.sources[0].nodes])[0][1]
    # the published PT420 map gives about 2 W at 4.6 K with a light first stage (VALIDATION extra pack)
    assert 1.5 < cap < 2.2


def test_stranded_stage_is_named():
    d = design(
        [boundary("vessel", 300.0), stage("plate"), stage("lonely")],
        [
            {
                "id": "rod",
                "type": "conductor",
                "from": "vessel",
                "to": "plate",
                "material": "SS304",
                "length_m": 0.1,
                "area_m2": 1e-5,
            }
        ],
    )
    with pytest.raises(SolverError, match=r"'lonely'.*no path to a boundary"):
        solver.steady_state(d)


def test_cooler_map_exceeded_is_diagnosed():
    d = design(
        [
            boundary("vessel", 300.0),
            stage("shield", "Al6061-T6"),
            stage("plate", heat_load_W=30.0),
            {
                "id": "pt",
                "type": "cryocooler",
                "model": "Cryomech PT420",
                "stages": {"first": "shield", "second": "plate"},
            },
        ],
        [
            {
                "id": "rod",
                "type": "conductor",
                "from": "vessel",
                "to": "shield",
                "material": "SS304",
                "length_m": 0.1,
                "area_m2": 1e-5,
            }
        ],
    )
    with pytest.raises(SolverError, match=r"outside a cryocooler's published map.*pt"):
        solver.steady_state(d)


def test_count_multiplies_and_direction_sign():
    one = {"type": "conductor", "material": "SS304", "length_m": 0.1, "area_m2": 1e-5}
    ds1 = solver.steady_state(
        design(
            [boundary("a", 4.0), boundary("b", 300.0)], [{"id": "x", "from": "a", "to": "b", **one}]
        )
    )
    ds4 = solver.steady_state(
        design(
            [boundary("a", 4.0), boundary("b", 300.0)],
            [{"id": "x", "from": "a", "to": "b", "count": 4, **one}],
        )
    )
    assert ds1.heat_flow.item() < 0  # heat flows from b to a, against the link direction
    assert ds4.heat_flow.item() == pytest.approx(4 * ds1.heat_flow.item(), rel=1e-14)
