"""Thermal network speed beside plain scipy on the same equations (issue 2 benchmark).

Goals: steady 500 links < 50 ms warm; cooldown of 200 nodes, 100 steps < 200 ms warm;
first call in a fresh process (numba cache warm) < 5 s. Peers: scipy.optimize.root
(hybr) on a numpy residual of the same network, and solve_ivp (BDF) for the cooldown.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import root

import solver
from solver import materials
from solver.thermal import build_network

SIGMA = 5.670374419e-8
MATERIALS = ("SS304", "OFHC-Cu-RRR100", "G10-normal", "Al6061-T6")


def random_network(n_stages: int, n_links: int, seed: int = 1) -> dict:
    """A connected network: boundaries at 300 K and 40 K, stages linked by conductors and radiation."""
    rng = np.random.default_rng(seed)
    comps = [
        {"id": "room", "type": "boundary", "temperature_K": 300.0},
        {"id": "bath", "type": "boundary", "temperature_K": 40.0},
    ]
    comps += [
        {
            "id": f"s{k}",
            "type": "stage",
            "material": MATERIALS[k % 4],
            "mass_kg": float(rng.uniform(0.1, 2)),
            "initial_K": 300.0,
        }
        for k in range(n_stages)
    ]
    ids = [c["id"] for c in comps]
    links = []
    for k in range(n_links):
        if k < n_stages:  # a spanning tree first, so every stage is anchored
            a, b = ids[rng.integers(0, k + 2)], f"s{k}"
        else:
            a, b = rng.choice(ids, 2, replace=False)
        if k % 5 == 4:
            links.append(
                {
                    "id": f"l{k}",
                    "type": "radiation",
                    "from": str(a),
                    "to": str(b),
                    "area_m2": 0.05,
                    "emissivity_eff": 0.03,
                }
            )
        else:
            links.append(
                {
                    "id": f"l{k}",
                    "type": "conductor",
                    "from": str(a),
                    "to": str(b),
                    "material": MATERIALS[k % 4],
                    "length_m": float(rng.uniform(0.05, 0.5)),
                    "area_m2": float(rng.uniform(1e-6, 1e-5)),
                }
            )
    return {
        "schema": "cryogen/design@1",
        "name": f"random {n_stages} stages, {n_links} links",
        "components": comps,
        "links": links,
    }


def numpy_flows(d: dict):
    """Plain-numpy heat balance of the same network (the peer's residual)."""
    ids = [c["id"] for c in d["components"] if c["type"] in ("boundary", "stage")]
    index = {k: i for i, k in enumerate(ids)}
    fixed = {index[c["id"]]: c["temperature_K"] for c in d["components"] if c["type"] == "boundary"}
    free = np.array([i for i in range(len(ids)) if i not in fixed])
    links = d["links"]
    ends = np.array([[index[lk["from"]], index[lk["to"]]] for lk in links])

    def balance(T_free):
        T = np.empty(len(ids))
        T[list(fixed)] = list(fixed.values())
        T[free] = np.clip(T_free, 1.0, 310.0)  # keep the peer's trial points inside the fits
        q = np.empty(len(links))
        for k, lk in enumerate(links):
            ti, tj = T[ends[k, 0]], T[ends[k, 1]]
            if lk["type"] == "radiation":
                q[k] = SIGMA * lk["area_m2"] * lk["emissivity_eff"] * (ti**4 - tj**4)
            else:
                q[k] = (
                    lk["area_m2"]
                    / lk["length_m"]
                    * materials.get(lk["material"]).conductivity_integral(tj, ti)
                )
        into = np.zeros(len(ids))
        np.add.at(into, ends[:, 1], q)
        np.subtract.at(into, ends[:, 0], q)
        return into[free]

    return balance, free


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    d = random_network(200, 500)
    net = build_network(d)
    ds = solver.steady_state(net)  # warm-up (JIT compile or cache load)
    t_ours = best_of(lambda: solver.steady_state(net), 20)
    t_build = best_of(lambda: build_network(d), 5)
    balance, free = numpy_flows(d)
    t0 = time.perf_counter()
    peer = root(balance, np.full(free.size, 150.0), method="hybr", options={"xtol": 1e-12})
    t_peer = time.perf_counter() - t0
    diff = np.max(np.abs(ds.temperature.values[free] - peer.x)) if peer.success else float("nan")
    print(
        f"steady state, {len(d['components'])} nodes / {len(d['links'])} links: "
        f"CryoGen {t_ours * 1e3:.1f} ms warm (+ {t_build * 1e3:.1f} ms to build the network), "
        f"scipy root(hybr) {t_peer * 1e3:.0f} ms (success={peer.success}), ratio {t_peer / t_ours:.0f}x, "
        f"max |ΔT| {diff:.2e} K   [goal < 50 ms]"
    )

    dc = random_network(200, 400, seed=2)
    dc["components"].append(
        {"id": "cool", "type": "constant_cooler", "stage": "s0", "power_W": 0.5}
    )
    net_c = build_network(dc)
    from solver.thermal.cooldown import _accepted_step

    def hundred_steps():
        T = net_c.initial_K.copy()
        for _ in range(100):
            T, _ = _accepted_step(net_c, T, 60.0, 0.05)
        return T

    T_end = hundred_steps()
    t_cool = best_of(hundred_steps, 3)
    balance_c, free_c = numpy_flows(dc)
    m = np.array([c["mass_kg"] for c in dc["components"] if c["type"] == "stage"])
    mats = [materials.get(c["material"]) for c in dc["components"] if c["type"] == "stage"]
    cooled = free_c.tolist().index(2)  # s0

    def rhs(_, T):
        q = balance_c(T)
        q[cooled] -= 0.5
        return q / (m * np.array([float(mt.cp(t)) for mt, t in zip(mats, T, strict=True)]))

    t0 = time.perf_counter()
    sol = solve_ivp(
        rhs, (0, 6000.0), np.full(free_c.size, 300.0), method="BDF", rtol=1e-6, atol=1e-6
    )
    t_ivp = time.perf_counter() - t0
    diff_c = np.max(np.abs(sol.y[:, -1] - T_end[free_c]))
    print(
        f"cooldown, 200 nodes, 100 implicit steps of 60 s: CryoGen {t_cool * 1e3:.0f} ms warm; "
        f"solve_ivp(BDF) over the same 6000 s {t_ivp * 1e3:.0f} ms, ratio {t_ivp / t_cool:.1f}x, "
        f"max |ΔT| at 6000 s {diff_c:.2e} K (first-order steps)   [goal < 200 ms]"
    )

    code = (
        "import time; t=time.perf_counter(); import solver; "
        "from tests.benchmarks.bench_network import random_network; "
        "solver.steady_state(random_network(200, 500)); print(time.perf_counter()-t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    print(
        f"first steady solve in a fresh process (numba cache warm), incl. imports: {float(out):.2f} s   [goal < 5 s]"
    )
