"""The ``flow`` section: validation messages, round trip, refusals (reversed flow, choking, He II)."""

from __future__ import annotations

import copy
import json

import pytest
from CoolProp.CoolProp import PropsSI

from cryogen_templates import DESIGNS_DIR
from solver.cli import main as cli
from solver.design import from_dict, validate
from solver.errors import DesignError, SolverError
from solver.flow.steady import steady_state
from tests.flow.designs import pipe_run

BASE = pipe_run(
    "N2",
    {"type": "inlet", "pressure_Pa": 3e5, "temperature_K": 77.0},
    {"type": "outlet", "pressure_Pa": 2.9e5},
    {"length_m": 5.0, "diameter_m": 0.01},
)


def edited(path: str, value) -> dict:
    d = copy.deepcopy(BASE)
    *keys, last = path.split(".")
    target = d
    for k in keys:
        target = target[int(k)] if k.isdigit() else target[k]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return d


def messages(d: dict) -> str:
    return "; ".join(str(p) for p in validate(d))


def test_designs_without_flow_and_round_trip():
    assert validate(BASE) == []
    assert from_dict(BASE).to_dict() == BASE


@pytest.mark.parametrize(
    "path,value,expected",
    [
        ("flow.elements.0.length_m", -1.0, "'line', field 'length_m'"),
        (
            "flow.elements.0.to",
            "nowhere",
            "'line', field 'to': unknown flow junction or boundary 'nowhere'",
        ),
        (
            "flow.elements.0.wall",
            "rooom",
            "'line', field 'wall': unknown node 'rooom'; closest valid: room",
        ),
        ("flow.elements.0.from", "out", "outlet 'out' only receives flow"),
        ("flow.elements.0.colour", "red", "'line', field 'colour': unknown field"),
        ("flow.fluid", "Xenon", "unknown fluid 'Xenon'"),
        ("flow.boundaries.0.quality", 0.5, "'in': give temperature_K or quality"),
        ("flow.boundaries.1.id", "room", "'room', field 'id': used by 2 items"),
    ],
)
def test_problems_name_item_and_field(path, value, expected):
    assert expected in messages(edited(path, value))
    with pytest.raises(DesignError):
        from_dict(edited(path, value))


def test_reversed_flow_is_refused():
    d = edited("flow.boundaries.1.pressure_Pa", 3.1e5)  # outlet above inlet
    with pytest.raises(SolverError, match="'line': the flow runs backwards"):
        steady_state(d)


def test_choked_gas_valve_is_refused():
    d = copy.deepcopy(BASE)
    d["flow"]["boundaries"] = [
        {"id": "in", "type": "inlet", "pressure_Pa": 10e5, "temperature_K": 300.0},
        {"id": "out", "type": "outlet", "pressure_Pa": 1e5},
    ]
    d["flow"]["elements"] = [
        {"id": "v", "type": "valve", "from": "in", "to": "out", "area_m2": 1e-6}
    ]
    with pytest.raises(SolverError, match="'v': choked flow"):
        steady_state(d)


def test_helium_below_the_lambda_point_is_refused():
    d = copy.deepcopy(BASE)
    d["flow"]["fluid"] = "Helium"
    d["flow"]["boundaries"][0].update(pressure_Pa=3e3, temperature_K=2.0)
    with pytest.raises(DesignError, match="lambda point"):
        steady_state(d)


def out_text(name: str) -> str:
    from solver.design import load

    return steady_state(load(DESIGNS_DIR / f"{name}.cryo.json")).attrs["flags"]


