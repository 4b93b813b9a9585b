"""Large thermal networks (issue 13 item 5): Newton steps by AMG-preconditioned GMRES
beside SuperLU on the same Jacobian.

Goals: random 5 000-node / 20 000-link steady state < 2 s; a structured 50 000-link
network (a refrigerator with a thousand 50-segment lines) < 2 s; a 2 000-node cooldown
of 100 implicit steps < 1 s. The peer is SuperLU (``spsolve``) on the first Newton
Jacobian of each network, and the step it gives is compared with ours.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse.linalg as spla

import solver
from solver.thermal import build_network
from solver.thermal.newton_linear import solve_step
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


def _first_jacobian(net):
    T = initial_guess(net)
    R, S, J, _ = net.balance(T)
    return J, R, _merit_scale(S)


def _steady(label: str, design: dict) -> None:
    t0 = time.perf_counter()
    net = build_network(design)
    t_build = time.perf_counter() - t0
    solver.steady_state(net)  # warm the caches of this network
    t0 = time.perf_counter()
    ds = solver.steady_state(net)
    t_ours = time.perf_counter() - t0
    J, R, scale = _first_jacobian(net)
    t0 = time.perf_counter()
    step = solve_step(J, R, scale)
    t_step = time.perf_counter() - t0
    t0 = time.perf_counter()
    exact = spla.spsolve(J.tocsc(), -R)
    t_lu = time.perf_counter() - t0
    diff = np.max(np.abs(step - exact))
    print(
        f"steady, {label} ({R.size} free nodes, {len(design['links'])} links): CryoGen "
        f"{t_ours:.2f} s warm, {ds.attrs['iterations']} Newton steps (+ {t_build:.1f} s to "
        f"build the network); one Newton step: AMG-GMRES {t_step:.3f} s, SuperLU on the same "
        f"Jacobian {t_lu:.3f} s, ratio {t_lu / t_step:.1f}x, max |ΔT step difference| "
        f"{diff:.1e} K   [goal < 2 s]",
        flush=True,
    )


def main() -> None:
    _steady("random", random_network(5000, 20000))
    _steady("1000 lines of 50 segments", refrigerator_lines())
    d = random_network(2000, 4000, seed=2)
    d["components"].append({"id": "cool", "type": "constant_cooler", "stage": "s0", "power_W": 5})
    net = build_network(d)
    from solver.thermal.cooldown import _accepted_step

    def hundred_steps():
        T = net.initial_K.copy()
        for _ in range(100):
            T, _ = _accepted_step(net, T, 60.0, 0.05)
        return T

    hundred_steps()
    t0 = time.perf_counter()
    hundred_steps()
    t_cool = time.perf_counter() - t0
    print(
        f"cooldown, {len(d['components']) - 1} nodes, 100 implicit steps of 60 s: "
        f"{t_cool:.2f} s warm   [goal < 1 s]",
        flush=True,
    )
