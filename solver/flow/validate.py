"""Problems of a design's ``flow`` section: each names the flow item id and field, and what is allowed."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from solver._plain_errors import in_plain_words
from solver.elements import Problem, reference_problems
from solver.errors import UnknownNameError
from solver.flow.model import BOUNDARY_MODELS, ELEMENT_MODELS, CounterflowHX, Flow, Pipe
from solver.flow.properties import FLUIDS, canonical_name

_UNION_TAGS = set(BOUNDARY_MODELS) | set(ELEMENT_MODELS)


def flow_problems(raw: Any, thermal_nodes: list[str], design_ids: list[str]) -> list[Problem]:
    """Every problem of the ``flow`` section ``raw``; empty when it is valid.

    ``thermal_nodes`` are the design's node ids (pipe walls may name them);
    ``design_ids`` every component and link id (flow ids must differ from them).
    """
    if not isinstance(raw, dict):
        return [
            Problem(None, "flow", "must be an object with fluid, junctions, boundaries, elements")
        ]
    try:
        flow = Flow.model_validate(raw)
    except ValidationError as exc:
        return [_pydantic_problem(raw, err) for err in exc.errors()]
    problems: list[Problem] = []
    try:
        canonical_name(flow.fluid)
    except UnknownNameError as exc:
        problems.append(Problem(None, "flow.fluid", str(exc)))
    points = [b.id for b in flow.boundaries] + [j.id for j in flow.junctions]
    ids = points + [e.id for e in flow.elements]
    for item_id, n in Counter(ids + list(design_ids)).items():
        if n > 1 and item_id in ids:
            problems.append(
                Problem(item_id, "id", f"used by {n} items; ids must be unique in the design")
            )
    kinds = {b.id: b.type for b in flow.boundaries}
    used: set[str] = set()
    for e in flow.elements:
        ends = (
            [
                ("hot_from", e.hot_from),
                ("hot_to", e.hot_to),
                ("cold_from", e.cold_from),
                ("cold_to", e.cold_to),
            ]
            if isinstance(e, CounterflowHX)
            else [("from", e.from_), ("to", e.to)]
        )
        for field, ref in ends:
            problems += reference_problems(e.id, field, ref, points, "flow junction or boundary")
            used.add(ref)
            if field.endswith("from") and kinds.get(ref) == "outlet":
                problems.append(
                    Problem(
                        e.id,
                        field,
                        f"outlet {ref!r} only receives flow; use an inlet, bath or junction",
                    )
                )
            if field.endswith("to") and kinds.get(ref) in ("inlet", "mass_flow_inlet"):
                problems.append(
                    Problem(
                        e.id,
                        field,
                        f"inlet {ref!r} cannot receive flow; use an outlet, bath or junction",
                    )
                )
        for (fa, a), (fb, b) in zip(ends[::2], ends[1::2], strict=True):
            if a == b:
                problems.append(Problem(e.id, fb, f"{fa} and {fb} are the same point {a!r}"))
        if isinstance(e, Pipe) and e.wall is not None:
            problems += reference_problems(e.id, "wall", e.wall, thermal_nodes, "node")
    for point in points:
        if point not in used:
            problems.append(Problem(point, None, "not connected to any flow element"))
    return problems


def _pydantic_problem(raw: dict, err: ErrorDetails) -> Problem:
    loc = list(err["loc"])
    item_id = None
    if (
        len(loc) >= 2
        and loc[0] in ("junctions", "boundaries", "elements")
        and isinstance(loc[1], int)
    ):
        items = raw.get(loc[0]) or []
        item = items[loc[1]] if loc[1] < len(items) and isinstance(items[loc[1]], dict) else {}
        item_id = item.get("id") if isinstance(item.get("id"), str) else f"flow.{loc[0]}[{loc[1]}]"
        loc = [p for p in loc[2:] if p not in _UNION_TAGS]
    else:
        loc = ["flow", *loc]
    field = ".".join(str(p) for p in loc) or None
    message = in_plain_words(err)
    if err["type"] == "extra_forbidden":
        message = "unknown field"
    elif err["type"] == "missing":
        message = "required"
    elif err["type"] == "union_tag_invalid":
        message = f"unknown type {err.get('input')!r}; valid: {', '.join(sorted(_UNION_TAGS))}"
    return Problem(item_id, field, message)


__all__ = ["FLUIDS", "flow_problems"]
