"""Validation of design dicts: every problem names the item id and field and says what is allowed.

``validate(d)`` collects all problems (the canvas shows them live);
``from_dict(d)`` raises :class:`solver.errors.DesignError` listing them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from solver import catalog, materials
from solver.design import model
from solver.errors import DesignError, UnknownNameError, closest_names
from solver.thermal import cryocooler_models, gas_properties

_COMPONENT_ADAPTER = TypeAdapter(model.Component)
_LINK_ADAPTER = TypeAdapter(model.LinkItem)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a design: the item (or None for the whole file), the field, the message."""

    id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = "design" if self.id is None else repr(self.id)
        field = f", field {self.field!r}" if self.field else ""
        return f"{where}{field}: {self.message}"


def validate(data: Any) -> list[Problem]:
    """All problems of a design dict (empty list when it is valid)."""
    if not isinstance(data, dict):
        return [Problem(None, None, f"a design is a JSON object, got {type(data).__name__}")]
    problems: list[Problem] = []
    top_allowed = {"schema", "name", "components", "links", "layout", "meta"}
    for key in data:
        if key not in top_allowed:
            problems.append(
                Problem(None, key, f"unknown key; allowed: {', '.join(sorted(top_allowed))}")
            )
    if data.get("schema") != model.SCHEMA:
        problems.append(
            Problem(None, "schema", f"must be {model.SCHEMA!r}, got {data.get('schema')!r}")
        )
    for key, kind in (("name", str), ("layout", dict), ("meta", dict)):
        if key in data and not isinstance(data[key], kind):
            problems.append(Problem(None, key, f"must be a {kind.__name__}"))

    components = _item_list(data, "components", problems)
    links = _item_list(data, "links", problems)
    parsed_components = [
        c
        for c in (
            _parse_item(raw, _COMPONENT_ADAPTER, model.COMPONENT_TYPES, problems)
            for raw in components
        )
        if c
    ]
    parsed_links = [
        lk
        for lk in (_parse_item(raw, _LINK_ADAPTER, model.LINK_TYPES, problems) for raw in links)
        if lk
    ]
    problems += _check_references(parsed_components, parsed_links, components + links)
    return problems


def from_dict(data: Any) -> model.Design:
    """Build a :class:`Design` from a dict, raising :class:`DesignError` that lists every problem."""
    problems = validate(data)
    if problems:
        raise DesignError("invalid design: " + "; ".join(str(p) for p in problems))
    return model.Design.model_validate(data)


# --------------------------------------------------------------------------- helpers


def _item_list(data: dict, key: str, problems: list[Problem]) -> list[Any]:
    items = data.get(key, [])
    if not isinstance(items, list):
        problems.append(Problem(None, key, "must be a list"))
        return []
    return items


def _parse_item(
    raw: Any, adapter: TypeAdapter, valid_types: tuple[str, ...], problems: list[Problem]
):
    if not isinstance(raw, dict):
        problems.append(Problem(None, None, f"each item must be an object, got {raw!r}"))
        return None
    item_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    item_type = raw.get("type")
    if item_type not in valid_types:
        closest = closest_names(str(item_type), valid_types)
        hint = f"closest: {', '.join(closest)}; " if closest else ""
        problems.append(
            Problem(
                item_id,
                "type",
                f"unknown type {item_type!r}; {hint}valid: {', '.join(valid_types)}",
            )
        )
        return None
    try:
        return adapter.validate_python(raw)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(_pydantic_problem(item_id, item_type, err))
        return None


def _pydantic_problem(item_id: str | None, item_type: str, err: dict) -> Problem:
    loc = [str(p) for p in err["loc"][1:]]  # loc[0] is the union tag (the type)
    field = ".".join(loc) or None
    if err["type"] == "extra_forbidden":
        cls = (
            model.component_model(item_type)
            if item_type in model.COMPONENT_TYPES
            else model.link_model(item_type)
        )
        allowed = sorted(f.alias or name for name, f in cls.model_fields.items())
        closest = closest_names(loc[-1], allowed)
        hint = f"did you mean {', '.join(closest)}? " if closest else ""
        return Problem(
            item_id, field, f"unknown field for a {item_type}; {hint}allowed: {', '.join(allowed)}"
        )
    if err["type"] == "missing":
        return Problem(item_id, field, f"required for a {item_type}")
    message = err["msg"].removeprefix("Value error, ")
    return Problem(item_id, field, f"{message} (got {err.get('input')!r})" if loc else message)


