"""Fluid-network views: pressure and temperature along a line, p–h / T–s diagrams, state tables.

They draw what the solver returns (``solver.flow.results.line_profile`` and
``flow_path``, ``solver.flow.properties.saturation_dome`` and the fluid nodes of a
result); nothing here computes a state. :class:`FlowView` is the app's "Flow" tab.
"""

from __future__ import annotations

import math
from html import escape

import bqplot as bq
import ipywidgets as w
import numpy as np

from cryogen_widgets.views import plots, units
from cryogen_widgets.views.freshness import StaleBanner

DOME_COLOUR = "#7f7f7f"
PRESSURE_COLOUR = "#1f77b4"
TEMPERATURE_COLOUR = "#d62728"
STATE_COLOUR = "#2ca02c"
PATH_COLOUR = "#1f5fa8"


class ProfileFigure:
    """Pressure (kPa, left axis) and fluid temperature (K, right axis) against distance."""

    def __init__(self) -> None:
        self.sx, self.sp, self.sT = bq.LinearScale(), bq.LinearScale(), bq.LinearScale()
        fmt = plots.LINEAR_TICK_FORMAT
        axes = [
            bq.Axis(
                scale=self.sx, label="distance from inlet [m]", tick_format=fmt, grid_lines="dashed"
            )
        ] + [
            bq.Axis(
                scale=scale,
                orientation="vertical",
                side=side,
                label=label,
                label_color=colour,
                tick_format=fmt,
                label_offset=offset,
                grid_lines=grid,
            )
            for scale, side, label, colour, offset, grid in (
                (self.sp, "left", "pressure [kPa]", PRESSURE_COLOUR, "55px", "dashed"),
                (self.sT, "right", "temperature [K]", TEMPERATURE_COLOUR, "45px", "none"),
            )
        ]
        self.figure = bq.Figure(
            axes=axes,
            marks=[],
            layout=w.Layout(**plots.SIDE_BY_SIDE),
            fig_margin={**plots.MARGIN, "right": 70},
            legend_location="bottom",
            legend_style={"fill": "white", "opacity": 0.85},
        )

    def show(self, prof, title: str) -> None:
        """Draw a profile (``line_profile`` / ``pipe_profile`` Dataset)."""
        distance = prof.distance.values
        kpa = prof.pressure.values / 1e3
        kelvin = prof.fluid_temperature.values
        tooltip = bq.Tooltip(
            fields=["x", "y"], labels=["distance [m]", "value"], formats=[".4g"] * 2
        )
        self.figure.marks = [
            bq.Lines(
                x=distance,
                y=y,
                scales={"x": self.sx, "y": scale},
                colors=[colour],
                labels=[name],
                display_legend=True,
                marker=marker,
                marker_size=12,
                tooltip=tooltip,
            )
            for y, scale, colour, name, marker in (
                (kpa, self.sp, PRESSURE_COLOUR, "pressure", "circle"),
                (kelvin, self.sT, TEMPERATURE_COLOUR, "temperature", "square"),
            )
        ]
        plots.set_domain(self.sx, distance, pad=0.02)
        plots.set_domain(self.sp, kpa, pad=0.1)
        plots.set_domain(self.sT, kelvin, pad=0.1)
        self.figure.title = title


# per quantity: the dome's liquid and vapour arrays (or the shared one), the result variable, unit
_QUANTITIES = {
    "h": (("h_l", "h_v"), "enthalpy", 1e3),
    "s": (("s_l", "s_v"), "entropy", 1e3),
    "p": (("p", "p"), "pressure", 1.0),
    "T": (("T", "T"), "fluid_temperature", 1.0),
}
DIAGRAMS = {
    "p–h": (("h", "p"), ("specific enthalpy", "kJ/kg", "pressure", "Pa"), True),
    "T–s": (("s", "T"), ("specific entropy", "kJ/(kg K)", "temperature", "K"), False),
}
"""Each state diagram: its (x, y) quantities, axis names and units, and a log y axis."""


