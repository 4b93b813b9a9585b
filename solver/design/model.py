"""pydantic model of the design file ``cryogen/design@1`` (DESIGN.md, the stable contract).

Components are nodes (``boundary``, ``stage``) or sources acting on a node
(``heat_load``, ``constant_cooler``, ``cryocooler``, ``dilution_unit``,
``magnet``). Links join two nodes. Every item has a unique ``id``; unknown keys
are errors except under ``layout`` and ``meta``. Units are in the field names
(SI, kelvin).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA = "cryogen/design@1"

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Temperature = Annotated[float, Field(gt=0, le=2000, allow_inf_nan=False)]
Emissivity = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=1, strict=True)]


class Item(BaseModel):
    """Fields common to every component and link."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Annotated[str, Field(min_length=1, max_length=200)]


# --------------------------------------------------------------------------- nodes


class Boundary(Item):
    """A node held at a fixed temperature (the vacuum vessel at room temperature, a bath)."""

    type: Literal["boundary"]
    temperature_K: Temperature
    heat_load_W: NonNegativeFloat = 0.0


class Stage(Item):
    """A node with heat capacity: plate, shield, cold mass or coil former."""

    type: Literal["stage"]
    material: str
    mass_kg: PositiveFloat
    initial_K: Temperature | None = None
    heat_load_W: NonNegativeFloat = 0.0
    max_K: Temperature | None = None


# --------------------------------------------------------------------------- sources


class HeatLoad(Item):
    """A fixed heat load ``power_W`` into ``stage``."""

    type: Literal["heat_load"]
    stage: str
    power_W: PositiveFloat


class ConstantCooler(Item):
    """A cooler removing a fixed ``power_W`` from ``stage`` at any temperature."""

    type: Literal["constant_cooler"]
    stage: str
    power_W: PositiveFloat


class Cryocooler(Item):
    """A catalog cryocooler; ``stages`` maps the model's stage names to node ids."""

    type: Literal["cryocooler"]
    model: str
    stages: dict[str, str]


class DilutionUnit(Item):
    """Mixing chamber of a dilution refrigerator on ``stage``.

    Cooling power Q = ṅ(95 T_MC² − 11 T_in²) W (Pobell, Matter and Methods at Low
    Temperatures, 3rd ed., eq. 7.30) with ṅ = ``flow_mol_s``. ``inlet_K`` is the
    temperature of the 3He entering the mixing chamber; when omitted the heat
    exchanger is ideal (T_in = T_MC, Q = 84 ṅ T_MC²).
    """

    type: Literal["dilution_unit"]
    stage: str
    flow_mol_s: PositiveFloat
    inlet_K: Temperature | None = None


class Magnet(Item):
    """A magnet (a ``cryogen/coil@1`` object) placed on ``stage``."""

    type: Literal["magnet"]
    stage: str
    coil: dict[str, Any]


Component = Annotated[
    Boundary | Stage | HeatLoad | ConstantCooler | Cryocooler | DilutionUnit | Magnet,
    Field(discriminator="type"),
]

NODE_TYPES = ("boundary", "stage")
SOURCE_TYPES = ("heat_load", "constant_cooler", "cryocooler", "dilution_unit", "magnet")
COMPONENT_TYPES = NODE_TYPES + SOURCE_TYPES


# --------------------------------------------------------------------------- links


class Link(Item):
    """Fields common to every link: the two node ids and the number of identical parallel links."""

    from_: str = Field(alias="from")
    to: str
    count: Count = 1


class SolidLink(Link):
    """Conduction through a material with k(T): Q = count·(A/L)·∫k dT."""

    material: str
    length_m: PositiveFloat
    area_m2: PositiveFloat


class Conductor(SolidLink):
    type: Literal["conductor"]


class Strap(SolidLink):
    type: Literal["strap"]


class Support(SolidLink):
    type: Literal["support"]


class Radiation(Link):
    """Radiation between two surfaces: Q = σ·A·ε_eff·(T_from⁴ − T_to⁴).

    Give ``emissivity_eff``, or ``emissivity_from`` and ``emissivity_to`` for
    parallel plates, ε_eff = 1 / (1/ε₁ + 1/ε₂ − 1).
    """

    type: Literal["radiation"]
    area_m2: PositiveFloat
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


class MLI(Link):
    """Multilayer insulation by the modified Lockheed equation (Keller et al. 1974)."""

    type: Literal["mli"]
    area_m2: PositiveFloat
    layers: Annotated[int, Field(ge=1, le=500, strict=True)]
    layer_density_per_cm: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    pressure_Pa: NonNegativeFloat = 1e-4
    gas: Literal["N2", "He"] = "N2"
    degradation: Annotated[float, Field(ge=1, le=10, allow_inf_nan=False)] = 1.0


