"""pydantic models of the material data files (``materials_data/materials/*.json``).

Every fit piece names its form, its range and its source; every density its value
and source. Validated on load by :func:`solver._jsonfile.read_validated`, so a broken
file is a DesignError naming the file and the field, never a KeyError deep in a solve.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Source = Annotated[str, Field(min_length=5)] | dict[str, Any]


class Density(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value_kg_m3: Positive
    units: str
    source: Source
    confidence: str = ""


class FitPiece(BaseModel):
    """One piece of a property fit: its form (and the form's coefficients), range and source."""

    model_config = ConfigDict(extra="allow")

    form: str
    T_min_K: Positive
    T_max_K: Positive
    source: Source

    @model_validator(mode="after")
    def _range(self) -> FitPiece:
        if not self.T_max_K > self.T_min_K:
            raise ValueError(f"T_max_K {self.T_max_K} must exceed T_min_K {self.T_min_K}")
        return self


class PropertyFit(BaseModel):
    """A property (k or cp): its fit pieces, and the documented laws beyond them."""

    model_config = ConfigDict(extra="forbid")

    units: str
    pieces: list[FitPiece] = Field(min_length=1)
    below: dict[str, Any] | None = None
    join: Any = None
    above_margin_fraction: Annotated[float, Field(ge=0, le=1)] | None = None
    above_margin_note: str | None = None


class MaterialFile(BaseModel):
    """``cryogen/material@1``: one material with its density and property fits."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["cryogen/material@1"] = Field(alias="schema")
    id: str = Field(min_length=1)
    name: str
    family: str
    density: Density
    properties: dict[Literal["k", "cp"], PropertyFit] = Field(min_length=1)
    missing_properties: dict[str, str] | None = None


class Surface(BaseModel):
    """Tabulated total hemispherical emissivity of one surface."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    name: str
    T_K: list[Positive] = Field(min_length=1)
    emissivity: list[Annotated[float, Field(gt=0, le=1)]] = Field(min_length=1)
    source: Source

    @model_validator(mode="after")
    def _pairs(self) -> Surface:
        if len(self.T_K) != len(self.emissivity):
            raise ValueError("T_K and emissivity must have the same length")
        return self


class EmissivityFile(BaseModel):
    """``cryogen/emissivity@1``: emissivities of shield surfaces."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["cryogen/emissivity@1"] = Field(alias="schema")
    description: str
    units: str
    copied_from: str = ""
    surfaces: list[Surface] = Field(min_length=1)
