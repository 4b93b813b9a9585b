"""``constant_cooler``: a cooler removing a fixed power from a stage at any temperature."""

from __future__ import annotations

from typing import Literal

from solver.elements._base import Power, SingleStageSource
from solver.elements._spec import FixedCooling, SourceSpec, SourceTerm, stage_problems


class ConstantCooler(SingleStageSource):
    """A cooler removing a fixed ``power_W`` from ``stage`` at any temperature."""

    type: Literal["constant_cooler"]
    power_W: Power


def _cooling(item: ConstantCooler) -> list[SourceTerm]:
    return [FixedCooling(item.stage, item.power_W)]


SPECS = (SourceSpec("constant_cooler", ConstantCooler, lower=_cooling, problems=stage_problems),)
