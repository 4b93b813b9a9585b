"""Result views: stage-load table, cooldown curves, cryocooler load maps, material curves.

They render solver Datasets and the solver's own models (cooler capacity, material
fits); nothing here computes a result.
"""

from __future__ import annotations

import math
from html import escape

import bqplot as bq
import ipywidgets as w
import numpy as np

from cryogen_widgets.views import plots, units
from cryogen_widgets.views.freshness import StaleBanner
from cryogen_widgets.views.plots import PALETTE
from solver import cryocoolers
from solver.errors import CryoGenError


def stage_table_html(ds) -> str:
    """HTML table of node temperatures, stage loads, capacity at max_K and margin (red where over)."""
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
            f"<td>{units.temperature(T)}</td><td>{units.power(load)}</td>"
            f"<td>{units.power(cap)}</td><td>{units.power(margin)}</td></tr>"
        )
    head = (
        "<tr><th>node</th><th>temperature</th><th>load</th>"
        "<th title='load the stage can carry before it reaches its max_K (load + margin)'>"
        "capacity at max_K</th>"
        "<th title='extra heat the stage takes, other loads as they are, until it reaches its "
        "max_K'>margin</th></tr>"
    )
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
            f"<td>{units.power(q)}</td></tr>"
        )
    return (
        "<table class='cryogen-heat-flows' style='border-collapse:collapse' border='1' cellpadding='4'>"
        "<tr><th>link</th><th>from → to</th><th>heat flow</th></tr>" + "".join(rows) + "</table>"
    )


def _value(ds, name: str, i: int) -> float:
    return float(ds[name].values[i]) if name in ds else float("nan")


class StageLoads(w.VBox):
    """Tables of a steady-state result: nodes (loads against capacity) and links (heat flows)."""

    EMPTY = "<i>Run a steady state to see stage loads.</i>"

    def __init__(self) -> None:
        self.banner = StaleBanner("steady state")
        self.nodes = w.HTML(self.EMPTY)
        self.links = w.HTML()
        super().__init__(
            [
                self.banner,
                w.HTML("<b>Stage loads</b>"),
                self.nodes,
                w.HTML("<b>Heat flows</b>"),
                self.links,
            ]
        )

    def show(self, ds) -> None:
        self.nodes.value = stage_table_html(ds)
        self.links.value = link_table_html(ds)

    def clear(self) -> None:
        self.nodes.value = self.EMPTY
        self.links.value = ""


