"""Transient cooldown of a thermal network, implicit in enthalpy form.

Each step solves m·(H(T_{n+1}) − H(T_n)) = Δt·Q(T_{n+1}) for every stage
(backward Euler on enthalpy), so energy is conserved to the Newton tolerance:
heat removed by the coolers = enthalpy lost by the stages + heat leaked in
(reported in the result attrs and tested). The step adapts so that no stage
temperature changes by more than ``max_step_change`` (relative) per step; the
target is hit exactly by a secant search on the last step's length.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import xarray as xr

from solver.design import Design
from solver.errors import DesignError, SolverError, UnknownNameError
from solver.thermal.loads import stage_loads
from solver.thermal.margins import StageMargins, stage_margins
from solver.thermal.mixture_charge import ChargeLog
from solver.thermal.network import Network, build_network
from solver.thermal.newton_linear import StepSolver
from solver.thermal.results import boil_off, network_dataset
from solver.thermal.steady import refuse_flow, solve_balance, solve_held, steady_solution

TARGET_RANGE_K = (1e-3, 2000.0)
"""Targets a cooldown accepts: the materials' 1 mK floor to the stages' 2000 K ceiling."""
STEP_TOLERANCE = 1e-11  # relative imbalance of each implicit step (energy error per step)
STEADY_WITHIN_K = 1e-3
_FLAG_DURING_COOLDOWN = (
    "ran outside its published map during part of the cooldown (above the map: capacity held at "
    "the map edge, a lower bound; below: continued with the edge slope)"
)  # without a target, run until every stage is within 1 mK of steady state


def cooldown(
    design: Design | dict,
    *,
    target_K: float | None = None,
    node: str | None = None,
    max_step_change: float = 0.02,
    max_time_s: float = 10 * 365.25 * 86400.0,
    max_steps: int = 200_000,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    max_wall_s: float | None = None,
) -> xr.Dataset:
    """Cool a design down from each stage's ``initial_K``.

    Parameters
    ----------
    design : Design or dict
    target_K : float, optional — stop when ``node`` reaches this temperature (K).
        Without it, run until every stage is within 1 mK of its steady state.
    node : str, optional — node the target applies to; default the coldest stage
        with a cooling source.
    max_step_change : float — largest relative temperature change of a stage per step.
    max_time_s : float — give up (SolverError) after this much simulated time, s.
    progress : callable(fraction), optional — called after each step (0 … 1).
    should_stop : callable() -> bool, optional — return True to cancel (raises SolverError).
    max_wall_s : float, optional — give up (SolverError saying where it got to) after this
        many seconds of computing.

    Returns
    -------
    xarray.Dataset with coord ``time`` (s): temperature(time, node) K,
    heat_flow(time, link) W; the final state's stage_load; the steady state's margin and
    capacity (:mod:`solver.thermal.margins`; NaN when the design has no steady state);
    attrs time_to_target_s, energy_removed_J, enthalpy_lost_J, heat_leaked_in_J; with a
    fridge's mixture charge, condensed_fraction(time, fridge), condensing_starts_s,
    circulation_starts_s and charge_energy_J (see :mod:`solver.thermal.mixture_charge`).
    """
    if target_K is not None and not (TARGET_RANGE_K[0] <= target_K <= TARGET_RANGE_K[1]):
        raise DesignError(
            f"--target-K {target_K!r}: a target temperature is a finite number from "
            f"{TARGET_RANGE_K[0]:g} to {TARGET_RANGE_K[1]:g} K"
        )
    deadline = None if max_wall_s is None else time.monotonic() + max_wall_s
    net = build_network(design)
    refuse_flow(net)
    free = net.free_nodes
    if free.size == 0:
        raise DesignError("design has no stage to cool down (only boundaries)")
    target_node = _target_node(net, node)
    k_target = net.node_ids.index(target_node)
    steady_T, margins = _steady(net)
    if target_K is not None and steady_T is not None and steady_T[k_target] > target_K:
        raise SolverError(
            f"target {target_K:g} K at {target_node!r} is unreachable: it settles at "
            f"{steady_T[k_target]:.4g} K in steady state. Reduce its heat load or add cooling."
        )
    if target_K is None and steady_T is None:
        raise SolverError(
            "this design has no steady state to cool down to (see `cryogen solve`); give a target "
            "temperature with --target-K to run the cooldown until a node reaches it."
        )

    T = net.initial_K.copy()
    charges = ChargeLog(net)  # after the steady state, which takes every charge as condensed
    m = net.mass_kg[free]
    linear = StepSolver()  # one for the whole run: its preconditioner is reused step to step
    rate = None  # K/s of each node over the last step: where Newton starts the next
    T_start = T.copy()
    ledger: dict[str, Any] = {"removed": 0.0, "leaked": 0.0, "flags": set()}
    times, temps, flows = [0.0], [T.copy()], [net.link_flows(T)]
    t = 0.0
    dt = _first_step(net, T, max_step_change)
    reached = target_K is not None and T[k_target] <= target_K
    settled = steady_T if target_K is None else None  # run to steady state when no target
    goal_K = target_K if settled is None else float(settled[k_target])
    log_span = np.log(T[k_target] / goal_K)

    for _ in range(max_steps):
        if reached or (
            settled is not None and np.max(np.abs(T[free] - settled[free])) <= STEADY_WITHIN_K
        ):
            break
        if should_stop is not None and should_stop():
            raise SolverError(f"cooldown cancelled by the user at t = {t:.4g} s")
        if deadline is not None and time.monotonic() > deadline:
            raise SolverError(
                f"cooldown stopped after {max_wall_s:g} s of computing (--max-seconds) at "
                f"t = {t:.4g} s of simulated time, {len(times) - 1} steps, with "
                f"{target_node!r} at {T[k_target]:.4g} K; allow more time or give a "
                "warmer --target-K"
            )
        dt = charges.begin_step(T, dt, t)
        T_new, dt_used = _accepted_step(net, T, dt, max_step_change, linear, rate)
        if (fit := charges.fit_step(T_new, dt_used)) < dt_used:  # ends as the charge is in
            dt_used, T_new = fit, _implicit_step(net, T, fit, linear, rate)
        if target_K is not None and T_new[k_target] <= target_K:
            dt_used = step_to_target(
                T[k_target], dt_used, _target_temperature(net, T, k_target, linear, rate), target_K
            )
            T_new = _implicit_step(net, T, dt_used, linear, rate)
            reached = True
        _account(net, T_new, dt_used, ledger)
        charges.end_step(T_new, dt_used, t + dt_used)
        rate = (T_new - T) / dt_used
        T, t = T_new, t + dt_used
        times.append(t)
        temps.append(T.copy())
        flows.append(net.link_flows(T))
        if progress is not None and log_span > 0:
            progress(float(np.clip(np.log(temps[0][k_target] / T[k_target]) / log_span, 0.0, 1.0)))
        if t > max_time_s:
            raise SolverError(
                f"cooldown did not reach its goal within {max_time_s:.3g} s of simulated time "
                f"({target_node!r} at {T[k_target]:.4g} K); check the cooling sources."
            )
        dt = _next_step(T_new, temps[-2], dt_used, max_step_change, free)
    else:
        raise SolverError(
            f"cooldown needed more than {max_steps} steps; {target_node!r} at {T[k_target]:.4g} K"
        )

    enthalpy_lost = float(-np.sum(m * net.enthalpy_change(T_start, T)[0][free]))
    flags = (
        sorted(ledger["flags"] | charges.flags)
        + net.balance(T)[3]
        + [f"{t.id}: {t.term.cooldown_note}" for t in net.terminals if t.term.cooldown_note]
    )
    ds = network_dataset(
        net,
        T,
        attrs={
            "analysis": "cooldown",
            "target_node": target_node,
            "target_K": float(target_K) if target_K is not None else float("nan"),
            "time_to_target_s": t,
            "energy_removed_J": ledger["removed"],
            "heat_leaked_in_J": ledger["leaked"],
            "enthalpy_lost_J": enthalpy_lost,
            "steps": len(times) - 1,
        },
        flags=flags,
        margins=margins,
    )
    ds = ds.drop_vars(["temperature", "heat_flow"])
    ds = ds.assign_coords(time=("time", np.array(times), {"units": "s"}))
    ds["temperature"] = (
        ("time", "node"),
        np.array(temps),
        {"units": "K", "long_name": "node temperature"},
    )
    ds["heat_flow"] = (
        ("time", "link"),
        np.array(flows),
        {"units": "W", "long_name": "heat flow, > 0 from link_from to link_to"},
    )
    ds["liquid_remaining"] = (
        ("time", "node"),
        _liquid_remaining(net, np.array(times), temps, flows),
        {"units": "L", "long_name": "liquid left in each bath with a volume_L (NaN elsewhere)"},
    )
    if progress is not None:
        progress(1.0)
    return charges.add_to(ds)


def _liquid_remaining(net: Network, times: np.ndarray, temps: list, flows: list) -> np.ndarray:
    """Liquid (L) left in each bath over the cooldown: ``volume_L`` minus the boil-off,
    net heat / (h_fg ρ_l), integrated over time by the trapezoid rule (NaN for other nodes)."""
    out = np.full((times.size, len(net.node_ids)), np.nan)
    baths = [
        (k, c)
        for k, c in enumerate(net.design.nodes)
        if c.type == "bath" and c.volume_L is not None
    ]
    if not baths:
        return out
    rates = np.array(
        [boil_off(net, stage_loads(net, T, q)) for T, q in zip(temps, flows, strict=True)]
    )
    for k, c in baths:
        per_second = rates[:, k] / 86400.0
        lost = np.concatenate(
            [[0.0], np.cumsum(0.5 * (per_second[1:] + per_second[:-1]) * np.diff(times))]
        )
        out[:, k] = c.volume_L - lost
    return out


def _target_node(net: Network, node: str | None) -> str:
    stage_ids = [c.id for c in net.design.nodes if c.type == "stage"]
    if node is not None:
        if node not in stage_ids:
            raise UnknownNameError("stage", node, stage_ids, where="--node")
        return node
    # coldest cooled stage: by the base temperature each source reaches (dilution units at 0 K,
    # cryocooler stages at their map's base), then stages with constant coolers
    ranked: list[tuple[float, str]] = []
    for source in net.sources:
        for base, n in zip(source.source.base_K(), source.nodes, strict=True):
            ranked.append((float(base), net.node_ids[n]))
    for n in np.flatnonzero(net.constant_cooling_W > 0):
        ranked.append((np.inf, net.node_ids[n]))
    if not ranked:
        raise SolverError("no stage has a cooling source; name the node to watch with --node")
    return min(ranked)[1]


def _target_temperature(
    net: Network, T: np.ndarray, k: int, linear: StepSolver | None = None, rate=None
) -> Callable[[float], float]:
    """Temperature of node ``k`` after an implicit step of length h (s) from T."""
    return lambda h: float(_implicit_step(net, T, h, linear, rate)[k])


def _steady(net: Network) -> tuple[np.ndarray | None, StageMargins]:
    """Steady temperatures of ``net`` (None when it has no steady state) and its stage margins,
    which a cooldown reports: found before the cooldown sets any fridge's charge to uncondensed."""
    try:
        T = steady_solution(net)[0]
    except SolverError:
        return None, StageMargins.undefined(net, "they are the steady state's and there is none")
    return T, stage_margins(net, T, solve_held)


