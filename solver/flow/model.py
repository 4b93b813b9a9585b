"""pydantic model of a design's ``flow`` section (README, "Fluid circuits").

Junctions and boundaries are the fluid network's nodes; elements join them.
Units are in the field names (SI). Unknown keys are errors, as in the rest of
the design file.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from solver.elements._base import NonNegativeFloat, PositiveFloat, Temperature

Quality = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Efficiency = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


class FlowItem(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Annotated[str, Field(min_length=1, max_length=200)]


class Junction(FlowItem):
    """A point of the network where flows meet; ``initial_*`` are starting guesses only.

    ``separator``: a phase separator keeping its mass balance; what leaves is saturated
    vapour, the liquid is drawn off as product (README, "Fluid circuits")."""

    initial_K: Temperature | None = None
    initial_Pa: PositiveFloat | None = None
    separator: Annotated[bool, Field(strict=True)] = False


class Inlet(FlowItem):
    """Fluid entering at a fixed pressure and temperature (or saturated at ``quality``)."""

    type: Literal["inlet"]
    pressure_Pa: PositiveFloat
    temperature_K: Temperature | None = None
    quality: Quality | None = None

    @model_validator(mode="after")
    def _one_state(self) -> Inlet:
        if (self.temperature_K is None) == (self.quality is None):
            raise ValueError("give temperature_K or quality (saturated inlet), not both")
        return self


class MassFlowInlet(FlowItem):
    """Fluid entering at a fixed mass flow and temperature; its pressure is solved."""

    type: Literal["mass_flow_inlet"]
    mass_flow_kg_s: PositiveFloat
    temperature_K: Temperature


class Outlet(FlowItem):
    """Fluid leaving at a fixed pressure."""

    type: Literal["outlet"]
    pressure_Pa: PositiveFloat


class Bath(FlowItem):
    """A phase separator at saturation: draws saturated liquid (or vapour), receives returns."""

    type: Literal["bath"]
    pressure_Pa: PositiveFloat
    draw: Literal["liquid", "vapour"] = "liquid"


FlowBoundary = Annotated[Inlet | MassFlowInlet | Outlet | Bath, Field(discriminator="type")]


class Element(FlowItem):
    from_: str = Field(alias="from")
    to: str


class Pipe(Element):
    """A pipe in ``segments`` finite volumes; heat from ``heat_W`` and/or the ``wall`` node."""

    type: Literal["pipe"]
    length_m: PositiveFloat
    diameter_m: PositiveFloat
    roughness_m: NonNegativeFloat = 0.0
    bends: Annotated[int, Field(ge=0, strict=True)] = 0
    bend_radius_m: PositiveFloat | None = None
    K: NonNegativeFloat = 0.0
    segments: Annotated[int, Field(ge=1, le=2000, strict=True)] = 10
    friction: Literal["churchill", "colebrook"] = "churchill"
    two_phase: Literal["muller_steinhagen_heck", "friedel", "homogeneous"] = (
        "muller_steinhagen_heck"
    )
    heat_transfer: Literal["gnielinski", "dittus_boelter"] = "gnielinski"
    heat_W: float = Field(default=0.0, allow_inf_nan=False)
    wall: str | None = None
    rise_m: float = Field(default=0.0, allow_inf_nan=False)
    acceleration: Annotated[bool, Field(strict=True)] = False


class Valve(Element):
    """An isenthalpic restriction: ``Cv``, or ``area_m2`` with a discharge coefficient."""

    type: Literal["valve", "jt_valve"]
    Cv: PositiveFloat | None = None
    area_m2: PositiveFloat | None = None
    discharge_coefficient: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 0.61

    @model_validator(mode="after")
    def _one_size(self) -> Valve:
        if (self.Cv is None) == (self.area_m2 is None):
            raise ValueError("give Cv or area_m2, not both")
        if self.Cv is not None and "discharge_coefficient" in self.model_fields_set:
            raise ValueError("discharge_coefficient goes with area_m2, not with Cv")
        return self


class Circulator(Element):
    """A pump or circulator: pressure rise versus mass flow, and its efficiency."""

    type: Literal["circulator"]
    curve_kg_s_Pa: list[tuple[NonNegativeFloat, NonNegativeFloat]]
    efficiency: Efficiency = 1.0

    @model_validator(mode="after")
    def _curve(self) -> Circulator:
        flows = [q for q, _ in self.curve_kg_s_Pa]
        if len(flows) < 2 or any(b <= a for a, b in pairwise(flows)):
            raise ValueError("curve_kg_s_Pa needs at least two points with increasing mass flow")
        return self


class CounterflowHX(FlowItem):
    """Counterflow exchanger by ε-NTU: a given ``UA_W_K`` or a tube-in-tube geometry."""

    type: Literal["counterflow_hx"]
    hot_from: str
    hot_to: str
    cold_from: str
    cold_to: str
    UA_W_K: PositiveFloat | None = None
    length_m: PositiveFloat | None = None
    inner_diameter_m: PositiveFloat | None = None
    outer_diameter_m: PositiveFloat | None = None
    roughness_m: NonNegativeFloat = 0.0

    @model_validator(mode="after")
    def _ua_or_geometry(self) -> CounterflowHX:
        geometry = (self.length_m, self.inner_diameter_m, self.outer_diameter_m)
        if self.UA_W_K is not None and any(g is not None for g in geometry):
            raise ValueError("give UA_W_K or the geometry, not both")
        if self.UA_W_K is None and any(g is None for g in geometry):
            raise ValueError(
                "give UA_W_K, or all of length_m, inner_diameter_m and outer_diameter_m"
            )
        if self.UA_W_K is None and not (self.outer_diameter_m or 0.0) > (
            self.inner_diameter_m or 0.0
        ):
            raise ValueError("outer_diameter_m must exceed inner_diameter_m")
        return self


FlowElement = Annotated[Pipe | Valve | Circulator | CounterflowHX, Field(discriminator="type")]


BOUNDARY_MODELS: dict[str, type[FlowItem]] = {
    "inlet": Inlet,
    "mass_flow_inlet": MassFlowInlet,
    "outlet": Outlet,
    "bath": Bath,
}
"""Every boundary ``type`` and its model (the designer's fluid palette reads this table)."""
ELEMENT_MODELS: dict[str, type[FlowItem]] = {
    "pipe": Pipe,
    "valve": Valve,
    "jt_valve": Valve,
    "circulator": Circulator,
    "counterflow_hx": CounterflowHX,
}
"""Every element ``type`` and its model."""


class Flow(BaseModel):
    """The ``flow`` section of a design."""

    model_config = ConfigDict(extra="forbid")

    fluid: str = "Helium"
    junctions: list[Junction] = Field(default_factory=list)
    boundaries: list[FlowBoundary] = Field(default_factory=list)
    elements: list[FlowElement] = Field(default_factory=list)