class DiagramFigure:
    """A p–h or T–s diagram: the saturation dome, each stream's path and the named points."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.quantities, (xn, xu, yn, yu), y_log = DIAGRAMS[name]
        self.figure, self.sx, self.sy = plots.figure(
            xn, xu, yn, yu, y_log=y_log, title=f"{name} diagram", layout=plots.SIDE_BY_SIDE
        )
        self.figure.interaction = None  # tooltips on the points instead of pan/zoom

    def show(self, ds) -> None:
        from solver.flow.properties import saturation_dome
        from solver.flow.results import line_profile

        dome = saturation_dome(ds.attrs["fluid"])
        (qx, qy), scales = self.quantities, {"x": self.sx, "y": self.sy}

        def values(q, source):
            (_liquid, _vapour), var, unit = _QUANTITIES[q]
            return np.asarray(source[var].values, dtype=float) / unit

        def dome_curve(q):
            (liquid, vapour), _var, unit = _QUANTITIES[q]
            return np.r_[dome[liquid], dome[vapour][::-1]] / unit

        marks = [
            bq.Lines(
                x=dome_curve(qx),
                y=dome_curve(qy),
                scales=scales,
                colors=[DOME_COLOUR],
                labels=["saturation dome"],
                display_legend=True,
            )
        ]
        for stream in [str(s) for s in ds.stream.values]:
            prof = line_profile(ds, [stream])
            marks.append(
                bq.Lines(
                    x=values(qx, prof),
                    y=values(qy, prof),
                    scales=scales,
                    colors=[PATH_COLOUR],
                    stroke_width=1.5,
                )
            )
        named = [str(n) for n in ds.fluid_node.values if ":" not in str(n)]
        points = ds.sel(fluid_node=named)
        marks.append(
            bq.Scatter(
                x=values(qx, points),
                y=values(qy, points),
                scales=scales,
                colors=[STATE_COLOUR],
                names=named,
                display_names=True,
                labels=["states"],
                display_legend=True,
                default_size=40,
                tooltip=bq.Tooltip(fields=["name", "x", "y"], formats=["", ".4g", ".4g"]),
            )
        )
        # the axes frame the network's states (a supercritical loop is a small patch above the
        # dome), never narrower than a fifth of the dome, which is clipped at the frame
        y_log = isinstance(self.sy, bq.LogScale)
        plots.set_domain(self.sx, _frame(values(qx, ds), dome_curve(qx), log=False), pad=0.0)
        plots.set_domain(self.sy, _frame(values(qy, ds), dome_curve(qy), log=y_log), pad=0.0)
        plots.log_axis_ticks(self.figure, self.sy)
        self.figure.marks = marks


FRAME_PAD = 0.15  # of the states' span on each side
FRAME_MIN = 0.2  # of the dome's span: the narrowest frame


def _frame(states: np.ndarray, dome: np.ndarray, *, log: bool) -> np.ndarray:
    """(lo, hi) of an axis showing ``states`` with room around them (log axes in decades)."""
    f = np.log10 if log else (lambda v: v)
    s, d = f(states[np.isfinite(states)]), f(dome[np.isfinite(dome)])
    lo, hi = float(s.min()), float(s.max())
    span = max(hi - lo, FRAME_MIN * float(d.max() - d.min()))
    mid = (lo + hi) / 2
    lo, hi = min(lo, mid - span / 2), max(hi, mid + span / 2)
    edges = np.array([lo - FRAME_PAD * span, hi + FRAME_PAD * span])
    return 10.0**edges if log else edges


def profile_figure(ds, pipe: str) -> bq.Figure:
    """Pressure and fluid temperature along ``pipe``."""
    from solver.flow.results import pipe_profile

    fig = ProfileFigure()
    fig.show(pipe_profile(ds, pipe), f"{pipe}: profile")
    return fig.figure


def ph_figure(ds) -> bq.Figure:
    """p–h diagram: the fluid's saturation dome and the state of every fluid node."""
    fig = DiagramFigure("p–h")
    fig.show(ds)
    return fig.figure