@pytest.mark.parametrize("name", ["forced-flow-magnet", "hx-jt-stage", "ln2-transfer-line"])
def test_flow_templates_solve_and_conserve_energy(name, capsys):
    path = DESIGNS_DIR / f"{name}.cryo.json"
    assert cli(["solve", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    fl = out["flow"]
    design = json.loads(path.read_text())
    fluid = {"Helium": "Helium", "Nitrogen": "Nitrogen"}[design["flow"]["fluid"]]

    # energy balance of the whole circuit, with CoolProp enthalpies computed here: what enters
    # at the inlets plus all heat to the fluid leaves at the outlets and baths
    def flow_at(point: str, end: str) -> float:
        """Mass flow of the streams leaving (end "from") or entering (end "to") a boundary."""
        names = []
        for e in design["flow"]["elements"]:
            if e.get(end) == point:
                names.append(e["id"])
            names += [
                f"{e['id']}:{side}" for side in ("hot", "cold") if e.get(f"{side}_{end}") == point
            ]
        return sum(fl["mass_flows_kg_s"][n] for n in names)

    h_in = sum(
        flow_at(b["id"], "from")
        * PropsSI("H", "P", b["pressure_Pa"], "T", b["temperature_K"], fluid)
        for b in design["flow"]["boundaries"]
        if b["type"] == "inlet"
    )
    h_out = 0.0
    for b in design["flow"]["boundaries"]:
        if b["type"] in ("outlet", "bath"):
            T, p, x = (fl[k][b["id"]] for k in ("temperatures_K", "pressures_Pa", "qualities"))
            h = (
                PropsSI("H", "P", p, "Q", x, fluid)
                if x is not None
                else PropsSI("H", "P", p, "T", T, fluid)
            )
            h_out += flow_at(b["id"], "to") * h
    if name == "ln2-transfer-line":  # flashing flow: its acceleration term is flagged, not hidden
        assert "transfer_line: density changes by" in out_text(name)
    heat = sum(fl["heat_to_fluid_W"].values())
    # 1e-6 of the enthalpy flow: temperature round trip of the printed state through CoolProp
    assert h_out - h_in == pytest.approx(heat, abs=1e-6 * abs(h_in) + 1e-6)


def test_thermal_solvers_refuse_a_design_with_flow():
    from solver.thermal.steady import steady_state as thermal_steady_state

    with pytest.raises(DesignError, match="'flow' section"):
        thermal_steady_state(from_dict(BASE))


def test_cli_cooldown_of_a_flow_design(tmp_path, capsys):
    d = pipe_run(
        "Helium",
        {"type": "mass_flow_inlet", "mass_flow_kg_s": 2e-3, "temperature_K": 4.5},
        {"type": "outlet", "pressure_Pa": 1.2e5},
        {"length_m": 10.0, "diameter_m": 0.006, "segments": 2, "wall": "magnet"},
        components=[
            {"id": "vessel", "type": "boundary", "temperature_K": 300.0},
            {"id": "magnet", "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 2.0},
        ],
    )
    path = tmp_path / "magnet.cryo.json"
    path.write_text(json.dumps(d))
    assert cli(["cooldown", str(path)]) == 2  # forced flow needs a target and a node
    assert "--target-K and --node" in capsys.readouterr().err
    assert cli(["cooldown", str(path), "--target-K", "150", "--node", "magnet", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["history_K"]["magnet"][-1] == pytest.approx(150.0, rel=1e-9)


def test_saturation_dome_and_entropy_for_diagrams():
    from solver.flow.properties import saturation_dome

    dome = saturation_dome("Nitrogen", 40)
    # the ends: the triple point and just below the critical point (CoolProp, computed here)
    assert dome["T"][0] == pytest.approx(PropsSI("Ttriple", "Nitrogen"))
    assert dome["p"][-1] == pytest.approx(PropsSI("pcrit", "Nitrogen"), rel=1e-4)
    assert dome["h_l"][10] == pytest.approx(PropsSI("H", "T", dome["T"][10], "Q", 0, "Nitrogen"))
    assert (dome["h_v"] - dome["h_l"])[-1] < 0.02 * (dome["h_v"] - dome["h_l"])[0]
    ds = steady_state(BASE)
    p, h = ds.pressure.sel(fluid_node="out").item(), ds.enthalpy.sel(fluid_node="out").item()
    s = PropsSI("S", "P", p, "H", h, "Nitrogen")
    assert ds.entropy.sel(fluid_node="out").item() == pytest.approx(s, rel=1e-8)