class CooldownPlot(w.VBox):
    """Temperature of every stage against time (hours), log temperature axis, zoom and tooltips;
    with a dilution refrigerator's mixture charge, dashed markers where its condensing and its
    circulation start and, below, the fraction condensed on the same (shared) time axis."""

    EMPTY = "<i>Run a cooldown to see the curves.</i>"
    EVENTS = (
        ("condensing_starts_s", "condensing starts"),
        ("circulation_starts_s", "circulation starts"),
    )
    """The mixture-charge times marked on the curves, and their labels."""

    def __init__(self) -> None:
        self.banner = StaleBanner("cooldown")
        self.figure, self.sx, self.sy = plots.figure(
            "time", "h", "temperature", "K", y_log=True, title="Cooldown"
        )
        self.figure.legend_location = "bottom-left"  # the curves start high and fall late
        self.note = w.HTML(self.EMPTY)
        self.charge_figure, _, self.cy = plots.figure(
            "time",
            "h",
            "condensed",
            "fraction",
            title="Mixture charge condensed",
            layout={
                **plots.FIG_LAYOUT,
                "height": "22vh",
                "min_height": "180px",
                "max_height": "240px",
            },
        )
        self.charge_figure.axes[0].scale = self.sx  # zooming either figure zooms both in time
        self.charge_figure.interaction = bq.interacts.PanZoom(scales={"x": [self.sx]})
        self.charge_figure.legend_location = "bottom-right"
        self.cy.min, self.cy.max = 0.0, 1.05
        self.charge_figure.axes[1].tick_values = np.array([0.0, 0.5, 1.0])
        self.markers: list[bq.Lines] = []  # the charge's event markers on the temperature figure
        # the charge figure is in the page only with a charge: a hidden bqplot figure lays
        # itself out at width zero and logs "negative width" errors
        super().__init__([self.banner, self.note, self.figure])

    def _show_charge_figure(self, shown: bool) -> None:
        self.children = [self.banner, self.note, self.figure] + (
            [self.charge_figure] if shown else []
        )

    def clear(self) -> None:
        self.figure.marks = []
        self.charge_figure.marks = []
        self.markers = []
        self._show_charge_figure(False)
        self.note.value = self.EMPTY

    def show(self, ds) -> None:
        hours = np.asarray(ds["time"].values, dtype=float) / 3600.0
        temps = np.asarray(ds["temperature"].values, dtype=float)
        marks = []
        for i, node in enumerate(ds["node"].values):
            marks.append(
                bq.Lines(
                    x=hours,
                    y=temps[:, i],
                    scales={"x": self.sx, "y": self.sy},
                    colors=[PALETTE[i % len(PALETTE)]],
                    labels=[str(node)],
                    display_legend=True,
                    tooltip=bq.Tooltip(
                        fields=["x", "y"], labels=["t [h]", "T [K]"], formats=[".3g", ".4g"]
                    ),
                )
            )
        plots.set_domain(self.sx, [0.0, hours.max() if hours.size else 1.0], pad=0.0)
        plots.set_domain(self.sy, temps)
        plots.log_axis_ticks(self.figure, self.sy)
        from solver.thermal.mixture_charge import charge_summary  # after a cooldown, not at start

        charges = charge_summary(ds)
        self.markers = self._event_marks(charges, self.sy, labelled=True)
        self.figure.marks = marks + self.markers
        self._show_fractions(hours, charges)
        self.note.value = "<br>".join(
            filter(None, [time_to_target_html(ds), *(charge_html(c) for c in charges)])
        )

    def _event_marks(self, charges: list[dict], sy, *, labelled: bool) -> list:
        """Dashed vertical lines (and, if ``labelled``, their names) at each charge's times."""
        marks: list = []
        for k, c in enumerate(charges):
            for (key, what), dash in zip(self.EVENTS, ("dashed", "dash_dotted"), strict=True):
                t = c[key] / 3600.0
                if not np.isfinite(t):
                    continue
                name = f"{c['fridge']} {what}"
                ink = "#555555" if len(charges) == 1 else PALETTE[k % len(PALETTE)]
                marks.append(
                    bq.Lines(
                        x=[t, t],
                        y=[sy.min, sy.max],
                        scales={"x": self.sx, "y": sy},
                        colors=[ink],
                        line_style=dash,
                        labels=[name],
                        tooltip=bq.Tooltip(fields=["x"], labels=[name + " [h]"], formats=[".4g"]),
                    )
                )
                if labelled:  # beside the line, on the side with room, staggered by event
                    right = t > 0.6 * (self.sx.max or 1.0)
                    marks.append(
                        bq.Label(
                            x=[t],
                            y=[sy.max],
                            scales={"x": self.sx, "y": sy},
                            text=[name],
                            colors=[ink],
                            default_size=11,
                            align="end" if right else "start",
                            x_offset=-5 if right else 5,
                            y_offset=14 + 16 * (len(marks) // 2 % 4),
                        )
                    )
        return marks

    def _show_fractions(self, hours: np.ndarray, charges: list[dict]) -> None:
        """The condensed fraction of each charge under the curves (hidden without a charge)."""
        self._show_charge_figure(bool(charges))
        self.charge_figure.marks = [
            bq.Lines(
                x=hours,
                y=c["condensed_fraction"],
                scales={"x": self.sx, "y": self.cy},
                colors=[PALETTE[k % len(PALETTE)]],
                labels=[c["fridge"]],
                display_legend=True,
                tooltip=bq.Tooltip(
                    fields=["x", "y"], labels=["t [h]", "condensed"], formats=[".3g", ".3f"]
                ),
            )
            for k, c in enumerate(charges)
        ] + self._event_marks(charges, self.cy, labelled=False)


def charge_html(c: dict) -> str:
    """ "dr mixture charge: condensing from 1.2 h, circulating from 2.0 h, 3.1 kJ to the stages"."""
    when = [_hours_or_seconds(c[key]) for key, _ in CooldownPlot.EVENTS]
    return (
        f"<b>{escape(c['fridge'])}</b> mixture charge: condensing from <b>{when[0]}</b>, "
        f"circulating from <b>{when[1]}</b>, {c['condensed_fraction'][-1]:.1%} condensed, "
        f"{units.si(c['charge_energy_J'], 'J')} to the stages"
    )


def _hours_or_seconds(t: float) -> str:
    """A time of ``t`` s as "0.868 h", below 36 s with an SI prefix ("9.26 ms"); "not reached"
    for NaN."""
    if not np.isfinite(t):
        return "not reached"
    return f"{t / 3600:.3g} h" if t >= 36.0 else units.si(t, "s")


def time_to_target_html(ds) -> str:
    """ "time to reach 4 K at plate: 12.6 h", naming the target and the node."""
    t = ds.attrs.get("time_to_target_s")
    if t is None or not np.isfinite(float(t)):
        return ""
    target = ds.attrs.get("target_K")
    node = escape(str(ds.attrs.get("target_node", "")))
    what = (
        f"{units.temperature(float(target))} at <b>{node}</b>"
        if target is not None and np.isfinite(float(target))
        else f"steady state (within 1 mK) at <b>{node}</b>"
    )
    return f"time to reach {what}: <b>{float(t) / 3600:.3g} h</b>"


class LoadMapPlot(w.VBox):
    """Each cryocooler's capacity model (published points and the model's lines) with the
    solved operating point."""

    EMPTY = "<i>Add a cryocooler and run a steady state to see its operating point.</i>"

    def __init__(self) -> None:
        self.banner = StaleBanner("steady state")
        self.picker = w.Dropdown(description="cooler", options=[])
        self.picker.observe(lambda _: self._draw(), "value")
        self.figure, self.sx, self.sy = plots.figure(
            "T first stage", "K", "T second stage", "K", title="Load map"
        )
        self.figure.fig_margin = {**plots.MARGIN, "right": 90}  # room for the line labels
        self.note = w.HTML(self.EMPTY)
        self._coolers: dict[str, dict] = {}
        self._temps: dict[str, float] = {}
        super().__init__([self.banner, self.picker, self.note, self.figure])

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
            self.note.value = self.EMPTY
            return
        try:
            model = cryocoolers.get(cooler["model"])
        except CryoGenError as exc:
            self.figure.marks = []
            self.note.value = f"<span style='color:#d62728'>{escape(str(exc))}</span>"
            return
        stages = [cooler.get("stages", {}).get(name) for name in model.stage_names]
        op = [self._temps.get(n) if n else None for n in stages]
        marks = (
            self._two_stage_marks(model, op)
            if len(model.stage_names) == 2
            else self._single_stage_marks(model, op[0])
        )
        self.figure.marks = marks
        self.note.value = (
            f"{escape(model.name)}: {escape(model.map_kind)}. "
            f"<small>Source: {escape(_shorten(model.source, 200))}</small>"
        )

    def _two_stage_marks(self, model, op) -> list:
        pts = model.published_points()
        q1, q2, t1, t2 = pts["Q1_W"], pts["Q2_W"], pts["T1_K"], pts["T2_K"]
        self.figure.axes[0].label = "T first stage [K]"
        self.figure.axes[1].label = "T second stage [K]"
        marks = []
        # the model's own lines of constant load through each published group of points,
        # drawn over the other stage's published range and labelled at their end
        for k, (fixed, free, name, colour) in enumerate(
            ((q1, q2, "Q1", None), (q2, q1, "Q2", "#9a9a9a"))
        ):
            for j, group in enumerate(load_groups(fixed)):
                sel = np.isin(fixed, group)
                lo, hi = float(free[sel].min()), float(free[sel].max())
                if hi <= lo:
                    continue
                q = float(np.mean(group))
                sweep = np.linspace(lo, hi, 30)
                loads = np.column_stack([np.full_like(sweep, q), sweep])
                t = model.temperatures_at_loads(loads if k == 0 else loads[:, ::-1])
                ink = colour or PALETTE[j % len(PALETTE)]
                marks.append(
                    bq.Lines(
                        x=t[:, 0],
                        y=t[:, 1],
                        scales={"x": self.sx, "y": self.sy},
                        colors=[ink],
                        stroke_width=2 if k == 0 else 1,
                    )
                )
                marks.append(
                    bq.Label(
                        x=[float(t[-1, 0])],
                        y=[float(t[-1, 1])],
                        scales={"x": self.sx, "y": self.sy},
                        text=[f"{name} {units.power(q)}"],
                        colors=[ink],
                        default_size=11,
                        x_offset=4,
                        # neighbouring Q1 lines end close together: stagger their labels
                        y_offset=-4 - 13 * (j % 2) if k == 0 else 4,
                    )
                )
        marks.append(
            bq.Scatter(
                x=t1,
                y=t2,
                scales={"x": self.sx, "y": self.sy},
                colors=["#333333"],
                default_size=24,
                names=[f"{a:g} W / {b:g} W" for a, b in zip(q1, q2, strict=True)],
                display_names=False,
                labels=["published points"],
                display_legend=True,
                tooltip=bq.Tooltip(fields=["name", "x", "y"], labels=["Q1 / Q2", "T1", "T2"]),
            )
        )
        xs, ys = [t1], [t2]
        if None not in op:
            marks.append(_operating_point(op[0], op[1], self.sx, self.sy, ("T1 [K]", "T2 [K]")))
            xs.append([op[0]])
            ys.append([op[1]])
        plots.set_domain(self.sx, np.concatenate(xs))
        plots.set_domain(self.sy, np.concatenate(ys))
        return marks

    def _single_stage_marks(self, model, t_op) -> list:
        pts = model.published_points()
        self.figure.axes[0].label, self.figure.axes[1].label = "T [K]", "capacity [W]"
        T = np.linspace(pts["T_K"].min(), pts["T_K"].max(), 100)
        marks = [
            bq.Lines(
                x=T,
                y=model.capacity_curve(T),
                scales={"x": self.sx, "y": self.sy},
                colors=["#1f77b4"],
                labels=["capacity model"],
                display_legend=True,
            ),
            bq.Scatter(
                x=pts["T_K"],
                y=pts["Q_W"],
                scales={"x": self.sx, "y": self.sy},
                colors=["#333333"],
                default_size=24,
                labels=["published points"],
                display_legend=True,
                tooltip=bq.Tooltip(fields=["x", "y"], labels=["T [K]", "Q [W]"]),
            ),
        ]
        xs, ys = [pts["T_K"]], [pts["Q_W"], [0.0]]
        if t_op is not None:
            q_op = float(model.capacity_curve([t_op])[0])
            marks.append(_operating_point(t_op, q_op, self.sx, self.sy, ("T [K]", "Q [W]")))
            xs.append([t_op])
            ys.append([q_op])
        plots.set_domain(self.sx, np.concatenate(xs))
        plots.set_domain(self.sy, np.concatenate(ys))
        return marks

    def clear(self) -> None:
        self._temps = {}
        self._draw()


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


def _operating_point(x, y, sx, sy, labels):
    return bq.Scatter(
        x=[x],
        y=[y],
        scales={"x": sx, "y": sy},
        colors=["#d62728"],
        default_size=120,
        marker="diamond",
        labels=["operating point"],
        display_legend=True,
        tooltip=bq.Tooltip(fields=["x", "y"], labels=list(labels)),
    )


def load_groups(values, rel: float = 0.03) -> list[list[float]]:
    """Published loads grouped where they differ by less than ``rel`` of the largest
    (a map lists 10 W and 10.1 W as one line of points)."""
    v = np.unique(np.asarray(values, dtype=float))
    tol = rel * max(float(np.abs(v).max()), 1e-12)
    groups: list[list[float]] = [[float(v[0])]]
    for x in v[1:]:
        if x - groups[-1][-1] <= tol:
            groups[-1].append(float(x))
        else:
            groups.append([float(x)])
    return groups


def runs_of(mask: np.ndarray) -> list[tuple[int, int, bool]]:
    """Contiguous runs of equal values of a boolean array: (start, stop, value), stop exclusive."""
    out, start = [], 0
    for i in range(1, len(mask) + 1):
        if i == len(mask) or mask[i] != mask[start]:
            out.append((start, i, bool(mask[start])))
            start = i
    return out


class MaterialCurves(w.VBox):
    """k(T) and cp(T) of a material from ``solver.materials.curves`` (log-log, extrapolation marked).

    The material list is filled by :meth:`fill` when the view is first shown: the library
    (its fits and their compiled tables) is then loaded, not with the app.
    """

    def __init__(self) -> None:
        self.picker = w.Dropdown(description="material", options=[], value=None)
        self.k_fig, self.k_sx, self.k_sy = plots.figure(
            "T",
            "K",
            "k",
            "W/(m K)",
            x_log=True,
            y_log=True,
            title="Thermal conductivity",
            layout=plots.SIDE_BY_SIDE,
        )
        self.cp_fig, self.cp_sx, self.cp_sy = plots.figure(
            "T",
            "K",
            "cp",
            "J/(kg K)",
            x_log=True,
            y_log=True,
            title="Specific heat",
            layout=plots.SIDE_BY_SIDE,
        )
        self.picker.observe(lambda _: self.draw(), "value")
        self.name = w.HTML()
        super().__init__([self.picker, self.name, plots.row([self.k_fig, self.cp_fig])])

    def fill(self) -> None:
        """List the library's materials (once) and draw the first."""
        if not self.picker.options:
            from solver import materials

            ids = list(materials.ids())
            self.picker.options = ids
            self.picker.value = ids[0] if ids else None  # draws through the observer

    def draw(self) -> None:
        if self.picker.value is None:
            return
        from solver import materials

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
            marks = []
            for start, stop, extrapolated in runs_of(extrap):
                sl = slice(start, stop + 1)  # shares its last point with the next segment
                where = "below" if start == 0 and stop < len(T) else "above"
                label = f"extrapolated {where} the fit" if extrapolated else "fit (published range)"
                marks.append(
                    bq.Lines(
                        x=T[sl],
                        y=v[sl],
                        scales={"x": sx, "y": sy},
                        colors=["#ff7f0e" if extrapolated else "#1f77b4"],
                        line_style="dashed" if extrapolated else "solid",
                        labels=[label],
                        tooltip=tip,
                    )
                )
            plots.set_domain(sx, T)
            plots.set_domain(sy, v)
            plots.log_axis_ticks(fig, sx)
            plots.log_axis_ticks(fig, sy)
            fig.marks = marks
            fig.title = "Thermal conductivity" if prop == "k" else "Specific heat"
        self.name.value = (
            f"<b>{escape(str(curves.get('name', '')))}</b> · solid blue: the published fit over "
            "its range; dashed orange: extrapolated below or above it (flagged in results)"
        )
