"""Answers about a dilution refrigerator in a solved design: stage budgets, circulation terms, what limits.

Each function takes the design and the Dataset a steady solve (or the final state of a
cooldown) returned, and returns an xarray Dataset or plain values; the CLI, the report
and the app only display them.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from solver.design import Design, from_dict
from solver.elements.dilution_refrigerator import DilutionRefrigerator
from solver.errors import DesignError
from solver.thermal import dilution
from solver.thermal.fridge_source import FridgeOnNetwork
from solver.thermal.network import build_network
from solver.thermal.wiring_lines import wiring_budget_of

__all__ = [
    "circulation_terms",
    "flow_needed",
    "fridge_of",
    "limiting_stage",
    "load_curve_of",
    "more_lines",
    "overloads",
    "stage_budget",
    "still_heater_check",
    "wiring_budget_of",
]


def _design(design: Design | dict) -> Design:
    return design if isinstance(design, Design) else from_dict(design)


def _final(ds: xr.Dataset) -> xr.Dataset:
    return ds.isel(time=-1) if "time" in ds.dims else ds


def fridge_of(design: Design | dict) -> FridgeOnNetwork:
    """The design's ``dilution_refrigerator`` as the network sees it (DesignError if it has none)."""
    net = build_network(_design(design))
    fridges = [s.source for s in net.sources if isinstance(s.source, FridgeOnNetwork)]
    if not fridges:
        raise DesignError("this design has no dilution_refrigerator component")
    return fridges[0]


def circulation_terms(design: Design | dict, result: xr.Dataset) -> xr.Dataset:
    """Every heat term of the circulation at the solution: ``power_W`` (into the stage, cooling < 0)
    on dimension ``term`` with coords ``stage`` and ``name``."""
    fr = fridge_of(design)
    final = _final(result)
    T = dict(zip(final.node.values, final.temperature.values, strict=True))
    terms, _, flags = fr.terms(np.array([T[n] for n in fr.nodes]))
    return xr.Dataset(
        {"power_W": ("term", [w for _, _, w in terms], {"units": "W"})},
        coords={
            "stage": ("term", [fr.nodes[i] for i, _, _ in terms]),
            "name": ("term", [name for _, name, _ in terms]),
        },
        attrs={"flags": "; ".join(flags)},
    )


def stage_budget(design: Design | dict, result: xr.Dataset) -> xr.Dataset:
    """Per stage: temperature, link and own load, circulation load, cooling, margin (all W).

    ``load_W`` is the heat arriving through links plus the stage's own loads (the solve's
    ``stage_load``), ``circulation_W`` the circulation's loads on it (He-3 return precool
    and condensing, still heater), ``cooling_W`` what the stage's cooling sources remove at
    the solution (cryocooler, evaporation, dilution), ``margin_W`` the solve's margin at
    the stage's ``max_K``.
    """
    d = _design(design)
    net = build_network(d)
    final = _final(result)
    T = final.temperature.values
    Q, _, _ = net.source_flows(T)
    circ = circulation_terms(d, result)
    heating = np.zeros(len(net.node_ids))
    for stage, w in zip(circ.stage.values, circ.power_W.values, strict=True):
        if w > 0:
            heating[net.node_ids.index(stage)] += w
    cooling = heating - Q + net.constant_cooling_W
    stages = ~net.fixed
    return xr.Dataset(
        {
            "temperature_K": ("stage", T[stages], {"units": "K"}),
            "load_W": ("stage", final.stage_load.values[stages], {"units": "W"}),
            "circulation_W": ("stage", heating[stages], {"units": "W"}),
            "cooling_W": ("stage", cooling[stages], {"units": "W"}),
            "margin_W": ("stage", final.margin.values[stages], {"units": "W"}),
        },
        coords={"stage": [n for n, s in zip(net.node_ids, stages, strict=True) if s]},
    )


def limiting_stage(design: Design | dict, result: xr.Dataset) -> tuple[str, float]:
    """The stage with the smallest margin relative to its capacity at ``max_K``, and that fraction."""
    final = _final(result)
    frac = (final.margin / final.capacity).values
    if np.all(np.isnan(frac)):
        raise DesignError("no stage has a max_K, so no margin to compare; give max_K on the stages")
    k = int(np.nanargmin(frac))
    return str(final.node.values[k]), float(frac[k])


