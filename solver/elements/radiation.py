"""``radiation``: radiation between two surfaces, Q = σ·A·ε_eff·(T_from⁴ − T_to⁴)."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from solver.elements._base import Area, Emissivity, Link
from solver.elements._spec import LinkSpec, LinkTerms, PowerLaw

STEFAN_BOLTZMANN = 5.670374419e-8  # W m⁻² K⁻⁴, CODATA 2018 (exact value), as VALIDATION.md


class Radiation(Link):
    """Radiation between two surfaces: Q = σ·A·ε_eff·(T_from⁴ − T_to⁴).

    Give ``emissivity_eff``, or ``emissivity_from`` and ``emissivity_to`` for
    parallel plates, ε_eff = 1 / (1/ε₁ + 1/ε₂ − 1).
    """

    type: Literal["radiation"]
    area_m2: Area
    emissivity_eff: Emissivity | None = None
    emissivity_from: Emissivity | None = None
    emissivity_to: Emissivity | None = None

    @model_validator(mode="after")
    def _one_emissivity_form(self) -> Radiation:
        pair = (self.emissivity_from is not None, self.emissivity_to is not None)
        if self.emissivity_eff is not None and any(pair):
            raise ValueError("give emissivity_eff or emissivity_from/emissivity_to, not both")
        if self.emissivity_eff is None and not all(pair):
            raise ValueError("give emissivity_eff, or both emissivity_from and emissivity_to")
        return self

    def effective_emissivity(self) -> float:
        """ε_eff as given, or the parallel-plate value from the two surface emissivities."""
        if self.emissivity_eff is not None:
            return self.emissivity_eff
        assert self.emissivity_from is not None and self.emissivity_to is not None
        return 1.0 / (1.0 / self.emissivity_from + 1.0 / self.emissivity_to - 1.0)


def _lower(item: Radiation) -> LinkTerms:
    coef = item.count * STEFAN_BOLTZMANN * item.area_m2 * item.effective_emissivity()
    return [PowerLaw(coef, 4.0)]


SPECS = (LinkSpec("radiation", Radiation, lower=_lower),)
