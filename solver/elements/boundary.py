"""``boundary``: a node held at a fixed temperature (the vacuum vessel at room temperature)."""

from __future__ import annotations

from typing import Literal

from solver.elements._base import Item, NonNegativePower, Temperature
from solver.elements._spec import NodeSpec


class Boundary(Item):
    """A node held at ``temperature_K``; ``heat_load_W`` is counted in its stage load."""

    type: Literal["boundary"]
    temperature_K: Temperature
    heat_load_W: NonNegativePower = 0.0


SPECS = (NodeSpec("boundary", Boundary, fixed=True, accepts_sources=False),)