def _check_references(components, links, raw_items) -> list[Problem]:
    problems: list[Problem] = []
    counts = Counter(raw.get("id") for raw in raw_items if isinstance(raw, dict))
    for item_id, n in counts.items():
        if n > 1:
            problems.append(
                Problem(
                    item_id,
                    "id",
                    f"used by {n} items; ids must be unique across components and links",
                )
            )
    node_ids = [c.id for c in components if c.type in model.NODE_TYPES]
    stage_ids = [c.id for c in components if c.type == "stage"]

    def need_node(item_id: str, field: str, ref: str, allowed: list[str], kind: str) -> None:
        if ref not in allowed:
            problems.append(Problem(item_id, field, str(UnknownNameError(kind, ref, allowed))))

    for c in components:
        if c.type == "stage":
            problems += _material_problem(c.id, "material", c.material)
        elif c.type in ("heat_load", "constant_cooler", "dilution_unit", "magnet"):
            need_node(c.id, "stage", c.stage, stage_ids, "stage")
        if c.type == "magnet":
            problems += _coil_problem(c.id, c.coil)
        if c.type == "cryocooler":
            try:
                cooler = cryocooler_models.entry(c.model)
            except UnknownNameError as exc:
                problems.append(Problem(c.id, "model", str(exc)))
                continue
            stage_names = cooler["stages"]
            for stage_name, node in c.stages.items():
                if stage_name not in stage_names:
                    unknown = UnknownNameError(
                        f"stage of {cooler['name']}", stage_name, stage_names
                    )
                    problems.append(Problem(c.id, f"stages.{stage_name}", str(unknown)))
                need_node(c.id, f"stages.{stage_name}", node, stage_ids, "stage")
            missing = [s for s in stage_names if s not in c.stages]
            if missing:
                problems.append(
                    Problem(
                        c.id,
                        "stages",
                        f"{cooler['name']} has stages {', '.join(stage_names)}; map each to a stage id "
                        f"(missing: {', '.join(missing)})",
                    )
                )

    for lk in links:
        need_node(lk.id, "from", lk.from_, node_ids, "node")
        need_node(lk.id, "to", lk.to, node_ids, "node")
        if lk.from_ == lk.to:
            problems.append(Problem(lk.id, "to", "a link must join two different nodes"))
        if lk.type in model.SOLID_LINK_TYPES:
            problems += _material_problem(lk.id, "material", lk.material)
        elif lk.type == "wiring" and lk.layers is not None:
            for i, layer in enumerate(lk.layers):
                problems += _material_problem(lk.id, f"layers.{i}.material", layer.material)
        elif lk.type == "wiring":
            try:
                catalog.get(lk.part)
            except UnknownNameError as exc:
                problems.append(Problem(lk.id, "part", str(exc)))
        elif lk.type == "body":
            problems += _body_problem(lk)
        elif lk.type == "gas" and lk.species not in gas_properties.SPECIES:
            problems.append(
                Problem(
                    lk.id,
                    "species",
                    str(UnknownNameError("gas", lk.species, gas_properties.SPECIES)),
                )
            )
    return problems


def _material_problem(item_id: str, field: str, name: str) -> list[Problem]:
    try:
        materials.get(name)
    except UnknownNameError as exc:
        return [Problem(item_id, field, str(exc))]
    return []


def _coil_problem(item_id: str, coil: dict) -> list[Problem]:
    from solver.magnet import coil_from_dict

    try:
        coil_from_dict(coil)
    except DesignError as exc:
        return [Problem(item_id, "coil", str(exc))]
    return []


def _body_problem(lk) -> list[Problem]:
    from solver.thermal.grid.design import body_from_dict

    try:
        body = body_from_dict(lk.body, where="body")
    except DesignError as exc:
        return [Problem(lk.id, "body", str(exc))]
    stray = [t for t in body.terminals if t not in (lk.from_, lk.to)]
    if stray:
        return [
            Problem(
                lk.id,
                "body",
                f"patches link to {', '.join(map(repr, stray))}; a body link's patches may only link to its ends {lk.from_!r} and {lk.to!r}",
            )
        ]
    return []
