"""The inputs issue 13 saw produce tracebacks, silent non-finite results or unbounded
work (items 2-4), each answered now by exit 2 or 3 with a message naming the field."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import time

import numpy as np
import pytest
import xarray as xr

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.cli import main
from solver.errors import SolverError
from solver.thermal.results import summary_dict

TWO_STAGE = json.loads((DESIGNS_DIR / "two-stage-pt420.cryo.json").read_text())
COIL = json.loads((DESIGNS_DIR / "coils" / "accelerator_examples.coil.json").read_text())


def run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def changed(path: list, value) -> dict:
    d = copy.deepcopy(TWO_STAGE)
    target = d
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return d


CASES = {
    "id a list": (changed(["components", 1, "id"], ["shield"]), "id"),
    "id a dict": (changed(["links", 0, "id"], {"a": 1}), "id"),
    "string for a number": (changed(["components", 1, "mass_kg"], "2.0"), "mass_kg"),
    "true for a number": (changed(["components", 1, "mass_kg"], True), "mass_kg"),
    "length 1e-320 m": (changed(["links", 0, "length_m"], 1e-320), "length_m"),
    "initial 1.27 µK": (changed(["components", 1, "initial_K"], 1.27e-6), "initial_K"),
    "count a billion": (changed(["links", 0, "count"], 10**9), "count"),
    "empty design": ({"schema": "cryogen/design@1"}, "no nodes"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_design_values_exit_2_naming_the_field(tmp_path, name):
    design, field = CASES[name]
    path = tmp_path / "d.cryo.json"
    path.write_text(json.dumps(design))
    code, out, err = run(["solve", str(path), "--json"])
    assert (code, out) == (2, ""), err
    assert field in err and "Traceback" not in err


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"\xff\xfe{}", "UTF-8"),
        (b"[" * 5000 + b"]" * 5000, "64 levels"),
        (b'{"a":' * 70 + b"1" + b"}" * 70, "64 levels"),
        (b'{"schema": "cryogen/design@1", "name": ' + b"9" * 5000 + b"}", "double range"),
        (b'{"schema": "cryogen/design@1", "layout": {"x": NaN}}', "finite"),
        (b'{"schema": "cryogen/design@1", "meta": {"x": 1e999}}', "double range"),
    ],
)
def test_files_outside_the_input_rule_exit_2(tmp_path, raw, message):
    for command, suffix in (("solve", ".cryo.json"), ("field", ".coil.json")):
        path = tmp_path / f"f{suffix}"
        path.write_bytes(raw)
        argv = [command, str(path)] + (["--points=0,0,0.01"] if command == "field" else [])
        code, _, err = run(argv)
        assert code == 2 and message in err, (command, err)


def test_contact_law_with_a_vanishing_reference_temperature_exits_2(tmp_path):
    d = copy.deepcopy(TWO_STAGE)
    d["links"].append(
        {"id": "c", "type": "contact", "from": "shield", "to": "plate", "g0_W_K": 1.0,
         "T0_K": 1e-300, "exponent": 1.0}
    )  # fmt: skip
    path = tmp_path / "d.cryo.json"
    path.write_text(json.dumps(d))
    code, _, err = run(["solve", str(path)])
    assert code == 2 and "T0_K" in err


@pytest.mark.parametrize("target", ["nan", "inf", "-1", "0", "1e-9", "3000"])
def test_cooldown_targets_are_validated(target):
    code, _, err = run(
        ["cooldown", str(DESIGNS_DIR / "two-stage-pt420.cryo.json"), "--target-K", target]
    )
    assert code == 2 and "--target-K" in err


def test_cooldown_stops_at_max_seconds_saying_where_it_got_to():
    t0 = time.perf_counter()
    code, _, err = run(
        ["cooldown", str(DESIGNS_DIR / "two-stage-pt420.cryo.json"), "--max-seconds", "0.2"]
    )
    assert code == 3 and "--max-seconds" in err and "simulated time" in err and "'plate' at" in err
    assert time.perf_counter() - t0 < 30  # the steady pre-solve plus one step, not the cooldown


@pytest.mark.parametrize(
    "coil, field",
    [
        ({"id": "c", "type": "cct", "radius_m": 0.05, "tilt_deg": 30, "pitch_m": 0.005,
          "turns": 1e8, "current_A": 100}, "segments"),
        ({"id": "r", "type": "racetrack", "straight_length_m": 0.2, "radius_m": 0.05,
          "current_A": 100, "segments_per_arc": 10**9}, "segments_per_arc"),
    ],
)  # fmt: skip
def test_discretisation_sizes_are_capped(tmp_path, coil, field):
    path = tmp_path / "c.coil.json"
    path.write_text(json.dumps({"schema": "cryogen/coil@1", "coils": [coil]}))
    t0 = time.perf_counter()
    code, _, err = run(["field", str(path), "--points=0,0,0.01"])
    assert code == 2 and field in err
    assert time.perf_counter() - t0 < 5


def _dataset(flow: float) -> xr.Dataset:
    return xr.Dataset(
        {
            "temperature": ("node", [300.0, 40.0]),
            "heat_flow": ("link", [flow]),
            "heat_flow_from": ("link", [flow]),
            "stage_load": ("node", [np.nan, 1.0]),
            "boil_off": ("node", [np.nan, np.nan]),
            "margin": ("node", [np.nan, np.nan]),
        },
        coords={"node": ["warm", "cold"], "link": ["rod"]},
    )


def test_the_json_refuses_non_finite_results_naming_the_link():
    summary = summary_dict(_dataset(1.0))
    assert summary["temperatures_K"] == {"warm": 300.0, "cold": 40.0}
    assert summary["stage_loads_W"] == {"cold": 1.0}  # the warmest boundary's: undefined
    assert summary["margins_W"] == {}  # no max_K anywhere
    with pytest.raises(SolverError, match="link 'rod': the heat flow came out as inf"):
        summary_dict(_dataset(np.inf))


@pytest.mark.parametrize(
    "ename, evalue, code",
    [
        ("ZeroDivisionError", "float division by zero", 3),
        ("KeyError", "'plate'", 3),
        ("SolverError", "no convergence at 'plate'", 3),
        ("UnknownNameError", "unknown material 'x'", 2),
    ],
)
def test_a_failing_report_cell_exits_2_or_3_with_the_cells_error(
    tmp_path, monkeypatch, ename, evalue, code
):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    def failing_cell(*args, **kwargs):
        raise PapermillExecutionError(4, 5, "solve()", ename, evalue, [])

    monkeypatch.setattr(papermill, "execute_notebook", failing_cell)
    design = str(DESIGNS_DIR / "two-stage-pt420.cryo.json")
    got, out, err = run(["report", design, "-o", str(tmp_path / "r.html")])
    assert (got, out) == (code, ""), err
    assert f"heat_load.ipynb: cell 5 failed with {ename}: {evalue}" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
