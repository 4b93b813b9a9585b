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
    return _diagram(ds, ("h", "p"), bq.LogScale(), ("h [kJ/kg]", "p [bar]"), "p–h diagram")


def ts_figure(ds) -> bq.Figure:
    """T–s diagram: the fluid's saturation dome and the state of every fluid node."""
    return _diagram(ds, ("s", "T"), bq.LinearScale(), ("s [kJ/(kg K)]", "T [K]"), "T–s diagram")


# per quantity: the dome's liquid and vapour arrays (or the shared one), the result variable, unit
_QUANTITIES = {
    "h": (("h_l", "h_v"), "enthalpy", 1e3),
    "s": (("s_l", "s_v"), "entropy", 1e3),
    "p": (("p", "p"), "pressure", 1e5),
    "T": (("T", "T"), "fluid_temperature", 1.0),
}


def _diagram(ds, quantities, y_scale, labels, title) -> bq.Figure:
    dome = saturation_dome(ds.attrs["fluid"])
    x = bq.LinearScale()
    curves, values = [], []
    for q in quantities:
        (liquid, vapour), var, unit = _QUANTITIES[q]
        curves.append(np.r_[dome[liquid], dome[vapour][::-1]] / unit)
        values.append(ds[var].values / unit)
    scales = {"x": x, "y": y_scale}
    line = bq.Lines(
        x=curves[0],
        y=curves[1],
        scales=scales,
        colors=[DOME_COLOUR],
        labels=["saturation"],
        display_legend=True,
    )
    states = bq.Scatter(
        x=values[0],
        y=values[1],
        scales=scales,
        colors=[STATE_COLOUR],
        names=[str(n) for n in ds.fluid_node.values],
        display_names=False,
        tooltip=bq.Tooltip(fields=["name", "x", "y"]),
    )
    axes = [
        bq.Axis(scale=x, label=labels[0]),
        bq.Axis(scale=y_scale, orientation="vertical", label=labels[1]),
    ]
    return bq.Figure(marks=[line, states], axes=axes, title=title, layout=dict(FIG_LAYOUT))
