"""Lumped cooldown of stages cooled by a fluid network (a forced-flow cooled magnet).

The fluid is quasi-steady: its holdup is neglected beside the stages' heat
capacity, so each implicit step solves the steady fluid network together with
m·(H(T_{n+1}) − H(T_n)) = Δt·Q(T_{n+1}) at every stage (backward Euler in
enthalpy form, as :mod:`solver.thermal.cooldown`). Energy is then conserved to
the Newton tolerance: heat taken by the fluid through the walls = enthalpy lost
by the stages + heat leaked in (attrs, tested to 1e-6). The helium outlet
temperature and the stage temperatures evolve together.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr

from solver.design import Design, from_dict
from solver.errors import DesignError, SolverError, UnknownNameError
from solver.flow.properties import OutOfRange
from solver.flow.results import flow_dataset
from solver.flow.solve import Coupled, initial_state, newton
from solver.flow.steady import build, check_solution, flow_margins
from solver.thermal.cooldown import step_to_target
from solver.thermal.results import network_dataset

STEP_TOLERANCE = 1e-11  # relative imbalance of each implicit step (energy error per step)


def cooldown(
    design: Design | dict,
    *,
    target_K: float,
    node: str,
    max_step_change: float = 0.05,
    max_steps: int = 5000,
) -> xr.Dataset:
    """Cool the stages of a design with ``flow`` until ``node`` reaches ``target_K``.

    Parameters
    ----------
    design : Design or dict — a design whose ``flow`` pipes have ``wall`` stages.
    target_K : float — stop when ``node`` is at this temperature (K), hit exactly.
    node : str — the stage the target applies to.
    max_step_change : float — largest relative temperature change of a stage per step.
    max_steps : int — give up (SolverError) after this many steps.

    Returns
    -------
    xarray.Dataset with coord ``time`` (s): temperature(time, node) K,
    fluid_temperature(time, fluid_node) K, mass_flow(time, stream) kg/s,
    heat_to_fluid(time, stream) W; the final state's fluid variables; the steady state's
    margin and capacity (:mod:`solver.thermal.margins`, each held stage solved with the
    fluid); attrs time_to_target_s, energy_removed_J (by the fluid through the walls),
    enthalpy_lost_J, heat_leaked_in_J.
    """
    if not isinstance(design, Design):
        design = from_dict(design)
    if design.flow is None:
        raise DesignError("the design has no 'flow' section; use solver.cooldown")
    cp = build(design)
    net = cp.thermal
    stages = [net.node_ids[k] for k in net.free_nodes]
    if node not in stages:
        raise UnknownNameError("stage", node, stages, where="node")
    k_target = net.node_ids.index(node)
    free = net.free_nodes
    T = net.initial_K.copy()
    if T[k_target] <= target_K:
        raise DesignError(
            f"{node!r} starts at {T[k_target]:g} K, already at or below {target_K:g} K"
        )
    x = initial_state(cp, {net.node_ids[k]: T[k] for k in free})
    x[cp.flow.n_fluid :] = T[free]
    x, ev = _step(cp, x, T, dt=None)
    T_start = T.copy()
    ledger = {"removed": 0.0, "leaked": 0.0}
    history = [(0.0, T.copy(), x.copy(), ev)]
    t, dt = 0.0, _first_step(cp, x, T, max_step_change)
    for _ in range(max_steps):
        x_new, ev_new, dt = _accepted(cp, x, T, dt, max_step_change)
        T_new = cp.temperatures(x_new)
        if T_new[k_target] <= target_K:
            dt = step_to_target(
                T[k_target],
                dt,
                partial(_temperature_after, cp, x, T, k_target),
                target_K,
            )
            x_new, ev_new = _step(cp, x, T, dt)
            T_new = cp.temperatures(x_new)
        _account(cp, ev_new, T_new, dt, ledger)
        x, T, t = x_new, T_new, t + dt
        history.append((t, T.copy(), x.copy(), ev_new))
        if T[k_target] <= target_K * (1 + 1e-9):
            break
        change = np.max(np.abs(T[free] - history[-2][1][free]) / history[-2][1][free])
        dt *= float(np.clip(0.9 * max_step_change / max(change, 1e-300), 0.5, 2.0))
    else:
        raise SolverError(
            f"cooldown needed more than {max_steps} steps; {node!r} at {T[k_target]:.4g} K. "
            "Raise the flow or check that the fluid is colder than the target."
        )
    check_solution(cp, x)
    m = net.mass_kg[free]
    enthalpy_lost = float(-np.sum(m * net.enthalpy_change(T_start, T)[0][free]))
    ds = network_dataset(
        net,
        T,
        attrs={
            "analysis": "cooldown",
            "target_node": node,
            "target_K": float(target_K),
            "time_to_target_s": t,
            "energy_removed_J": ledger["removed"],
            "heat_leaked_in_J": ledger["leaked"],
            "enthalpy_lost_J": enthalpy_lost,
            "steps": len(history) - 1,
        },
        flags=[],
        margins=flow_margins(design.flow, net, x),
    )
    ds = flow_dataset(ds, cp, x, ev_new)
    steps = [
        flow_dataset(network_dataset(net, Tk, {}, []), cp, xk, evk) for _, Tk, xk, evk in history
    ]
    ds = ds.drop_vars(
        ["temperature", "heat_flow", "fluid_temperature", "mass_flow", "heat_to_fluid"]
    )
    ds = ds.assign_coords(time=("time", np.array([h[0] for h in history]), {"units": "s"}))
    for var in ("temperature", "heat_flow", "fluid_temperature", "mass_flow", "heat_to_fluid"):
        ds[var] = xr.concat([s[var] for s in steps], dim="time").assign_coords(time=ds.time)
    return ds


def _step(cp: Coupled, x: np.ndarray, T_old: np.ndarray, dt: float | None):
    """One backward-Euler step of length ``dt`` from (x, T_old); ``dt=None`` solves the fluid only
    with the stages held at T_old (the initial state)."""
    net = cp.thermal
    free = net.free_nodes
    m = net.mass_kg[free]
    if dt is None:

        def hold(T):  # a stiff spring holding every stage at its initial temperature
            k = 1e6 * (1.0 + np.abs(net.balance(T)[1]))
            return -k * (T[free] - T_old[free]), k * np.abs(T[free] - T_old[free]), -k

        cp.extra = hold
    else:

        def capacity(T):
            dH, c = net.enthalpy_change(T_old, T)
            storage = m * dH[free] / dt
            return -storage, np.abs(storage), -m * c[free] / dt

        cp.extra = capacity
    try:
        x_new, _, _, ev = newton(cp, x.copy(), STEP_TOLERANCE)
    finally:
        cp.extra = None
    if dt is None:
        x_new[cp.flow.n_fluid :] = T_old[free]
        ev = cp.system(x_new, jacobian=False)[3]
    return x_new, ev


def _temperature_after(cp: Coupled, x, T_old, k: int, dt: float) -> float:
    """Temperature of node k after a step of length dt from (x, T_old)."""
    return float(cp.temperatures(_step(cp, x, T_old, dt)[0])[k])


def _accepted(cp: Coupled, x, T, dt, max_change):
    free = cp.thermal.free_nodes
    for _ in range(40):
        try:
            x_new, ev = _step(cp, x, T, dt)
        except (SolverError, OutOfRange):
            dt *= 0.25
            continue
        change = np.max(np.abs(cp.temperatures(x_new)[free] - T[free]) / T[free])
        if change <= 1.5 * max_change:
            return x_new, ev, dt
        dt *= 0.5 * max_change / change
    raise SolverError(f"cooldown step could not be made small enough (Δt = {dt:.3g} s)")


def _account(cp: Coupled, ev, T_new, dt, ledger) -> None:
    """Add one step's heat taken by the fluid and heat leaked in (J)."""
    net = cp.thermal
    free = net.free_nodes
    ledger["removed"] += dt * float(np.sum(ev.wall_heat[free]))
    R = net.balance(T_new)[0]  # links and loads into each stage, before the fluid
    ledger["leaked"] += dt * float(np.sum(R))


def _first_step(cp: Coupled, x, T, max_change) -> float:
    net = cp.thermal
    free = net.free_nodes
    _, ev = cp.flow.channel_terms(x, T)
    cap = net.mass_kg[free] * net.enthalpy_change(T, T)[1][free]
    rate = np.abs(ev.wall_heat[free]) / cap
    with np.errstate(divide="ignore"):
        dts = np.where(rate > 0, max_change * T[free] / rate, np.inf)
    dt = float(np.min(dts))
    return dt if np.isfinite(dt) else 1.0
