"""The line types of a design: ``wiring`` links chained by their ``line`` name, their heat, their budget.

A line type is the chain of ``wiring`` links sharing a ``line`` name, warm to cold
(each link's ``to`` is the next one's ``from``). Its signal (``power_W`` at room
temperature, ``duty``) is dissipated in the attenuators down the chain, its DC
``current_A`` in the resistive sections, and ``fixed_W`` where stated; this heat is
constant, so the network adds it to the nodes' own loads
(:func:`fixed_heat`). After a solve, :func:`wiring_budget_of` gives the per-line,
per-stage table: passive (the network's link flows at the solution), active,
Joule, stated, and how many more lines each stage can take against its margin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from solver.design import Design
from solver.elements.wiring import Wiring
from solver.errors import DesignError
from solver.thermal.cable_loss import attenuation_dB_per_m, signal_heat
from solver.thermal.wiring_budget import budget_dataset, joule_at_stages

LINE_FIELDS = ("kind", "power_W", "duty", "current_A", "frequency_GHz")


@dataclass(frozen=True)
class LineChain:
    """One line type: its segments warm to cold and its line-level values."""

    name: str
    links: tuple  # the wiring link items, warm to cold
    kind: str
    power_W: float
    duty: float
    current_A: float
    cable_dB: tuple[float, ...] = ()  # each segment's cable loss at the line's frequency, dB
    flags: tuple[str, ...] = ()

    @property
    def stages(self) -> list[str]:
        """The node at the cold end of each segment."""
        return [lk.to for lk in self.links]

    def heat_per_line(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(active, Joule, stated) W per line at each segment's cold end (Joule's warm half of the
        first segment is returned separately by :meth:`joule_top`)."""
        att = np.array([lk.attenuation_dB for lk in self.links])
        active = signal_heat(self.power_W * self.duty, att, self.cable_dB or None)
        joule = joule_at_stages(self.current_A, np.array([lk.resistance_ohm for lk in self.links]))
        fixed = np.array([lk.fixed_W for lk in self.links])
        return active, joule, fixed

    def joule_top(self) -> float:
        """I²R/2 of the first segment, W per line, into the chain's warmest node."""
        return 0.5 * self.current_A**2 * self.links[0].resistance_ohm


def line_chains(design: Design) -> list[LineChain]:
    """Every line type of ``design``, in order of first appearance; DesignError for a broken chain."""
    groups: dict[str, list[Wiring]] = {}
    for lk in design.links:
        if isinstance(lk, Wiring) and lk.line is not None:
            groups.setdefault(lk.line, []).append(lk)
    chains = []
    for name, links in groups.items():
        by_from: dict[str, Wiring] = {}
        for lk in links:
            if lk.from_ in by_from:
                raise DesignError(
                    f"{lk.id!r}, field 'line': line {name!r} branches at {lk.from_!r} "
                    f"({by_from[lk.from_].id!r} starts there too); one segment per stage interval"
                )
            by_from[lk.from_] = lk
        starts = [lk for lk in links if lk.from_ not in {x.to for x in links}]
        if len(starts) != 1:
            raise DesignError(
                f"{links[0].id!r}, field 'line': the segments of line {name!r} must join end to "
                "end (each 'to' the next 'from'), warm to cold"
            )
        ordered = [starts[0]]
        while ordered[-1].to in by_from:
            ordered.append(by_from[ordered[-1].to])
        if len(ordered) != len(links):
            raise DesignError(f"{links[0].id!r}, field 'line': line {name!r} is not one chain")
        values = {}
        for field in LINE_FIELDS:
            given = {getattr(lk, field) for lk in links if getattr(lk, field) is not None}
            if len(given) > 1:
                raise DesignError(
                    f"{links[0].id!r}, field {field!r}: line {name!r} gives {sorted(given)}; "
                    "give it once"
                )
            values[field] = given.pop() if given else None
        cable_dB, flags = _cable_loss(design, name, ordered, values["frequency_GHz"])
        chains.append(
            LineChain(
                name,
                tuple(ordered),
                values["kind"] or "other",
                values["power_W"] or 0.0,
                1.0 if values["duty"] is None else values["duty"],
                values["current_A"] or 0.0,
                cable_dB,
                flags,
            )
        )
    return chains