def overloads(design: Design | dict, result: xr.Dataset) -> list[str]:
    """One sentence per stage whose load exceeds its capacity at ``max_K``: which and by how much."""
    final = _final(result)
    out = []
    for node, margin, cap in zip(
        final.node.values, final.margin.values, final.capacity.values, strict=True
    ):
        if np.isfinite(margin) and margin < 0:
            out.append(
                f"stage {str(node)!r} needs {-margin:.4g} W more than its capacity at max_K "
                f"({cap:.4g} W)"
            )
    return out


def still_heater_check(design: Design | dict, result: xr.Dataset) -> list[str]:
    """With ``still_heater_W`` given: the still parasitic load at the solution against the stated one.

    ṅ was set from the heater and the stated ``still_parasitic_W``; at the solution the still's
    other loads are ṅL₃ − (heater term). One sentence when the two differ by more than 1 %
    (empty otherwise, and for a fridge given ``flow_mol_s``).
    """
    d = _design(design)
    item = next(c for c in d.components if isinstance(c, DilutionRefrigerator))
    if item.still_heater_W is None:
        return []
    circ = circulation_terms(d, result)
    at_still = {
        str(name): float(w)
        for stage, name, w in zip(
            circ.stage.values, circ.name.values, circ.power_W.values, strict=True
        )
        if str(stage) == item.still
    }
    evaporation = -at_still.get("still evaporation", 0.0)
    parasitic = evaporation - at_still.get("still heater", 0.0)
    stated = item.still_parasitic_W
    if abs(parasitic - stated) <= 0.01 * max(abs(parasitic), abs(stated), 1e-300):
        return []
    note = (
        f"{item.id!r}, field 'still_parasitic_W': stated {stated:.4g} W, but the still's other "
        f"loads at the solution are {parasitic:.6g} W; the circulation set from still_heater_W "
        f"({item.still_heater_W:.4g} W) assumes the stated value (give {parasitic:.4g} W for a "
        "consistent rate)"
    )
    return [note]


def more_lines(design: Design | dict, result: xr.Dataset, line: str) -> tuple[float, str]:
    """How many more lines of type ``line`` fit, and the stage that limits them."""
    budget = wiring_budget_of(_design(design), result)
    if line not in budget.line.values:
        raise DesignError(
            f"no line type {line!r} in this design; line types: {list(budget.line.values)}"
        )
    more = budget.more_lines.sel(line=line).values
    k = int(np.nanargmin(more))
    return float(more[k]), str(budget.stage.values[k])


def load_curve_of(design: Design | dict, loads_W) -> xr.Dataset:
    """Mixing-chamber temperature against heat load for the design's fridge (its flow and exchanger).

    With an effectiveness or a continuous exchanger its warm end is taken at the cold plate's
    ``max_K``.
    """
    d = _design(design)
    fr = fridge_of(d)
    return dilution.load_curve(fr.flow_mol_s, loads_W, _exchanger_at_max(d, fr))


def _exchanger_at_max(d: Design, fr) -> dilution.Exchanger:
    """The fridge's exchanger with its warm end at the cold plate's ``max_K`` (when it has one)."""
    ex = fr.exchanger
    if ex.effectiveness is None and not ex.continuous:
        return ex
    warm = d.component(fr.nodes[fr.cold_plate]).max_K
    if warm is None:
        raise DesignError(f"{fr.nodes[fr.cold_plate]!r}, field 'max_K': needed for the curve")
    return dilution.Exchanger(
        effectiveness=ex.effectiveness, kapitza_W_K4=ex.kapitza_W_K4, warm_K=warm
    )


def flow_needed(design: Design | dict, T_mc: float, load_W: float) -> float:
    """Circulation (mol/s) that holds the design's mixing chamber at ``T_mc`` (K) under ``load_W``."""
    d = _design(design)
    fr = fridge_of(d)
    return dilution.flow_for(T_mc, load_W, _exchanger_at_max(d, fr))
