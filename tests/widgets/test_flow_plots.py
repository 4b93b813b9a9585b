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
    assert np.array_equal(pressure.y, prof.pressure.values / 1e3)  # kPa
    assert np.array_equal(temperature.y, prof.fluid_temperature.values)
    assert prof.distance.values[-1] == pytest.approx(1.0)  # the pipe's length_m
    with pytest.raises(KeyError, match="pipes: plate_coil"):
        pipe_profile(jt_stage, "jt")


def test_ph_and_ts_diagrams_place_every_fluid_node(jt_stage):
    named = [str(n) for n in jt_stage.fluid_node.values if ":" not in str(n)]
    points = jt_stage.sel(fluid_node=named)
    for fig, x, y in (
        (ph_figure(jt_stage), points.enthalpy / 1e3, points.pressure),
        (ts_figure(jt_stage), points.entropy / 1e3, points.fluid_temperature),
    ):
        dome, *paths, states = fig.marks
        assert list(states.names) == named
        assert np.array_equal(states.x, x.values) and np.array_equal(states.y, y.values)
        assert len(dome.x) == 400  # both branches of the 200-point dome
        assert len(paths) == jt_stage.sizes["stream"]  # one path per stream
        coil = paths[[str(s) for s in jt_stage.stream.values].index("plate_coil")]
        assert len(coil.x) == 11  # the plate coil's 10 segments: 11 points
