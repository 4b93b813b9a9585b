"""Stage margins: the extra heat a stage can take, every other load as it is, before it reaches max_K.

For each stage with a ``max_K`` the network is solved again with that stage held at
``max_K`` and an unknown extra heat ΔQ applied to it. The other stages float, so a
two-stage cooler whose map couples its stages (Q₁(T₁, T₂), Q₂(T₁, T₂)) moves them, and
every link and source at the held stage takes its value at the new operating point.
ΔQ is the heat that balances the held stage there:

    margin = ΔQ = −(net heat into the stage at the held solution),

negative when the stage already sits above ``max_K`` (the heat that would have to be
removed). The solver that found the operating point solves the held network too (one
extra steady solve per stage with ``max_K``), through a :data:`HeldSolve`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from solver.errors import DesignError, SolverError
from solver.thermal.loads import stage_loads
from solver.thermal.network import Network

HeldSolve = Callable[[Network, int, float, np.ndarray], tuple[float, list[str]]]
"""``solve(net, n, max_K, T_start) -> (ΔQ, notes)``: solve ``net`` with node ``n`` held at
``max_K`` (:func:`held_at`) from ``T_start`` (K, shape (n_nodes,)) with the analysis's own
solver, and return :func:`extra_heat` there. Raises SolverError (or DesignError: a lead that
burns out) when the held network has no steady state."""

_MAP_NOTE = " (capacity held at the map edge)"


@dataclass(frozen=True)
class StageMargins:
    """Per node (W; NaN for a node without ``max_K``): the margin, and the capacity = the stage's
    load at the state the margin was found from + margin (what the stage can carry before it
    reaches ``max_K``); notes on how they were found."""

    margin_W: np.ndarray
    capacity_W: np.ndarray
    flags: list[str]

    @classmethod
    def undefined(cls, net: Network, reason: str = "") -> StageMargins:
        """No margins (NaN everywhere); ``reason`` (why) becomes a flag when a stage has ``max_K``."""
        flags = [f"margins not computed: {reason}"] if reason and _limits(net) else []
        nan = np.full(len(net.node_ids), np.nan)
        return cls(nan, nan, flags)


def stage_margins(net: Network, T: np.ndarray, solve: HeldSolve) -> StageMargins:
    """The margin of every stage with a ``max_K`` (see the module docstring).

    Parameters
    ----------
    net : Network — the design's network.
    T : ndarray, shape (n_nodes,) — its solved temperatures (K): where each re-solve starts.
    solve : HeldSolve — the steady solver of the analysis (with its fluid, if any).

    Returns
    -------
    StageMargins — margin_W (W; NaN without ``max_K``, or where the held network has no
    steady state, and a flag then says why), capacity_W = stage load at ``T`` + margin, and
    flags for a held operating point outside a cryocooler's published map (the margin then
    extrapolates the map).
    """
    limits = _limits(net)
    if not limits:
        return StageMargins.undefined(net)
    margin = np.full(len(net.node_ids), np.nan)
    flags: list[str] = []
    for n, limit in limits:
        where = f"margin of stage {net.node_ids[n]!r} (held at its max_K {limit:g} K)"
        start = T.copy()
        start[n] = limit
        try:
            margin[n], notes = solve(net, n, limit, start)
        except (SolverError, DesignError) as exc:  # at the held state only: the design solved
            flags.append(f"{where}: not computed, the held network has no steady state: {exc}")
            continue
        flags += [
            f"{where}: {note.replace(_MAP_NOTE, ' (map extrapolated)')}"
            for note in notes
            if "outside the published map" in note
        ]
    return StageMargins(margin, stage_loads(net, T, net.link_flows(T)) + margin, flags)


def extra_heat(
    net: Network, T: np.ndarray, n: int, outflow_W: float = 0.0
) -> tuple[float, list[str]]:
    """Heat ΔQ (W) that balances node ``n`` of ``net`` at temperatures ``T`` (K), and the notes of
    the network's balance there (a cooler outside its map).

    ΔQ = −(net heat into ``n`` from its links, own loads and sources − ``outflow_W``, the heat
    it gives to a fluid through pipe walls). Call it while the held state's element states
    (a vapour-cooled link's gas flow) are in place.
    """
    R, _, _, notes = net.balance(T, extend_above_maps=True)
    return -(float(R[net.free_index[n]]) - outflow_W), notes


def held_at(net: Network, n: int, T_K: float) -> Network:
    """``net`` with node ``n`` held at ``T_K`` (a fixed node); items and sources are shared."""
    fixed = net.fixed.copy()
    fixed[n] = True
    T_fixed = net.T_fixed.copy()
    T_fixed[n] = T_K
    return dataclasses.replace(net, fixed=fixed, T_fixed=T_fixed)


def _limits(net: Network) -> list[tuple[int, float]]:
    """(node index, max_K) of every stage with a ``max_K``."""
    return [
        (k, float(c.max_K))
        for k, c in enumerate(net.design.nodes)
        if c.type == "stage" and c.max_K is not None
    ]
