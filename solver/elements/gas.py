"""``gas``: gas conduction between two surfaces: free-molecular, or across a ``gap_m`` in any regime."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from solver import gases
from solver.elements._base import Link, PositiveFloat, Temperature
from solver.elements._spec import LinkSpec, LinkTerms, PowerLaw, Problem, References
from solver.errors import UnknownNameError


class Gas(Link):
    """Residual gas ``species`` at ``pressure_Pa`` (read by a gauge at ``gauge_K``) between two surfaces."""

    type: Literal["gas"]
    species: str
    area_m2: PositiveFloat
    pressure_Pa: PositiveFloat
    gauge_K: Temperature = 300.0
    accommodation: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 1.0
    gap_m: PositiveFloat | None = None


def _problems(item: Gas, refs: References) -> list[Problem]:
    if item.species in gases.SPECIES:
        return []
    unknown = UnknownNameError("gas", item.species, list(gases.SPECIES))
    return [Problem(item.id, "species", str(unknown))]


def _lower(item: Gas) -> LinkTerms:
    if item.gap_m is None:
        g = gases.free_molecular_conductance(
            item.species, item.area_m2, item.pressure_Pa, item.gauge_K, item.accommodation
        )
    else:
        g = gases.gap_conductance(
            item.species,
            item.area_m2,
            item.gap_m,
            item.pressure_Pa,
            item.gauge_K,
            item.accommodation,
        )[0]
    return [PowerLaw(item.count * g, 1.0)]


def _flags(item: Gas) -> list[str]:
    if item.gap_m is None:
        return []
    _, knudsen, regime = gases.gap_conductance(
        item.species, item.area_m2, item.gap_m, item.pressure_Pa, item.gauge_K, item.accommodation
    )
    if regime == "free-molecular":
        return []
    return [
        (
            f"link {item.id!r}: gas gap in the {regime} regime (Knudsen number {knudsen:.3g}); "
            "free-molecular and continuum conductances combined in series"
        )
    ]


SPECS = (LinkSpec("gas", Gas, lower=_lower, problems=_problems, flags=_flags),)
