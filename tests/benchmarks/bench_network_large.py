"""Large thermal networks (issue 13 item 5): Newton steps by preconditioned GMRES beside
SuperLU on the same Jacobian.

Goals: random 5 000-node / 20 000-link steady state < 2 s; a structured 50 000-link
network (a refrigerator with a thousand 50-segment lines) < 2 s; a 2 000-node cooldown
of 100 implicit steps < 1 s. Each case prints its wall and CPU time (CPU time is what a
quiet machine would take for this single-threaded work) and, as the peer, SuperLU
(``spsolve``) on one of its own Newton Jacobians beside the path CryoGen takes for that
Jacobian, with the largest difference between the two steps.
"""

from __future__ import annotations

import os
import time

import numpy as np
import scipy.sparse.linalg as spla

import solver
from solver.thermal import build_network
from solver.thermal.cooldown import _accepted_step
from solver.thermal.newton_linear import StepSolver
from solver.thermal.steady import _merit_scale, initial_guess
from tests.benchmarks.bench_network import random_network


def refrigerator_lines(n_lines: int = 1000, segments: int = 50) -> dict:
    """A 300 K vessel and a 4 K plate joined by ``n_lines`` lines of ``segments`` SS304
    segments each (every inner joint a small stage): ``n_lines · segments`` links."""
    comps = [
        {"id": "vessel", "type": "boundary", "temperature_K": 300.0},
        {"id": "plate", "type": "boundary", "temperature_K": 4.0},
    ]
    links = []
    for line in range(n_lines):
        prev = "vessel"
        for k in range(segments):
            node = "plate" if k == segments - 1 else f"w{line}_{k}"
            if node != "plate":
                comps.append({"id": node, "type": "stage", "material": "SS304", "mass_kg": 1e-3})
            links.append(
                {
                    "id": f"l{line}_{k}",
                    "type": "conductor",
                    "from": prev,
                    "to": node,
                    "material": "SS304",
                    "length_m": 0.01,
                    "area_m2": 1e-7 * (1 + line % 7),
                }
            )
            prev = node
    return {"schema": "cryogen/design@1", "name": "lines", "components": comps, "links": links}


def _timed(work):
    """(result, wall s, CPU s) of ``work()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = work()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def _step_beside_superlu(J, R, scale) -> str:
    """One Newton step by CryoGen's path and by SuperLU on the same Jacobian."""
    linear = StepSolver()
    ours, t_ours, c_ours = _timed(lambda: linear.solve(J, R, scale))
    path = next(k for k, v in linear.counts.items() if v and k != "amg_builds")
    exact, t_lu, c_lu = _timed(lambda: spla.spsolve(J.tocsc(), -R))
    diff = np.max(np.abs(ours - exact)) / np.max(np.abs(exact))
    return (
        f"one Newton step on the same Jacobian: CryoGen ({path}) {t_ours:.3f} s wall / "
        f"{c_ours:.3f} s CPU, SuperLU {t_lu:.3f} s wall / {c_lu:.3f} s CPU "
        f"(SuperLU/CryoGen {c_lu / c_ours:.0f}x CPU), steps differ by {diff:.1e} of the largest"
    )


def _steady(label: str, design: dict) -> None:
    net, t_build, c_build = _timed(lambda: build_network(design))
    solver.steady_state(net)  # warm the caches of this network
    ds, t_ours, c_ours = _timed(lambda: solver.steady_state(net))
    T = initial_guess(net)
    R, S, J, _ = net.balance(T)
    print(
        f"steady, {label} ({R.size} free nodes, {len(design['links'])} links): CryoGen "
        f"{t_ours:.2f} s wall / {c_ours:.2f} s CPU warm, {ds.attrs['iterations']} Newton "
        f"steps (building the network: {t_build:.1f} s wall / {c_build:.1f} s CPU)   "
        f"[goal < 2 s]\n    {_step_beside_superlu(J, R, _merit_scale(S))}",
        flush=True,
    )


def _cooldown() -> None:
    d = random_network(2000, 4000, seed=2)
    d["components"].append({"id": "cool", "type": "constant_cooler", "stage": "s0", "power_W": 5})
    net = build_network(d)

    def hundred_steps():
        """100 steps of 60 s as ``cooldown`` takes them: one StepSolver, Newton started
        from the last step's rate."""
        linear, rate = StepSolver(), None
        T = net.initial_K.copy()
        for _ in range(100):
            T_new, dt = _accepted_step(net, T, 60.0, 0.05, linear, rate)
            rate = (T_new - T) / dt
            T = T_new
        return T, linear

    hundred_steps()
    (T, linear), t_cool, c_cool = _timed(hundred_steps)
    # the first Newton Jacobian of the 101st step, with its heat-capacity terms
    free = net.free_nodes
    cp = net.enthalpy_change(T, T)[1]
    R, S, J, _ = net.balance(T)
    J.data[net.diagonal_positions] -= net.mass_kg[free] * cp[free] / 60.0
    steps = ", ".join(f"{k} {v}" for k, v in linear.counts.items())
    print(
        f"cooldown, {len(d['components']) - 1} nodes / {len(d['links'])} links, 100 implicit "
        f"steps of 60 s: {t_cool:.2f} s wall / {c_cool:.2f} s CPU warm (Newton steps: "
        f"{steps})   [goal < 1 s]\n    {_step_beside_superlu(J, R, _merit_scale(S))}",
        flush=True,
    )


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    _steady("random", random_network(5000, 20000))
    _steady("1000 lines of 50 segments", refrigerator_lines())
    _cooldown()
