"""Validation of design dicts: every problem names the item id and field and says what is allowed.

``validate(d)`` collects all problems (the canvas shows them live);
``from_dict(d)`` raises :class:`solver.errors.DesignError` listing them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from solver import elements
from solver._plain_errors import in_plain_words
from solver.design import model
from solver.elements import Problem, References
from solver.errors import DesignError, closest_names
from solver.flow.validate import flow_problems

_COMPONENT_ADAPTER = TypeAdapter(model.Component)
_LINK_ADAPTER = TypeAdapter(model.LinkItem)


def validate(data: Any) -> list[Problem]:
    """All problems of a design dict (empty list when it is valid)."""
    if not isinstance(data, dict):
        return [Problem(None, None, f"a design is a JSON object, got {type(data).__name__}")]
    problems: list[Problem] = []
    top_allowed = {"schema", "name", "components", "links", "flow", "layout", "meta"}
    for key in data:
        if key not in top_allowed:
            problems.append(
                Problem(None, key, f"unknown key; allowed: {', '.join(sorted(top_allowed))}")
            )
    if not isinstance(data.get("schema"), str) or data.get("schema") != model.SCHEMA:
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
    if "flow" in data:
        problems += flow_problems(
            data["flow"],
            [c.id for c in parsed_components if c.type in elements.NODES],
            [
                raw["id"]
                for raw in components + links
                if isinstance(raw, dict) and isinstance(raw.get("id"), str)
            ],
        )
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
    if not isinstance(item_type, str) or item_type not in valid_types:
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


def _pydantic_problem(item_id: str | None, item_type: str, err: ErrorDetails) -> Problem:
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
    message = in_plain_words(err)
    return Problem(item_id, field, f"{message} (got {err.get('input')!r})" if loc else message)


def _check_references(components, links, raw_items) -> list[Problem]:
    problems: list[Problem] = []
    counts = Counter(
        raw["id"] for raw in raw_items if isinstance(raw, dict) and isinstance(raw.get("id"), str)
    )
    for item_id, n in counts.items():
        if n > 1:
            problems.append(
                Problem(
                    item_id,
                    "id",
                    f"used by {n} items; ids must be unique across components and links",
                )
            )
    refs = References(
        nodes=frozenset(c.id for c in components if c.type in elements.NODES),
        stages=frozenset(
            c.id
            for c in components
            if c.type in elements.NODES and elements.NODES[c.type].accepts_sources
        ),
    )
    for c in components:
        problems += elements.COMPONENTS[c.type].problems(c, refs)
    for lk in links:
        problems += elements.reference_problems(lk.id, "from", lk.from_, refs.nodes, "node")
        problems += elements.reference_problems(lk.id, "to", lk.to, refs.nodes, "node")
        if lk.from_ == lk.to:
            problems.append(Problem(lk.id, "to", "a link must join two different nodes"))
        problems += elements.LINKS[lk.type].problems(lk, refs)
    return problems
