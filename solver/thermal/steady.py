"""Steady state of a thermal network: Newton with a line search on the full nonlinear system.

Converged when every free node balances to |Σ Q| ≤ tol · Σ |Q| (DESIGN.md, tol = 1e-9).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import scipy.sparse as sp
import xarray as xr
from scipy.sparse.csgraph import connected_components

from solver import materials
from solver.design import Design
from solver.elements import VapourCooledLink
from solver.errors import DesignError, SolverError
from solver.kernels.log_smoothing import smooth_log_temperatures
from solver.thermal.loads import stage_loads
from solver.thermal.margins import extra_heat, held_at, stage_margins
from solver.thermal.network import Network, build_network
from solver.thermal.newton_linear import StepSolver, forcing_term
from solver.thermal.results import network_dataset

TOLERANCE = 1e-9
MAX_ITERATIONS = 200
MAX_STEP_RATIO = 2.0  # a Newton step changes no temperature by more than ×2 or ÷2
FLOOR_K = 1e-3  # the materials' floor (1 mK)


def steady_state(
    design: Design | dict | Network, *, tol: float = TOLERANCE, initial_K: dict | None = None
) -> xr.Dataset:
    """Solve a design's steady state.

    Parameters
    ----------
    design : Design or dict — a ``cryogen/design@1`` design (or its built Network).
    tol : float — relative heat imbalance allowed at every node.
    initial_K : dict, optional — starting temperatures (K) by node id.

    Returns
    -------
    xarray.Dataset — temperature(node) K, heat_flow(link) W, stage_load(node) W,
    margin(node) W (the extra heat each stage with ``max_K`` takes before it reaches it,
    :mod:`solver.thermal.margins`) and capacity(node) = stage_load + margin (see
    :func:`solver.thermal.results.network_dataset`).

    Raises
    ------
    SolverError — a stage with no path to a boundary or a cooling source, or no
    convergence; the message names the node and what to try.
    """
    net = design if isinstance(design, Network) else build_network(design)
    T, attrs, flags = steady_solution(net, tol, initial_K)
    margins = stage_margins(net, T, partial(solve_held, tol=tol))
    return network_dataset(net, T, attrs=attrs, flags=flags, margins=margins)


def steady_solution(
    net: Network, tol: float = TOLERANCE, initial_K: dict | None = None
) -> tuple[np.ndarray, dict, list[str]]:
    """Steady temperatures of ``net`` (K), the solve's attrs and its flags (see :func:`steady_state`)."""
    if not net.node_ids:
        raise DesignError(
            "the design has no nodes: add a boundary or a stage (a design with no nodes is "
            "a design error)"
        )
    refuse_flow(net)
    check_steady_posed(net)
    T = initial_guess(net, initial_K)
    try:
        T, iterations, imbalance = _solve_with_vented_gas(net, T, tol)
        flags = _raise_if_outside_map(net, T)
    except SolverError as exc:
        if exc.temperatures is not None:
            _raise_if_outside_map(net, exc.temperatures)
        raise
    net.check_temperatures(T)
    attrs = {
        "analysis": "steady_state",
        "iterations": iterations,
        "max_relative_imbalance": imbalance,
    }
    return T, attrs, flags


def solve_held(
    net: Network, n: int, limit_K: float, T: np.ndarray, tol: float = TOLERANCE
) -> tuple[float, list[str]]:
    """The extra heat on node ``n`` held at ``limit_K`` (a :data:`solver.thermal.margins.HeldSolve`).

    The held network is solved from ``T`` as a steady state is (vented gas included). Each
    vapour-cooled link's gas flow is found again for the held state and put back afterwards,
    so the solved network's flows are unchanged.
    """
    vapour = [t.term.element for t in net.terminals if isinstance(t.term.element, VapourCooledLink)]
    saved = [element.mdot_kg_s for element in vapour]
    try:
        T_held = _solve_with_vented_gas(held_at(net, n, limit_K), T, tol)[0]
        return extra_heat(net, T_held, n)
    finally:
        for element, mdot in zip(vapour, saved, strict=True):
            element.mdot_kg_s = mdot


VENT_TOLERANCE = 1e-10  # relative change of every bath's vented gas flow between two solves
MAX_VENT_ITERATIONS = 50


