"""``wiring``: a bundle of ``count`` identical lines, from a catalog part or given layers.

Each conductor and dielectric of a line conducts by its own conductivity integral:
Q = count·Σ (A_layer/L)·∫ k_layer dT. Links that share a ``line`` name are the
segments of one line type of a wiring budget (README, "Wiring budget"): their
attenuators, signal power and DC current put fixed heat on the stages
(:mod:`solver.thermal.wiring_lines`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from solver import catalog
from solver.elements._base import Area, Length, Link, NonNegativeFloat
from solver.elements._spec import (
    Conduction,
    LinkSpec,
    LinkTerms,
    Problem,
    References,
    material_problems,
)
from solver.errors import DesignError, UnknownNameError


class WiringLayer(BaseModel):
    """One conductor or dielectric of a cable: its material and cross-section."""

    model_config = ConfigDict(extra="forbid")

    material: str
    area_m2: Area


class Wiring(Link):
    """A bundle of ``count`` identical lines: a catalog ``part``, or ``layers`` and ``length_m``."""

    type: Literal["wiring"]
    part: str | None = None
    length_m: Length
    layers: list[WiringLayer] | None = None
    line: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    kind: Literal["drive", "flux", "readout_in", "readout_out", "dc", "other"] | None = None
    attenuation_dB: NonNegativeFloat = 0.0
    power_W: NonNegativeFloat | None = None
    duty: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None
    current_A: NonNegativeFloat | None = None
    frequency_GHz: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    resistance_ohm: NonNegativeFloat = 0.0
    fixed_W: NonNegativeFloat = 0.0

    @model_validator(mode="after")
    def _part_or_layers(self) -> Wiring:
        if self.line is None:
            given = [
                f
                for f in ("kind", "power_W", "duty", "current_A", "frequency_GHz")
                if getattr(self, f) is not None
            ]
            given += [
                f for f in ("attenuation_dB", "resistance_ohm", "fixed_W") if getattr(self, f)
            ]
            if given:
                raise ValueError(f"{', '.join(given)} describe a line type: give its 'line' name")
        if (self.part is None) == (self.layers is None):
            raise ValueError("give either part (a catalog wiring id) or layers, not both")
        if self.layers is not None and not self.layers:
            raise ValueError("layers must list at least one material")
        return self


def _problems(item: Wiring, refs: References) -> list[Problem]:
    if item.layers is not None:
        return [
            p
            for i, layer in enumerate(item.layers)
            for p in material_problems(item.id, f"layers.{i}.material", layer.material)
        ]
    try:
        catalog.get(str(item.part))
    except UnknownNameError as exc:
        return [Problem(item.id, "part", str(exc))]
    return []


def line_layers(item: Wiring) -> list[dict]:
    """Material and area (m²) of each conductor/dielectric of one line: given, or the catalog part's."""
    if item.layers is not None:
        return [{"material": layer.material, "area_m2": layer.area_m2} for layer in item.layers]
    try:
        return catalog.wiring_layers(str(item.part))
    except DesignError as exc:
        raise DesignError(f"{item.id!r}, field 'part': {exc}") from exc


def _lower(item: Wiring) -> LinkTerms:
    return [
        Conduction(layer["material"], item.count * layer["area_m2"] / item.length_m)
        for layer in line_layers(item)
    ]


SPECS = (LinkSpec("wiring", Wiring, lower=_lower, problems=_problems),)
