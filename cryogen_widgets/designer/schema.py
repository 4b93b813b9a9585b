"""What the editor knows about the design-file model: kinds, starter values, form fields, problems.

Everything comes from ``solver.design`` (the pydantic model of ``cryogen/design@1``);
this module only adds the starter values a new item gets when it is dropped on the
canvas, and turns field names with units (``length_m``) into form labels.
"""

from __future__ import annotations

import copy
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from solver import design as _design

NODE_TYPES = ("boundary", "stage")
COMPONENT_TYPES: tuple[str, ...] = tuple(_design.COMPONENT_TYPES)
LINK_TYPES: tuple[str, ...] = tuple(_design.LINK_TYPES)
#: Link types drawn by dragging between two nodes (``body`` links come from the grid solver).
DRAWN_LINK_TYPES: tuple[str, ...] = tuple(t for t in LINK_TYPES if t != "body")

#: Values a freshly placed item starts with, so that it is valid as soon as it is linked.
#: They are editing defaults (the engineer changes them in the property panel), not data.
STARTER_VALUES: dict[str, dict[str, Any]] = {
    "boundary": {"temperature_K": 300.0},
    "stage": {"material": "OFHC-Cu-RRR100", "mass_kg": 1.0, "initial_K": 300.0, "heat_load_W": 0.0},
    "heat_load": {"stage": "", "power_W": 0.1},
    "constant_cooler": {"stage": "", "power_W": 1.0},
    "cryocooler": {"model": "Cryomech PT410", "stages": {}},
    "dilution_unit": {"stage": "", "flow_mol_s": 1e-4},
    "magnet": {
        "stage": "",
        "coil": {
            "schema": "cryogen/coil@1",
            "coils": [
                {
                    "id": "main",
                    "type": "solenoid",
                    "radius_m": 0.05,
                    "length_m": 0.2,
                    "turns": 1000,
                    "current_A": 10.0,
                }
            ],
            "conductor": {
                "superconductor": "NbTi",
                "cu_to_sc": 1.5,
                "area_m2": 1e-6,
                "wire_radius_m": 4e-4,
            },
            "operating_temperature_K": 4.2,
        },
    },
    "conductor": {"material": "SS304", "length_m": 0.1, "area_m2": 1e-5},
    "strap": {"material": "OFHC-Cu-RRR100", "length_m": 0.1, "area_m2": 2e-5},
    "support": {"material": "G10-normal", "length_m": 0.1, "area_m2": 2e-5, "count": 4},
    "radiation": {"area_m2": 0.3, "emissivity_eff": 0.05},
    "mli": {"area_m2": 1.0, "layers": 30, "layer_density_per_cm": 20.0, "pressure_Pa": 1e-4},
    "gas": {"species": "He", "area_m2": 0.1, "pressure_Pa": 1e-4},
    "contact": {"conductance_W_K": 0.1},
    "wiring": {"length_m": 0.3, "layers": [{"material": "Manganin", "area_m2": 1e-8}], "count": 12},
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
        text = f"{p.field}: {p.message}" if p.field else p.message
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
    from solver.thermal import cryocooler_models

    return tuple(cryocooler_models.get(model_name).stage_names)


def cooler_names() -> tuple[str, ...]:
    from solver.thermal import cryocooler_models

    return tuple(cryocooler_models.names())


def material_ids() -> tuple[str, ...]:
    from solver import materials

    return tuple(materials.ids())