def ts_figure(ds) -> bq.Figure:
    """T–s diagram: the fluid's saturation dome and the state of every fluid node."""
    fig = DiagramFigure("T–s")
    fig.show(ds)
    return fig.figure


def _num(value: float, fmt: str) -> str:
    return "—" if not math.isfinite(value) else format(value, fmt)


def states_table_html(ds) -> str:
    """Named fluid points (boundaries, junctions): pressure, temperature, quality, enthalpy."""
    rows = []
    for i, node in enumerate(ds.fluid_node.values):
        if ":" in str(node):  # a pipe's interior point: in the profile, not the table
            continue
        rows.append(
            f"<tr data-point='{escape(str(node))}'><td>{escape(str(node))}</td>"
            f"<td>{escape(str(ds.fluid_node_kind.values[i]))}</td>"
            f"<td>{_num(ds.pressure.values[i] / 1e5, '.5g')}</td>"
            f"<td>{_num(ds.fluid_temperature.values[i], '.4f')}</td>"
            f"<td>{_num(ds.quality.values[i], '.3f')}</td>"
            f"<td>{_num(ds.enthalpy.values[i] / 1e3, '.4g')}</td>"
            f"<td>{_num(ds.density.values[i], '.4g')}</td></tr>"
        )
    return (
        "<table class='cryogen-fluid-states' style='border-collapse:collapse' border='1' "
        "cellpadding='4'><tr><th>point</th><th>kind</th><th>p [bar]</th><th>T [K]</th>"
        "<th>quality</th><th>h [kJ/kg]</th><th>ρ [kg/m³]</th></tr>" + "".join(rows) + "</table>"
    )


def streams_table_html(ds) -> str:
    """Each stream: its ends, mass flow, pressure drop, heat taken and temperature change."""
    rows = []
    for i, stream in enumerate(ds.stream.values):
        rows.append(
            f"<tr><td>{escape(str(stream))}</td>"
            f"<td>{escape(str(ds.stream_from.values[i]))} → {escape(str(ds.stream_to.values[i]))}</td>"
            f"<td>{units.si(float(ds.mass_flow.values[i]) * 1e3, 'g/s', digits=4)}</td>"
            f"<td>{units.si(float(ds.pressure_drop.values[i]), 'Pa', digits=4)}</td>"
            f"<td>{units.power(float(ds.heat_to_fluid.values[i]))}</td>"
            f"<td>{_num(ds.temperature_change.values[i], '+.4f')}</td></tr>"
        )
    return (
        "<table class='cryogen-fluid-streams' style='border-collapse:collapse' border='1' "
        "cellpadding='4'><tr><th>element</th><th>from → to</th><th>mass flow</th>"
        "<th>pressure drop</th><th>heat to fluid</th><th>ΔT [K]</th></tr>"
        + "".join(rows)
        + "</table>"
    )


