"""``body``: a 3-D conduction body solved by the finite-volume grid solver (``solver.thermal.grid``).

The network sees the body through the heat it passes to its linked patches' nodes,
which must be the link's own two ends.
"""

from __future__ import annotations

from typing import Any, Literal

from solver.elements._base import Link
from solver.elements._spec import LinkSpec, LinkTerms, Problem, References, Terminal
from solver.errors import DesignError

QUASI_STEADY_NOTE = (
    "3-D body treated as quasi-steady in the cooldown (its own heat capacity is not included)"
)


class Body(Link):
    """A 3-D body (``body`` definition, see the grid solver) between ``from`` and ``to``."""

    type: Literal["body"]
    body: dict[str, Any]


def _stray_patches(item: Body, body) -> str | None:
    """Why the body's linked patches do not fit the link (they must name its own ends), or None."""
    stray = [t for t in body.terminals if t not in (item.from_, item.to)]
    if not stray:
        return None
    return (
        f"patches link to {', '.join(map(repr, stray))}; a body link's patches may only "
        f"link to its ends {item.from_!r} and {item.to!r}"
    )


def _problems(item: Body, refs: References) -> list[Problem]:
    from solver.thermal.grid.design import body_from_dict  # the grid solver, on first use

    try:
        why = _stray_patches(item, body_from_dict(item.body, where="body"))
    except DesignError as exc:
        return [Problem(item.id, "body", str(exc))]
    return [Problem(item.id, "body", why)] if why else []


def _lower(item: Body) -> LinkTerms:
    from solver.thermal.grid.boundary import FixedTemperature, Radiation
    from solver.thermal.grid.design import body_from_dict

    where = f"{item.id!r}, field 'body'"
    body = body_from_dict(item.body, where=where)
    why = _stray_patches(item, body)
    if why:
        raise DesignError(f"{where}: {why}")
    anchors = any(isinstance(p.condition, FixedTemperature | Radiation) for p in body.patches)
    return Terminal(body, anchors=anchors, cooldown_note=QUASI_STEADY_NOTE)


SPECS = (LinkSpec("body", Body, lower=_lower, problems=_problems, drawn=False),)
