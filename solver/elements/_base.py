"""Base pydantic models and field types shared by every element spec (SI units in field names)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Every number is a JSON number (strict: "2.0" or true is a type error), finite, and inside
# a physically meaningful range, so that no later product or quotient can overflow to inf
# or vanish to 0 (issue 13: a 1e-320 m length gave an infinite conductance). The ranges
# are input bounds, not data: far wider than any cryostat, far inside double range.


STRICT_FINITE = {"strict": True, "allow_inf_nan": False}
"""Field options of every number: a JSON number (int or float), finite."""


Length = Annotated[float, Field(ge=1e-6, le=1e4, **STRICT_FINITE)]
"""Metres: 1 µm (a film) to 10 km."""
Area = Annotated[float, Field(ge=1e-12, le=1e4, **STRICT_FINITE)]
"""Square metres: 1 µm² to 10⁴ m²."""
Mass = Annotated[float, Field(ge=1e-9, le=1e6, **STRICT_FINITE)]
"""Kilograms: 1 µg to 1000 t."""
Temperature = Annotated[float, Field(ge=1e-3, le=2000.0, **STRICT_FINITE)]
"""Kelvin: the materials' 1 mK floor (DESIGN.md) to 2000 K."""
Power = Annotated[float, Field(gt=0.0, le=1e7, **STRICT_FINITE)]
"""Watts, > 0, at most 10 MW."""
NonNegativePower = Annotated[float, Field(ge=0.0, le=1e7, **STRICT_FINITE)]
"""Watts, ≥ 0, at most 10 MW."""
Pressure = Annotated[float, Field(gt=0.0, le=1e8, **STRICT_FINITE)]
"""Pascal, > 0, at most 100 MPa."""
NonNegativePressure = Annotated[float, Field(ge=0.0, le=1e8, **STRICT_FINITE)]
Conductance = Annotated[float, Field(ge=1e-15, le=1e7, **STRICT_FINITE)]
"""W/K: 1 fW/K to 10 MW/K."""
MolarFlow = Annotated[float, Field(gt=0.0, le=10.0, **STRICT_FINITE)]
"""mol/s, > 0, at most 10 mol/s."""
Emissivity = Annotated[float, Field(gt=0.0, le=1.0, **STRICT_FINITE)]
PositiveFloat = Annotated[float, Field(gt=0.0, le=1e15, **STRICT_FINITE)]
"""A positive quantity without a narrower physical range yet (at most 1e15 in its unit)."""
NonNegativeFloat = Annotated[float, Field(ge=0.0, le=1e15, **STRICT_FINITE)]
Count = Annotated[int, Field(ge=1, le=1_000_000, strict=True)]
"""Identical parallel links: 1 to a million."""


class Item(BaseModel):
    """Fields common to every component and link."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Annotated[str, Field(min_length=1, max_length=200)]
    type: str


class Source(Item):
    """A component acting on a node (not a node itself)."""


class SingleStageSource(Source):
    """A source acting on one node, named by ``stage``."""

    stage: str


class Link(Item):
    """Fields common to every link: the two node ids and the number of identical parallel links."""

    from_: str = Field(alias="from")
    to: str
    count: Count = 1
