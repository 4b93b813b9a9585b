"""Result views: stage-load table, cooldown curves, cryocooler load maps, material curves.

They render solver Datasets and catalog data; nothing here computes a result.
"""

from __future__ import annotations

import math
from html import escape

import bqplot as bq
import ipywidgets as w
import numpy as np

from cryogen_widgets.designer.scene import format_power, format_temperature
from solver import cryocoolers as cryocooler_models
from solver import materials

FIG_LAYOUT = {"width": "640px", "height": "380px"}
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def stage_table_html(ds) -> str:
    """HTML table of node temperatures, stage loads, cooler capacity and margin (red where over)."""
    rows = []
    for i, node in enumerate(ds["node"].values):
        T = float(ds["temperature"].values[i])
        load = _value(ds, "stage_load", i)
        cap = _value(ds, "capacity", i)
        margin = _value(ds, "margin", i)
        over = (math.isfinite(margin) and margin < 0) or (
            math.isfinite(cap) and math.isfinite(load) and load > cap
        )
        style = " style='background:#fbd5d5;color:#a00'" if over else ""
        rows.append(
            f"<tr data-node='{escape(str(node))}'{style}><td>{escape(str(node))}</td>"
            f"<td>{format_temperature(T)}</td><td>{_power(load)}</td><td>{_power(cap)}</td>"
            f"<td>{_power(margin)}</td></tr>"
        )
    head = "<tr><th>node</th><th>temperature</th><th>load</th><th>capacity</th><th>margin</th></tr>"
    return (
        "<table class='cryogen-stage-loads' style='border-collapse:collapse' border='1' cellpadding='4'>"
        f"{head}{''.join(rows)}</table>"
    )


def link_table_html(ds) -> str:
    """HTML table of link heat flows (positive from ``link_from`` to ``link_to``)."""
    if "link" not in ds.coords or ds.sizes.get("link", 0) == 0:
        return ""
    rows = []
    for i, link in enumerate(ds["link"].values):
        q = float(ds["heat_flow"].values[i])
        a = str(ds["link_from"].values[i]) if "link_from" in ds else ""
        b = str(ds["link_to"].values[i]) if "link_to" in ds else ""
        rows.append(
            f"<tr><td>{escape(str(link))}</td><td>{escape(a)} → {escape(b)}</td>"
            f"<td>{format_power(q)}</td></tr>"
        )
    return (
        "<table class='cryogen-heat-flows' style='border-collapse:collapse' border='1' cellpadding='4'>"
        "<tr><th>link</th><th>from → to</th><th>heat flow</th></tr>" + "".join(rows) + "</table>"
    )


def _value(ds, name: str, i: int) -> float:
    return float(ds[name].values[i]) if name in ds else float("nan")


def _power(q: float) -> str:
    return "—" if not math.isfinite(q) else format_power(q)


class StageLoads(w.VBox):
    """Tables of a steady-state result: nodes (loads against capacity) and links (heat flows)."""

    def __init__(self) -> None:
        self.nodes = w.HTML("<i>Run a steady state to see stage loads.</i>")
        self.links = w.HTML()
        super().__init__(
            [w.HTML("<b>Stage loads</b>"), self.nodes, w.HTML("<b>Heat flows</b>"), self.links]
        )

    def show(self, ds) -> None:
        self.nodes.value = stage_table_html(ds)
        self.links.value = link_table_html(ds)


def _figure(x_label: str, y_label: str, *, x_log=False, y_log=False, title=""):
    sx = bq.LogScale() if x_log else bq.LinearScale()
    sy = bq.LogScale() if y_log else bq.LinearScale()
    ax = bq.Axis(scale=sx, label=x_label, grid_lines="dashed")
    ay = bq.Axis(scale=sy, label=y_label, orientation="vertical", grid_lines="dashed")
    fig = bq.Figure(
        axes=[ax, ay],
        marks=[],
        title=title,
        layout=w.Layout(**FIG_LAYOUT),
        fig_margin={"top": 40, "bottom": 50, "left": 70, "right": 20},
        legend_location="top-right",
    )
    fig.interaction = bq.interacts.PanZoom(scales={"x": [sx], "y": [sy]})
    return fig, sx, sy


