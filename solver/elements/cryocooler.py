"""``cryocooler``: a catalog cryocooler whose capacity map acts on the stages it cools."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from solver import cryocoolers
from solver.elements._base import Source
from solver.elements._spec import (
    Problem,
    References,
    SourceSpec,
    SourceTerm,
    reference_problems,
)
from solver.errors import UnknownNameError

GUESS_FRACTION = 0.25  # steady-state start: a quarter of the way up each stage's published box


class Cryocooler(Source):
    """A catalog cryocooler ``model``; ``stages`` maps the model's stage names to stage ids."""

    type: Literal["cryocooler"]
    model: str
    stages: dict[str, str]


@dataclass(frozen=True)
class CoolerOnStages:
    """A cryocooler model acting on its stage nodes (``nodes`` in the model's stage order)."""

    id: str
    nodes: tuple[str, ...]
    model: cryocoolers.CoolerModel

    def heat(
        self, T: np.ndarray, extend_above_map: bool
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Heat into each stage (−capacity, W), its Jacobian (W/K) and a flag outside the map."""
        cap, dcap, outside = self.model.capacity(T, extend_above_map)
        flags = []
        if outside:
            flags.append(
                f"{self.id}: stage temperatures {np.round(T, 3).tolist()} K outside the published "
                f"map of {self.model.name} (capacity held at the map edge)"
            )
        return -cap, -dcap, flags

    def guess_K(self) -> np.ndarray:
        lo, hi = np.array(self.model.box_K).T
        return lo + GUESS_FRACTION * (hi - lo)

    def base_K(self) -> np.ndarray:
        return np.array([box[0] for box in self.model.box_K])


def _problems(item: Cryocooler, refs: References) -> list[Problem]:
    problems: list[Problem] = []
    try:
        cooler = cryocoolers.entry(item.model)
    except UnknownNameError as exc:
        return [Problem(item.id, "model", str(exc))]
    stage_names = cooler["stages"]
    for stage_name, node in item.stages.items():
        if stage_name not in stage_names:
            unknown = UnknownNameError(f"stage of {cooler['name']}", stage_name, stage_names)
            problems.append(Problem(item.id, f"stages.{stage_name}", str(unknown)))
        problems += reference_problems(item.id, f"stages.{stage_name}", node, refs.stages, "stage")
    missing = [s for s in stage_names if s not in item.stages]
    if missing:
        problems.append(
            Problem(
                item.id,
                "stages",
                f"{cooler['name']} has stages {', '.join(stage_names)}; map each to a stage id "
                f"(missing: {', '.join(missing)})",
            )
        )
    return problems


def _lower(item: Cryocooler) -> list[SourceTerm]:
    model = cryocoolers.get(item.model)
    return [CoolerOnStages(item.id, tuple(item.stages[s] for s in model.stage_names), model)]


SPECS = (SourceSpec("cryocooler", Cryocooler, lower=_lower, problems=_problems),)
