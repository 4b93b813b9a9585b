"""``dilution_unit``: the mixing chamber of a dilution refrigerator on a stage.

Cooling power Q = ṅ(95 T_MC² − 11 T_in²) W (Pobell, Matter and Methods at Low
Temperatures, 3rd ed., eq. 7.30) with ṅ = ``flow_mol_s`` in mol/s. The mixture only
phase-separates below the tricritical point of ³He-⁴He mixtures, 0.867 K (Pobell
§7.2), so the formula is evaluated at min(T, 0.867 K) and flagged above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from solver.elements._base import MolarFlow, SingleStageSource, Temperature
from solver.elements._spec import SourceSpec, SourceTerm, stage_problems

MC_COEFF = 95.0  # J/(mol K²), Pobell eq. 7.30
INLET_COEFF = 11.0  # J/(mol K²), Pobell eq. 7.30
TRICRITICAL_K = 0.867  # Pobell §7.2
GUESS_K = 0.05  # steady-state starting temperature of a mixing chamber (a typical base, 50 mK)


class DilutionUnit(SingleStageSource):
    """Mixing chamber on ``stage`` with ³He flow ``flow_mol_s``.

    ``inlet_K`` is the temperature of the ³He entering the mixing chamber; when
    omitted the heat exchanger is ideal (T_in = T_MC, Q = 84 ṅ T_MC²).
    """

    type: Literal["dilution_unit"]
    flow_mol_s: MolarFlow
    inlet_K: Temperature | None = None


@dataclass(frozen=True)
class MixingChamber:
    """The dilution cooling of one unit as a temperature-dependent source on its stage."""

    id: str
    nodes: tuple[str, ...]
    flow_mol_s: float
    inlet_K: float | None

    def heat(
        self, T: np.ndarray, extend_above_map: bool
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Heat into the stage (−cooling, W), its derivative (W/K) and a flag above 0.867 K."""
        t = min(float(T[0]), TRICRITICAL_K)
        n = self.flow_mol_s
        if self.inlet_K is None:  # ideal heat exchanger, T_in = T_MC
            cooling = n * (MC_COEFF - INLET_COEFF) * t * t
            slope = 2.0 * n * (MC_COEFF - INLET_COEFF) * t
        else:
            cooling = n * (MC_COEFF * t * t - INLET_COEFF * self.inlet_K**2)
            slope = 2.0 * n * MC_COEFF * t
        above = float(T[0]) > TRICRITICAL_K
        flags = []
        if above:
            flags.append(
                f"{self.id}: mixing chamber above {TRICRITICAL_K} K, dilution cooling held at its "
                "value there"
            )
        return np.array([-cooling]), np.array([[0.0 if above else -slope]]), flags

    def guess_K(self) -> np.ndarray:
        return np.array([GUESS_K])

    def base_K(self) -> np.ndarray:
        return np.array([0.0])


def _lower(item: DilutionUnit) -> list[SourceTerm]:
    return [MixingChamber(item.id, (item.stage,), item.flow_mol_s, item.inlet_K)]


SPECS = (SourceSpec("dilution_unit", DilutionUnit, lower=_lower, problems=stage_problems),)
