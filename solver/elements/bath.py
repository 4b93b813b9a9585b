"""``bath``: a saturated liquid bath (helium-4 or nitrogen), a node at its saturation temperature.

Its temperature is the fluid's saturation temperature at ``pressure_Pa`` from CoolProp
(range-checked: helium below 2.1768 K, where CoolProp has no He II and answers
silently, is refused). Steady state reports its boil-off, L/day = net heat /
(h_fg ρ_l) (DESIGN.md "Current leads and baths").
"""

from __future__ import annotations

import functools
from typing import Literal

from solver import fluids
from solver.elements._base import Item, NonNegativeFloat, PositiveFloat
from solver.elements._spec import NodeSpec, Problem, References
from solver.errors import DesignError


class Bath(Item):
    """A liquid ``fluid`` (``He`` or ``N2``) boiling at ``pressure_Pa`` with ``volume_L`` of liquid."""

    type: Literal["bath"]
    fluid: Literal["He", "N2"]
    pressure_Pa: PositiveFloat = fluids.STANDARD_ATMOSPHERE_PA
    volume_L: NonNegativeFloat | None = None
    heat_load_W: NonNegativeFloat = 0.0

    @property
    def state(self) -> fluids.BathState:
        """The saturation state (CoolProp), DesignError naming the bath outside the fluid's range."""
        return _state(self.id, self.fluid, self.pressure_Pa)

    @property
    def temperature_K(self) -> float:
        """Saturation temperature at ``pressure_Pa``, K."""
        return self.state.temperature_K


@functools.cache
def _state(item_id: str, fluid: str, pressure_Pa: float) -> fluids.BathState:
    try:
        return fluids.bath_state(fluid, pressure_Pa)
    except DesignError as exc:
        raise DesignError(f"{item_id!r}, field 'pressure_Pa': {exc}") from exc


def _problems(item: Bath, refs: References) -> list[Problem]:
    try:
        fluids.bath_state(item.fluid, item.pressure_Pa)
    except DesignError as exc:
        return [Problem(item.id, "pressure_Pa", str(exc))]
    return []


SPECS = (NodeSpec("bath", Bath, fixed=True, accepts_sources=True, problems=_problems),)
