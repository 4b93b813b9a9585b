"""The editor's model: a design dict with its layout, the selection, undo/redo and link routes.

It knows nothing of drawing. Every edit goes through a method here, records an
undo snapshot and tells its listeners which item ids changed, so the view can
redraw only those.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cryogen_widgets.designer import schema
from cryogen_widgets.designer.geometry import (
    Rect,
    SpatialIndex,
    box_rect,
    point_along,
    segment_hits_rect,
    snap,
)
from cryogen_widgets.designer.routing import route
from solver.errors import CryoGenError

SCHEMA = "cryogen/design@1"
UNDO_DEPTH = 200
PASTE_OFFSET = 40.0
LANE_GAP = 16.0  # world units between parallel links joining the same two components


@dataclass
class Change:
    """What an edit touched: item ids (components, links, attachments), and whether all changed."""

    ids: set[str] = field(default_factory=set)
    full: bool = False
    layout_only: bool = False


def empty_design(name: str = "Untitled") -> dict:
    return {"schema": SCHEMA, "name": name, "components": [], "links": [], "layout": {}, "meta": {}}


def attachment_id(source: str, node: str) -> str:
    """Id of the dashed line that shows a source acting on a node (not a design item)."""
    return f"{source}>{node}"


def wall_id(pipe: str) -> str:
    """Id of the line from a pipe to the thermal node its wall exchanges heat with."""
    return f"{pipe}>wall"


_POINTS = {schema.flow_type(k) for k in schema.FLUID_POINTS}
_PORTS = tuple(port for port, _, _ in schema.HX_PORTS)
_REFERENCES = ("from", "to", "stage", "stages", "wall", *_PORTS)


def _stream_ends_of_hx(item: dict) -> list[tuple[str, str]]:
    return [(port, item.get(port) or "") for port in _PORTS]


def _stream_ends(item: dict) -> list[tuple[str, str]]:
    """(from, to) of each stream through a fluid element (two for an exchanger)."""
    if item.get("type") == "counterflow_hx":
        return [
            (item.get("hot_from"), item.get("hot_to")),
            (item.get("cold_from"), item.get("cold_to")),
        ]
    if "from" in item:
        return [(item.get("from"), item.get("to"))]
    return []


class DesignerModel:
    """Editable design plus editor state.

    Parameters
    ----------
    design : dict, optional
        A ``cryogen/design@1`` dict; it is copied. Items without a layout entry
        are placed automatically.
    """

    def __init__(self, design: dict | None = None, *, snap_to_grid: bool = True) -> None:
        self.snap_to_grid = snap_to_grid
        self.selection: set[str] = set()
        self.clipboard: dict | None = None
        self._listeners: list[Callable[[Change], None]] = []
        # undo states: the design as JSON with its problems (no validation on undo)
        self._undo: list[tuple[str, dict]] = []
        self._redo: list[tuple[str, dict]] = []
        self._gesture: tuple | None = None  # () until the gesture's first edit
        self.load(design or empty_design())

    # ------------------------------------------------------------------ state
    def load(self, design: dict, *, keep_history: bool = False) -> None:
        d = copy.deepcopy(design)
        for key, value in empty_design().items():
            d.setdefault(key, copy.deepcopy(value))
        self.design = d
        if not keep_history:
            self._undo.clear()
            self._redo.clear()
        self._auto_layout()
        self._rebuild()
        self.selection &= set(self.items)
        self._emit(Change(full=True))

    def to_dict(self) -> dict:
        """A copy of the design dict (what is saved, solved and exported)."""
        return copy.deepcopy(self.design)

    @property
    def components(self) -> list[dict]:
        return self.design["components"]

    @property
    def links(self) -> list[dict]:
        return self.design["links"]

    @property
    def flow_items(self) -> list[dict]:
        """Junctions, boundaries and elements of the ``flow`` section (the fluid network)."""
        flow = self.design.get("flow")
        if not isinstance(flow, dict):
            return []
        return [
            it
            for section in ("junctions", "boundaries", "elements")
            for it in flow.get(section) or []
            if isinstance(it, dict)
        ]

    @property
    def items(self) -> dict[str, dict]:
        return self._items

    def kind(self, item_id: str) -> str:
        """The designer's kind of an item: its type, ``fluid:<type>`` for the fluid network."""
        return self._kinds[item_id]

    def is_thermal_node(self, item_id: str) -> bool:
        return self._kinds.get(item_id) in schema.NODE_TYPES

    def is_source(self, item_id: str) -> bool:
        kind = self._kinds.get(item_id)
        return kind in schema.COMPONENT_TYPES and kind not in schema.NODE_TYPES

    def is_fluid_point(self, item_id: str) -> bool:
        return self._kinds.get(item_id) in schema.FLUID_POINTS

    def boxes(self) -> list[str]:
        """Ids drawn as boxes: components, fluid points and exchangers."""
        return [c["id"] for c in self.components] + [
            it["id"] for it in self.flow_items if self._kinds[it["id"]] in schema.FLUID_BOXES
        ]

    def position(self, item_id: str) -> dict:
        return self.design["layout"][item_id]

    def rect(self, item_id: str) -> Rect:
        return self.index.rect(item_id)

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    def _emit(self, change: Change, problems: dict | None = None) -> None:
        """Tell the listeners; an edit that is not only a move is validated again (unless
        ``problems``, those of this very design, are known)."""
        if not change.layout_only:
            self._lanes = None
            self._connections = None
            self.problems = schema.problems_by_id(self.design) if problems is None else problems
        for listener in self._listeners:
            listener(change)

    def _index_items(self) -> None:
        self._items = {it["id"]: it for it in self.components + self.links + self.flow_items}
        self._kinds = {it["id"]: it.get("type", "") for it in self.components + self.links}
        for section in ("junctions", "boundaries", "elements"):
            for it in (self.design.get("flow") or {}).get(section) or []:
                if isinstance(it, dict):
                    self._kinds[it["id"]] = schema.FLUID + it.get("type", "junction")

    def _rebuild(self) -> None:
        self._index_items()
        self.index = SpatialIndex()
        for box in self.boxes():
            self.index.set(box, box_rect(self.position(box)))
        self.routes: dict[str, list[tuple[float, float]]] = {}
        self._lanes: dict[str, tuple[int, int]] | None = None
        self._connections: dict[str, tuple[str, str, str]] | None = None
        self.problems: dict[str | None, list[str]] = {}

    def _auto_layout(self) -> None:
        layout = self.design["layout"]
        nodes = [c for c in self.components if schema.is_node(c) and c["id"] not in layout]
        row = {}
        for i, c in enumerate(nodes):
            layout[c["id"]] = {"x": 200.0, "y": 80.0 + 110.0 * i}
            row[c["id"]] = layout[c["id"]]["y"]
        placed = 0
        for c in self.components:
            if c["id"] in layout:
                continue
            target = next(iter(self.attached_nodes(c)), None)
            y = layout[target]["y"] if target in layout else 80.0 + 110.0 * (len(nodes) + placed)
            layout[c["id"]] = {"x": 420.0 + 160.0 * (placed % 2), "y": y}
            placed += 1
        self._auto_layout_flow(80.0 + 110.0 * (len(nodes) + placed // 2 + 1))

    def _auto_layout_flow(self, top: float) -> None:
        """Fluid points without a position: in columns by their distance from the inlets
        (a P&ID read left to right) below the thermal network; exchangers under their ports."""
        layout = self.design["layout"]
        top = max([top] + [p["y"] + 140.0 for p in layout.values()])
        points = [it["id"] for it in self.flow_items if "type" not in it or it["type"] in _POINTS]
        downstream: dict[str, list[str]] = {p: [] for p in points}
        for it in self.flow_items:
            for a, b in _stream_ends(it):
                if a in downstream:
                    downstream[a].append(b)
        depth = dict.fromkeys(points, 0)
        for _ in points:  # longest path from an inlet, bounded for loops
            for a in points:
                for b in downstream[a]:
                    if b in depth and depth[b] < depth[a] + 1 <= len(points):
                        depth[b] = depth[a] + 1
        rows: dict[int, int] = {}
        for p in points:
            if p not in layout:
                row = rows.get(depth[p], 0)
                rows[depth[p]] = row + 1
                layout[p] = {"x": 200.0 + 190.0 * depth[p], "y": top + 110.0 * row}
        below = top + 110.0 * max(rows.values(), default=1)
        for it in self.flow_items:
            if it.get("type") == "counterflow_hx" and it["id"] not in layout:
                xs = [layout[p]["x"] for _, p in _stream_ends_of_hx(it) if p in layout]
                x = snap(sum(xs) / len(xs)) if xs else 200.0
                layout[it["id"]] = {"x": x, "y": below}
                below += 110.0

    # ------------------------------------------------------------------ connections
    def attached_nodes(self, source: dict) -> list[str]:
        """Nodes a source component acts on (``stage``, or the values of a cryocooler's ``stages``)."""
        if source.get("type") == "cryocooler":
            return [n for n in (source.get("stages") or {}).values() if isinstance(n, str) and n]
        stage = source.get("stage")
        return [stage] if isinstance(stage, str) and stage else []

    def connections(self) -> dict[str, tuple[str, str, str]]:
        """Every drawn connection: id -> (kind, from, to); kind is a link type, ``"attach"``,
        a fluid element's kind, ``fluid:hx_hot``/``fluid:hx_cold`` (an exchanger's ports) or
        ``fluid:wall`` (from a pipe to the thermal node its wall exchanges with).

        Kept until the next edit (do not modify it).
        """
        if self._connections is not None:
            return self._connections
        out = {lk["id"]: (lk["type"], lk.get("from", ""), lk.get("to", "")) for lk in self.links}
        for c in self.components:
            if self.is_source(c["id"]):
                for node in self.attached_nodes(c):
                    out[attachment_id(c["id"], node)] = ("attach", c["id"], node)
        walls = {}
        for it in self.flow_items:
            kind = self._kinds[it["id"]]
            if kind in schema.FLUID_LINES:
                out[it["id"]] = (kind, it.get("from", ""), it.get("to", ""))
                if it.get("wall"):
                    walls[wall_id(it["id"])] = (schema.FLUID + "wall", it["id"], it["wall"])
            elif kind == schema.FLUID + "counterflow_hx":
                for port, stream, inward in schema.HX_PORTS:
                    point = it.get(port) or ""
                    ends = (point, it["id"]) if inward else (it["id"], point)
                    out[f"{it['id']}:{port}"] = (f"{schema.FLUID}hx_{stream}", *ends)
        self._connections = out | walls  # walls last: they start on their pipe's route
        return self._connections

    def connections_of(self, ids: set[str]) -> set[str]:
        """Connections touching ``ids``, and the walls of pipes among them."""
        conns = self.connections()
        found = {cid for cid, (_, a, b) in conns.items() if a in ids or b in ids}
        return found | {cid for cid, (_, a, _) in conns.items() if a in found}

    def _end_rect(self, end: str) -> Rect | None:
        """A box, or the middle of a pipe's route (where its wall line starts)."""
        if end in self.index:
            return self.index.rect(end)
        conn = self.connections().get(end)
        pts = self.route_of(end, (conn[1], conn[2])) if conn else None
        if not pts:
            return None
        x, y = point_along(pts, 0.5)
        return Rect(x, y, 0.0, 0.0)

    def route_of(self, conn_id: str, ends: tuple[str, str]) -> list[tuple[float, float]] | None:
        a, b = ends
        if conn_id not in self.routes:
            ra, rb = self._end_rect(a), self._end_rect(b)
            if ra is None or rb is None:
                return None
            path = route(ra, rb, self.index, ends)
            lane, lanes = self.lane_of(conn_id)
            self.routes[conn_id] = (
                _shift(path, (lane - (lanes - 1) / 2) * LANE_GAP) if lanes > 1 else path
            )
        return self.routes[conn_id]

    def lane_of(self, conn_id: str) -> tuple[int, int]:
        """(index, count) of a link among the links joining the same two components."""
        if self._lanes is None:
            groups: dict[frozenset, list[str]] = {}
            for lk in self.links + self.flow_items:
                if "from" in lk:
                    groups.setdefault(frozenset((lk.get("from"), lk.get("to"))), []).append(
                        lk["id"]
                    )
            self._lanes = {i: (k, len(ids)) for ids in groups.values() for k, i in enumerate(ids)}
        return self._lanes.get(conn_id, (0, 1))

    # ------------------------------------------------------------------ ids
    def new_id(self, base: str) -> str:
        base = re.sub(r"\W+", "_", base).strip("_") or "item"
        taken = set(self.items)
        n = 1
        while f"{base}{n}" in taken:
            n += 1
        return f"{base}{n}"

    # ------------------------------------------------------------------ history
    def _snapshot(self) -> tuple[str, dict]:
        return json.dumps(self.design, sort_keys=True), self.problems

    def _record(self) -> None:
        """Called before every edit: keep the state it changes for undo."""
        self._connections = None  # the edit may add, remove or re-attach connections
        if self._gesture is None:
            self._undo.append(self._snapshot())
            del self._undo[:-UNDO_DEPTH]
            self._redo.clear()
        elif not self._gesture:  # the gesture's first edit: the state before the gesture
            self._gesture = self._snapshot()

    def begin_gesture(self) -> None:
        """Start a drag: its moves are one undo step, recorded by :meth:`end_gesture`.

        The state is kept at the drag's first move (a click that moves nothing costs nothing).
        """
        self._gesture = ()

    def end_gesture(self) -> None:
        before, self._gesture = self._gesture, None
        if before and before[0] != self._snapshot()[0]:
            self._undo.append(before)
            del self._undo[:-UNDO_DEPTH]
            self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        if not self._undo:
            return False
        self._redo.append(self._snapshot())
        self._restore(*self._undo.pop())
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        self._undo.append(self._snapshot())
        self._restore(*self._redo.pop())
        return True

    def _restore(self, text: str, problems: dict) -> None:
        """Go back (or forward) to an earlier state of the design, touching only what differs.

        The items, layout entries and connections that differ between the two states are
        the change: their boxes are re-indexed and their routes dropped, as for the edit
        being undone, so the view repaints only their region. A state that differs
        elsewhere (name, meta) is loaded whole. ``text`` is the state's JSON, ``problems``
        its validation.
        """
        design = json.loads(text)
        before = self.design
        rest = (before.keys() | design.keys()) - {"components", "links", "layout"}
        placed = all(c["id"] in design["layout"] for c in design["components"])
        if not placed or any(before.get(k) != design.get(k) for k in rest):
            self.load(design, keep_history=True)
            return
        old_items = self._items
        new_items = {it["id"]: it for it in design["components"] + design["links"]}
        old_layout, new_layout = before["layout"], design["layout"]
        changed = {
            i
            for i in old_items.keys() | new_items.keys()
            if old_items.get(i) != new_items.get(i) or old_layout.get(i) != new_layout.get(i)
        }
        ends = changed | {
            it.get(end)
            for it in (*(old_items.get(i) for i in changed), *(new_items.get(i) for i in changed))
            if it is not None and "from" in it
            for end in ("from", "to")
        }
        touched = changed | self.connections_of(ends)  # connections as they were drawn
        self.design, self._connections = design, None
        self._index_items()
        components = {c["id"] for c in design["components"]}
        for i in changed:
            if i in components:
                self.index.set(i, box_rect(new_layout[i]))
            else:
                self.index.remove(i)
        touched |= self.connections_of(ends)  # and as they are now
        for cid in touched:
            self.routes.pop(cid, None)
        touched |= self._invalidate_routes_crossing(changed)
        self.selection &= set(self.items)
        self._emit(Change(touched), problems)

    # ------------------------------------------------------------------ edits
    def add_component(self, kind: str, x: float, y: float, item_id: str | None = None) -> str:
        """Place a component, or a fluid point or exchanger (``fluid:…`` kinds), at ``x, y``."""
        valid = (*schema.COMPONENT_TYPES, *schema.FLUID_BOXES)
        if kind not in valid:
            raise ValueError(f"unknown component kind {kind!r}; valid: {', '.join(valid)}")
        item_id = item_id or self.new_id(schema.flow_type(kind))
        return self.add_item(schema.new_item(kind, item_id), x, y, kind=kind)

    def add_part(self, part_id: str, x: float, y: float) -> str:
        """Place a catalog part (cryocooler, vessel, dilution unit) as a component.

        A cryocooler published only as rating points has no capacity map to solve with: it
        goes in as one constant cooler per rated stage (ids ``…-rated-<stage>``), side by side.
        """
        if schema.is_rating_only_cooler(part_id):
            placed = None
            for k, item in enumerate(schema.rated_coolers(part_id, _stem(part_id))):
                item["id"] = self.new_id(item["id"])
                placed = self.add_item(item, x + 140.0 * k, y)
            return placed
        return self.add_item(schema.catalog_component(part_id, self.new_id(_stem(part_id))), x, y)

    def add_item(self, item: dict, x: float, y: float, *, kind: str | None = None) -> str:
        """Place a prepared component dict (or fluid item of ``kind``) at world point ``x, y``."""
        self._record()
        item_id = item["id"]
        kind = kind or item["type"]
        self._section(kind).append(item)
        if self.snap_to_grid:
            x, y = snap(x), snap(y)
        self.design["layout"][item_id] = {"x": x, "y": y}
        self._items[item_id] = item
        self._kinds[item_id] = kind
        self.index.set(item_id, box_rect(self.position(item_id)))
        self._invalidate_routes_crossing({item_id})
        self._emit(Change({item_id}))
        return item_id

    def _section(self, kind: str) -> list[dict]:
        """The list an item of ``kind`` lives in (the ``flow`` section is made when needed)."""
        if not schema.is_fluid(kind):
            return self.links if kind in schema.LINK_TYPES else self.components
        flow = self.design.setdefault(
            "flow", {"fluid": "Helium", "junctions": [], "boundaries": [], "elements": []}
        )
        return flow.setdefault(schema.flow_section(kind), [])

    def connect(self, kind: str, start: str, end: str, *, part: str | None = None) -> str | None:
        """Join two items: a link of ``kind`` between two nodes, attach a source to a node, a
        fluid element of ``kind`` between two fluid points, or a fluid point to a free port
        of an exchanger (into it: ``hot_from``, then ``cold_from``; out: ``hot_to``, ``cold_to``).

        With ``part`` (a catalog strap, support, wiring or MLI id) the link is that part.
        Returns the new link id, the source id for an attachment, the exchanger's id, or None
        when the two cannot be joined (same item, two sources, unknown ids, thermal and fluid).
        """
        if start == end or start not in self.items or end not in self.items:
            return None
        fluid = [self.kind(i) in schema.FLUID_BOXES for i in (start, end)]
        if any(fluid):
            return self._connect_fluid(kind, start, end) if all(fluid) else None
        a, b = self.items[start], self.items[end]
        if self.is_thermal_node(start) and self.is_thermal_node(end):
            if part is None and kind not in schema.LINK_TYPES:
                raise ValueError(
                    f"unknown link type {kind!r}; valid: {', '.join(schema.LINK_TYPES)}"
                )
            link_id = self.new_id(_stem(part) if part else kind)
            if part is not None:
                link = schema.catalog_link(part, link_id, start, end)
            else:
                link = schema.new_item(kind, link_id)
                link.update({"from": start, "to": end})
            self._record()
            self.links.append(link)
            self._items[link_id] = link
            self._kinds[link_id] = link["type"]
            neighbours = self.connections_of({start, end})  # parallel links move to new lanes
            for cid in neighbours:
                self.routes.pop(cid, None)
            self._emit(Change({link_id, start, end} | neighbours))
            return link_id
        if self.is_thermal_node(start) == self.is_thermal_node(end):
            return None
        source, node = (a, b) if self.is_thermal_node(end) else (b, a)
        if source["type"] == "cryocooler":
            stages = source.get("stages") or {}
            if node["id"] in stages.values():
                return source["id"]
            free = [n for n in self._stage_names(source) if not stages.get(n)]
            if not free:
                return None
            self._record()
            source["stages"] = {**stages, free[0]: node["id"]}
        else:
            self._record()
            source["stage"] = node["id"]
        self._emit(Change({source["id"], node["id"], attachment_id(source["id"], node["id"])}))
        return source["id"]

    def _connect_fluid(self, kind: str, start: str, end: str) -> str | None:
        hx = schema.FLUID + "counterflow_hx"
        if self.kind(start) == hx or self.kind(end) == hx:
            if self.kind(start) == self.kind(end):
                return None
            exchanger, point, inward = (
                (end, start, True) if self.kind(end) == hx else (start, end, False)
            )
            item = self.items[exchanger]
            free = [p for p, _, into in schema.HX_PORTS if into == inward and not item.get(p)]
            if not free:
                return None
            self._record()
            item[free[0]] = point
            self._emit(Change({exchanger, point} | self.connections_of({exchanger})))
            return exchanger
        if kind not in schema.FLUID_LINES:
            raise ValueError(
                f"{start} and {end} are fluid points: join them with a fluid element "
                f"({', '.join(schema.flow_type(k) for k in schema.FLUID_LINES)})"
            )
        element = schema.new_item(kind, self.new_id(schema.flow_type(kind)))
        element.update({"from": start, "to": end})
        self._record()
        self._section(kind).append(element)
        self._items[element["id"]] = element
        self._kinds[element["id"]] = kind
        neighbours = self.connections_of({start, end})
        for cid in neighbours:
            self.routes.pop(cid, None)
        self._emit(Change({element["id"], start, end} | neighbours))
        return element["id"]

    @staticmethod
    def _stage_names(cooler: dict) -> tuple[str, ...]:
        try:
            return schema.cooler_stage_names(cooler.get("model", ""))
        except CryoGenError:  # unknown model: the property panel shows the problem
            return ("first", "second", "third", "fourth")

    def move(self, ids: Iterable[str], dx: float, dy: float) -> None:
        """Move components by ``dx, dy`` (world units), without snapping (a drag in progress)."""
        moved = {i for i in ids if i in self.design["layout"] and i in self.index}
        if not moved:
            return
        self._record()
        for i in moved:
            pos = self.position(i)
            pos["x"] += dx
            pos["y"] += dy
            self.index.set(i, box_rect(pos))
        conns = self.connections_of(moved)
        for cid in conns:
            self.routes.pop(cid, None)
        self._emit(Change(moved | conns, layout_only=True))

    def settle(self, ids: Iterable[str]) -> None:
        """End of a drag: snap the moved boxes to the grid and reroute what they now cross."""
        moved = {i for i in ids if i in self.index}
        for i in moved:
            pos = self.position(i)
            if self.snap_to_grid:
                pos["x"], pos["y"] = snap(pos["x"]), snap(pos["y"])
            self.index.set(i, box_rect(pos))
        conns = self.connections_of(moved)
        for cid in conns:
            self.routes.pop(cid, None)
        crossed = self._invalidate_routes_crossing(moved)
        self._emit(Change(moved | conns | crossed, layout_only=True))

    def _invalidate_routes_crossing(self, ids: set[str]) -> set[str]:
        boxes = [self.index.rect(i).inflate(6) for i in ids if i in self.index]
        hit = set()
        for cid, pts in list(self.routes.items()):
            if any(_polyline_crosses(pts, r) for r in boxes):
                hit.add(cid)
                del self.routes[cid]
        return hit

    def delete(self, ids: Iterable[str]) -> None:
        ids = {i for i in ids if i in self.items}
        if not ids:
            return
        self._record()
        gone_nodes = {i for i in ids if i in self.index}
        touched = set(ids) | self.connections_of(ids)
        self.design["links"] = [
            lk
            for lk in self.links
            if lk["id"] not in ids
            and lk.get("from") not in gone_nodes
            and lk.get("to") not in gone_nodes
        ]
        self.design["components"] = [c for c in self.components if c["id"] not in ids]
        self._delete_flow(ids, gone_nodes)
        for c in self.components:
            if c.get("type") == "cryocooler":
                c["stages"] = {
                    k: v for k, v in (c.get("stages") or {}).items() if v not in gone_nodes
                }
            elif c.get("stage") in gone_nodes:
                c["stage"] = ""
        for i in ids:
            self.design["layout"].pop(i, None)
            self.index.remove(i)
        self._index_items()
        for cid in touched:
            self.routes.pop(cid, None)
        self.selection -= touched
        self._emit(Change(touched))

    def _delete_flow(self, ids: set[str], gone_boxes: set[str]) -> None:
        """Remove fluid items, the elements joined to removed points, ports and walls to them."""
        flow = self.design.get("flow")
        if not isinstance(flow, dict):
            return
        for section in ("junctions", "boundaries", "elements"):
            flow[section] = [
                it
                for it in flow.get(section) or []
                if it.get("id") not in ids
                and it.get("from") not in gone_boxes
                and it.get("to") not in gone_boxes
            ]
        for it in flow["elements"]:
            for port in _PORTS:
                if it.get(port) in gone_boxes:
                    it[port] = ""
            if it.get("wall") in gone_boxes:
                del it["wall"]
        if not (flow["junctions"] or flow["boundaries"] or flow["elements"]):
            del self.design["flow"]  # the last fluid item went: the design is thermal only

    def rotate(self, ids: Iterable[str]) -> None:
        """Turn components by 90 degrees about their centre."""
        ids = {i for i in ids if i in self.index}
        if not ids:
            return
        self._record()
        for i in ids:
            pos = self.position(i)
            pos["rotation"] = (int(pos.get("rotation", 0)) + 90) % 360
            self.index.set(i, box_rect(pos))
        self.settle(ids)

    def set_field(self, item_id: str, key: str, value) -> None:
        """Set one field of an item (``None`` removes an optional field)."""
        item = self.items[item_id]
        if item.get(key) == value and (value is not None or key not in item):
            return
        self._record()
        if value is None:
            item.pop(key, None)
        else:
            item[key] = value
        touched = {item_id}
        if key in _REFERENCES:
            touched |= self.connections_of({item_id})
            for cid in touched:
                self.routes.pop(cid, None)
        self._emit(Change(touched | self.connections_of({item_id})))

    def change_type(self, item_id: str, kind: str) -> None:
        """Change a link's type (conductor, strap, ...), a fluid element's (pipe, valve, ...)
        or a fluid boundary's (inlet, outlet, ...), keeping its ends, wall and id."""
        link = self.items[item_id]
        if self.kind(item_id) == kind:
            return
        self._record()
        fresh = schema.new_item(kind, item_id)
        fresh.update({k: link[k] for k in ("from", "to", "wall") if k in link})
        if "wall" in fresh and kind != schema.FLUID + "pipe":
            del fresh["wall"]
        link.clear()
        link.update(fresh)
        self._kinds[item_id] = kind
        for cid in self.connections_of({item_id}) | {item_id, wall_id(item_id)}:
            self.routes.pop(cid, None)
        self._emit(Change({item_id, wall_id(item_id)} | self.connections_of({item_id})))

    def rename(self, old: str, new: str) -> bool:
        """Give an item a new id, updating links, attachments and layout. False if taken/empty."""
        if not new or new == old or new in self.items or old not in self.items:
            return False
        self._record()
        self.items[old]["id"] = new
        for lk in self.links + self.flow_items:
            for end in ("from", "to", "wall", *_PORTS):
                if lk.get(end) == old:
                    lk[end] = new
        for c in self.components:
            if c.get("stage") == old:
                c["stage"] = new
            if c.get("type") == "cryocooler":
                c["stages"] = {
                    k: (new if v == old else v) for k, v in (c.get("stages") or {}).items()
                }
        layout = self.design["layout"]
        if old in layout:
            layout[new] = layout.pop(old)
        self.selection = {new if s == old else s for s in self.selection}
        self._rebuild()
        self._emit(Change(full=True))
        return True

    # ------------------------------------------------------------------ selection and clipboard
    def select(self, ids: Iterable[str], *, add: bool = False) -> None:
        ids = {i for i in ids if i in self.items}
        self.selection = (self.selection | ids) if add else ids

    def toggle(self, item_id: str) -> None:
        self.selection ^= {item_id}

    def in_box(self, r: Rect) -> set[str]:
        """Components entirely inside ``r`` and links whose both ends are."""
        comps = {i for i in self.index.query(r) if _inside(self.index.rect(i), r)}
        links = {lk["id"] for lk in self.links if lk.get("from") in comps and lk.get("to") in comps}
        return comps | links

    def set_fluid(self, name: str) -> None:
        """The fluid of the ``flow`` section (CoolProp name or alias)."""
        flow = self.design.get("flow")
        if not isinstance(flow, dict) or flow.get("fluid") == name:
            return
        self._record()
        flow["fluid"] = name
        self._emit(Change(full=True))

    def copy(self) -> None:
        comps = [c for c in self.components if c["id"] in self.selection]
        keep = {c["id"] for c in comps}
        links = [lk for lk in self.links if lk.get("from") in keep and lk.get("to") in keep]
        self.clipboard = copy.deepcopy(
            {
                "components": comps,
                "links": links,
                "layout": {i: self.design["layout"][i] for i in keep if i in self.design["layout"]},
            }
        )

    def paste(self) -> set[str]:
        if not self.clipboard or not self.clipboard["components"]:
            return set()
        self._record()
        clip = copy.deepcopy(self.clipboard)
        rename: dict[str, str] = {}
        for item in clip["components"] + clip["links"]:
            rename[item["id"]] = self.new_id(_stem(item["id"]))
            self._items[rename[item["id"]]] = item  # reserve the id for the next new_id
            item["id"] = rename[item["id"]]
        for lk in clip["links"]:
            lk["from"], lk["to"] = rename[lk["from"]], rename[lk["to"]]
        for c in clip["components"]:
            if isinstance(c.get("stage"), str) and c["stage"] in rename:
                c["stage"] = rename[c["stage"]]
            if c.get("type") == "cryocooler":
                c["stages"] = {k: rename.get(v, v) for k, v in (c.get("stages") or {}).items()}
        self.components.extend(clip["components"])
        self.links.extend(clip["links"])
        for old, pos in clip["layout"].items():
            pos = dict(pos, x=pos["x"] + PASTE_OFFSET, y=pos["y"] + PASTE_OFFSET)
            self.design["layout"][rename[old]] = pos
            self.index.set(rename[old], box_rect(pos))
        self._index_items()
        new_ids = set(rename.values())
        self.selection = new_ids
        # the clipboard now points one offset further, so repeated pastes cascade
        for pos in self.clipboard["layout"].values():
            pos["x"] += PASTE_OFFSET
            pos["y"] += PASTE_OFFSET
        crossed = self._invalidate_routes_crossing(new_ids)
        self._emit(Change(new_ids | self.connections_of(new_ids) | crossed))
        return new_ids


def _shift(path, offset: float):
    """Translate a route sideways to its first segment (parallel links side by side)."""
    (_x1, y1), (_x2, y2) = path[0], path[1]
    dx, dy = (0.0, offset) if y1 == y2 else (offset, 0.0)
    return [(x + dx, y + dy) for x, y in path]


def _stem(item_id: str) -> str:
    return re.sub(r"\d+$", "", item_id) or item_id


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        outer.x <= inner.x and outer.y <= inner.y and inner.x2 <= outer.x2 and inner.y2 <= outer.y2
    )


def _polyline_crosses(points, r: Rect) -> bool:
    return any(segment_hits_rect(p, q, r) for p, q in itertools.pairwise(points))
