"""Fluid-network views: a pressure/temperature profile along a pipe, and p–h / T–s diagrams.

They draw what the solver returns (``solver.flow.results.pipe_profile``,
``solver.flow.properties.saturation_dome`` and the fluid nodes of a result);
nothing here computes a state.
"""

from __future__ import annotations

import bqplot as bq
import numpy as np

from solver.flow.properties import saturation_dome
from solver.flow.results import pipe_profile

FIG_LAYOUT = {"width": "640px", "height": "380px"}
DOME_COLOUR = "#7f7f7f"
PRESSURE_COLOUR = "#1f77b4"
TEMPERATURE_COLOUR = "#d62728"
STATE_COLOUR = "#2ca02c"


def profile_figure(ds, pipe: str) -> bq.Figure:
    """Pressure (bar, left axis) and fluid temperature (K, right axis) along ``pipe``."""
    prof = pipe_profile(ds, pipe)
    x = bq.LinearScale()
    y_p, y_T = bq.LinearScale(), bq.LinearScale()
    distance = prof.distance.values
    pressure = bq.Lines(
        x=distance,
        y=prof.pressure.values / 1e5,
        scales={"x": x, "y": y_p},
        colors=[PRESSURE_COLOUR],
        labels=["pressure"],
        display_legend=True,
    )
    temperature = bq.Lines(
        x=distance,
        y=prof.fluid_temperature.values,
        scales={"x": x, "y": y_T},
        colors=[TEMPERATURE_COLOUR],
        labels=["temperature"],
        display_legend=True,
    )
    axes = [
        bq.Axis(scale=x, label="distance from inlet [m]"),
        bq.Axis(scale=y_p, orientation="vertical", label="p [bar]", label_color=PRESSURE_COLOUR),
        bq.Axis(
            scale=y_T,
            orientation="vertical",
            side="right",
            label="T [K]",
            label_color=TEMPERATURE_COLOUR,
        ),
    ]
    return bq.Figure(
        marks=[pressure, temperature], axes=axes, title=f"{pipe}: profile", layout=dict(FIG_LAYOUT)
    )


def ph_figure(ds) -> bq.Figure:
    """p–h diagram: the fluid's saturation dome and the state of every fluid node."""
    dome = saturation_dome(ds.attrs["fluid"])
    x, y = bq.LinearScale(), bq.LogScale()
    return _diagram(
        ds,
        x,
        y,
        dome_x=np.r_[dome["h_l"], dome["h_v"][::-1]] / 1e3,
        dome_y=np.r_[dome["p"], dome["p"][::-1]] / 1e5,
        state_x=ds.enthalpy.values / 1e3,
        state_y=ds.pressure.values / 1e5,
        labels=("h [kJ/kg]", "p [bar]"),
        title="p–h diagram",
    )


def ts_figure(ds) -> bq.Figure:
    """T–s diagram: the fluid's saturation dome and the state of every fluid node."""
    dome = saturation_dome(ds.attrs["fluid"])
    x, y = bq.LinearScale(), bq.LinearScale()
    return _diagram(
        ds,
        x,
        y,
        dome_x=np.r_[dome["s_l"], dome["s_v"][::-1]] / 1e3,
        dome_y=np.r_[dome["T"], dome["T"][::-1]],
        state_x=ds.entropy.values / 1e3,
        state_y=ds.fluid_temperature.values,
        labels=("s [kJ/(kg K)]", "T [K]"),
        title="T–s diagram",
    )


def _diagram(ds, x, y, *, dome_x, dome_y, state_x, state_y, labels, title) -> bq.Figure:
    dome = bq.Lines(
        x=dome_x,
        y=dome_y,
        scales={"x": x, "y": y},
        colors=[DOME_COLOUR],
        labels=["saturation"],
        display_legend=True,
    )
    states = bq.Scatter(
        x=state_x,
        y=state_y,
        scales={"x": x, "y": y},
        colors=[STATE_COLOUR],
        names=[str(n) for n in ds.fluid_node.values],
        display_names=False,
        tooltip=bq.Tooltip(fields=["name", "x", "y"]),
    )
    axes = [
        bq.Axis(scale=x, label=labels[0]),
        bq.Axis(scale=y, orientation="vertical", label=labels[1]),
    ]
    return bq.Figure(marks=[dome, states], axes=axes, title=title, layout=dict(FIG_LAYOUT))
