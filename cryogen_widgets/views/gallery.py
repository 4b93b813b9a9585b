"""Templates gallery: one card per design in ``templates/designs`` with a thumbnail drawn from it."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from pathlib import Path

import ipywidgets as w

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.designer import schema
from cryogen_widgets.designer.model import DesignerModel
from cryogen_widgets.designer.paint import design_svg

THUMB_W, THUMB_H = 240, 170


def template_designs(folder: Path = DESIGNS_DIR) -> list[tuple[str, dict]]:
    """(name, design dict) of every ``*.cryo.json`` in ``folder``, sorted by file name."""
    out = []
    for path in sorted(Path(folder).glob("*.cryo.json")):
        design = json.loads(path.read_text())
        out.append((design.get("name") or path.name.removesuffix(".cryo.json"), design))
    return out


def thumbnail_svg(design: dict) -> str:
    return design_svg(DesignerModel(design), width=THUMB_W, height=THUMB_H)


class Gallery(w.VBox):
    """Cards with a thumbnail and an Open button; ``on_open(name, design)`` is called on a click.

    With ``lazy=True`` the cards are built by :meth:`show` (the app calls it when the
    Templates tab opens, or on first use of :attr:`buttons`): drawing and validating every
    template needs the whole component catalog, seconds a new page should not wait for.
    """

    def __init__(
        self,
        templates: list[tuple[str, dict]],
        on_open: Callable[[str, dict], None],
        *,
        lazy: bool = False,
    ) -> None:
        self.templates = templates
        self.on_open = on_open
        self._buttons: dict[str, w.Button] | None = None
        super().__init__([w.HTML("<i>Loading the templates…</i>")])
        if not lazy:
            self.show()

    @property
    def buttons(self) -> dict[str, w.Button]:
        """The Open button of each template, by name."""
        self.show()
        return self._buttons or {}

    def show(self) -> None:
        """Build the cards (once)."""
        if self._buttons is not None:
            return
        self._buttons = {}
        cards = [self._card(name, design) for name, design in self.templates]
        grid = w.GridBox(
            cards,
            layout=w.Layout(
                grid_template_columns=f"repeat(auto-fill, {THUMB_W + 20}px)", grid_gap="12px"
            ),
        )
        note = w.HTML(
            "<i>No templates found.</i>"
            if not self.templates
            else "Click <b>Open</b> to create a project from a template."
        )
        self.children = [note, grid]

    def _card(self, name: str, design: dict) -> w.Widget:
        problems = schema.problems_by_id(design)
        badge = (
            ""
            if not problems
            else f"<div style='color:#d62728'>{sum(len(v) for v in problems.values())} problem(s)</div>"
        )
        n_c, n_l = len(design.get("components", [])), len(design.get("links", []))
        html = w.HTML(
            f"<div style='border:1px solid #ccc;background:#fff'>{thumbnail_svg(design)}</div>"
            f"<div style='width:{THUMB_W}px;font-weight:bold'>{escape(name)}</div>"
            f"<div style='color:#666'>{n_c} components, {n_l} links</div>{badge}"
        )
        button = w.Button(
            description="Open",
            icon="folder-open",
            button_style="primary",
            tooltip=f"new project from {name}",
        )
        button.add_class("cryogen-template-open")
        button.on_click(lambda _: self.on_open(name, json.loads(json.dumps(design))))
        self._buttons[name] = button
        return w.VBox([html, button], layout=w.Layout(width=f"{THUMB_W + 20}px"))
