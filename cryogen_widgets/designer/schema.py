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

from cryogen_widgets.designer.kinds import FLOW_KINDS, KINDS
from solver import design as _design
from solver import elements
from solver.flow import model as _flow

# Types in the designer's palette order (the order of KINDS), as registered in solver.elements.
NODE_TYPES: tuple[str, ...] = tuple(k for k in KINDS if k in elements.NODES)
COMPONENT_TYPES: tuple[str, ...] = tuple(k for k in KINDS if k in elements.COMPONENTS)
LINK_TYPES: tuple[str, ...] = tuple(k for k in KINDS if k in elements.LINKS)
#: Link types drawn by dragging between two nodes (``body`` links come from the grid solver).
DRAWN_LINK_TYPES: tuple[str, ...] = tuple(t for t in LINK_TYPES if elements.LINKS[t].drawn)

#: Designer kinds of the fluid network (the ``flow`` section) carry this prefix, so that the
#: flow ``bath`` boundary is told apart from the thermal ``bath`` node.
FLUID = "fluid:"
#: Points of the fluid network (boxes that elements join), in palette order.
FLUID_POINTS: tuple[str, ...] = tuple(
    FLUID + t for t in FLOW_KINDS if t == "junction" or t in _flow.BOUNDARY_MODELS
)
#: Fluid elements drawn as a line from one point to another.
FLUID_LINES: tuple[str, ...] = tuple(
    FLUID + t for t in FLOW_KINDS if t in _flow.ELEMENT_MODELS and t != "counterflow_hx"
)
#: Fluid items drawn as boxes: the points and the counterflow exchanger (four ports).
FLUID_BOXES: tuple[str, ...] = (*FLUID_POINTS, FLUID + "counterflow_hx")
#: The fluid section of the palette.
FLUID_PALETTE: tuple[str, ...] = tuple(FLUID + t for t in FLOW_KINDS)
#: An exchanger's four ends, as (field, stream, direction into the exchanger).
HX_PORTS: tuple[tuple[str, str, bool], ...] = (
    ("hot_from", "hot", True),
    ("hot_to", "hot", False),
    ("cold_from", "cold", True),
    ("cold_to", "cold", False),
)

#: Values a freshly placed item starts with (see :mod:`cryogen_widgets.designer.kinds`).
STARTER_VALUES: dict[str, dict[str, Any]] = {k: v.starter for k, v in KINDS.items()} | {
    FLUID + k: v.starter for k, v in FLOW_KINDS.items()
}

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
    kind: str  # "float", "int", "bool", "str", "choice", "node", "point", "json"
    required: bool
    choices: tuple[str, ...] = ()


def is_node(item: dict) -> bool:
    return item.get("type") in NODE_TYPES


def is_fluid(kind: str) -> bool:
    return kind.startswith(FLUID)


def flow_type(kind: str) -> str:
    """The design file's ``type`` of a fluid kind (``fluid:pipe`` -> ``pipe``)."""
    return kind.removeprefix(FLUID)


def flow_section(kind: str) -> str:
    """The list of the ``flow`` section an item of ``kind`` lives in."""
    t = flow_type(kind)
    if t == "junction":
        return "junctions"
    return "boundaries" if t in _flow.BOUNDARY_MODELS else "elements"


def model_of(item: dict, kind: str | None = None):
    """The pydantic model of an item; ``kind`` is the designer's kind (fluid items need it)."""
    kind = kind or item.get("type")
    if is_fluid(kind):
        t = flow_type(kind)
        if t == "junction":
            return _flow.Junction
        return _flow.BOUNDARY_MODELS.get(t) or _flow.ELEMENT_MODELS[t]
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


def field_specs(item: dict, kind: str | None = None) -> list[FieldSpec]:
    """Form fields of ``item`` generated from its pydantic model (``id`` and ``type`` excluded)."""
    specs = []
    for name, info in model_of(item, kind).model_fields.items():
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
    if key in ("stage", "wall"):
        return "node", ()
    if key in {port for port, _, _ in HX_PORTS}:
        return "point", ()
    base = args[0] if args else str
    simple = {bool: "bool", int: "int", float: "float", str: "str"}
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
    """A fresh component, link or fluid item of ``kind`` with starter values."""
    typed = {} if kind == FLUID + "junction" else {"type": flow_type(kind)}
    return {"id": item_id, **typed, **copy.deepcopy(STARTER_VALUES.get(kind, {}))}


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


def fluid_names() -> tuple[str, ...]:
    """Fluids a ``flow`` section may carry (CoolProp names)."""
    from solver.flow.properties import FLUIDS

    return FLUIDS


def material_ids() -> tuple[str, ...]:
    from solver import materials

    return tuple(materials.ids())
