"""The system designer widget: an ipycanvas editor with a palette, toolbar and property panel.

Handlers are plain methods (``_on_mouse_down(x, y)``, ``_on_mouse_move``,
``_on_mouse_up``, ``_on_key_down(key, shift, ctrl, meta)``, ``_on_mouse_wheel``)
taking canvas pixel coordinates, so tests drive the editor without a browser.

Layers (bottom to top): grid, items, chrome (palette, colour bar), overlay (what is
being dragged, the selection box, the link being drawn). A drag redraws only the
overlay; an edit redraws only the region its items covered before and after.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

import ipywidgets as w
import numpy as np
from ipycanvas import MultiCanvas, hold_canvas

from cryogen_widgets.designer import schema
from cryogen_widgets.designer.geometry import GRID, Rect, box_rect, distance_to_polyline
from cryogen_widgets.designer.model import Change, DesignerModel
from cryogen_widgets.designer.paint import CanvasPainter
from cryogen_widgets.designer.properties import PropertyPanel
from cryogen_widgets.designer.routing import quick_route
from cryogen_widgets.designer.scene import (
    COLOUR_BAR_W,
    DASHED,
    FLUID_STROKE,
    KIND_FILL,
    LINK_STROKE,
    Results,
    component_bbox,
    connection_bbox,
    connection_label,
    draw_colour_bar,
    draw_component,
    draw_connection,
    first_problem,
    label_fraction,
    legend_entries,
)
from solver.errors import CryoGenError

PALETTE_W = 150
PALETTE_ITEM_H = 30
PALETTE_TOP = 34
ZOOM_STEP = 1.25
MIN_SCALE, MAX_SCALE = 0.1, 4.0
CLICK_SLOP = 3.0
KEY_PAN = 60.0
LAYERS = ("grid", "items", "chrome", "overlay")
MODES = ("select", "link", "pan")
MAX_PARTS = 8
SECTIONS = ("thermal", "fluid")
"""The palette's two sections: the thermal network's components, the fluid network's items."""
FLUID_LABELS = {
    "fluid:mass_flow_inlet": "mass-flow inlet",
    "fluid:bath": "separator",
    "fluid:counterflow_hx": "counterflow HX",
    "fluid:jt_valve": "JT valve",
}


