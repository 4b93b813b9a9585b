"""``dilution_refrigerator``: the whole ³He circulation acting on the fridge's stages.

The source names its mixing chamber, still and 4 K plate (and optionally its cold
plate and 50 K plate) and the circulation ``flow_mol_s``; it lowers to
:class:`solver.thermal.fridge_source.FridgeOnNetwork`, whose module docstring gives
the model (Pobell's mixing-chamber enthalpy balance, still evaporation from the T62
vapour pressure, the returning ³He's precool and condensing loads, the order of a
cooldown). README, "Dilution refrigerator", documents the fields.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, model_validator

from solver.elements._base import MolarFlow, PositiveFloat, Source, Temperature
from solver.elements._spec import Problem, References, SourceSpec, SourceTerm, reference_problems
from solver.errors import DesignError
from solver.thermal import dilution, helium
from solver.thermal.fridge_source import FridgeOnNetwork

NODE_FIELDS = ("mixing_chamber", "cold_plate", "still", "plate4", "plate50", "pot")
REQUIRED_NODES = ("mixing_chamber", "still", "plate4")


class DilutionRefrigerator(Source):
    """A dilution refrigerator: its stages by id and its ³He circulation ``flow_mol_s`` (mol/s),
    or the still heater power ``still_heater_W`` that sets it."""

    type: Literal["dilution_refrigerator"]
    flow_mol_s: MolarFlow | None = None
    still_heater_W: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    still_parasitic_W: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    still_K: Annotated[float, Field(ge=0.2, le=1.0, allow_inf_nan=False)]
    mixing_chamber: str
    still: str
    plate4: str
    cold_plate: str | None = None
    plate50: str | None = None
    pot: str | None = None
    pot_flow_mol_s: PositiveFloat | None = None
    pot_K: Annotated[float, Field(ge=0.5, le=2.1, allow_inf_nan=False)] = 1.5
    exchanger_effectiveness: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] | None = None
    exchanger_exit_K: Temperature | None = None
    exchanger_kapitza_W_K4: PositiveFloat | None = None
    precool_W_K: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    room_K: Temperature = dilution.ROOM_K
    charge_He3_mol: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    charge_He4_mol: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    charge_max_mol_s: PositiveFloat | None = None

    @model_validator(mode="after")
    def _one_exchanger(self) -> DilutionRefrigerator:
        if (self.flow_mol_s is None) == (self.still_heater_W is None):
            raise ValueError("give flow_mol_s or still_heater_W (which sets it), one of them")
        given = [
            f
            for f in ("exchanger_effectiveness", "exchanger_exit_K", "exchanger_kapitza_W_K4")
            if getattr(self, f) is not None
        ]
        if len(given) > 1:
            raise ValueError(f"give one exchanger field, not {' and '.join(given)}")
        if self.charge_max_mol_s is not None and self.charge_He3_mol + self.charge_He4_mol == 0:
            raise ValueError("charge_max_mol_s needs a charge (charge_He3_mol, charge_He4_mol)")
        if (self.pot is None) != (self.pot_flow_mol_s is None):
            raise ValueError("a 1 K pot needs both pot (its stage) and pot_flow_mol_s")
        for f in ("exchanger_effectiveness", "exchanger_kapitza_W_K4"):
            if getattr(self, f) is not None and self.cold_plate is None:
                raise ValueError(f"{f} needs cold_plate (the exchangers' warm end)")
        return self


def _problems(item: DilutionRefrigerator, refs: References) -> list[Problem]:
    problems: list[Problem] = []
    named = {f: getattr(item, f) for f in NODE_FIELDS if getattr(item, f) is not None}
    for field_name, node in named.items():
        problems += reference_problems(item.id, field_name, node, refs.stages, "stage")
    seen: dict[str, str] = {}
    for field_name, node in named.items():
        if node in seen:
            problems.append(
                Problem(
                    item.id, field_name, f"{node!r} is already the {seen[node]}; each stage once"
                )
            )
        seen.setdefault(node, field_name)
    if item.exchanger_exit_K is not None and item.exchanger_exit_K >= helium.TRICRITICAL_K:
        problems.append(
            Problem(
                item.id,
                "exchanger_exit_K",
                f"{item.exchanger_exit_K:g} K must be below the {helium.TRICRITICAL_K} K "
                "tricritical point (no concentrated phase above it)",
            )
        )
    field_name = "flow_mol_s" if item.flow_mol_s is not None else "still_heater_W"
    try:
        circulation(item)
    except DesignError as exc:
        problems.append(Problem(item.id, field_name, str(exc).split(": ", 1)[1]))
    return problems


def circulation(item: DilutionRefrigerator) -> float:
    """The ³He circulation (mol/s): ``flow_mol_s``, or (still heater + stated still parasitic
    load) / L₃(still_K), range-checked (10 µmol/s - 10 mmol/s)."""
    if item.flow_mol_s is not None:
        return float(dilution.check_flow(item.flow_mol_s))
    return dilution.flow_from_still_heater(
        float(item.still_heater_W or 0.0), item.still_parasitic_W, item.still_K
    )


def _lower(item: DilutionRefrigerator) -> list[SourceTerm]:
    nodes = [getattr(item, f) for f in NODE_FIELDS if getattr(item, f) is not None]
    position = {f: nodes.index(getattr(item, f)) if getattr(item, f) else -1 for f in NODE_FIELDS}
    exchanger = dilution.Exchanger(
        exit_K=item.exchanger_exit_K,
        effectiveness=item.exchanger_effectiveness,
        kapitza_W_K4=item.exchanger_kapitza_W_K4,
        warm_K=1.0 if item.cold_plate is not None else None,  # the cold plate's T at each solve
    )
    return [
        FridgeOnNetwork(
            id=item.id,
            nodes=tuple(nodes),
            mixing_chamber=position["mixing_chamber"],
            still=position["still"],
            plate4=position["plate4"],
            plate50=position["plate50"],
            cold_plate=position["cold_plate"],
            flow_mol_s=circulation(item),
            still_K=item.still_K,
            exchanger=exchanger,
            precool_W_K=item.precool_W_K,
            room_K=item.room_K,
            pot=position["pot"],
            pot_flow_mol_s=item.pot_flow_mol_s or 0.0,
            pot_K=item.pot_K,
            charge_mol=(item.charge_He3_mol, item.charge_He4_mol),
            charge_max_mol_s=item.charge_max_mol_s or math.inf,
        )
    ]


SPECS = (
    SourceSpec("dilution_refrigerator", DilutionRefrigerator, lower=_lower, problems=_problems),
)
