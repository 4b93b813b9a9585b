"""solver.sweep (module solver.sweeps): outer-product sweeps on a Dask LocalCluster."""

from __future__ import annotations

import numpy as np
import pytest

import solver
from cryogen_templates import DESIGNS_DIR
from solver import design as design_io
from solver.errors import DesignError
from solver.sweeps import parse_path

TWO_STAGE = DESIGNS_DIR / "two-stage-pt420.cryo.json"

# VALIDATION.md case 1: OFHC Cu RRR 100, D = 0.01 m, L = 0.10 m, 300 K -> 77 K: Q = 73.663 W.
CASE1_Q_TIMES_L = 73.663 * 0.10  # W·m; Q = (A/L)∫k dT, so Q·L is the same at every length


def strap_design() -> dict:
    return {
        "schema": "cryogen/design@1",
        "name": "copper strap between 300 K and 77 K",
        "components": [
            {"id": "warm", "type": "boundary", "temperature_K": 300.0},
            {"id": "cold", "type": "boundary", "temperature_K": 77.0},
        ],
        "links": [
            {
                "id": "strap",
                "type": "strap",
                "from": "warm",
                "to": "cold",
                "material": "OFHC-Cu-RRR100",
                "length_m": 0.1,
                "area_m2": np.pi * 0.005**2,
            },
        ],
    }


def test_each_point_equals_a_single_solve():
    axes = {"links.struts.length_m": [0.05, 0.2], "components.plate.heat_load_W": [0.0, 0.1]}
    ds = solver.sweep(TWO_STAGE, axes, progress=False)
    assert ds.temperature.dims == ("links.struts.length_m", "components.plate.heat_load_W", "node")
    base = design_io.load(TWO_STAGE).to_dict()
    for i, length in enumerate(axes["links.struts.length_m"]):
        for j, load in enumerate(axes["components.plate.heat_load_W"]):
            d = base.copy()
            d["links"] = [dict(lk) for lk in base["links"]]
            d["components"] = [dict(c) for c in base["components"]]
            next(lk for lk in d["links"] if lk["id"] == "struts")["length_m"] = length
            next(c for c in d["components"] if c["id"] == "plate")["heat_load_W"] = load
            alone = solver.steady_state(d)
            point = ds.isel({"links.struts.length_m": i, "components.plate.heat_load_W": j})
            for name in ("temperature", "heat_flow", "stage_load", "margin"):
                # exact: the same solver on the same input, only run as a Dask task
                np.testing.assert_array_equal(point[name].values, alone[name].values)


def test_fifty_strap_lengths_on_a_local_cluster():
    lengths = np.linspace(0.05, 0.5, 50)
    ds = solver.sweep(strap_design(), {"links.strap.length_m": lengths}, progress=False)
    assert ds.sizes["links.strap.length_m"] == 50
    q = ds.heat_flow.sel(link="strap").values
    # Q·L = (A)∫k dT is independent of L; 1e-4 relative is VALIDATION.md's tolerance (same fit)
    np.testing.assert_allclose(q * lengths, CASE1_Q_TIMES_L, rtol=1e-4)


def test_progress_bar_runs(capsys):
    ds = solver.sweep(strap_design(), {"links.strap.length_m": [0.1, 0.2]}, progress=True)
    assert ds.heat_flow.shape == (2, 1)
    assert "sweep" in capsys.readouterr().err


def test_sweep_function_and_module_do_not_clash():
    import solver.sweeps

    assert callable(solver.sweep)
    assert solver.sweep is not solver.sweeps
    ds = solver.sweep(strap_design(), {"links.strap.length_m": [0.1]}, progress=False)
    np.testing.assert_allclose(ds.heat_flow.values.ravel(), 73.663, rtol=1e-4)  # case 1


@pytest.mark.parametrize(
    ("path", "expect"),
    [
        ("links.strp.length_m", "closest valid: strap"),
        ("links.strap.lenght_m", "closest valid: length_m"),
        ("link.strap.length_m", "closest valid: links"),
        ("components.wram.temperature_K", "closest valid: warm"),
        ("links.strap", "must be 'links.<id>.<field>'"),
    ],
)
def test_bad_path_names_the_closest(path, expect):
    with pytest.raises(DesignError, match=expect):
        parse_path(strap_design(), path)


def test_bad_value_names_the_point():
    with pytest.raises(DesignError, match=r"sweep point links.strap.length_m=-1.0.*length_m"):
        solver.sweep(strap_design(), {"links.strap.length_m": [0.1, -1.0]}, progress=False)


def test_empty_axis_and_unknown_analysis():
    with pytest.raises(DesignError, match="has no values"):
        solver.sweep(strap_design(), {"links.strap.length_m": []}, progress=False)
    with pytest.raises(DesignError, match="choose one of steady, cooldown"):
        solver.sweep(strap_design(), {"links.strap.length_m": [0.1]}, analysis="quench")


def test_cooldown_sweep_matches_single_cooldowns():
    masses = [1.0, 3.0]
    # to the plate's 4.2 K: run to the steady state instead, the end time is set by the 34 kg
    # shield's slow tail, which the plate's mass does not order
    ds = solver.sweep(
        TWO_STAGE, {"components.plate.mass_kg": masses}, "cooldown", progress=False, target_K=4.2
    )
    base = design_io.load(TWO_STAGE).to_dict()
    for k, mass in enumerate(masses):
        d = {**base, "components": [dict(c) for c in base["components"]]}
        next(c for c in d["components"] if c["id"] == "plate")["mass_kg"] = mass
        alone = solver.cooldown(d, target_K=4.2)
        # exact: the same transient on the same input, only run as a Dask task
        assert ds.time_to_target_s.values[k] == alone.attrs["time_to_target_s"]
        np.testing.assert_array_equal(
            ds.temperature.values[k], alone.temperature.isel(time=-1).values
        )
    # a heavier plate takes longer to cool (more enthalpy to remove at the same cooler)
    assert ds.time_to_target_s.values[1] > ds.time_to_target_s.values[0]
