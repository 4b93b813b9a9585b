"""How a design looks: boxes, link paths, labels, result colours, painted through a painter.

The same scene is painted on the ipycanvas editor, into SVG (export, gallery
thumbnails) and into PNG (export). A painter has ``rect``, ``polyline``,
``polygon`` and ``text`` in world units (see :mod:`cryogen_widgets.designer.paint`).
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from dataclasses import dataclass, field

import numpy as np

from cryogen_widgets.designer.geometry import Rect, point_along, points_rect
from cryogen_widgets.designer.kinds import ATTACH, FLOW_KINDS, FLOW_LINES, KINDS
from cryogen_widgets.designer.model import DesignerModel
from cryogen_widgets.designer.schema import FLUID, FLUID_BOXES, FLUID_LINES
from cryogen_widgets.views import colors, units
from solver import elements

_FLUID = {FLUID + k: v for k, v in (FLOW_KINDS | FLOW_LINES).items()}
KIND_FILL = {k: v.colour for k, v in KINDS.items() if k in elements.COMPONENTS} | {
    k: _FLUID[k].colour for k in FLUID_BOXES
}
LINK_STROKE = {k: v.colour for k, v in KINDS.items() if k in elements.LINKS} | {
    "attach": ATTACH.colour
}
#: Lines of the fluid network: its elements, an exchanger's two streams, pipe walls.
FLUID_STROKE = {k: _FLUID[k].colour for k in FLUID_LINES} | {
    FLUID + k: v.colour for k, v in FLOW_LINES.items()
}
SYMBOL = {k: v.symbol for k, v in _FLUID.items() if v.symbol}
DASHED = {
    k: v.dash
    for k, v in [*KINDS.items(), ("attach", ATTACH), *_FLUID.items()]
    if v.dash is not None
}
FLUID_WIDTH = 3.0  # fluid lines are drawn heavier than heat links
LIQUID = "#7fbfe0"  # the liquid in a separator's outline
SELECTED = "#1f77b4"
INVALID = "#d62728"
LABEL_PAD = 14.0
PROBLEM_OVERHANG = 50.0  # the problem line under an invalid box may be this much wider on each side
COLOUR_BAR_W = 16.0
COLOUR_BAR_ROOM = 70.0  # world units right of a drawing for its colour bar and tick labels


@dataclass
class Results:
    """What a finished run paints on the drawing: node temperatures and link heat flows."""

    temperature_K: dict[str, float] = field(default_factory=dict)
    heat_flow_W: dict[str, float] = field(default_factory=dict)
    colormap: str = "inferno"
    flow_label: dict[str, str] = field(default_factory=dict)
    """Label of each fluid element: its mass flow (a design with ``flow``)."""

    @property
    def range_K(self) -> tuple[float, float]:
        values = [t for t in self.temperature_K.values() if math.isfinite(t) and t > 0]
        if not values:
            return 1.0, 300.0
        lo, hi = min(values), max(values)
        if hi < lo * 1.001:  # one temperature everywhere: give the colour bar some span
            lo, hi = lo / 1.1, hi * 1.1
        return lo, hi

    def colour(self, node: str):
        t = self.temperature_K.get(node)
        if t is None or not math.isfinite(t):
            return None
        lo, hi = self.range_K
        return colors.to_rgb([t], lo, hi, self.colormap, log=True)[0]

    @classmethod
    def from_dataset(cls, ds, colormap: str = "inferno") -> Results:
        """Read ``temperature(node)`` and ``heat_flow(link)`` of a steady-state Dataset."""
        temps = {
            str(n): float(t)
            for n, t in zip(ds["node"].values, ds["temperature"].values, strict=True)
        }
        flows = {}
        if "heat_flow" in ds and "link" in ds.coords:
            flows = {
                str(n): float(q)
                for n, q in zip(ds["link"].values, ds["heat_flow"].values, strict=True)
            }
        labels = {}
        if "fluid_node" in ds.coords:  # fluid points (not pipes' interior points) and streams
            for n, t in zip(ds["fluid_node"].values, ds["fluid_temperature"].values, strict=True):
                if ":" not in str(n):
                    temps[str(n)] = float(t)
            for s, m in zip(ds["stream"].values, ds["mass_flow"].values, strict=True):
                labels[str(s)] = units.si(float(m) * 1e3, "g/s")
        return cls(temps, flows, colormap, labels)


def summary(item: dict, kind: str | None = None) -> str:
    """Second line of a box: its key value."""
    kind = kind or item.get("type")
    if kind in FLUID_BOXES:
        return _fluid_summary(item, kind.removeprefix(FLUID))
    if kind == "boundary":
        return f"{_num(item.get('temperature_K'))} K"
    if kind == "stage":
        return str(item.get("material", ""))
    if kind in ("heat_load", "constant_cooler"):
        return f"{_num(item.get('power_W'))} W"
    if kind == "cryocooler":
        return str(item.get("model", ""))
    if kind == "dilution_unit":
        return f"{_num(item.get('flow_mol_s'))} mol/s"
    if kind == "magnet":
        return "coil"
    return str(kind)


def _fluid_summary(item: dict, kind: str) -> str:
    state = []
    if isinstance(item.get("mass_flow_kg_s"), int | float):
        state.append(f"{_num(item['mass_flow_kg_s'] * 1e3)} g/s")
    if isinstance(item.get("pressure_Pa"), int | float):
        state.append(f"{_num(item['pressure_Pa'] / 1e5)} bar")
    if "temperature_K" in item:
        state.append(f"{_num(item['temperature_K'])} K")
    if "quality" in item:
        state.append(f"x {_num(item['quality'])}")
    if kind == "bath":  # a separator at saturation
        return ", ".join(state) + " sat."
    if item.get("separator") is True:
        return "separator"
    if kind == "counterflow_hx":
        ua = item.get("UA_W_K")
        return f"UA {_num(ua)} W/K" if ua is not None else f"{_num(item.get('length_m'))} m tubes"
    return ", ".join(state) or kind


def _num(v) -> str:
    return f"{v:g}" if isinstance(v, int | float) else "?"


def component_bbox(r: Rect) -> Rect:
    """What a box may paint: its outline and the problem line under it."""
    return Rect(r.x - PROBLEM_OVERHANG, r.y - 4, r.w + 2 * PROBLEM_OVERHANG, r.h + 22)


def connection_bbox(points) -> Rect:
    return points_rect(points, pad=LABEL_PAD + 30)


def draw_component(
    p,
    item: dict,
    r: Rect,
    *,
    selected=False,
    invalid=False,
    results=None,
    problem: str = "",
    kind: str | None = None,
) -> None:
    """A box: a component, or a fluid point or exchanger (``kind`` ``fluid:…``) in its outline."""
    kind = kind or item.get("type", "")
    fill, ink = KIND_FILL.get(kind, "#eeeeee"), "#111111"
    second = summary(item, kind)
    if results is not None and item["id"] in results.temperature_K:
        rgb = results.colour(item["id"])
        if rgb is not None:
            fill, ink = colors.css(rgb), colors.text_colour_on(rgb)
        second = units.temperature(results.temperature_K[item["id"]])
    stroke, width, dash = "#333333", 1.0, None
    if invalid:
        stroke, width, dash = INVALID, 3.0, (5, 3)
    if selected:
        stroke, width = SELECTED, 3.0
    symbol = "vessel" if item.get("separator") is True else SYMBOL.get(kind)
    outline = _outline(symbol, r)
    if outline is None:
        p.rect(r.x, r.y, r.w, r.h, fill=fill, stroke=stroke, width=width, dash=dash)
    else:
        p.polygon(outline, fill=fill)
        _fluid_details(p, symbol, r)
        p.polyline([*outline, outline[0]], stroke=stroke, width=width, dash=dash)
    cx, cy = r.center
    p.text(cx, cy - 7, _fit(item["id"], r.w), ink, size=12, bold=True)
    p.text(cx, cy + 10, _fit(second, r.w), ink, size=10)
    if problem:
        p.text(
            cx,
            r.y2 + 9,
            _fit(problem, r.w + 2 * PROBLEM_OVERHANG, char_w=5.6),
            INVALID,
            size=10,
            halo=True,
        )


def _outline(symbol: str | None, r: Rect) -> list[tuple[float, float]] | None:
    """The outline of a fluid box (None: a plain rectangle)."""
    x, y, x2, y2 = r.x, r.y, r.x2, r.y2
    cy, tip, cut = (y + y2) / 2, 14.0, 10.0
    if symbol in ("junction", "vessel"):  # a chamfered box (a vessel adds its liquid)
        return [
            (x + cut, y),
            (x2 - cut, y),
            (x2, y + cut),
            (x2, y2 - cut),
            (x2 - cut, y2),
            (x + cut, y2),
            (x, y2 - cut),
            (x, y + cut),
        ]
    if symbol == "inlet":  # an arrow into the network
        return [(x, y), (x2 - tip, y), (x2, cy), (x2 - tip, y2), (x, y2)]
    if symbol == "outlet":  # an arrow leaving it, notched behind
        return [(x, y), (x2 - tip, y), (x2, cy), (x2 - tip, y2), (x, y2), (x + tip, cy)]
    return None


def _fluid_details(p, symbol: str, r: Rect) -> None:
    """What sets a fluid box apart inside its outline: a separator's liquid, an exchanger's
    two opposed streams."""
    if symbol == "vessel":
        level = r.y2 - 0.3 * r.h
        p.polygon(
            [(r.x + 3, level), (r.x2 - 3, level), (r.x2 - 10, r.y2 - 2), (r.x + 10, r.y2 - 2)],
            fill=LIQUID,
        )
    elif symbol == "exchanger":
        for y, colour, forward in ((r.y + 5, "#d62728", True), (r.y2 - 5, "#1f77b4", False)):
            a, b = (r.x + 12, y), (r.x2 - 12, y)
            a, b = (a, b) if forward else (b, a)
            p.polyline([a, b], stroke=colour, width=1.5)
            p.polygon(_arrow(a, b, 6.0), fill=colour)


def draw_connection(
    p, kind: str, points, *, label: str = "", selected=False, invalid=False, label_at: float = 0.5
) -> None:
    fluid = kind.startswith(FLUID)
    colour = FLUID_STROKE.get(kind) if fluid else LINK_STROKE.get(kind)
    stroke = INVALID if invalid else (colour or "#444444")
    width = 3.0 if selected else (1.5 if kind in ("attach", FLUID + "wall") else 2.0)
    if kind in FLUID_LINES:
        width += 1.0
    if selected:
        p.polyline(points, stroke=SELECTED, width=6.0, alpha=0.35)
    p.polyline(points, stroke=stroke, width=width, dash=DASHED.get(kind))
    if kind not in ("attach", FLUID + "wall") and len(points) >= 2:
        p.polygon(_arrow(points[-2], points[-1]), fill=stroke)
    mx, my = point_along(points, label_at)
    symbol = SYMBOL.get(kind)
    if symbol is not None:  # over the line, after the batched lines are sent
        p.later(lambda: _element_symbol(p, symbol, (mx, my), stroke))
    if label:
        p.text(mx, my - (18 if symbol else 6), label, "#000000", size=11, bold=True, halo=True)


def _element_symbol(p, symbol: str, at: tuple[float, float], stroke: str) -> None:
    """A valve's bow tie (with "JT" for a Joule–Thomson valve) or a circulator's circle, in
    the middle of the element's line."""
    x, y = at
    s = 8.0
    if symbol in ("valve", "jt"):
        for side in (-1, 1):
            tri = [(x, y), (x + side * s, y - s), (x + side * s, y + s)]
            p.polygon(tri, fill="#ffffff")
            p.polyline([*tri, tri[0]], stroke=stroke, width=1.5)
        if symbol == "jt":
            p.text(x, y + s + 7, "JT", stroke, size=10, bold=True, halo=True)
    elif symbol == "pump":
        circle = [
            (x + 1.2 * s * math.cos(a), y + 1.2 * s * math.sin(a))
            for a in (2 * math.pi * k / 20 for k in range(20))
        ]
        p.polygon(circle, fill="#ffffff")
        p.polyline([*circle, circle[0]], stroke=stroke, width=1.5)
        p.polygon([(x - 5, y - 6), (x + 7, y), (x - 5, y + 6)], fill=stroke)