def _solve_with_vented_gas(net: Network, T: np.ndarray, tol: float):
    """Newton on the network; with vapour-cooled links, repeated until each bath's vented gas
    matches its net heat, ṁ = (Q/h_fg)(1 − ρ_v/ρ_l) shared by its vapour-cooled paths.

    More gas cools the links and lowers the bath's heat, so g(ṁ) = ṁ − vented(ṁ) rises with
    ṁ; each bath's flow is bracketed and found by false position (Illinois).
    """
    vents: dict[int, list[VapourCooledLink]] = {}  # bath node -> vapour-cooled links ending on it
    chained: dict[
        str, VapourCooledLink
    ] = {}  # link id -> vapour-cooled element, for links fed by another link's gas
    for t in net.terminals:
        element = t.term.element
        if not isinstance(element, VapourCooledLink) or element.bath is None:
            continue
        chained[element.item.id] = element
        if element.upstream is None:
            vents.setdefault(net.node_ids.index(element.bath.id), []).append(element)

    def solve_at(flows: dict[int, float]):
        """Network solve with each bath's vapour-cooled paths carrying ``flows[bath]`` kg/s;
        returns the solution and g = flow − vented gas of the bath's resulting heat."""
        for node, links in vents.items():
            for link in links:
                link.mdot_kg_s = flows[node]
        for element in chained.values():  # series: the same gas, split over the link's paths
            source = element
            while source.upstream is not None:
                source = chained[source.upstream]
            element.mdot_kg_s = source.mdot_kg_s * source.item.count / element.item.count
        solution = solve_balance(net, T, tol, extend_above_maps=True)
        loads = stage_loads(net, solution[0], net.link_flows(solution[0]))
        g = {}
        for node, links in vents.items():
            vented = links[0].bath.state.vented_gas_kg_s(max(float(loads[node]), 0.0))
            g[node] = flows[node] - vented / sum(link.item.count for link in links)
        return solution, g

    # g(ṁ) rises with ṁ (more gas, less heat into the bath): g(0) ≤ 0 and g(−g(0)) ≥ 0
    # bracket the flow; Illinois false position per bath, all baths solved together
    zero = dict.fromkeys(vents, 0.0)
    (T, iterations, imbalance), g_lo = solve_at(zero)
    if not vents:
        return T, iterations, imbalance
    lo, hi = dict(zero), {node: -g_lo[node] for node in vents}
    (T, more, imbalance), g_hi = solve_at(hi)
    iterations += more
    side = dict.fromkeys(vents, 0)
    for _ in range(MAX_VENT_ITERATIONS):
        trial = {}
        for node in vents:
            a, b, ga, gb = lo[node], hi[node], g_lo[node], g_hi[node]
            trial[node] = b if gb == ga else b - gb * (b - a) / (gb - ga)
        (T, more, imbalance), g = solve_at(trial)
        iterations += more
        if all(abs(g[n]) <= VENT_TOLERANCE * max(trial[n], 1e-300) for n in vents):
            return T, iterations, imbalance
        for node in vents:
            if g[node] < 0:
                lo[node], g_lo[node] = trial[node], g[node]
                if side[node] == -1:
                    g_hi[node] *= 0.5  # Illinois: halve the stale end
                side[node] = -1
            else:
                hi[node], g_hi[node] = trial[node], g[node]
                if side[node] == 1:
                    g_lo[node] *= 0.5
                side[node] = 1
    raise SolverError(
        f"vented gas and bath heat did not agree in {MAX_VENT_ITERATIONS} network solves; "
        "check the vapour-cooled links' geometry"
    )


def _raise_if_outside_map(net: Network, T: np.ndarray) -> list[str]:
    """Flags of the network at T; SolverError when a cryocooler operates outside its published map."""
    flags = net.balance(T, extend_above_maps=True)[3]
    outside = [
        f.replace(" (capacity held at the map edge)", "")
        for f in flags
        if "outside the published map" in f
    ]
    if outside:
        raise SolverError(
            "the steady operating point lies outside a cryocooler's published map: "
            + "; ".join(outside)
            + ". Reduce the stage loads or choose a larger cooler."
        )
    return flags


