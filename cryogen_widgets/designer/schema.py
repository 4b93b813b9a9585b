"""What the editor knows about the design-file model: kinds, starter values, form fields, problems.

The types come from the solver's element registry (``solver.elements``) and the
forms from their pydantic models; the starter values a new item gets when it is
dropped on the canvas come from :mod:`cryogen_widgets.designer.kinds`. This module
turns field names with units (``length_m``) into form labels.
"""

from __future__ import annotations

import copy
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from cryogen_widgets.designer.kinds import KINDS
from solver import design as _design
from solver import elements

# Types in the designer's palette order (the order of KINDS), as registered in solver.elements.
NODE_TYPES: tuple[str, ...] = tuple(k for k in KINDS if k in elements.NODES)
COMPONENT_TYPES: tuple[str, ...] = tuple(k for k in KINDS if k in elements.COMPONENTS)
LINK_TYPES: tuple[str, ...] = tuple(k for k in KINDS if k in elements.LINKS)
#: Link types drawn by dragging between two nodes (``body`` links come from the grid solver).
DRAWN_LINK_TYPES: tuple[str, ...] = tuple(t for t in LINK_TYPES if elements.LINKS[t].drawn)

#: Values a freshly placed item starts with (see :mod:`cryogen_widgets.designer.kinds`).
STARTER_VALUES: dict[str, dict[str, Any]] = {k: v.starter for k, v in KINDS.items()}

#: Engineering unit shown for each field-name suffix.
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_per_cm", "1/cm"),
    ("_mol_s", "mol/s"),
    ("_W_K", "W/K"),
    ("_m2", "m²"),
    ("_kg", "kg"),
    ("_K", "K"),
    ("_W", "W"),
    ("_Pa", "Pa"),
    ("_m", "m"),
    ("_A", "A"),
    ("_s", "s"),
)


@dataclass(frozen=True)
class FieldSpec:
    """One editable field of an item: key in the design file, label, unit, kind and choices."""

    key: str
    label: str
    unit: str
    kind: str  # "float", "int", "str", "choice", "node", "json"
    required: bool
    choices: tuple[str, ...] = ()


def is_node(item: dict) -> bool:
    return item.get("type") in NODE_TYPES


def model_of(item: dict):
    kind = item.get("type")
    if kind in COMPONENT_TYPES:
        return _design.component_model(kind)
    return _design.link_model(kind)


def label_and_unit(name: str) -> tuple[str, str]:
    for suffix, unit in UNIT_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)].replace("_", " "), unit
    return name.replace("_", " "), ""


def field_label(key: str) -> str:
    """A design-file field as the form shows it: ``length_m`` -> "length [m]"."""
    label, unit = label_and_unit(key)
    return f"{label} [{unit}]" if unit else label


def field_specs(item: dict) -> list[FieldSpec]:
    """Form fields of ``item`` generated from its pydantic model (``id`` and ``type`` excluded)."""
    specs = []
    for name, info in model_of(item).model_fields.items():
        key = info.alias or name
        if key in ("id", "type", "from", "to"):
            continue
        label, unit = label_and_unit(key)
        kind, choices = _kind(key, info.annotation)
        specs.append(FieldSpec(key, label, unit, kind, info.is_required(), choices))
    return specs


def _kind(key: str, annotation) -> tuple[str, tuple[str, ...]]:
    args = [a for a in _flatten(annotation) if a is not type(None)]
    literal = [a for a in args if typing.get_origin(a) is Literal]
    if literal:
        return "choice", tuple(typing.get_args(literal[0]))
    if key == "stage":
        return "node", ()
    base = args[0] if args else str
    simple = {int: "int", float: "float", str: "str"}
    return simple.get(base, "json"), ()


def _flatten(annotation) -> list:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _flatten(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for a in typing.get_args(annotation):
            out += _flatten(a)
        return out
    return [annotation]


def new_item(kind: str, item_id: str) -> dict:
    """A fresh component or link of ``kind`` with starter values."""
    return {"id": item_id, "type": kind, **copy.deepcopy(STARTER_VALUES.get(kind, {}))}


def problems_by_id(d: dict) -> dict[str | None, list[str]]:
    """Live validation: messages of every problem of ``d`` grouped by item id (None: the file)."""
    out: dict[str | None, list[str]] = {}
    for p in _design.validate(d):
        text = f"{field_label(p.field)}: {p.message}" if p.field else p.message
        out.setdefault(p.id, []).append(text)
    return out


#: Catalog categories placed as a link between two nodes (the rest are placed as components).
LINK_PART_CATEGORIES = ("strap", "support", "wiring", "mli", "heat_switch")
#: What the catalog cannot know about a link part; editing defaults changed in the property panel.
LINK_PART_STARTERS = {
    "wiring": {"length_m": 0.3},
    "mli": {"area_m2": 1.0},
    "heat_switch": {"state": "off"},
}


def catalog_component(part_id: str, item_id: str) -> dict:
    """A component standing for catalog part ``part_id`` (cryocooler, vessel, dilution unit).

    Stage attachments are left empty; the engineer draws them on the canvas.
    """
    from solver import catalog

    entry = catalog.get(part_id)
    if entry.category == "cryocooler":
        return {"id": item_id, "type": "cryocooler", "model": entry.name, "stages": {}}
    if entry.category == "dilution_refrigerator":
        return catalog.to_design_element(part_id, id=item_id, stage="")
    if entry.category == "vessel":
        return catalog.to_design_element(part_id, id=item_id)
    raise ValueError(
        f"catalog part {part_id} is a {entry.category}; place it as a link between two nodes"
        if entry.category in LINK_PART_CATEGORIES
        else f"catalog part {part_id} ({entry.category}) cannot be placed on the canvas"
    )


def catalog_link(part_id: str, link_id: str, start: str, end: str) -> dict:
    """A link from node ``start`` to node ``end`` standing for catalog part ``part_id``."""
    from solver import catalog

    entry = catalog.get(part_id)
    extra = LINK_PART_STARTERS.get(entry.category, {})
    return catalog.to_design_element(part_id, id=link_id, from_=start, to=end, **extra)


def cooler_stage_names(model_name: str) -> tuple[str, ...]:
    """Stage names of a cryocooler model (``first``, ``second``...), in the map's order."""
    from solver import cryocoolers as cryocooler_models

    return tuple(cryocooler_models.get(model_name).stage_names)


def cooler_names() -> tuple[str, ...]:
    """Models that can be a ``cryocooler`` source (a published capacity map or curve)."""
    from solver import cryocoolers

    return tuple(cryocoolers.solvable_names())


def is_rating_only_cooler(part_id: str) -> bool:
    """A catalog cryocooler published only as rating points (placed as constant coolers)."""
    from solver import catalog, cryocoolers

    entry = catalog.get(part_id)
    return entry.category == "cryocooler" and entry.name in cryocoolers.rating_only_names()


def rated_coolers(part_id: str, id_prefix: str) -> list[dict]:
    """One ``constant_cooler`` per rated stage of a rating-only cooler, at its rated power,
    ids ``<prefix>-rated-<stage>`` (stages left for the engineer to attach)."""
    from solver import catalog

    entry = catalog.get(part_id)
    stages = dict.fromkeys(entry.parameters["stages"], "")
    return catalog.rated_constant_coolers(part_id, id=f"{id_prefix}-rated", **stages)


def material_ids() -> tuple[str, ...]:
    from solver import materials

    return tuple(materials.ids())
