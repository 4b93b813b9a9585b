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
    parallel plates, ε_eff = 1 / (1/ε₁ + 1/ε₂ − 1), or with ``area_to_m2`` for
    concentric surfaces (see :meth:`exchange_area_emissivity`).
    """

    type: Literal["radiation"]
    area_m2: Area
    emissivity_eff: Emissivity | None = None
    emissivity_from: Emissivity | None = None
    emissivity_to: Emissivity | None = None
    area_to_m2: Area | None = None

    @model_validator(mode="after")
    def _one_emissivity_form(self) -> Radiation:
        pair = (self.emissivity_from is not None, self.emissivity_to is not None)
        if self.emissivity_eff is not None and any(pair):
            raise ValueError("give emissivity_eff or emissivity_from/emissivity_to, not both")
        if self.emissivity_eff is None and not all(pair):
            raise ValueError("give emissivity_eff, or both emissivity_from and emissivity_to")
        if self.area_to_m2 is not None and self.emissivity_eff is not None:
            raise ValueError(
                "area_to_m2 goes with emissivity_from/emissivity_to, not emissivity_eff"
            )
        return self

    def exchange_area_emissivity(self) -> tuple[float, float]:
        """(A, ε_eff) with Q = σ·A·ε_eff·(T_from⁴ − T_to⁴), A in m².

        ``emissivity_eff`` on ``area_m2`` as given; two surface emissivities: the
        enclosed (smaller) surface A₁ and ε_eff = 1/(1/ε₁ + (A₁/A₂)(1/ε₂ − 1)), the
        concentric cylinders/spheres formula (Incropera & DeWitt, Fundamentals of Heat
        and Mass Transfer, Table 13.3; table number and edition not checked against a
        copy), parallel plates when A₁ = A₂ (no ``area_to_m2``).
        """
        if self.emissivity_eff is not None:
            return self.area_m2, self.emissivity_eff
        assert self.emissivity_from is not None and self.emissivity_to is not None
        a_to = self.area_m2 if self.area_to_m2 is None else self.area_to_m2
        surfaces = sorted([(self.area_m2, self.emissivity_from), (a_to, self.emissivity_to)])
        (a1, e1), (a2, e2) = surfaces
        return a1, 1.0 / (1.0 / e1 + (a1 / a2) * (1.0 / e2 - 1.0))


def _lower(item: Radiation) -> LinkTerms:
    area, eps = item.exchange_area_emissivity()
    return [PowerLaw(item.count * STEFAN_BOLTZMANN * area * eps, 4.0)]


SPECS = (LinkSpec("radiation", Radiation, lower=_lower),)
