"""``stage``: a node with heat capacity (plate, shield, cold mass, coil former)."""

from __future__ import annotations

from typing import Literal

from solver.elements._base import Item, Mass, NonNegativePower, Temperature
from solver.elements._spec import NodeSpec, Problem, References, material_problems


class Stage(Item):
    """A node of ``mass_kg`` of ``material`` (cp from the material's fit) with a fixed ``heat_load_W``.

    ``initial_K`` starts a cooldown (default: the warmest boundary); ``max_K`` is the
    temperature at which the margin against its coolers is reported (default: none).
    """

    type: Literal["stage"]
    material: str
    mass_kg: Mass
    initial_K: Temperature | None = None
    heat_load_W: NonNegativePower = 0.0
    max_K: Temperature | None = None


def _problems(item: Stage, refs: References) -> list[Problem]:
    return material_problems(item.id, "material", item.material)


SPECS = (NodeSpec("stage", Stage, fixed=False, accepts_sources=True, problems=_problems),)
