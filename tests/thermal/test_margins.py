"""Stage margins: the extra heat a stage takes, every other load as it is, until it reaches max_K.

Each margin is checked against a calculation made here without the network code: the
held problem solved by brentq on the cooler map read from the catalog, or a closed form
on a published capacity point.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
from CoolProp.CoolProp import PropsSI
from scipy.optimize import brentq

import solver
from materials_data import DATA_DIR
from solver import cryocoolers
from solver.thermal.results import summary_dict
from tests.flow.designs import pipe_run

SIGMA = 5.670374419e-8  # Stefan–Boltzmann constant, W/(m² K⁴), CODATA 2018
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "designs"

# the held problem here and in the solver are converged to 1e-9 of each node's flows
# (DESIGN.md) and brentq to 1e-13 K; 1e-6 relative leaves room for the map's derivatives
REL = 1e-6


def design(components, links):
    return {"schema": "cryogen/design@1", "components": components, "links": links}


def stage(node_id, **extra):
    return {"id": node_id, "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 1.0, **extra}


def contact(link_id, a, b, G):
    return {"id": link_id, "type": "contact", "from": a, "to": b, "conductance_W_K": G}


# two-stage case: 300 K vessel -(G1)- shield -(G2)- plate, a PT420 on (shield, plate)
G1, G2 = 0.2, 0.02  # W/K
P1, P2 = 2.0, 0.6  # W, own loads of shield and plate
SHIELD_MAX, PLATE_MAX = 45.0, 4.2  # K


def two_stage():
    return design(
        [
            {"id": "vessel", "type": "boundary", "temperature_K": 300.0},
            stage("shield", heat_load_W=P1, max_K=SHIELD_MAX),
            stage("plate", heat_load_W=P2, max_K=PLATE_MAX),
            {
                "id": "pt",
                "type": "cryocooler",
                "model": "Cryomech PT420",
                "stages": {"first": "shield", "second": "plate"},
            },
        ],
        [contact("warm", "vessel", "shield", G1), contact("cold", "shield", "plate", G2)],
    )


def test_two_stage_margins_match_the_held_problem_solved_by_hand():
    ds = solver.steady_state(two_stage())
    cap = cryocoolers.get("Cryomech PT420").capacity  # the catalog's map Q(T1, T2), W

    def Q(T1, T2):
        return cap([T1, T2], True)[0]

    # shield held at max_K: the plate floats, G2 (T1 − T2) + P2 = Q2(T1, T2)
    T2 = brentq(lambda t: G2 * (SHIELD_MAX - t) + P2 - Q(SHIELD_MAX, t)[1], 2.7, 16.0, xtol=1e-13)
    shield = Q(SHIELD_MAX, T2)[0] - (G1 * (300.0 - SHIELD_MAX) + P1 - G2 * (SHIELD_MAX - T2))
    # plate held at max_K: the shield floats, G1 (300 − T1) + P1 − G2 (T1 − T2) = Q1(T1, T2)
    T1 = brentq(
        lambda t: G1 * (300 - t) + P1 - G2 * (t - PLATE_MAX) - Q(t, PLATE_MAX)[0],
        23.5,
        80.0,
        xtol=1e-13,
    )
    plate = Q(T1, PLATE_MAX)[1] - (G2 * (T1 - PLATE_MAX) + P2)

    assert ds.margin.sel(node="shield").item() == pytest.approx(shield, rel=REL)
    assert ds.margin.sel(node="plate").item() == pytest.approx(plate, rel=REL)
    for node in ("shield", "plate"):
        load = ds.stage_load.sel(node=node).item()
        assert ds.capacity.sel(node=node).item() == pytest.approx(
            load + ds.margin.sel(node=node).item(), rel=1e-12
        )
    # the coupling matters here: holding the plate at its solved temperature instead
    # (the old definition) would be off by more than the tolerance
    T = ds.temperature.values
    held_still = Q(SHIELD_MAX, T[2])[0] - (
        G1 * (300.0 - SHIELD_MAX) + P1 - G2 * (SHIELD_MAX - T[2])
    )
    assert abs(held_still - shield) > 1e3 * REL * abs(shield)
    assert "margin" not in ds.attrs["flags"]  # both held points lie inside the published map


def published(model, T_K):
    """The published capacity (W) of a single-stage cooler at one of its listed temperatures."""
    entries = json.loads((DATA_DIR / "components" / "cryocoolers.json").read_text())["entries"]
    curve = next(e for e in entries if e["name"] == model)["capacity_curve"]["data"]
    return next(q for t, q in curve if t == T_K)


CRYOTEL = "Sunpower CryoTel GT"
CRYOTEL_MAX = 60.4  # K, a published point of its lift curve


def one_stage(load_W, area_eps_m2=0.0):
    links = []
    if area_eps_m2:
        links = [
            {
                "id": "rad",
                "type": "radiation",
                "from": "vessel",
                "to": "cold",
                "area_m2": area_eps_m2,
                "emissivity_eff": 1.0,
            }
        ]
    return design(
        [
            {"id": "vessel", "type": "boundary", "temperature_K": 300.0},
            stage("cold", heat_load_W=load_W, max_K=CRYOTEL_MAX),
            {"id": "ct", "type": "cryocooler", "model": CRYOTEL, "stages": {"cold_tip": "cold"}},
        ],
        links,
    )


def test_single_stage_margin_is_capacity_at_max_K_minus_the_load_there():
    q_max = published(CRYOTEL, CRYOTEL_MAX)  # 10.3 W
    ds = solver.steady_state(one_stage(5.0))
    assert ds.temperature.sel(node="cold").item() < CRYOTEL_MAX
    # the interpolant passes through the published point: 1e-12 is round-off
    assert ds.margin.sel(node="cold").item() == pytest.approx(q_max - 5.0, rel=1e-9)
    # with radiation from 300 K the load at max_K is smaller than at the solved temperature
    A = 0.004
    ds = solver.steady_state(one_stage(5.0, A))
    rad_at_max = SIGMA * A * (300.0**4 - CRYOTEL_MAX**4)
    assert ds.margin.sel(node="cold").item() == pytest.approx(q_max - 5.0 - rad_at_max, rel=1e-9)


def test_stage_above_max_K_has_a_negative_margin_of_the_heat_to_remove():
    q_max = published(CRYOTEL, CRYOTEL_MAX)
    ds = solver.steady_state(one_stage(13.0))
    assert ds.temperature.sel(node="cold").item() > CRYOTEL_MAX
    margin = ds.margin.sel(node="cold").item()
    assert margin < 0
    assert margin == pytest.approx(q_max - 13.0, rel=1e-9)  # 2.7 W must be removed


def with_extra_heat(d, node, watts):
    d = copy.deepcopy(d)
    d["components"].append({"id": "extra", "type": "heat_load", "stage": node, "power_W": watts})
    return d


def test_pt415_shield_below_max_K_with_500_A_leads_has_a_positive_margin():
    """The case that showed −16 W: a PT415 shield at 48 K (max_K 60 K) under two 500 A leads.

    The old margin counted the leads' heat into the shield both as load and as lost
    capacity. The margin applied as an extra heat load must bring the shield to max_K.
    """
    d = json.loads((TEMPLATES / "nbti-magnet-leads.cryo.json").read_text())
    next(c for c in d["components"] if c["id"] == "pt")["model"] = "Cryomech PT415"
    for link in d["links"]:
        if link["type"] == "current_lead":
            link["current_A"] = 500.0
    ds = solver.steady_state(d)
    assert 45.0 < ds.temperature.sel(node="shield").item() < 60.0
    margin = ds.margin.sel(node="shield").item()
    assert margin > 0
    loaded = solver.steady_state(with_extra_heat(d, "shield", margin))
    # both solves converge to 1e-9 of the node flows: 1e-6 on the temperature
    assert loaded.temperature.sel(node="shield").item() == pytest.approx(60.0, rel=1e-6)


def test_forced_flow_margin_brings_the_cold_mass_to_max_K():
    """A stage cooled only by a fluid: the margin is found with the fluid network re-solved."""
    d = json.loads((TEMPLATES / "forced-flow-magnet.cryo.json").read_text())
    ds = solver.steady_state(d)
    margin = ds.margin.sel(node="cold_mass").item()
    assert margin > 0
    loaded = solver.steady_state(with_extra_heat(d, "cold_mass", margin))
    assert loaded.temperature.sel(node="cold_mass").item() == pytest.approx(5.0, rel=1e-6)


def test_gas_cooled_stage_margin_is_the_enthalpy_rise_to_max_K():
    """A stage cooled only by helium gas through a pipe wall (NTU ≫ 1: the gas leaves at the
    wall temperature): held at max_K, the gas takes ṁ (h(p_out, max_K) − h(p_in, T_in))."""
    flow, T_in, p_out, own = 2e-3, 6.0, 1.2e5, 0.05
    d = pipe_run(
        "Helium",
        {"type": "mass_flow_inlet", "mass_flow_kg_s": flow, "temperature_K": T_in},
        {"type": "outlet", "pressure_Pa": p_out},
        {"length_m": 40.0, "diameter_m": 0.03, "segments": 4, "wall": "magnet"},
        components=[stage("magnet", heat_load_W=own, max_K=10.0, initial_K=300.0)],
    )
    ds = solver.steady_state(d)
    p_in = ds.pressure.sel(fluid_node="in").item()
    gas = flow * (
        PropsSI("H", "P", p_out, "T", 10.0, "Helium") - PropsSI("H", "P", p_in, "T", T_in, "Helium")
    )
    # 1e-4: h_in is taken at the solved inlet pressure, which the held state raises by the
    # extra pressure drop of warmer gas (< 0.01 % of p_out here), and NTU is finite
    assert ds.margin.sel(node="magnet").item() == pytest.approx(gas - own, rel=1e-4)
    # a forced-flow cooldown reports the same steady margins
    cd = solver.cooldown(d, target_K=50.0, node="magnet", max_step_change=0.2)
    assert cd.margin.sel(node="magnet").item() == pytest.approx(
        ds.margin.sel(node="magnet").item(), rel=1e-6
    )


def test_cooldown_reports_the_steady_margins():
    d = one_stage(5.0, 0.004)
    steady = solver.steady_state(d)
    cd = solver.cooldown(d, target_K=100.0)
    for var in ("margin", "capacity"):
        assert cd[var].sel(node="cold").item() == steady[var].sel(node="cold").item()


def test_vapour_cooled_shield_margin_and_unchanged_flows():
    """The held solve finds the bath's vented gas again (the neck's cooling changes with the
    shield) and puts the solved gas flow back: the reported flows are those without max_K."""
    d = json.loads((TEMPLATES / "lhe-storage-dewar-100L.cryo.json").read_text())
    plain = solver.steady_state(d)
    next(c for c in d["components"] if c["id"] == "shield")["max_K"] = 80.0
    ds = solver.steady_state(d)
    for var in ("temperature", "heat_flow", "heat_flow_from", "boil_off"):
        assert ds[var].equals(plain[var]), var
    margin = ds.margin.sel(node="shield").item()
    loaded = solver.steady_state(with_extra_heat(d, "shield", margin))
    # the vented-gas iteration converges to 1e-10 of the flow and Newton to 1e-9
    assert loaded.temperature.sel(node="shield").item() == pytest.approx(80.0, rel=1e-6)


def test_held_network_without_a_steady_state_leaves_the_margin_out_and_says_why():
    # the plate's 0.5 W constant cooler is fed through the shield; with the shield held at
    # 2 K the rod cannot bring 0.5 W to the plate, which would fall below the 1 mK floor
    rod = {"type": "conductor", "material": "SS304", "length_m": 0.1, "area_m2": 1e-4}
    d = design(
        [
            {"id": "vessel", "type": "boundary", "temperature_K": 300.0},
            stage("shield", max_K=2.0),
            stage("plate"),
            {"id": "cc", "type": "constant_cooler", "stage": "plate", "power_W": 0.5},
        ],
        [
            {"id": "warm", "from": "vessel", "to": "shield", **rod},
            {"id": "cold", "from": "shield", "to": "plate", **rod},
        ],
    )
    ds = solver.steady_state(d)
    assert ds.temperature.sel(node="shield").item() > 2.0
    assert np.isnan(ds.margin.sel(node="shield").item())
    assert "margin of stage 'shield' (held at its max_K 2 K): not computed" in ds.attrs["flags"]
    assert "shield" not in summary_dict(ds)["margins_W"]