def solve_balance(
    net: Network,
    T: np.ndarray,
    tol: float,
    extra=None,
    extend_above_maps: bool = False,
    linear: StepSolver | None = None,
) -> tuple[np.ndarray, int, float]:
    """Newton iterations on the free-node balance from ``T``; returns (T, iterations, max imbalance).

    ``extra(T) -> (R_add, diag_add)`` lets the cooldown add its heat-capacity terms;
    ``extend_above_maps`` continues cooler maps above their warm edge (steady state only);
    ``linear`` solves the Newton steps (a cooldown passes one for all its steps, so that
    its preconditioner is reused). Each step is solved inexactly, to the Eisenstat–Walker
    forcing term, or until the linear solve leaves no node more than 0.1 of the imbalance
    the test allows it; convergence is tested on the full nonlinear balance.
    """
    free = net.free_nodes
    if free.size == 0:
        return T, 0, 0.0
    if linear is None:
        linear = StepSolver()
    R, S, J = _system(net, T, extra, extend_above_maps)
    merit_before = None
    for iteration in range(1, MAX_ITERATIONS + 1):
        _require_finite(net, T, R, S, J)
        resolvable = _resolvable(J, T[free])
        R = np.where(np.abs(R) <= resolvable, 0.0, R)
        rel = _relative(R, S)
        if rel <= tol:
            return T, iteration - 1, rel
        # each node's allowed imbalance over tol: the linear solve and the line search
        # weigh every node by what the convergence test asks of it
        scale = _merit_scale(np.maximum(S, resolvable / tol) if tol > 0 else S)
        merit0 = float(np.linalg.norm(R / scale))
        forcing = forcing_term(merit0, merit_before)
        try:
            dT = linear.solve(J, R, scale, rtol=forcing, atol=0.1 * tol)
        except RuntimeError as exc:  # singular factor
            raise _stuck(net, T, R, S, "the Jacobian is singular") from exc
        if not np.all(np.isfinite(dT)):
            raise _stuck(net, T, R, S, "the Jacobian is singular")
        T_free = T[free]
        target = np.clip(T_free + dT, T_free / MAX_STEP_RATIO, T_free * MAX_STEP_RATIO)
        target = np.clip(target, FLOOR_K, materials.GRID.T[-1])
        for alpha in (1.0, 0.5, 0.25, 0.125, 0.0625, 1.0):
            # backtracking; when no shorter step lowers the residual (a kink in a cooler
            # map or a table edge), take the full ratio-limited step, as plain Newton would
            trial = T.copy()
            trial[free] = T_free + alpha * (target - T_free)
            R_new, S_new, J_new = _system(net, trial, extra, extend_above_maps)
            R_balanced = np.where(np.abs(R_new) <= _resolvable(J_new, trial[free]), 0.0, R_new)
            merit = np.linalg.norm(R_balanced / scale)
            if merit <= (1 - 1e-4 * alpha) * merit0:
                break
        merit_before = merit0
        T, R, S, J = trial, R_new, S_new, J_new
    raise _stuck(net, T, R, S, f"Newton did not converge in {MAX_ITERATIONS} iterations")


def _require_finite(net: Network, T: np.ndarray, R, S, J) -> None:
    """SolverError naming the link (or node) whose heat flow or derivative is not finite:
    an infinite imbalance must never count as balanced."""
    if np.isfinite(R).all() and np.isfinite(S).all() and np.isfinite(J.data).all():
        return
    with np.errstate(all="ignore"):
        q = net.link_flows(T)
    bad = [net.link_ids[k] for k in np.flatnonzero(~np.isfinite(q))]
    where = (
        f"link(s) {', '.join(repr(b) for b in bad[:5])}"
        if bad
        else f"node {net.node_ids[net.free_nodes[int(np.argmax(~np.isfinite(R)))]]!r}"
    )
    raise SolverError(
        f"the heat flow of {where} is not finite at {np.nanmin(T):.4g}–{np.nanmax(T):.4g} K; "
        "check its length, area and conductance for degenerate values"
    )


def _system(net: Network, T: np.ndarray, extra, extend_above_maps: bool):
    R, S, J, _ = net.balance(T, extend_above_maps)
    if extra is not None:
        R_add, S_add, diag_add = extra(T)
        R = R + R_add
        S = S + S_add
        J.data[net.diagonal_positions] += diag_add
    return R, S, J


def _merit_scale(S: np.ndarray) -> np.ndarray:
    """Per-node residual scale for the line search: Σ|Q|, floored at 1e-12 of the largest."""
    return np.maximum(S, 1e-12 * S.max() + 1e-300)


def _resolvable(J, T_free: np.ndarray) -> np.ndarray:
    """Imbalance (W) of each free node below which no floating-point temperature can
    balance it better: what a change of 4 ulp in its own temperature makes,
    |∂R/∂T|·4·spacing(T). Such a node counts as balanced."""
    return np.abs(J.diagonal()) * 4.0 * np.spacing(T_free)


