"""Fluid views draw exactly what the solver returns (profile along a pipe, p–h and T–s states)."""

from __future__ import annotations

import numpy as np
import pytest

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.views.flow_plots import ph_figure, profile_figure, ts_figure
from solver.design import load
from solver.flow.results import pipe_profile
from solver.flow.steady import steady_state


@pytest.fixture(scope="module")
def jt_stage():
    return steady_state(load(DESIGNS_DIR / "hx-jt-stage.cryo.json"))


def test_profile_figure_draws_the_solver_profile(jt_stage):
    fig = profile_figure(jt_stage, "plate_coil")
    prof = pipe_profile(jt_stage, "plate_coil")
    pressure, temperature = fig.marks
    assert np.array_equal(pressure.x, prof.distance.values)
    assert np.allclose(pressure.y, prof.pressure.values / 1e5, rtol=0, atol=0)
    assert np.array_equal(temperature.y, prof.fluid_temperature.values)
    assert prof.distance.values[-1] == pytest.approx(1.0)  # the pipe's length_m
    with pytest.raises(KeyError, match="pipes: plate_coil"):
        pipe_profile(jt_stage, "jt")


def test_ph_and_ts_diagrams_place_every_fluid_node(jt_stage):
    for fig, x, y in (
        (ph_figure(jt_stage), jt_stage.enthalpy / 1e3, jt_stage.pressure / 1e5),
        (ts_figure(jt_stage), jt_stage.entropy / 1e3, jt_stage.fluid_temperature),
    ):
        dome, states = fig.marks
        assert list(states.names) == [str(n) for n in jt_stage.fluid_node.values]
        assert np.array_equal(states.x, x.values) and np.array_equal(states.y, y.values)
        assert len(dome.x) == 400  # both branches of the 200-point dome