def draw_design(p, model: DesignerModel, results: Results | None = None) -> Rect:
    """Paint the whole design (for export and thumbnails); returns the drawn extent.

    Each item is painted inside ``p.item(id)`` when the painter groups items (SVG)."""
    extent = None
    for cid, (kind, a, b) in model.connections().items():
        points = model.route_of(cid, (a, b))
        if points:
            with _item(p, cid):
                draw_connection(
                    p,
                    kind,
                    points,
                    label=connection_label(model, cid, (kind, a, b), results),
                    label_at=label_fraction(model, cid),
                )
            extent = _grow(extent, points_rect(points))
    for box in model.boxes():
        r = model.rect(box)
        with _item(p, box):
            draw_component(
                p,
                model.items[box],
                r,
                results=results,
                invalid=box in model.problems,
                problem=first_problem(model, box),
                kind=model.kind(box),
            )
        extent = _grow(extent, r)
    return extent or Rect(0, 0, 100, 100)


def _item(p, item_id: str):
    group = getattr(p, "item", None)
    return group(item_id) if group is not None else nullcontext()


def draw_colour_bar(
    p,
    results: Results,
    x: float,
    top: float,
    height: float,
    *,
    width: float = COLOUR_BAR_W,
    size: float = 11.0,
    bands: int = 96,
) -> None:
    """The temperature key of the node colours: a vertical bar, hottest at the top, with
    1-2-5 ticks on its log scale labelled with SI prefixes (mK below 1 K)."""
    lo, hi = results.range_K
    values = np.geomspace(hi, lo, bands) if hi > lo else np.full(bands, lo)
    step = height / bands
    for i, rgb in enumerate(colors.to_rgb(values, lo, hi, results.colormap, log=True)):
        # each band overlaps the next by a quarter step so no seam shows between them
        p.rect(
            x, top + i * step, width, step * (1.25 if i < bands - 1 else 1.0), fill=colors.css(rgb)
        )
    p.rect(x, top, width, height, stroke="#333333", width=max(0.08 * size, 0.2))
    p.text(x, top - 0.9 * size, "T", "#111111", size=size, bold=True, align="left")
    span = math.log(hi) - math.log(lo) if hi > lo else 0.0
    for t in colors.nice_ticks(lo, hi, log=True):
        frac = 0.5 if span == 0 else (math.log(hi) - math.log(t)) / span
        p.text(
            x + width + 0.35 * size,
            top + frac * height,
            units.temperature(t),
            "#111111",
            size=size,
            align="left",
        )