def _cable_loss(
    design: Design, name: str, links: list, frequency_GHz: float | None
) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Each segment's cable loss (dB) at ``frequency_GHz`` between its ends' rated temperatures
    (a boundary's ``temperature_K``, a stage's ``max_K``), and flags; () without a frequency."""
    if frequency_GHz is None:
        return (), ()
    out, flags = [], []
    for lk in links:
        if lk.part is None:
            out.append(0.0)
            continue
        ends = [_rated_K(design, node, lk.id) for node in (lk.from_, lk.to)]
        where = f"{lk.id!r} (line {name!r})"
        alpha, new = attenuation_dB_per_m(lk.part, frequency_GHz, max(ends), min(ends), where)
        flags += new
        out.append(0.0 if alpha is None else alpha * lk.length_m)
    return tuple(out), tuple(flags)


def _rated_K(design: Design, node: str, link_id: str) -> float:
    comp = design.component(node)
    T = getattr(comp, "temperature_K", None) or getattr(comp, "max_K", None)
    if T is None:
        raise DesignError(
            f"{node!r}, field 'max_K': needed for the cable loss of {link_id!r} (frequency_GHz)"
        )
    return float(T)


def fixed_heat(design: Design) -> list[tuple[str, float]]:
    """(node id, W) of every line type's attenuator, Joule and stated heat (all lines counted)."""
    out = []
    for chain in line_chains(design):
        active, joule, fixed = chain.heat_per_line()
        for k, lk in enumerate(chain.links):
            total = active[k] + joule[k] + fixed[k]
            if total:
                out.append((lk.to, lk.count * total))
        top = chain.joule_top()
        if top:
            out.append((chain.links[0].from_, chain.links[0].count * top))
    return out


def wiring_budget_of(design: Design, result: xr.Dataset) -> xr.Dataset:
    """Per-line, per-stage wiring budget at a network solution (W per line, counts, what fits).

    Stages are the cold ends of the line segments, warm to cold by their solved
    temperature. ``passive_W`` is the heat a line's segment brings into the stage minus
    what its next segment carries on (the network's link flows at the solution, per line);
    ``margin_W`` is the stage's margin from the solve (the extra heat it takes until it
    reaches ``max_K``, :mod:`solver.thermal.margins`; NaN without ``max_K``);
    ``more_lines`` = ⌊margin / per-line load⌋.
    """
    chains = line_chains(design)
    final = result.isel(time=-1) if "time" in result.dims else result
    T = dict(zip(final.node.values, final.temperature.values, strict=True))
    flows = dict(zip(final.link.values, final.heat_flow.values, strict=True))
    margins = dict(zip(final.node.values, final.margin.values, strict=True))
    stages = sorted({s for c in chains for s in c.stages}, key=lambda s: -T[s])
    col = {s: k for k, s in enumerate(stages)}
    shape = (len(chains), len(stages))
    passive, active, joule, fixed = (np.zeros(shape) for _ in range(4))
    count = np.zeros(shape)
    for i, chain in enumerate(chains):
        a, j, f = chain.heat_per_line()
        for k, lk in enumerate(chain.links):
            c = col[lk.to]
            passive[i, c] += flows[lk.id] / lk.count
            if k + 1 < len(chain.links):
                nxt = chain.links[k + 1]
                passive[i, c] -= flows[nxt.id] / nxt.count
            active[i, c], joule[i, c], fixed[i, c] = a[k], j[k], f[k]
            count[i, c] = lk.count
    ds = budget_dataset(
        [c.name for c in chains],
        [c.kind for c in chains],
        stages,
        [T[s] for s in stages],
        (passive, active, joule, fixed),
        count,
        [margins[s] for s in stages],
    )
    ds.attrs["flags"] = [f for c in chains for f in c.flags]
    return ds
