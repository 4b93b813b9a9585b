"""Forms for the two nested fields of a design: a cryocooler's stage mapping and a magnet's coil.

Each form edits a copy of the field and hands the whole new value to ``on_change``; a
value that does not parse, or a coil the solver refuses, is not handed on: the widget
goes back to the model's value and the message, in the field's words, shows beside it.
The coil fields, their types and units come from the solver's coil classes.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable
from html import escape

import ipywidgets as w

from cryogen_widgets.designer.schema import label_and_unit
from solver.errors import CryoGenError

LABEL_STYLE = {"description_width": "150px"}
FIELD_LAYOUT = {"width": "330px"}
#: Coil fields not offered in the form (numerical settings, kept as they are).
HIDDEN_COIL_FIELDS = ("id", "radial_nodes", "segments_per_arc", "segments_per_turn")
CONDUCTOR_FIELDS = (
    ("superconductor", "superconductor", ""),
    ("cu_to_sc", "Cu : SC ratio", ""),
    ("area_m2", "strand area", "m²"),
    ("wire_radius_m", "wire radius", "m"),
    ("rrr", "copper RRR", ""),
)


def parse_number(text: str, label: str, *, whole: bool = False) -> float | int | None:
    """A number typed in a form; ValueError in the engineer's words (empty: None)."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{label}: {text!r} is not a number") from None
    if whole:
        if value != int(value):
            raise ValueError(f"{label}: {text} is not a whole number")
        return int(value)
    return value


def parse_vector(text: str, label: str) -> list[float]:
    """ "x, y, z" in a form, as three numbers."""
    parts = [p for p in text.replace(";", ",").split(",") if p.strip()]
    if len(parts) != 3:
        raise ValueError(f"{label}: give three numbers x, y, z separated by commas")
    return [parse_number(p, label) for p in parts]  # type: ignore[misc]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(f"{v:g}" for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


class StageMapForm(w.VBox):
    """Which node each stage of a cryocooler model cools (one drop-down per model stage)."""

    def __init__(
        self,
        stage_names: tuple[str, ...],
        mapping: dict,
        nodes: list[str],
        on_change: Callable[[dict], None],
    ) -> None:
        self.on_change = on_change
        self.mapping = dict(mapping or {})
        self.pickers = {}
        rows: list[w.Widget] = [w.HTML("<b>cooler stages</b> (which plate each stage cools)")]
        for name in stage_names:
            value = self.mapping.get(name, "")
            options = [("— not attached —", ""), *[(n, n) for n in nodes]]
            picker = w.Dropdown(
                options=options,
                value=value if value in nodes else "",
                description=f"{name} stage cools",
                style=LABEL_STYLE,
                layout=FIELD_LAYOUT,
            )
            picker.observe(lambda ch, name=name: self._pick(name, ch["new"]), "value")
            self.pickers[name] = picker
            rows.append(picker)
        super().__init__(rows)

    def _pick(self, stage: str, node: str) -> None:
        new = {k: v for k, v in self.mapping.items() if k != stage}
        if node:
            new[stage] = node
        self.mapping = new
        self.on_change(new)