def link_kind_name(kind: str) -> str:
    """A connection kind as the legend names it ("source → stage" for an attachment)."""
    return "source → stage" if kind == "attach" else kind.replace("_", " ")


def legend_entries(kinds=None) -> list[tuple[str, str, tuple[int, int] | None]]:
    """(name, colour, dash) of each connection kind, in palette order; all kinds by default."""
    return [
        (link_kind_name(kind), colour, DASHED.get(kind))
        for kind, colour in LINK_STROKE.items()
        if kinds is None or kind in kinds
    ]


def drawing_extent(model: DesignerModel) -> Rect:
    """What :func:`draw_design` paints, with room for labels: every box and every routed link."""
    extent = design_extent(model)
    for cid, (_kind, a, b) in model.connections().items():
        points = model.route_of(cid, (a, b))
        if points:
            extent = extent.union(points_rect(points).inflate(LABEL_PAD))
    return extent


def _shows_temperatures(results: Results | None) -> bool:
    return results is not None and bool(results.temperature_K)


def keyed_extent(model: DesignerModel, results: Results | None = None) -> Rect:
    """What :func:`draw_design_with_key` paints: the drawing and room for its colour bar."""
    extent = drawing_extent(model)
    if not _shows_temperatures(results):
        return extent
    return Rect(extent.x, extent.y, extent.w + COLOUR_BAR_ROOM, max(extent.h, 180.0))