class CooldownPlot(w.VBox):
    """Temperature of every stage against time (hours), log temperature axis, zoom and tooltips."""

    def __init__(self) -> None:
        self.figure, self.sx, self.sy = _figure(
            "time [h]", "temperature [K]", y_log=True, title="Cooldown"
        )
        self.note = w.HTML("<i>Run a cooldown to see the curves.</i>")
        super().__init__([self.note, self.figure])

    def show(self, ds) -> None:
        hours = np.asarray(ds["time"].values, dtype=float) / 3600.0
        marks = []
        for i, node in enumerate(ds["node"].values):
            T = np.asarray(ds["temperature"].values[:, i], dtype=float)
            marks.append(
                bq.Lines(
                    x=hours,
                    y=T,
                    scales={"x": self.sx, "y": self.sy},
                    colors=[PALETTE[i % len(PALETTE)]],
                    labels=[str(node)],
                    display_legend=True,
                    tooltip=bq.Tooltip(
                        fields=["x", "y"], labels=["t [h]", "T [K]"], formats=[".3g", ".4g"]
                    ),
                )
            )
        self.figure.marks = marks
        t_target = ds.attrs.get("time_to_target_s")
        self.note.value = (
            f"time to target: <b>{float(t_target) / 3600:.3g} h</b>"
            if t_target is not None and np.isfinite(float(t_target))
            else ""
        )


class LoadMapPlot(w.VBox):
    """Published capacity data of each cryocooler in the design with the solved operating point."""

    def __init__(self) -> None:
        self.picker = w.Dropdown(description="cooler", options=[])
        self.picker.observe(lambda _: self._draw(), "value")
        self.figure, self.sx, self.sy = _figure(
            "T first stage [K]", "T second stage [K]", title="Load map"
        )
        self.note = w.HTML(
            "<i>Add a cryocooler and run a steady state to see its operating point.</i>"
        )
        self._coolers: dict[str, dict] = {}
        self._temps: dict[str, float] = {}
        super().__init__([self.picker, self.note, self.figure])

    def show(self, design: dict, ds=None) -> None:
        self._coolers = {
            c["id"]: c for c in design.get("components", []) if c.get("type") == "cryocooler"
        }
        self._temps = (
            {
                str(n): float(t)
                for n, t in zip(ds["node"].values, ds["temperature"].values, strict=True)
            }
            if ds is not None
            else {}
        )
        keep = self.picker.value if self.picker.value in self._coolers else None
        self.picker.options = list(self._coolers)
        self.picker.value = keep or next(iter(self._coolers), None)
        self._draw()

    def _draw(self) -> None:
        cooler = self._coolers.get(self.picker.value)
        if cooler is None:
            self.figure.marks = []
            return
        model = cryocooler_models.get(cooler["model"])
        stages = [cooler.get("stages", {}).get(name) for name in model.stage_names]
        op = [self._temps.get(n) for n in stages]
        entry = model.entry
        if "capacity_map" in entry:
            cols = entry["capacity_map"]["columns"]
            data = np.array(entry["capacity_map"]["data"], dtype=float)
            q1, q2 = data[:, cols.index("Q1_W")], data[:, cols.index("Q2_W")]
            t1, t2 = data[:, cols.index("T1_K")], data[:, cols.index("T2_K")]
            self.figure.axes[0].label, self.figure.axes[1].label = (
                "T first stage [K]",
                "T second stage [K]",
            )
            marks = [
                bq.Scatter(
                    x=t1,
                    y=t2,
                    scales={"x": self.sx, "y": self.sy},
                    colors=["#1f77b4"],
                    names=[f"{a:g} W / {b:g} W" for a, b in zip(q1, q2, strict=True)],
                    display_names=False,
                    labels=["published map (Q1 / Q2)"],
                    tooltip=bq.Tooltip(fields=["name", "x", "y"], labels=["Q1 / Q2", "T1", "T2"]),
                )
            ]
            for q in np.unique(q1):
                sel = q1 == q
                order = np.argsort(q2[sel])
                marks.append(
                    bq.Lines(
                        x=t1[sel][order],
                        y=t2[sel][order],
                        scales={"x": self.sx, "y": self.sy},
                        colors=["#9ecae1"],
                    )
                )
            if None not in op:
                marks.append(
                    bq.Scatter(
                        x=[op[0]],
                        y=[op[1]],
                        scales={"x": self.sx, "y": self.sy},
                        colors=["#d62728"],
                        default_size=120,
                        marker="diamond",
                        labels=["operating point"],
                        display_legend=True,
                        tooltip=bq.Tooltip(fields=["x", "y"], labels=["T1 [K]", "T2 [K]"]),
                    )
                )
        elif "capacity_curve" in entry:
            data = np.array(entry["capacity_curve"]["data"], dtype=float)
            self.figure.axes[0].label, self.figure.axes[1].label = "T [K]", "capacity [W]"
            marks = [
                bq.Lines(
                    x=data[:, 0],
                    y=data[:, 1],
                    scales={"x": self.sx, "y": self.sy},
                    colors=["#1f77b4"],
                    marker="circle",
                    tooltip=bq.Tooltip(fields=["x", "y"], labels=["T [K]", "Q [W]"]),
                )
            ]
            if op[0] is not None:
                q_op = float(np.interp(op[0], data[:, 0], data[:, 1]))
                marks.append(
                    bq.Scatter(
                        x=[op[0]],
                        y=[q_op],
                        scales={"x": self.sx, "y": self.sy},
                        colors=["#d62728"],
                        default_size=120,
                        marker="diamond",
                    )
                )
        else:
            marks = []
        self.figure.marks = marks
        self.note.value = (
            f"{escape(model.name)}: {escape(model.map_kind)}. "
            f"<small>Source: {escape(model.source[:200])}</small>"
        )