def _implicit_step(
    net: Network,
    T_old: np.ndarray,
    dt: float,
    linear: StepSolver | None = None,
    rate: np.ndarray | None = None,
) -> np.ndarray:
    """Temperatures after one backward-Euler step of ``dt`` (s) from ``T_old``.

    ``linear`` solves its Newton steps (None: a new one); ``rate`` (K/s, each node's over
    the previous step) starts Newton from the linear extrapolation T_old + dt·rate, held
    within a factor 2 of T_old (None: from T_old). The solution does not depend on the
    start; it saved a quarter of the Newton iterations of the 2 000-node benchmark.
    """
    free = net.free_nodes
    m = net.mass_kg[free]

    def capacity_terms(T):
        dH, cp = net.enthalpy_change(T_old, T)
        storage = m * dH[free] / dt
        return -storage, np.abs(storage), -m * cp[free] / dt

    start = T_old.copy() if rate is None else np.clip(T_old + dt * rate, T_old / 2, T_old * 2)
    return solve_balance(net, start, STEP_TOLERANCE, extra=capacity_terms, linear=linear)[0]


def _accepted_step(net, T, dt, max_change, linear: StepSolver | None = None, rate=None):
    """One implicit step from T no longer than ``dt`` that changes no stage by more than
    1.5·``max_change`` (relative): (T_new, its length in s)."""
    free = net.free_nodes
    for _ in range(40):
        try:
            T_new = _implicit_step(net, T, dt, linear, rate)
        except SolverError:
            dt *= 0.25
            continue
        change = np.max(np.abs(T_new[free] - T[free]) / T[free])
        if change <= 1.5 * max_change:
            return T_new, dt
        dt *= 0.5 * max_change / change
    raise SolverError(f"cooldown step could not be made small enough (Δt = {dt:.3g} s)")