def draw_design_with_key(p, model: DesignerModel, results: Results | None = None) -> None:
    """The design and, when it shows results, the temperature colour bar at its right
    (what the PNG and SVG exports write; :func:`keyed_extent` is its extent)."""
    draw_design(p, model, results)
    if _shows_temperatures(results):
        extent = keyed_extent(model, results)
        x = extent.x2 - COLOUR_BAR_ROOM + 8.0
        draw_colour_bar(p, results, x, extent.y + 30.0, extent.h - 60.0)


def first_problem(model: DesignerModel, item_id: str) -> str:
    """The first problem of an item, shown under its box."""
    found = model.problems.get(item_id)
    return found[0] if found else ""


def link_label(link_id: str, results: Results | None) -> str:
    if results is not None and link_id in results.flow_label:
        return results.flow_label[link_id]
    if results is None or link_id not in results.heat_flow_W:
        return ""
    return units.power(results.heat_flow_W[link_id])


def connection_label(
    model: DesignerModel, conn_id: str, ends: tuple[str, str, str], results: Results | None
) -> str:
    """A link's heat flow; on a cryocooler's dashed line, the cooler stage it stands for.

    ``ends`` is the connection's (kind, from, to) as :meth:`DesignerModel.connections` gives it.
    """
    kind, source, node = ends
    if kind == "attach":
        stages = model.items[source].get("stages") or {}
        return next((f"{name} stage" for name, n in stages.items() if n == node), "")
    return link_label(conn_id, results)


def design_extent(model: DesignerModel) -> Rect:
    extent = None
    for box in model.boxes():
        extent = _grow(extent, model.rect(box))
    return (extent or Rect(0, 0, 400, 300)).inflate(30)


def _grow(extent: Rect | None, r: Rect) -> Rect:
    return r if extent is None else extent.union(r)


def _fit(text: str, width: float, char_w: float = 6.6) -> str:
    n = max(3, int((width - 8) / char_w))
    return text if len(text) <= n else text[: n - 1] + "…"


def label_fraction(model: DesignerModel, conn_id: str) -> float:
    """Where along its path a link's label sits, staggered for parallel links."""
    lane, lanes = model.lane_of(conn_id)
    return 0.5 + (lane - (lanes - 1) / 2) * (0.6 / max(lanes, 2))


def _arrow(a, b, size: float = 8.0):
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy) or 1.0
    ux, uy = dx / n, dy / n
    return [
        b,
        (b[0] - size * ux - size * 0.5 * uy, b[1] - size * uy + size * 0.5 * ux),
        (b[0] - size * ux + size * 0.5 * uy, b[1] - size * uy - size * 0.5 * ux),
    ]