class MaterialCurves(w.VBox):
    """k(T) and cp(T) of a material from ``solver.materials.curves`` (log-log, extrapolation marked)."""

    def __init__(self) -> None:
        ids = list(materials.ids())
        self.picker = w.Dropdown(description="material", options=ids, value=ids[0] if ids else None)
        self.k_fig, self.k_sx, self.k_sy = _figure(
            "T [K]", "k [W/(m K)]", x_log=True, y_log=True, title="Thermal conductivity"
        )
        self.cp_fig, self.cp_sx, self.cp_sy = _figure(
            "T [K]", "cp [J/(kg K)]", x_log=True, y_log=True, title="Specific heat"
        )
        for fig in (self.k_fig, self.cp_fig):
            fig.layout.width = "460px"
        self.picker.observe(lambda _: self.draw(), "value")
        super().__init__([self.picker, w.HBox([self.k_fig, self.cp_fig])])
        self.draw()

    def draw(self) -> None:
        if self.picker.value is None:
            return
        curves = materials.curves(self.picker.value)
        for prop, fig, sx, sy in (
            ("k", self.k_fig, self.k_sx, self.k_sy),
            ("cp", self.cp_fig, self.cp_sx, self.cp_sy),
        ):
            if prop not in curves:
                fig.marks = []
                fig.title = f"{prop}: no data for {self.picker.value}"
                continue
            T, v = np.asarray(curves[f"T_{prop}"]), np.asarray(curves[prop])
            extrap = np.asarray(curves.get(f"{prop}_extrapolated", np.zeros_like(T, dtype=bool)))
            tip = bq.Tooltip(fields=["x", "y"], labels=["T [K]", prop], formats=[".4g", ".4g"])
            marks = [
                bq.Lines(
                    x=T[~extrap],
                    y=v[~extrap],
                    scales={"x": sx, "y": sy},
                    colors=["#1f77b4"],
                    labels=["fit"],
                    display_legend=True,
                    tooltip=tip,
                )
            ]
            if extrap.any():
                marks.append(
                    bq.Lines(
                        x=T[extrap],
                        y=v[extrap],
                        scales={"x": sx, "y": sy},
                        colors=["#ff7f0e"],
                        line_style="dashed",
                        labels=["extrapolated"],
                        display_legend=True,
                        tooltip=tip,
                    )
                )
            fig.marks = marks
            fig.title = f"{'Thermal conductivity' if prop == 'k' else 'Specific heat'} of {curves.get('name', '')}"