class FlowView(w.VBox):
    """The app's Flow tab: a profile along a line of the fluid network, its p–h or T–s diagram,
    and the tables of fluid states and streams of the last steady state."""

    EMPTY = "<i>Run a steady state of a design with a fluid network to see its states.</i>"
    NO_FLOW = (
        "<i>This result has no fluid network (the design has no <code>flow</code> section).</i>"
    )

    def __init__(self) -> None:
        self.banner = StaleBanner("steady state")
        self.note = w.HTML(self.EMPTY)
        self.ds = None
        self.line = w.Dropdown(
            description="profile along",
            style={"description_width": "90px"},
            layout=w.Layout(width="420px"),
        )
        self.line.observe(lambda _: self._show_line(), "value")
        self.diagram_choice = w.ToggleButtons(
            options=list(DIAGRAMS), value="p–h", style={"button_width": "60px"}
        )
        self.diagram_choice.observe(lambda _: self._show_diagram(), "value")
        self.profile = ProfileFigure()
        self.diagrams = {name: DiagramFigure(name) for name in DIAGRAMS}
        # the box takes the figure's share of the row; the figure fills it
        self.diagram_box = w.Box(
            [self.diagrams["p–h"].figure], layout=w.Layout(flex="1 1 0%", min_width="340px")
        )
        self.states = w.HTML()
        self.streams = w.HTML()
        self.flags = w.HTML()
        self.content = w.VBox(
            [
                w.HBox([self.line, self.diagram_choice]),
                plots.row([self.profile.figure, self.diagram_box]),
                w.HBox(
                    [
                        w.VBox([w.HTML("<b>Fluid states</b>"), self.states]),
                        w.VBox([w.HTML("<b>Streams</b>"), self.streams]),
                    ],
                    layout=w.Layout(grid_gap="16px"),
                ),
                self.flags,
            ]
        )
        self.content.layout.display = "none"
        super().__init__([self.banner, self.note, self.content])
        self.add_class("cryogen-flow-view")

    def clear(self) -> None:
        self.ds = None
        self.note.value = self.EMPTY
        self.content.layout.display = "none"

    def show(self, ds) -> None:
        """Show the fluid part of a steady-state result (a note if it has none)."""
        if "fluid_node" not in ds.coords:
            self.clear()
            self.note.value = self.NO_FLOW
            return
        self.ds = ds
        self.note.value = (
            f"<b>{escape(str(ds.attrs.get('fluid', '')))}</b> network: "
            f"{sum(':' not in str(n) for n in ds.fluid_node.values)} points, "
            f"{ds.sizes['stream']} streams"
        ) + "".join(
            f"; separator <b>{escape(str(n))}</b> draws off "
            f"{units.si(float(q) * 1e3, 'g/s', digits=4)} of liquid"
            for n, q in zip(
                ds.fluid_node.values,
                ds.get("liquid_production", ds.pressure * np.nan).values,
                strict=True,
            )
            if np.isfinite(q)
        )
        self.states.value = states_table_html(ds)
        self.streams.value = streams_table_html(ds)
        notes = [f for f in (ds.attrs.get("flags") or "").split("; ") if f]
        if ds.attrs.get("two_phase_regimes"):
            notes.append(
                f"two-phase regimes (Mandhane et al. 1974): {ds.attrs['two_phase_regimes']}"
            )
        self.flags.value = "".join(f"<div style='color:#8a5a00'>⚑ {escape(n)}</div>" for n in notes)
        self.content.layout.display = ""
        lines = self._lines(ds)
        self.line.options = lines
        if lines:
            self.line.index = 0  # ipywidgets 8 leaves no value selected; this draws the line
        self._show_diagram()

    @staticmethod
    def _lines(ds) -> list[tuple[str, tuple[str, ...]]]:
        """The lines offered: the path from each inlet or separator, then each pipe alone."""
        from solver.flow.results import flow_path

        out = []
        kinds = dict(zip(map(str, ds.fluid_node.values), ds.fluid_node_kind.values, strict=True))
        for point, kind in kinds.items():
            if kind in ("inlet", "mfi", "bath"):  # where flow enters (mfi: a mass-flow inlet)
                path = flow_path(ds, point)
                if path:
                    end = str(ds.stream_to.sel(stream=path[-1]).item())
                    out.append((f"{point} → {end} ({len(path)} elements)", tuple(path)))
        for s, length in zip(ds.stream.values, ds.length.values, strict=True):
            if np.isfinite(length):
                out.append((f"pipe {s} ({length:g} m)", (str(s),)))
        return out

    def _show_line(self) -> None:
        from solver.flow.results import line_profile

        if self.ds is None or not self.line.value:
            return
        label = next(k for k, v in self.line.options if v == self.line.value)
        self.profile.show(line_profile(self.ds, list(self.line.value)), label)

    def _show_diagram(self) -> None:
        if self.ds is None:
            return
        diagram = self.diagrams[self.diagram_choice.value]
        diagram.show(self.ds)
        self.diagram_box.children = [diagram.figure]
