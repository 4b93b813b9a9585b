"""Property panel: an ipywidgets form for the selected item, generated from its design-file model."""

from __future__ import annotations

import json
from html import escape

import ipywidgets as w

from cryogen_widgets.designer import schema
from cryogen_widgets.designer.forms import CoilForm, StageMapForm, parse_number
from cryogen_widgets.designer.model import Change, DesignerModel
from solver.errors import CryoGenError

LABEL_STYLE = {"description_width": "150px"}
FIELD_LAYOUT = {"width": "330px"}


class PropertyPanel(w.VBox):
    """Form for one item of ``model``; every edit goes through the model (undoable)."""

    def __init__(self, model: DesignerModel) -> None:
        super().__init__(layout=w.Layout(width="350px", min_width="350px"))
        self.model = model
        self.item_id: str | None = None
        self.fields: dict[str, w.Widget] = {}
        self.problems = w.HTML()
        self._own_edit = False
        model.subscribe(self._on_change)
        self.show(None)

    # ------------------------------------------------------------------ building
    def show(self, item_id: str | None) -> None:
        self.item_id = item_id if item_id in self.model.items else None
        self.fields = {}
        if self.item_id is None:
            n_c, n_l = len(self.model.components), len(self.model.links)
            rows = [
                w.HTML(
                    f"<b>{_esc(self.model.design.get('name', ''))}</b><br>{n_c} components, {n_l} links."
                    "<br><i>Select an item to edit it.</i>"
                )
            ]
            flow = self.model.design.get("flow")
            if isinstance(flow, dict):
                rows.append(self._fluid_picker(flow))
            self.children = [*rows, self.problems]
            self._show_problems()
            return
        item = self.model.items[self.item_id]
        kind = self.model.kind(self.item_id)
        rows: list[w.Widget] = [w.HTML(f"<b>{_esc(kind.replace(schema.FLUID, 'fluid '))}</b>")]
        ident = w.Text(
            value=self.item_id,
            description="id",
            continuous_update=False,
            style=LABEL_STYLE,
            layout=FIELD_LAYOUT,
        )
        ident.observe(self._on_rename, "value")
        rows.append(ident)
        kinds = next((k for k in _SWAPPABLE if kind in k), ())
        if kinds:
            picker = w.Dropdown(
                options=[(k.replace(schema.FLUID, ""), k) for k in kinds],
                value=kind,
                description="type" if schema.is_fluid(kind) else "link type",
                style=LABEL_STYLE,
                layout=FIELD_LAYOUT,
            )
            picker.observe(self._on_kind, "value")
            rows.append(picker)
        if "from" in item:
            rows.append(
                w.HTML(
                    f"from <b>{_esc(item.get('from', ''))}</b> to <b>{_esc(item.get('to', ''))}</b>"
                )
            )
        for spec in schema.field_specs(item, kind):
            form = self._form(item, spec)
            if form is not None:
                rows.append(form)
                continue
            widget = self._field_widget(spec, item.get(spec.key))
            widget.observe(
                lambda ch, spec=spec: self._on_field(spec, ch["new"]),
                "value",
            )
            self.fields[spec.key] = widget
            rows.append(widget)
        rows.append(self.problems)
        self.children = rows
        self._show_problems()

    def _form(self, item: dict, spec: schema.FieldSpec) -> w.Widget | None:
        """A form instead of JSON text for a cooler's stage mapping and a magnet's coil."""
        key, item_id = spec.key, self.item_id
        kind = self.model.kind(item_id)
        if kind == "cryocooler" and key == "stages":
            try:
                names = schema.cooler_stage_names(item.get("model", ""))
            except CryoGenError:
                return w.HTML("<i>choose a cooler model to map its stages</i>")
            nodes = [c["id"] for c in self.model.components if self.model.is_thermal_node(c["id"])]
            return StageMapForm(
                names, item.get("stages", {}), nodes, lambda v: self._set(item_id, key, v)
            )
        if kind == "magnet" and key == "coil":
            return CoilForm(item.get("coil", {}), lambda v: self._set(item_id, key, v))
        return None

    def _fluid_picker(self, flow: dict) -> w.Widget:
        """The fluid of the whole fluid network (the ``flow`` section's ``fluid``)."""
        names = list(schema.fluid_names())
        value = flow.get("fluid", names[0])
        picker = w.Dropdown(
            options=names if value in names else [value, *names],
            value=value,
            description="fluid network's fluid",
            style=LABEL_STYLE,
            layout=FIELD_LAYOUT,
        )
        picker.observe(lambda ch: self.model.set_fluid(ch["new"]), "value")
        return picker

    def _set(self, item_id: str, key: str, value) -> None:
        self._own_edit = True
        try:
            self.model.set_field(item_id, key, value)
        finally:
            self._own_edit = False

    def _field_widget(self, spec: schema.FieldSpec, value) -> w.Widget:
        unit = f" [{spec.unit}]" if spec.unit else ""
        desc = f"{spec.label}{unit}{'' if spec.required else ' (opt.)'}"
        common = {"description": desc, "style": LABEL_STYLE, "layout": FIELD_LAYOUT}
        if spec.kind == "choice":
            options = ([""] if not spec.required else []) + list(spec.choices)
            return w.Dropdown(
                options=options, value=value if value in options else options[0], **common
            )
        if spec.kind in ("node", "point"):
            pick = self.model.is_thermal_node if spec.kind == "node" else self.model.is_fluid_point
            options = ["", *(i for i in self.model.items if pick(i))]
            return w.Dropdown(options=options, value=value if value in options else "", **common)
        if spec.kind == "bool":
            return w.Checkbox(value=bool(value), indent=False, **common)
        if spec.kind == "json":
            text = "" if value is None else json.dumps(value, indent=1)
            return w.Textarea(value=text, continuous_update=False, **common)
        if spec.key in ("material", "model"):
            options = schema.material_ids() if spec.key == "material" else schema.cooler_names()
            return w.Combobox(
                value="" if value is None else str(value),
                options=list(options),
                ensure_option=False,
                continuous_update=False,
                **common,
            )
        text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
        return w.Text(value=text, continuous_update=False, **common)

    # ------------------------------------------------------------------ edits
    def _on_field(self, spec: schema.FieldSpec, raw) -> None:
        label = f"{spec.label} [{spec.unit}]" if spec.unit else spec.label
        try:
            value = _parse(spec.kind, raw, label)
        except ValueError as exc:
            # the input is refused: the field shows the model's value again, the reason beside it
            old = self.model.items[self.item_id].get(spec.key)
            widget = self.fields[spec.key]
            self._own_edit = True
            try:
                widget.value = (
                    json.dumps(old, indent=1)
                    if spec.kind == "json" and old is not None
                    else (
                        "" if old is None else (f"{old:g}" if isinstance(old, float) else str(old))
                    )
                )
            finally:
                self._own_edit = False
            self.problems.value = f"<div style='color:#d62728'>⚠ {_esc(str(exc))}; kept {_esc(widget.value or 'empty')}</div>"
            return
        self._set(self.item_id, spec.key, value)

    def _on_rename(self, change) -> None:
        old = self.item_id
        if self.model.rename(old, change["new"].strip()):
            self.show(change["new"].strip())
        else:
            self.problems.value = f"<span style='color:#d62728'>id {_esc(repr(change['new']))} is empty or already used</span>"

    def _on_kind(self, change) -> None:
        self.model.change_type(self.item_id, change["new"])
        self.show(self.item_id)

    def _on_change(self, change: Change) -> None:
        if self._own_edit:
            self._show_problems()
            return
        if change.full or self.item_id not in self.model.items or self.item_id in change.ids:
            self.show(self.item_id)
        elif not change.layout_only:
            self._show_problems()

    def _show_problems(self) -> None:
        msgs = (
            self.model.problems.get(self.item_id, [])
            if self.item_id
            else self.model.problems.get(None, [])
        )
        if self.item_id is None:
            n_bad = sum(1 for k in self.model.problems if k is not None)
            if n_bad:
                msgs = [*msgs, f"{n_bad} item(s) have problems (outlined in red)"]
        self.problems.value = "".join(
            f"<div style='color:#d62728'>⚠ {_esc(m)}</div>" for m in msgs
        ) or ("<div style='color:#2ca02c'>✓ valid</div>" if self.item_id else "")


_SWAPPABLE = (
    schema.LINK_TYPES,
    schema.FLUID_LINES,
    tuple(k for k in schema.FLUID_POINTS if k != schema.FLUID + "junction"),
)
"""Types an item may change to in place (keeping its id and ends): links, fluid elements,
fluid boundaries."""


def _parse(kind: str, raw, label: str = "value"):
    """A form value typed by the engineer; ValueError naming the field's label."""
    raw = raw.strip() if isinstance(raw, str) else raw
    if raw == "" or kind == "bool":
        return None if raw == "" else raw
    if kind in ("float", "int"):
        return parse_number(raw, label, whole=kind == "int")
    if kind == "json":
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{label}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return raw


def _esc(s) -> str:
    return escape(str(s))
