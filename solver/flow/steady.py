"""Steady state of a design with a ``flow`` section: fluid and thermal networks solved together."""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from solver.design import Design, from_dict
from solver.errors import DesignError, SolverError
from solver.flow.model import Flow
from solver.flow.network import FlowNetwork
from solver.flow.properties import OutOfRange
from solver.flow.results import flow_dataset
from solver.flow.solve import TOLERANCE, Coupled, initial_state, newton
from solver.thermal.margins import StageMargins, extra_heat, held_at, stage_margins
from solver.thermal.network import Network, build_network
from solver.thermal.results import network_dataset
from solver.thermal.steady import check_steady_posed


def build(design: Design, extra=None) -> Coupled:
    """The coupled fluid and thermal networks of a design with ``flow``."""
    if design.flow is None:
        raise DesignError("the design has no 'flow' section; use solver.steady_state")
    net = build_network(design)
    return Coupled(FlowNetwork(design.flow, net.node_ids), net, extra)


def steady_state(design: Design | dict, *, tol: float = TOLERANCE) -> xr.Dataset:
    """Steady state of a design and its fluid network (``flow``), solved together.

    Parameters
    ----------
    design : Design or dict — a ``cryogen/design@1`` design with a ``flow`` section.
    tol : float — relative imbalance allowed in every balance (DESIGN.md: 1e-9).

    Returns
    -------
    xarray.Dataset — the thermal results of :func:`solver.thermal.steady.steady_state`
    plus the fluid's (see :func:`solver.flow.results.flow_dataset`).

    Raises
    ------
    SolverError — no convergence, reversed flow, a choked valve, or a state that
    leaves the fluid's equation of state; the message names the element or point.
    """
    if not isinstance(design, Design):
        design = from_dict(design)
    if design.flow is None:
        raise DesignError("the design has no 'flow' section; use solver.steady_state")
    coupled = build(design)
    _check_posed(coupled)
    x = initial_state(coupled)
    try:
        x, iterations, imbalance, ev = newton(coupled, x, tol)
    except OutOfRange as exc:
        raise SolverError(f"{exc}. Check the boundary states and element sizes.") from exc
    check_solution(coupled, x)
    T = coupled.temperatures(x)
    coupled.thermal.check_temperatures(T)
    ds = network_dataset(
        coupled.thermal,
        T,
        attrs={
            "analysis": "steady_state",
            "iterations": iterations,
            "max_relative_imbalance": imbalance,
        },
        flags=[],
        margins=flow_margins(design.flow, coupled.thermal, x, tol),
    )
    return flow_dataset(ds, coupled, x, ev)


def flow_margins(flow: Flow, net: Network, x: np.ndarray, tol: float = TOLERANCE) -> StageMargins:
    """Stage margins (:mod:`solver.thermal.margins`) of a design's network ``net`` and its fluid
    network ``flow``, each held stage solved with the fluid, starting from the coupled
    unknowns ``x`` (fluid, then free nodes)."""
    n_fluid = x.size - net.free_nodes.size
    T = np.where(net.fixed, net.T_fixed, 0.0)
    T[net.free_nodes] = x[n_fluid:]

    def solve(net: Network, n: int, limit_K: float, T_start: np.ndarray):
        held = held_at(net, n, limit_K)
        coupled = Coupled(FlowNetwork(flow, held.node_ids), held)
        try:
            x_held, _, _, ev = newton(coupled, np.r_[x[:n_fluid], T_start[held.free_nodes]], tol)
        except OutOfRange as exc:
            raise SolverError(str(exc)) from exc
        check_solution(coupled, x_held)
        return extra_heat(net, coupled.temperatures(x_held), n, float(ev.wall_heat[n]))

    return stage_margins(net, T, solve)


def _check_posed(cp: Coupled) -> None:
    """Every stage needs a boundary, a cooler or a pipe wall in its linked group."""
    walls = tuple(
        sorted({c.params["wall"] for c in cp.flow.channels if c.params.get("wall", -1) >= 0})
    )
    check_steady_posed(cp.thermal, anchors=walls)


def check_solution(cp: Coupled, x: np.ndarray) -> None:
    """Refuse what the model does not support: reversed flow, choked valves."""
    fn = cp.flow
    m = x[fn.im0 : fn.n_fluid]
    for k, c in enumerate(fn.channels):
        if m[k] < 0:
            raise SolverError(
                f"flow element {c.element!r}: the flow runs backwards ({m[k]:.4g} kg/s, from "
                f"{fn.node_ids[c.j]!r} to {fn.node_ids[c.i]!r}); reversed flow is not supported: swap "
                "its from and to, or check the boundary pressures"
            )
    p, h = fn.node_states(x)
    for c in fn.channels:
        if c.kind != "valve":
            continue
        s = fn.fluid.state_ph(p[c.i], h[c.i], f"valve {c.element!r} inlet")
        gas_like = s.x >= 1.0 or (math.isnan(s.x) and s.rho < fn.fluid.rho_crit)  # vapour-like side
        if not gas_like:
            continue
        gamma = fn.fluid.cp_cv(p[c.i], h[c.i])
        critical = (2.0 / (gamma + 1.0)) ** (
            gamma / (gamma - 1.0)
        )  # ideal-gas critical pressure ratio
        if p[c.j] / p[c.i] < critical:
            raise SolverError(
                f"flow element {c.element!r}: choked flow (outlet/inlet pressure {p[c.j] / p[c.i]:.3f} "
                f"below the critical ratio {critical:.3f} for γ = {gamma:.3f}); the valve model is "
                "incompressible and does not support choking: raise the outlet pressure or enlarge the valve"
            )