class Designer(w.VBox):
    """Canvas editor of one design.

    Parameters
    ----------
    model : DesignerModel, optional
        The design being edited (a new empty one by default).
    catalog_search : callable, optional
        ``search(text) -> list of catalog hits`` (``id``, ``name``, ``category``); the palette
        lists the matching parts under the component kinds.
    width, height : int
        Canvas size in pixels (fixed: a stretched canvas blurs and scales clicks).
    """

    def __init__(
        self,
        model: DesignerModel | None = None,
        width: int = 900,
        height: int = 560,
        *,
        catalog_search: Callable[[str], list] | None = None,
    ) -> None:
        self.model = model or DesignerModel()
        self.catalog_search = catalog_search
        self.parts: dict[str, object] = {}  # "part:<id>" -> catalog hit shown in the palette
        self.link_part: str | None = None
        self.width, self.height = width, height
        self.canvas = MultiCanvas(
            len(LAYERS),
            width=width,
            height=height,
            layout=w.Layout(
                width=f"{width}px",
                height=f"{height}px",
                min_width=f"{width}px",
                border="1px solid #bbb",
            ),
        )
        self.canvas.add_class("cryogen-designer-canvas")
        self.layers = {name: self.canvas[i] for i, name in enumerate(LAYERS)}
        self.scale = 1.0
        self.offset = (PALETTE_W + 20.0, 20.0)
        self.mode = "select"
        self.link_type = "conductor"
        self.armed: str | None = None
        self.palette_section = "thermal"
        self.results: Results | None = None
        self.stale = False  # results shown belong to an earlier version of the design
        self.palette_filter = ""
        self._drag: dict | None = None
        self._hidden: set[str] = set()
        self._loading = False  # load() repaints once, after fitting the new design
        self._drawn: dict[str, Rect] = {}
        self._route_boxes: dict[str, tuple[list, Rect]] = {}  # id -> (route, its bbox)
        self._pointer = (width / 2, height / 2)
        self.redraw_count = {"full": 0, "region": 0, "overlay": 0}
        self._shown_problems: dict[str, str] = {}

        self.properties = PropertyPanel(self.model)
        self._build_toolbar()
        self.status = w.HTML()
        self.legend = w.HTML(legend_html())
        super().__init__(
            [self.toolbar, w.HBox([self.canvas, self.properties]), self.status, self.legend]
        )

        c = self.canvas
        c.on_mouse_down(self._on_mouse_down)
        c.on_mouse_move(self._on_mouse_move)
        c.on_mouse_up(self._on_mouse_up)
        c.on_mouse_out(self._on_mouse_out)
        c.on_mouse_wheel(self._on_mouse_wheel)
        c.on_key_down(self._on_key_down)
        c.on_client_ready(self.redraw)
        self.model.subscribe(self._on_model_change)
        self.redraw()

    # ------------------------------------------------------------------ toolbar
    def _build_toolbar(self) -> None:
        self.mode_buttons = w.ToggleButtons(
            options=[("Select", "select"), ("Link", "link"), ("Pan", "pan")],
            value="select",
            style={"button_width": "72px"},
            tooltips=["select and move (V)", "drag from node to node to link (L)", "pan (H)"],
        )
        self.mode_buttons.observe(lambda ch: self.set_mode(ch["new"]), "value")
        self.link_picker = w.Dropdown(
            options=[(t, t) for t in schema.DRAWN_LINK_TYPES]
            + [(f"fluid {fluid_label(k)}", k) for k in schema.FLUID_LINES],
            value="conductor",
            description="link",
            layout=w.Layout(width="170px"),
            style={"description_width": "30px"},
        )
        self.link_picker.observe(self._on_link_picker, "value")
        self.search = w.Text(
            placeholder="search palette", layout=w.Layout(width="150px"), continuous_update=True
        )
        self.search.observe(lambda ch: self.set_palette_filter(ch["new"]), "value")
        self.snap_box = w.Checkbox(
            value=self.model.snap_to_grid,
            description="snap",
            indent=False,
            layout=w.Layout(width="60px"),
        )
        self.snap_box.observe(lambda ch: setattr(self.model, "snap_to_grid", ch["new"]), "value")
        self.add_toggle = w.ToggleButton(
            value=False,
            description="add to selection",
            tooltip="clicks add items to the selection (ipycanvas sends no Shift key)",
            layout=w.Layout(width="auto"),
        )

        def button(label, tip, action):
            b = w.Button(description=label, tooltip=tip, layout=w.Layout(width="auto"))
            b.on_click(lambda _: action())
            return b

        self.toolbar = w.HBox(
            [
                self.search,
                self.mode_buttons,
                self.link_picker,
                self.add_toggle,
                button("↶", "undo (Ctrl+Z)", self.undo),
                button("↷", "redo (Ctrl+Y)", self.redo),
                button("⟳", "rotate (R)", lambda: self.model.rotate(self.model.selection)),
                button("✕", "delete (Del)", self.delete_selection),
                button("−", "zoom out (-)", lambda: self.zoom(1 / ZOOM_STEP)),
                button("+", "zoom in (+)", lambda: self.zoom(ZOOM_STEP)),
                button("fit", "zoom to fit (0)", self.fit),
                self.snap_box,
            ],
            layout=w.Layout(flex_flow="row wrap"),
        )

    def _on_link_picker(self, change) -> None:
        self.link_type = change["new"]
        self.link_part = None
        self._update_status()

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")
        self.mode = mode
        self.mode_buttons.value = mode
        self.armed = None
        self.link_part = None
        self._draw_chrome()
        self._update_status()

    def set_link_type(self, kind: str) -> None:
        self.link_picker.value = kind

    def set_palette_filter(self, text: str) -> None:
        self.palette_filter = text.strip().lower()
        self.parts = {}
        if self.catalog_search is not None and len(self.palette_filter) >= 2:
            try:
                hits = self.catalog_search(self.palette_filter)
            except CryoGenError as exc:
                self.status.value = (
                    f"<span style='color:#d62728'>catalog search: {escape(str(exc))}</span>"
                )
                hits = []
            placeable = (
                *schema.LINK_PART_CATEGORIES,
                "cryocooler",
                "vessel",
                "dilution_refrigerator",
            )
            for hit in hits:
                if hit.category in placeable and len(self.parts) < MAX_PARTS:
                    self.parts[f"part:{hit.id}"] = hit
        self._draw_chrome()

    # ------------------------------------------------------------------ coordinates
    def to_world(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.offset[0]) / self.scale, (y - self.offset[1]) / self.scale

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale + self.offset[0], y * self.scale + self.offset[1]

    def view_rect(self) -> Rect:
        x0, y0 = self.to_world(PALETTE_W, 0)
        x1, y1 = self.to_world(self.width, self.height)
        return Rect(x0, y0, x1 - x0, y1 - y0)

    def palette_kinds(self) -> list[str]:
        """Kinds of the open section; with a search, the matching kinds of both sections."""
        if self.palette_filter:
            kinds = (*schema.COMPONENT_TYPES, *schema.FLUID_PALETTE)
        elif self.palette_section == "fluid":
            kinds = schema.FLUID_PALETTE
        else:
            kinds = schema.COMPONENT_TYPES
        return [
            k
            for k in kinds
            if self.palette_filter in self.palette_label(k).lower() or self.palette_filter in k
        ]

    def set_palette_section(self, section: str) -> None:
        if section not in SECTIONS:
            raise ValueError(f"unknown palette section {section!r}; valid: {', '.join(SECTIONS)}")
        self.palette_section = section
        self._draw_chrome()

    def section_hit(self, x: float, y: float) -> str | None:
        """The palette section whose header tab is at screen point ``x, y``."""
        if x >= PALETTE_W or y >= PALETTE_TOP:
            return None
        return SECTIONS[int(x // (PALETTE_W / len(SECTIONS)))]

    def palette_entries(self) -> list[str]:
        """Component kinds matching the search, then catalog parts (``"part:<id>"``)."""
        return self.palette_kinds() + list(self.parts)

    def _row(self, i: int) -> int:
        """Palette row of entry ``i`` (a "Catalog" header row sits above the parts)."""
        return i + (1 if i >= len(self.palette_kinds()) else 0)

    def palette_hit(self, x: float, y: float) -> str | None:
        if x >= PALETTE_W or y < PALETTE_TOP:
            return None
        row = int((y - PALETTE_TOP) // PALETTE_ITEM_H)
        for i, key in enumerate(self.palette_entries()):
            if self._row(i) == row:
                return key
        return None

    def palette_slot(self, key: str) -> tuple[float, float]:
        """Screen centre of a palette entry (tests and browser tests click here)."""
        i = self.palette_entries().index(key)
        return PALETTE_W / 2, PALETTE_TOP + (self._row(i) + 0.5) * PALETTE_ITEM_H

    def palette_label(self, key: str) -> str:
        if key in self.parts:
            hit = self.parts[key]
            rated = hit.category == "cryocooler" and schema.is_rating_only_cooler(hit.id)
            return f"{hit.name} (rated: constant)" if rated else hit.name
        return fluid_label(key) if schema.is_fluid(key) else key.replace("_", " ")

    def hit(self, wx: float, wy: float) -> str | None:
        """The component under a world point, else the link within 6 px of it, else None."""
        comps = self.model.index.at(wx, wy)
        if comps:
            return comps[-1]
        tolerance = 6.0 / self.scale
        best, best_d = None, tolerance
        for cid, (kind, _a, _b) in self.model.connections().items():
            if kind == "attach":
                continue
            pts = self.model.routes.get(cid)
            if pts and distance_to_polyline(wx, wy, pts) <= best_d:
                best, best_d = cid, distance_to_polyline(wx, wy, pts)
        return best

    # ------------------------------------------------------------------ mouse
    def _on_mouse_down(self, x: float, y: float) -> None:
        self._pointer = (x, y)
        section = self.section_hit(x, y)
        if section is not None:
            self.set_palette_section(section)
            return
        kind = self.palette_hit(x, y)
        if kind is not None:
            self._drag = {"op": "palette", "kind": kind, "start": (x, y), "at": (x, y)}
            return
        if x < PALETTE_W:
            return
        wx, wy = self.to_world(x, y)
        if self.armed is not None:
            self._place(self.armed, wx, wy)
            self.armed = None
            self._draw_chrome()
            self._update_status()
            return
        if self.mode == "pan":
            self._drag = {"op": "pan", "last": (x, y)}
            return
        target = self.hit(wx, wy)
        if self.mode == "link":
            if target in self.model.index:
                self._drag = {"op": "link", "from": target, "at": (wx, wy)}
            return
        if target is None:
            if not self.add_toggle.value:
                self.select(set())
            self._drag = {"op": "box", "start": (wx, wy), "at": (wx, wy)}
            return
        if self.add_toggle.value:
            self.select(self.model.selection ^ {target})
        elif target not in self.model.selection:
            self.select({target})
        movable = {i for i in self.model.selection if i in self.model.index}
        if target in self.model.index and movable:
            self._start_move(movable, wx, wy)

    def _on_mouse_move(self, x: float, y: float) -> None:
        self._pointer = (x, y)
        d = self._drag
        if d is None:
            return
        if d["op"] == "pan":
            lx, ly = d["last"]
            d["last"] = (x, y)
            self.pan(x - lx, y - ly)
            return
        if d["op"] == "palette":
            d["at"] = (x, y)
        elif d["op"] == "move":
            wx, wy = self.to_world(x, y)
            lx, ly = d["last"]
            d["last"] = (wx, wy)
            if not d["moved"]:
                self._lift(d["ids"])
            d["moved"] = True
            self.model.move(d["ids"], wx - lx, wy - ly)
            return  # the model's change redraws the overlay
        else:
            d["at"] = self.to_world(x, y)
        self._draw_overlay()

    def _on_mouse_up(self, x: float, y: float) -> None:
        d, self._drag = self._drag, None
        if d is None:
            return
        if d["op"] == "palette":
            sx, sy = d["start"]
            if self._is_link_part(d["kind"]):
                self._arm_link_part(d["kind"])
            elif d["kind"] in schema.FLUID_LINES:
                self.set_mode("link")
                self.set_link_type(d["kind"])
            elif x < PALETTE_W:
                if math.hypot(x - sx, y - sy) <= CLICK_SLOP and self.palette_hit(x, y) == d["kind"]:
                    self.armed = None if self.armed == d["kind"] else d["kind"]
                    self._draw_chrome()
                    self._update_status()
            else:
                self._place(d["kind"], *self.to_world(x, y))
        elif d["op"] == "move":
            self._end_move(d)
        elif d["op"] == "link":
            wx, wy = self.to_world(x, y)
            end = next(iter(self.model.index.at(wx, wy)), None)
            if end is None:
                self._say("no link made: release the drag on the other node's box")
            elif end == d["from"]:
                self._say(f"no link made: a link joins two different nodes, not {end} to itself")
            else:
                try:
                    made = self.model.connect(self.link_type, d["from"], end, part=self.link_part)
                except (CryoGenError, ValueError) as exc:
                    self._say(str(exc))
                    made = None
                if made is None and not self.status.value.startswith("<span"):
                    self._say(
                        f"no link made between {d['from']} and {end}: links join two nodes "
                        "(boundary, stage); a source attaches to one node; fluid elements join "
                        "two fluid points, or a point to a free port of an exchanger"
                    )
                if made is not None:
                    self.link_part = None
                    self.select({made})
        elif d["op"] == "box":
            (x0, y0), (x1, y1) = d["start"], self.to_world(x, y)
            box = Rect(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
            if box.w > 1 and box.h > 1:
                self.select(
                    self.model.in_box(box)
                    | (self.model.selection if self.add_toggle.value else set())
                )
        self._draw_overlay()

    def _say(self, message: str) -> None:
        """A message beside the canvas about what the last gesture did not do."""
        self.status.value = f"<span style='color:#d62728'>{escape(message)}</span>"

    def _on_mouse_out(self, x: float, y: float) -> None:
        if self._drag is not None and self._drag["op"] in ("move", "pan", "box", "link"):
            self._on_mouse_up(x, y)

    def _on_mouse_wheel(self, dx: float, dy: float) -> None:
        """ipycanvas sends the wheel deltas; zoom about the last pointer position."""
        if dy:
            self.zoom(1 / ZOOM_STEP if dy > 0 else ZOOM_STEP, about=self._pointer)

    # ------------------------------------------------------------------ keyboard
    def _on_key_down(self, key: str, shift: bool, ctrl: bool, meta: bool) -> None:
        cmd = ctrl or meta
        k = key.lower()
        sel = self.model.selection
        if cmd and k == "z":
            self.redo() if shift else self.undo()
        elif cmd and k == "y":
            self.redo()
        elif cmd and k == "c":
            self.model.copy()
        elif cmd and k == "x":
            self.model.copy()
            self.delete_selection()
        elif cmd and k == "v":
            self.model.paste()
            self.select(self.model.selection)
        elif cmd and k == "d":
            self.model.copy()
            self.model.paste()
            self.select(self.model.selection)
        elif cmd and k == "a":
            self.select(set(self.model.items))
        elif k in ("delete", "backspace"):
            self.delete_selection()
        elif k == "r" and not cmd:
            self.model.rotate(sel)
        elif k == "escape":
            self.armed = None
            self._drag = None
            self.select(set())
            self.set_mode("select")
        elif k == "l" and not cmd:
            self.set_mode("link")
        elif k == "v" and not cmd:
            self.set_mode("select")
        elif k == "h" and not cmd:
            self.set_mode("pan")
        elif k in ("+", "="):
            self.zoom(ZOOM_STEP)
        elif k == "-":
            self.zoom(1 / ZOOM_STEP)
        elif k == "0":
            self.fit()
        elif k.startswith("arrow"):
            step = {
                "arrowleft": (-1, 0),
                "arrowright": (1, 0),
                "arrowup": (0, -1),
                "arrowdown": (0, 1),
            }[k]
            if sel & set(self.model.index.ids()):
                size = GRID * (5 if shift else 1)
                ids = sel & set(self.model.index.ids())
                self.model.move(ids, step[0] * size, step[1] * size)
                self.model.settle(ids)
            else:
                self.pan(-step[0] * KEY_PAN, -step[1] * KEY_PAN)

    # ------------------------------------------------------------------ actions
    def _place(self, key: str, wx: float, wy: float) -> str | None:
        try:
            if key in self.parts:
                new = self.model.add_part(self.parts[key].id, wx, wy)
            else:
                new = self.model.add_component(key, wx, wy)
        except (CryoGenError, ValueError) as exc:
            self.status.value = f"<span style='color:#d62728'>{escape(str(exc))}</span>"
            return None
        self.select({new})
        return new

    def _is_link_part(self, key: str) -> bool:
        return key in self.parts and self.parts[key].category in schema.LINK_PART_CATEGORIES

    def _arm_link_part(self, key: str) -> None:
        """A strap, support, wiring or MLI part: the next link drawn is that part."""
        self.set_mode("link")
        self.link_part = self.parts[key].id
        self._update_status()

    def select(self, ids: set[str]) -> None:
        before = set(self.model.selection)
        self.model.select(ids)
        changed = before ^ self.model.selection
        if changed:
            self._redraw_ids(changed)
        only = next(iter(self.model.selection)) if len(self.model.selection) == 1 else None
        if only != self.properties.item_id:
            self.properties.show(only)
        self._update_status()

    def delete_selection(self) -> None:
        self.model.delete(self.model.selection)
        self.properties.show(None)

    def undo(self) -> None:
        self.model.undo()

    def redo(self) -> None:
        self.model.redo()

    def zoom(self, factor: float, about: tuple[float, float] | None = None) -> None:
        new = min(MAX_SCALE, max(MIN_SCALE, self.scale * factor))
        ax, ay = about or ((self.width + PALETTE_W) / 2, self.height / 2)
        wx, wy = self.to_world(ax, ay)
        self.scale = new
        self.offset = (ax - wx * new, ay - wy * new)
        self.redraw()

    def pan(self, dx: float, dy: float) -> None:
        self.offset = (self.offset[0] + dx, self.offset[1] + dy)
        self.redraw()

    def fit(self) -> None:
        """Zoom and pan so the whole design is in view."""
        if not self.model.boxes():
            self.scale, self.offset = 1.0, (PALETTE_W + 20.0, 20.0)
        else:
            extent = None
            for box in self.model.boxes():
                r = self.model.rect(box)
                extent = r if extent is None else extent.union(r)
            extent = extent.inflate(40)
            avail_w, avail_h = self.width - PALETTE_W - COLOUR_BAR_W - 60, self.height
            self.scale = min(
                MAX_SCALE, max(MIN_SCALE, min(avail_w / extent.w, avail_h / extent.h, 1.5))
            )
            self.offset = (PALETTE_W - extent.x * self.scale, -extent.y * self.scale)
        self.redraw()

    def show_results(self, results: Results | None) -> None:
        """Colour nodes by temperature and label links with heat flows (None clears)."""
        if results is None and self.results is None and not self.stale:
            return  # nothing shown, nothing to clear (opening a design has just repainted)
        self.results = results
        self.stale = False
        self.redraw()

    def set_stale(self, stale: bool) -> None:
        """Mark the colours and flow labels as belonging to an earlier version of the design."""
        if stale != self.stale:
            self.stale = stale
            self._draw_chrome()

    def load(self, design: dict) -> None:
        self._loading = True
        try:
            self.model.load(design)
        finally:
            self._loading = False
        self.properties.show(None)
        self.results = None
        self.fit()

    # ------------------------------------------------------------------ dragging items
    def _start_move(self, ids: set[str], wx: float, wy: float) -> None:
        self.model.begin_gesture()
        self._drag = {"op": "move", "ids": ids, "last": (wx, wy), "start": (wx, wy), "moved": False}

    def _lift(self, ids: set[str]) -> None:
        """First move of a drag: the dragged boxes and their links go to the overlay layer
        (a click that does not move them repaints nothing more)."""
        hidden = ids | self.model.connections_of(ids)
        self._hidden = hidden
        self._redraw_region(self._union_drawn(hidden))
        self._draw_overlay()

    def _end_move(self, d: dict) -> None:
        hidden, self._hidden = self._hidden, set()
        if d["moved"] and not self._attach_dropped_source(d):
            self.model.settle(d["ids"])  # redraws the region of everything it touched
        if hidden:
            self._redraw_ids(hidden)
        self.model.end_gesture()

    def _attach_dropped_source(self, d: dict) -> bool:
        """A single source dropped onto a node attaches to it and goes back where it was."""
        if len(d["ids"]) != 1:
            return False
        (moved,) = d["ids"]
        if not self.model.is_source(moved):
            return False
        wx, wy = d["last"]
        target = next(
            (
                i
                for i in self.model.index.at(wx, wy)
                if i != moved and self.model.is_thermal_node(i)
            ),
            None,
        )
        if target is None:
            return False
        (sx, sy) = d["start"]
        self.model.move({moved}, sx - wx, sy - wy)  # back to where the drag began
        self.model.settle({moved})
        if self.model.connect(self.link_type, moved, target) is None:
            self.status.value = (
                f"<span style='color:#d62728'>{moved} was not attached to {target}: every "
                "stage of the cooler is already attached</span>"
            )
        return True

    # ------------------------------------------------------------------ drawing
    def _on_model_change(self, change: Change) -> None:
        shown = {k: v[0] for k, v in self.model.problems.items() if k is not None}
        flipped = {
            k
            for k in shown.keys() | self._shown_problems.keys()
            if shown.get(k) != self._shown_problems.get(k)
        }  # outlines to add or remove
        self._shown_problems = shown
        if change.full:
            if not self._loading:
                self.redraw()
        elif self._drag is not None and self._drag["op"] == "move":
            self._draw_overlay()
        else:
            self._redraw_ids(change.ids | flipped)
        self._update_status()

    def _update_status(self) -> None:
        n_bad = sum(1 for k in self.model.problems if k is not None)
        sel = self.model.selection
        parts = [f"{len(self.model.components)} components, {len(self.model.links)} links"]
        if self.model.flow_items:
            parts[0] += f", {len(self.model.flow_items)} fluid items"
        if sel:
            parts.append(f"{len(sel)} selected")
        if n_bad:
            parts.append(f"<span style='color:#d62728'>{n_bad} with problems</span>")
        link_kind = self.link_part or self.link_type
        parts.append(
            f"mode: {self.mode}{' (' + escape(link_kind) + ')' if self.mode == 'link' else ''}"
        )
        if self.armed:
            parts.append(f"click the canvas to place {escape(self.palette_label(self.armed))}")
        self.status.value = " · ".join(parts)

    def redraw(self) -> None:
        """Repaint every layer from the model (used on connect, pan, zoom, undo, load)."""
        self.redraw_count["full"] += 1
        self._drawn.clear()
        with hold_canvas():
            self._draw_grid()
            items = self.layers["items"]
            items.reset_transform()
            items.clear()
            self._paint(
                CanvasPainter(items, self.scale, self.offset), self.view_rect(), hidden=self._hidden
            )
            self._draw_chrome()
            self._draw_overlay()
        self._update_status()

    def _redraw_ids(self, ids: set[str]) -> None:
        region = self._union_drawn(ids)
        for cid in ids:
            box = self._bbox_now(cid)
            if box is not None:
                region = box if region is None else region.union(box)
        if region is not None:
            self._redraw_region(region)

    def _union_drawn(self, ids) -> Rect | None:
        region = None
        for i in ids:
            r = self._drawn.get(i)
            if r is not None:
                region = r if region is None else region.union(r)
        return region

    def _bbox_now(self, item_id: str) -> Rect | None:
        if item_id in self.model.index:
            return component_bbox(self.model.rect(item_id))
        conn = self.model.connections().get(item_id)
        if conn is None:
            return None
        pts = self.model.route_of(item_id, (conn[1], conn[2]))
        return connection_bbox(pts) if pts else None

    def _redraw_region(self, region: Rect | None) -> None:
        if region is None:
            return
        self.redraw_count["region"] += 1
        region = region.inflate(2)
        c = self.layers["items"]
        (sx0, sy0), (sx1, sy1) = (
            self.to_screen(region.x, region.y),
            self.to_screen(region.x2, region.y2),
        )
        with hold_canvas():
            c.save()
            c.reset_transform()
            c.clear_rect(sx0, sy0, sx1 - sx0, sy1 - sy0)
            c.begin_path()
            c.rect(sx0, sy0, sx1 - sx0, sy1 - sy0)
            c.clip()
            self._paint(CanvasPainter(c, self.scale, self.offset), region, hidden=self._hidden)
            c.restore()

    def _paint(
        self, painter, region: Rect, *, hidden: set[str], only: set[str] | None = None
    ) -> None:
        """Paint links then boxes that intersect ``region`` (world units), skipping ``hidden``."""
        model = self.model
        painter.batch = True
        for cid, (kind, a, b) in model.connections().items():
            if cid in hidden or (only is not None and cid not in only):
                continue
            if only is None:
                pts = model.route_of(cid, (a, b))
            elif a in model.index and b in model.index:  # dragging: cheap path, rerouted on drop
                pts = quick_route(model.rect(a), model.rect(b))
            else:
                pts = None
            if not pts:
                continue
            box = self._route_box(cid, pts)
            if only is None:
                self._drawn[cid] = box
            if box.intersects(region):
                invalid = cid in model.problems or (kind == "attach" and a in model.problems)
                draw_connection(
                    painter,
                    kind,
                    pts,
                    label=connection_label(model, cid, (kind, a, b), self.results),
                    selected=cid in model.selection,
                    invalid=invalid and kind != "attach",
                    label_at=label_fraction(model, cid),
                )
        painter.flush()
        painter.batch = False
        ids = (
            model.index.query(region.inflate(4)) if only is None else only & set(model.index.ids())
        )
        for cid in sorted(ids):
            if cid in hidden and only is None:
                continue
            r = model.rect(cid)
            if only is None:
                self._drawn[cid] = component_bbox(r)
            draw_component(
                painter,
                model.items[cid],
                r,
                selected=cid in model.selection,
                invalid=cid in model.problems,
                results=self.results,
                problem=first_problem(model, cid),
                kind=model.kind(cid),
            )

    def _route_box(self, conn_id: str, points: list) -> Rect:
        """What a connection along ``points`` may paint (kept while its route is)."""
        kept = self._route_boxes.get(conn_id)
        if kept is None or kept[0] is not points:
            kept = (points, connection_bbox(points))
            self._route_boxes[conn_id] = kept
        return kept[1]

    def _draw_overlay(self) -> None:
        self.redraw_count["overlay"] += 1
        c = self.layers["overlay"]
        with hold_canvas():
            c.reset_transform()
            c.clear()
            d = self._drag
            if d is None:
                return
            p = CanvasPainter(c, self.scale, self.offset)
            if d["op"] == "move":
                self._paint(p, self.view_rect(), hidden=set(), only=self._hidden)
            elif d["op"] == "link":
                a = self.model.rect(d["from"]).center
                p.polyline(
                    [a, d["at"]],
                    stroke=LINK_STROKE.get(self.link_type)
                    or FLUID_STROKE.get(self.link_type, "#444444"),
                    width=2,
                    dash=(4, 3),
                )
            elif d["op"] == "box":
                (x0, y0), (x1, y1) = d["start"], d["at"]
                p.rect(
                    min(x0, x1),
                    min(y0, y1),
                    abs(x1 - x0),
                    abs(y1 - y0),
                    stroke="#1f77b4",
                    width=1 / self.scale,
                    dash=(4, 3),
                )
            elif d["op"] == "palette" and d["at"][0] >= PALETTE_W:
                wx, wy = self.to_world(*d["at"])
                r = box_rect({"x": wx, "y": wy})
                p.rect(r.x, r.y, r.w, r.h, stroke="#1f77b4", width=1.5, dash=(4, 3))
                p.text(wx, wy, d["kind"], "#1f77b4", size=12)

    def _draw_grid(self) -> None:
        c = self.layers["grid"]
        c.reset_transform()
        c.clear()
        c.fill_style = "#ffffff"
        c.fill_rect(0, 0, self.width, self.height)
        step = GRID * self.scale
        while step < 8:
            step *= 5
        c.stroke_style = "#eeeeee"
        c.line_width = 1
        x0 = self.offset[0] % step
        y0 = self.offset[1] % step
        xs = [x0 + i * step for i in range(int(self.width / step) + 2)]
        ys = [y0 + i * step for i in range(int(self.height / step) + 2)]
        segs = [[[x, 0], [x, self.height]] for x in xs if x >= PALETTE_W] + [
            [[PALETTE_W, y], [self.width, y]] for y in ys
        ]
        if segs:
            c.stroke_line_segments(np.array(segs, dtype=float))

    def _draw_chrome(self) -> None:
        c = self.layers["chrome"]
        with hold_canvas():
            c.reset_transform()
            c.clear()
            c.fill_style = "#f4f6f8"
            c.fill_rect(0, 0, PALETTE_W, self.height)
            c.stroke_style = "#bbbbbb"
            c.line_width = 1
            c.stroke_line(PALETTE_W, 0, PALETTE_W, self.height)
            c.fill_style = "#333333"
            c.font = "bold 12px sans-serif"
            c.text_align = "left"
            c.text_baseline = "middle"
            self._draw_sections(c)
            kinds = self.palette_kinds()
            if self.parts:
                c.fill_style = "#333333"
                c.font = "bold 12px sans-serif"
                c.fill_text("Catalog", 10, PALETTE_TOP + (len(kinds) + 0.5) * PALETTE_ITEM_H)
            for kind in self.palette_entries():
                _cx, cy = self.palette_slot(kind)
                x, y, wdt, hgt = 8, cy - PALETTE_ITEM_H / 2 + 3, PALETTE_W - 16, PALETTE_ITEM_H - 6
                c.fill_style = "#1f77b4" if kind == self.armed else "#ffffff"
                c.fill_rect(x, y, wdt, hgt)
                c.stroke_style = "#999999"
                c.stroke_rect(x, y, wdt, hgt)
                swatch = self.parts[kind].category if kind in self.parts else kind
                c.fill_style = KIND_FILL.get(
                    swatch, LINK_STROKE.get(swatch, FLUID_STROKE.get(swatch, "#dddddd"))
                )
                c.fill_rect(x + 4, y + 5, 12, hgt - 10)
                c.fill_style = "#ffffff" if kind == self.armed else "#111111"
                c.font = "12px sans-serif"
                label = self.palette_label(kind)
                size = 12 if len(label) <= 13 else 11 if len(label) <= 17 else 10
                c.font = f"{size}px sans-serif"
                c.fill_text(label if len(label) <= 22 else label[:21] + "…", x + 20, cy)
            if self.results is not None and self.results.temperature_K:
                self._draw_colorbar(c)
            if not self.model.boxes():
                self._draw_hint(c)
            if self.stale and self.results is not None:
                self._draw_banner(
                    c, "⚠ temperatures and flows are out of date — run again", "#fff3cd", "#664d03"
                )

    def _draw_sections(self, c) -> None:
        """The palette's header: one tab per section, the open one highlighted."""
        tab_w = PALETTE_W / len(SECTIONS)
        for k, (section, title) in enumerate(zip(SECTIONS, ("Thermal", "Fluid"), strict=True)):
            open_ = section == self.palette_section and not self.palette_filter
            c.fill_style = "#ffffff" if open_ else "#dde3ea"
            c.fill_rect(k * tab_w + 2, 4, tab_w - 4, PALETTE_TOP - 8)
            c.stroke_style = "#1f77b4" if open_ else "#bbbbbb"
            c.stroke_rect(k * tab_w + 2, 4, tab_w - 4, PALETTE_TOP - 8)
            c.fill_style = "#111111" if open_ else "#555555"
            c.font = "bold 12px sans-serif" if open_ else "12px sans-serif"
            c.text_align = "center"
            c.fill_text(title, (k + 0.5) * tab_w, PALETTE_TOP / 2)
        c.text_align = "left"

    def _draw_hint(self, c) -> None:
        """What to do on an empty canvas."""
        cx, cy = (self.width + PALETTE_W) / 2, self.height / 2
        c.fill_style = "#5b6b7b"
        c.text_align = "center"
        c.font = "bold 16px sans-serif"
        c.fill_text("Start from a template, or click a component in the palette", cx, cy - 24)
        c.font = "13px sans-serif"
        for k, line in enumerate(EMPTY_HINT):
            c.fill_text(line, cx, cy + 4 + 20 * k)
        c.text_align = "left"

    def _draw_banner(self, c, text: str, fill: str, ink: str) -> None:
        x0, w_ = PALETTE_W + 10, self.width - PALETTE_W - 20
        c.fill_style = fill
        c.fill_rect(x0, 6, w_, 24)
        c.stroke_style = "#e0a800"
        c.stroke_rect(x0, 6, w_, 24)
        c.fill_style = ink
        c.font = "bold 13px sans-serif"
        c.text_align = "center"
        c.fill_text(text, x0 + w_ / 2, 18)
        c.text_align = "left"

    def _draw_colorbar(self, c) -> None:
        top = 30
        draw_colour_bar(
            CanvasPainter(c),
            self.results,
            self.width - COLOUR_BAR_W - 50,
            top,
            self.height - 2 * top,
        )
        c.text_align = "left"


EMPTY_HINT = (
    "(the Templates tab opens ready-made systems), then click the canvas to place it.",
    "Link mode (L): drag from one node to another. Drop a source on its stage to attach it.",
)


def fluid_label(kind: str) -> str:
    """A fluid kind as the palette and the link picker name it (``fluid:bath`` -> separator)."""
    return FLUID_LABELS.get(kind, schema.flow_type(kind).replace("_", " "))


_LINE_NAMES = {
    "fluid:hx_hot": "exchanger hot stream",
    "fluid:hx_cold": "exchanger cold stream",
    "fluid:wall": "pipe wall → node",
}


def legend_html() -> str:
    """Key to the link colours and dash styles of the drawing (from the scene's styles)."""

    def key(entries: list[tuple[str, str, tuple[int, int] | None]]) -> str:
        items = []
        for name, colour, dash in entries:
            dash_attr = f" stroke-dasharray='{dash[0]},{dash[1]}'" if dash else ""
            items.append(
                "<span style='white-space:nowrap;margin-right:12px'>"
                f"<svg width='34' height='10'><line x1='1' y1='5' x2='33' y2='5' stroke='{colour}' "
                f"stroke-width='2'{dash_attr}/></svg> {escape(name)}</span>"
            )
        return " ".join(items)

    fluid = [
        (_LINE_NAMES.get(kind) or fluid_label(kind), colour, DASHED.get(kind))
        for kind, colour in FLUID_STROKE.items()
        if kind not in schema.FLUID_LINES[1:]
    ]
    return (
        "<div class='cryogen-legend' style='font-size:12px;color:#333;max-width:1250px'>"
        "<b>Links:</b> " + key(legend_entries()) + "<br><b>Fluid:</b> " + key(fluid) + " "
        "(valves, JT valves and circulators are marked on their line)</div>"
    )