class Gas(Link):
    """Free-molecular gas conduction between two surfaces at residual pressure."""

    type: Literal["gas"]
    species: str
    area_m2: PositiveFloat
    pressure_Pa: PositiveFloat
    gauge_K: Temperature = 300.0
    accommodation: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 1.0


class Contact(Link):
    """Contact conductance: constant ``conductance_W_K``, or a power law G(T) = g0·(T/T0)ⁿ.

    The power law is integrated exactly across the joint,
    Q = g0·T0/(n+1)·((T_from/T0)^(n+1) − (T_to/T0)^(n+1)).
    """

    type: Literal["contact"]
    conductance_W_K: PositiveFloat | None = None
    g0_W_K: PositiveFloat | None = None
    T0_K: Temperature | None = None
    exponent: Annotated[float, Field(ge=0, le=5, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _one_law(self) -> Contact:
        law = (self.g0_W_K, self.T0_K, self.exponent)
        if self.conductance_W_K is not None and any(v is not None for v in law):
            raise ValueError(
                "give conductance_W_K or the power law (g0_W_K, T0_K, exponent), not both"
            )
        if self.conductance_W_K is None and any(v is None for v in law):
            raise ValueError("give conductance_W_K, or all of g0_W_K, T0_K and exponent")
        return self


class WiringLayer(BaseModel):
    """One conductor or dielectric of a cable: its material and cross-section."""

    model_config = ConfigDict(extra="forbid")

    material: str
    area_m2: PositiveFloat


class Wiring(Link):
    """A bundle of ``count`` identical lines: a catalog ``part``, or ``layers`` and ``length_m``."""

    type: Literal["wiring"]
    part: str | None = None
    length_m: PositiveFloat
    layers: list[WiringLayer] | None = None

    @model_validator(mode="after")
    def _part_or_layers(self) -> Wiring:
        if (self.part is None) == (self.layers is None):
            raise ValueError("give either part (a catalog wiring id) or layers, not both")
        if self.layers is not None and not self.layers:
            raise ValueError("layers must list at least one material")
        return self


class Body(Link):
    """A 3-D body solved by the finite-volume solver (``body`` definition, see the grid solver)."""

    type: Literal["body"]
    body: dict[str, Any]


LinkItem = Annotated[
    Conductor | Strap | Support | Radiation | MLI | Gas | Contact | Wiring | Body,
    Field(discriminator="type"),
]

SOLID_LINK_TYPES = ("conductor", "strap", "support")
LINK_TYPES = (*SOLID_LINK_TYPES, "radiation", "mli", "gas", "contact", "wiring", "body")


class Design(BaseModel):
    """A whole system: components, links, canvas layout and free metadata."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["cryogen/design@1"] = Field(alias="schema")
    name: str = ""
    components: list[Component] = Field(default_factory=list)
    links: list[LinkItem] = Field(default_factory=list)
    layout: dict[str, Any] = Field(default_factory=dict)
    meta: dict[str, Any] = Field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; ``from_dict(d).to_dict() == d`` for any valid ``d``."""
        return self.model_dump(by_alias=True, exclude_unset=True, mode="json")

    # -- lookups used by the solvers and the editor
    def component(self, item_id: str):
        return next(c for c in self.components if c.id == item_id)

    def link(self, item_id: str):
        return next(lk for lk in self.links if lk.id == item_id)

    @property
    def nodes(self) -> list[Boundary | Stage]:
        return [c for c in self.components if c.type in NODE_TYPES]


_COMPONENT_MODELS = {
    "boundary": Boundary,
    "stage": Stage,
    "heat_load": HeatLoad,
    "constant_cooler": ConstantCooler,
    "cryocooler": Cryocooler,
    "dilution_unit": DilutionUnit,
    "magnet": Magnet,
}
_LINK_MODELS = {
    "conductor": Conductor,
    "strap": Strap,
    "support": Support,
    "radiation": Radiation,
    "mli": MLI,
    "gas": Gas,
    "contact": Contact,
    "wiring": Wiring,
    "body": Body,
}


def component_model(type_name: str) -> type[Item]:
    """The pydantic class of a component type (used to build editor forms)."""
    return _COMPONENT_MODELS[type_name]


def link_model(type_name: str) -> type[Link]:
    """The pydantic class of a link type (used to build editor forms)."""
    return _LINK_MODELS[type_name]