def _relative(R: np.ndarray, S: np.ndarray) -> float:
    """Largest relative imbalance |R|/S over the free nodes (R = 0 where it is below
    :func:`_resolvable`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(S > 0, np.abs(R) / S, np.where(R == 0, 0.0, np.inf))
    return float(rel.max())


def _stuck(net: Network, T, R, S, why: str) -> SolverError:
    k = int(np.argmax(np.abs(R) / _merit_scale(S)))
    node = net.node_ids[net.free_nodes[k]]
    if R[k] < 0 and T[net.free_nodes[k]] <= FLOOR_K * (1 + 1e-6):
        # R is the net heat into the node: negative at the floor means its cooling sources
        # take out more than its links and loads can bring in, however cold it gets
        error = SolverError(
            f"node {node!r}: its coolers remove {-R[k]:.3g} W more than can flow into it, even "
            f"with {node!r} at the {FLOOR_K * 1e3:g} mK floor of the property data: no steady "
            f"state exists. Lower the constant cooling power on {node!r}, or add the heat "
            "paths (links, heat loads) that bring that heat in."
        )
        error.temperatures = T
        return error
    error = SolverError(
        f"{why}: node {node!r} still has a heat imbalance of {R[k]:.3g} W at {T[net.free_nodes[k]]:.4g} K. "
        "Check that its links and coolers can carry its load, or give initial temperatures closer to the answer."
    )
    error.temperatures = T
    return error


def refuse_flow(net: Network) -> None:
    """DesignError for a design with a ``flow`` section: its fluid must be solved with it."""
    if net.design.flow is not None:
        raise DesignError(
            "this design has a 'flow' section (a fluid network); solve it with solver.steady_state "
            "or solver.flow.steady (fluid and thermal networks together)"
        )


def check_steady_posed(net: Network, anchors: tuple[int, ...] = ()) -> None:
    """Raise SolverError naming every stage whose steady temperature is undetermined.

    A group of stages connected by links needs a boundary, or a temperature-dependent
    cooler (cryocooler, dilution unit), to fix its temperature. ``anchors``: node indices
    held by something outside the network (a fluid flowing past their pipe walls).
    """
    n = len(net.node_ids)
    # links join their ends; an element joins its terminals (and may anchor them: a
    # body's fixed patch)
    first = [np.full(t.nodes.size - 1, t.nodes[0]) for t in net.terminals if t.nodes.size]
    rest = [t.nodes[1:] for t in net.terminals if t.nodes.size]
    ends_a = np.concatenate([net.term_i, *first]).astype(np.int64)
    ends_b = np.concatenate([net.term_j, *rest]).astype(np.int64)
    graph = sp.coo_matrix((np.ones(ends_a.size), (ends_a, ends_b)), shape=(n, n))
    _, group = connected_components(graph, directed=False)
    held = [np.flatnonzero(net.fixed), np.asarray(anchors, dtype=np.int64)]
    held += [source.nodes for source in net.sources]
    held += [t.nodes[:1] for t in net.terminals if t.term.anchors]
    anchored_group = np.zeros(n, dtype=bool)  # by connected-component label
    anchored_group[group[np.concatenate(held).astype(np.int64)]] = True
    stranded = [net.node_ids[k] for k in net.free_nodes if not anchored_group[group[k]]]
    if stranded:
        raise SolverError(
            f"stage(s) {', '.join(repr(s) for s in stranded)} have no path to a boundary or a "
            "temperature-dependent cooler, so their steady temperature is undetermined. Link them to "
            "a boundary or a cooled stage, add a cryocooler, or run a cooldown instead."
        )


def initial_guess(net: Network, initial_K: dict | None = None) -> np.ndarray:
    """Starting temperatures: boundaries fixed, cooled stages near their cooler, others smoothed between."""
    T = np.where(net.fixed, net.T_fixed, np.nan)
    anchors = np.zeros(T.size, dtype=bool)
    anchors[net.fixed] = True
    for source in net.sources:
        T[source.nodes] = source.source.guess_K()
        anchors[source.nodes] = True
    for node_id, value in (initial_K or {}).items():
        k = net.node_ids.index(node_id)
        T[k] = value
        anchors[k] = True
    if not anchors.any():
        T[:] = net.initial_K
        return T
    # geometric mean of linked neighbours, repeated (Jacobi sweeps of a sparse averaging
    # matrix): a harmonic guess in log T
    logT = np.log(np.where(np.isnan(T), np.nanmean(np.where(anchors, T, np.nan)), T))
    ends = np.concatenate([net.term_i, net.term_j]).astype(np.int64)
    others = np.concatenate([net.term_j, net.term_i]).astype(np.int64)
    order = np.argsort(ends, kind="stable")  # each node's neighbours in link order
    start = np.searchsorted(ends[order], np.arange(T.size + 1))
    smooth_log_temperatures(logT, anchors, start, others[order], 50)
    guess = np.exp(logT)
    guess[anchors] = T[anchors]  # exact values where known (exp(log(T)) is not T to the last bit)
    return guess
