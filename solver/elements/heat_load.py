"""``heat_load``: a fixed heat load into a stage."""

from __future__ import annotations

from typing import Literal

from solver.elements._base import Power, SingleStageSource
from solver.elements._spec import FixedHeat, SourceSpec, SourceTerm, stage_problems


class HeatLoad(SingleStageSource):
    """A fixed heat load ``power_W`` into ``stage``."""

    type: Literal["heat_load"]
    power_W: Power


def _heat(item: HeatLoad) -> list[SourceTerm]:
    return [FixedHeat(item.stage, item.power_W)]


SPECS = (SourceSpec("heat_load", HeatLoad, lower=_heat, problems=stage_problems),)
