"""VALIDATION.md cases 1-3 (../shared/reference/VALIDATION.md, corrected values), through the public API and the CLI."""

from __future__ import annotations

import json
import math

import pytest

import solver
from solver.cli import main as cli

CASE1_Q_W = 73.663  # VALIDATION.md case 1, quad of the NIST fit (epsrel 1e-12)
CASE2_Q_W = 0.0918601  # VALIDATION.md case 2, closed form with σ = 5.670374419e-8
CASE3_T_S = 16886.0  # VALIDATION.md case 3, ∫cp dT / 10 W with the NIST Al 6061-T6 cp fit


def two_boundaries(link: dict, T_hot: float, T_cold: float) -> dict:
    return {
        "schema": "cryogen/design@1",
        "components": [
            {"id": "hot", "type": "boundary", "temperature_K": T_hot},
            {"id": "cold", "type": "boundary", "temperature_K": T_cold},
        ],
        "links": [{"id": "x", "from": "hot", "to": "cold", **link}],
    }


def test_case1_copper_rod_conductivity_integral():
    rod = {
        "type": "conductor",
        "material": "OFHC-Cu-RRR100",
        "length_m": 0.10,
        "area_m2": math.pi * 0.01**2 / 4,
    }
    ds = solver.steady_state(two_boundaries(rod, 300.0, 77.0))
    # tolerance 1e-4 relative: VALIDATION.md's tolerance for our code on the same fit
    assert ds.heat_flow.sel(link="x").item() == pytest.approx(CASE1_Q_W, rel=1e-4)


def test_case1_through_cli_on_shipped_design(capsys):
    from cryogen_templates import DESIGNS_DIR

    assert cli(["solve", str(DESIGNS_DIR / "copper-rod.cryo.json"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["heat_flows_W"]["rod"] == pytest.approx(CASE1_Q_W, rel=1e-4)
    assert out["stage_loads_W"] == {"cold_end": pytest.approx(CASE1_Q_W, rel=1e-4)}
    assert out["temperatures_K"] == {"warm_end": 300.0, "cold_end": 77.0}


def test_case2_radiation_closed_form():
    link = {"type": "radiation", "area_m2": 0.1, "emissivity_eff": 0.002}
    ds = solver.steady_state(two_boundaries(link, 300.0, 4.0))
    # tolerance 1e-6: VALIDATION.md's tolerance (closed form, only round-off differs)
    assert ds.heat_flow.item() == pytest.approx(CASE2_Q_W, rel=1e-6)


def test_case3_aluminium_block_constant_cooler(tmp_path, capsys):
    d = {
        "schema": "cryogen/design@1",
        "components": [
            {
                "id": "block",
                "type": "stage",
                "material": "Al6061-T6",
                "mass_kg": 1.0,
                "initial_K": 300.0,
            },
            {"id": "cooler", "type": "constant_cooler", "stage": "block", "power_W": 10.0},
        ],
        "links": [],
    }
    ds = solver.cooldown(d, target_K=77.0)
    # tolerance 0.5 %: VALIDATION.md's tolerance for time stepping
    assert ds.attrs["time_to_target_s"] == pytest.approx(CASE3_T_S, rel=5e-3)
    assert ds.temperature.isel(time=-1).item() == pytest.approx(77.0, rel=1e-8)
    path = tmp_path / "case3.cryo.json"
    path.write_text(json.dumps(d))
    assert cli(["cooldown", str(path), "--target-K", "77", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["time_to_target_s"] == pytest.approx(CASE3_T_S, rel=5e-3)
    assert out["history_K"]["block"][0] == 300.0 and len(out["times_s"]) == len(
        out["history_K"]["block"]
    )
