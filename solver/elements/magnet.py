"""``magnet``: a magnet (a ``cryogen/coil@1`` object) placed on a stage; no thermal term of its own."""

from __future__ import annotations

from typing import Any, Literal

from solver.elements._base import SingleStageSource
from solver.elements._spec import Problem, References, SourceSpec, SourceTerm, stage_problems
from solver.errors import DesignError


class Magnet(SingleStageSource):
    """A magnet described by ``coil`` (a ``cryogen/coil@1`` object) on ``stage``."""

    type: Literal["magnet"]
    coil: dict[str, Any]


def _problems(item: Magnet, refs: References) -> list[Problem]:
    from solver.magnet import coil_from_dict  # the magnet code, on the first magnet checked

    problems = stage_problems(item, refs)
    try:
        coil_from_dict(item.coil)
    except DesignError as exc:
        problems.append(Problem(item.id, "coil", str(exc)))
    return problems


def _lower(item: Magnet) -> list[SourceTerm]:
    return []


SPECS = (SourceSpec("magnet", Magnet, lower=_lower, problems=_problems),)
