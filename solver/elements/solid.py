"""``conductor``, ``strap``, ``support``: conduction through a material with k(T).

Q = count·(A/L)·∫ k dT between the end temperatures (the conductivity integral,
exact for a 1-D link with k(T); DESIGN.md "Physics that must be right"). The three
types differ only in what they stand for on the drawing.
"""

from __future__ import annotations

from typing import Literal

from solver.elements._base import Area, Length, Link
from solver.elements._spec import (
    Conduction,
    LinkSpec,
    LinkTerms,
    Problem,
    References,
    Terminal,
    material_problems,
)
from solver.elements._vapour import VAPOUR_NOTE, VapourCooledLink, VapourCooling


class SolidLink(Link):
    """Conduction through ``material``: Q = count·(A/L)·∫k dT."""

    material: str
    length_m: Length
    area_m2: Area


class Conductor(SolidLink):
    type: Literal["conductor"]


class Strap(SolidLink):
    type: Literal["strap"]


class Support(VapourCooling, SolidLink):
    """A support or neck; ``"cooling": "vapour"``: cooled along its length by the vented gas
    of the bath at its ``to`` end (solved as a 1-D lead without current)."""

    type: Literal["support"]


def _problems(item: SolidLink, refs: References) -> list[Problem]:
    return material_problems(item.id, "material", item.material)


def _lower(item: SolidLink) -> LinkTerms:
    if getattr(item, "cooling", "conduction") == "vapour":
        return Terminal(VapourCooledLink(item), cooldown_note=VAPOUR_NOTE)
    return [Conduction(item.material, item.count * item.area_m2 / item.length_m)]


SPECS = (
    LinkSpec("conductor", Conductor, lower=_lower, problems=_problems),
    LinkSpec("strap", Strap, lower=_lower, problems=_problems),
    LinkSpec("support", Support, lower=_lower, problems=_problems),
)