class CoilForm(w.VBox):
    """A magnet's coil file as a form: each coil's geometry (per its type, with units),
    the conductor and the operating temperature."""

    def __init__(self, coil: dict, on_change: Callable[[dict], None]) -> None:
        from solver.magnet import COIL_TYPES, superconductor_names

        self.coil_types = COIL_TYPES
        self.on_change = on_change
        self.coil = copy.deepcopy(coil if isinstance(coil, dict) else {})
        self.message = w.HTML()
        self.widgets: dict[tuple, w.Widget] = {}
        rows: list[w.Widget] = []
        for i, c in enumerate(self.coil.get("coils", [])):
            kind = c.get("type", "")
            rows.append(w.HTML(f"<b>coil {escape(str(c.get('id', i)))}</b> ({escape(kind)})"))
            cls = COIL_TYPES.get(kind)
            if cls is None:
                rows.append(
                    w.HTML(f"<span style='color:#d62728'>unknown coil type {kind!r}</span>")
                )
                continue
            for name, info in cls.model_fields.items():
                if name in HIDDEN_COIL_FIELDS:
                    continue
                rows.append(self._field(("coils", i, name), name, info.annotation, c.get(name)))
        conductor = self.coil.get("conductor")
        if conductor is not None:
            rows.append(w.HTML("<b>conductor</b>"))
            for key, label, unit in CONDUCTOR_FIELDS:
                if key == "superconductor":
                    names = list(superconductor_names())
                    value = conductor.get(key, "")
                    widget = w.Dropdown(
                        options=names if value in names else [value, *names],
                        value=value,
                        description=label,
                        style=LABEL_STYLE,
                        layout=FIELD_LAYOUT,
                    )
                    widget.observe(
                        lambda ch: self._set(("conductor", "superconductor"), ch["new"]), "value"
                    )
                    self.widgets[("conductor", key)] = widget
                    rows.append(widget)
                else:
                    rows.append(self._number(("conductor", key), label, unit, conductor.get(key)))
        rows.append(
            self._number(
                ("operating_temperature_K",),
                "operating temperature",
                "K",
                self.coil.get("operating_temperature_K"),
            )
        )
        rows.append(self.message)
        super().__init__(rows)

    # ------------------------------------------------------------------ widgets
    def _field(self, path: tuple, name: str, annotation, value) -> w.Widget:
        label, unit = label_and_unit(name)
        args = list(typing.get_args(annotation)) or [annotation]
        if name in ("center_m", "axis"):
            return self._vector(
                path,
                label,
                unit,
                value if value is not None else ([0, 0, 0] if name == "center_m" else [0, 0, 1]),
            )
        if name == "points_m":
            count = len(value or [])
            return w.HTML(f"{label} [{unit}]: {count} points (edit the path as a coil file)")
        if bool in args:
            box = w.Checkbox(value=bool(value), description=label, style=LABEL_STYLE)
            box.observe(lambda ch: self._set(path, ch["new"]), "value")
            return box
        whole = int in args and float not in args
        return self._number(path, label, unit, value, whole=whole)

    def _number(self, path: tuple, label: str, unit: str, value, *, whole: bool = False):
        return self._text_field(
            path,
            f"{label} [{unit}]" if unit else label,
            value,
            lambda text: parse_number(text, label, whole=whole),
        )

    def _vector(self, path: tuple, label: str, unit: str, value):
        return self._text_field(
            path,
            f"{label} [{unit}]" if unit else f"{label} (x, y, z)",
            value,
            lambda text: parse_vector(text, label),
        )

    def _text_field(self, path: tuple, description: str, value, parse) -> w.Widget:
        """A text box whose parsed value goes to :meth:`_set`, or is refused with the reason."""
        text = w.Text(
            value=_text(value),
            description=description,
            continuous_update=False,
            style=LABEL_STYLE,
            layout=FIELD_LAYOUT,
        )
        self.widgets[path] = text

        def changed(ch):
            try:
                self._set(path, parse(ch["new"]))
            except ValueError as exc:
                self._refuse(path, str(exc))

        text.observe(changed, "value")
        return text

    # ------------------------------------------------------------------ edits
    def _get(self, path: tuple):
        node = self.coil
        for key in path:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def _set(self, path: tuple, value) -> None:
        from solver.magnet import coil_from_dict

        new = copy.deepcopy(self.coil)
        parent = new
        for key in path[:-1]:
            parent = parent[key]
        if value is None:
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
        try:
            coil_from_dict(new)
        except CryoGenError as exc:
            self._refuse(path, str(exc))
            return
        self.coil = new
        self.message.value = ""
        self.on_change(new)

    def _refuse(self, path: tuple, message: str) -> None:
        """Put the model's value back in the widget and say why the input was not taken."""
        widget = self.widgets.get(path)
        if widget is not None:
            old = self._get(path)
            widget.value = _text(old) if isinstance(widget, w.Text) else old
        self.message.value = f"<div style='color:#d62728'>⚠ {escape(message)} (kept {escape(_text(self._get(path)) or 'empty')})</div>"