def step_to_target(
    T_now: float, dt: float, after: Callable[[float], float], target_K: float
) -> float:
    """Length of a step from ``T_now`` after which a node is exactly at ``target_K``.

    ``after(dt)`` is the node's temperature after an implicit step of length dt (s); the
    step ``dt`` overshoots the target. Secant, kept inside the bracket by bisection.
    """
    lo, hi = 0.0, dt
    f_lo, f_hi = T_now - target_K, after(dt) - target_K
    for _ in range(60):
        mid = hi - f_hi * (hi - lo) / (f_hi - f_lo) if f_hi != f_lo else 0.5 * (lo + hi)
        if not lo < mid < hi:
            mid = 0.5 * (lo + hi)
        f_mid = after(mid) - target_K
        if abs(f_mid) <= 1e-10 * target_K:
            return mid
        if f_mid > 0:
            lo, f_lo = mid, f_mid
        else:
            hi, f_hi = mid, f_mid
    return hi


def _account(net: Network, T_new: np.ndarray, dt: float, ledger: dict) -> None:
    """Add one step's cooling and leak to the energy ledger (J)."""
    free = net.free_nodes
    Qs, _, flags = net.source_flows(T_new)
    ledger["flags"].update(flag.split(":")[0] + ": " + _FLAG_DURING_COOLDOWN for flag in flags)
    ledger["removed"] += dt * float(np.sum(-Qs[free]) + np.sum(net.constant_cooling_W[free]))
    link_q = net.link_flows(T_new)
    from_fixed = net.fixed[net.link_from] & ~net.fixed[net.link_to]
    to_fixed = net.fixed[net.link_to] & ~net.fixed[net.link_from]
    plain = np.ones(len(net.link_ids), dtype=bool)
    plain[[t.link for t in net.terminals]] = False
    leak = float(
        np.sum(net.own_load_W[free])
        + np.sum(link_q[from_fixed & plain])
        - np.sum(link_q[to_fixed & plain])
        + np.sum(net.body_inflows(T_new)[free])
    )
    ledger["leaked"] += dt * leak


def _first_step(net: Network, T: np.ndarray, max_change: float) -> float:
    free = net.free_nodes
    R = net.balance(T)[0]
    cp = net.enthalpy_change(T, T)[1][free]
    rate = np.abs(R) / (net.mass_kg[free] * cp)  # K/s
    with np.errstate(divide="ignore"):
        dts = np.where(rate > 0, max_change * T[free] / rate, np.inf)
    dt = float(np.min(dts))
    return dt if np.isfinite(dt) else 1.0


def _next_step(T_new, T_old, dt, max_change, free) -> float:
    change = np.max(np.abs(T_new[free] - T_old[free]) / T_old[free])
    if change == 0:
        return dt * 2.0
    return dt * float(np.clip(0.9 * max_change / change, 0.5, 2.0))
