"""Coupled fluid + thermal network speed beside scipy root on the same equations (issue 19).

Goal: a 200-element helium network whose pipe walls are the 200 stages of a thermal
network reaches steady state in < 1 s warm (states remembered by (p, h), finite-difference
Jacobian in about ten coloured evaluations). Peer: scipy.optimize.root (hybr, its own
finite-difference Jacobian) on the same residual from the same start.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import root

from solver.design import from_dict
from solver.errors import DesignError
from solver.flow.solve import _relative, initial_state
from solver.flow.steady import build, steady_state


def magnet_string(n: int) -> dict:
    """n copper stages in a chain (each with 20 mW), cooled by n pipes in series on their walls."""
    comps = [{"id": "shield", "type": "boundary", "temperature_K": 50.0}]
    comps += [
        {
            "id": f"s{k}",
            "type": "stage",
            "material": "OFHC-Cu-RRR100",
            "mass_kg": 1.0,
            "heat_load_W": 0.02,
        }
        for k in range(n)
    ]
    links = [
        {
            "id": "hanger",
            "type": "support",
            "from": "shield",
            "to": "s0",
            "material": "G10-normal",
            "length_m": 0.2,
            "area_m2": 1e-5,
        }
    ]
    links += [
        {
            "id": f"c{k}",
            "type": "conductor",
            "from": f"s{k}",
            "to": f"s{k + 1}",
            "material": "SS304",
            "length_m": 0.1,
            "area_m2": 1e-6,
        }
        for k in range(n - 1)
    ]
    points = ["supply"] + [f"j{k}" for k in range(1, n)] + ["return"]
    return {
        "schema": "cryogen/design@1",
        "name": f"{n} stages cooled by {n} helium pipes",
        "components": comps,
        "links": links,
        "flow": {
            "fluid": "Helium",
            "junctions": [{"id": p} for p in points[1:-1]],
            "boundaries": [
                {"id": "supply", "type": "inlet", "pressure_Pa": 4e5, "temperature_K": 4.5},
                {"id": "return", "type": "outlet", "pressure_Pa": 3e5},
            ],
            "elements": [
                {
                    "id": f"p{k}",
                    "type": "pipe",
                    "from": points[k],
                    "to": points[k + 1],
                    "length_m": 1.0,
                    "diameter_m": 0.006,
                    "segments": 1,
                    "wall": f"s{k}",
                }
                for k in range(n)
            ],
        },
    }


def main() -> None:
    design = from_dict(magnet_string(200))
    t0 = time.perf_counter()
    ds = steady_state(design)
    cold = time.perf_counter() - t0
    runs = []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        ds = steady_state(design)
        runs.append((time.perf_counter() - t0, time.process_time() - c0))
    warm, warm_cpu = min(runs)
    print(
        f"200 pipes + 200 stages: first solve {cold:.2f} s, warm {warm:.3f} s wall / "
        f"{warm_cpu:.3f} s CPU (goal < 1 s), {ds.attrs['iterations']} Newton iterations, "
        f"max imbalance {ds.attrs['max_relative_imbalance']:.1e}"
    )
    changed = magnet_string(200)
    for c in changed["components"][1:]:
        c["heat_load_W"] = 0.03  # new states: few (p, h) remembered from the solve before
    t0, c0 = time.perf_counter(), time.process_time()
    steady_state(from_dict(changed))
    print(
        "same network, every heat load changed (new fluid states): "
        f"{time.perf_counter() - t0:.2f} s wall / {time.process_time() - c0:.2f} s CPU"
    )

    cp = build(design)
    x0 = initial_state(cp)
    scale = np.abs(x0) + 1e-3

    def residual(z):
        F, S, _, _ = cp.system(z * scale, jacobian=False)
        return F / np.maximum(S, 1e-300)

    t0 = time.perf_counter()
    try:
        sol = root(residual, x0 / scale, method="hybr", options={"maxfev": 20 * x0.size})
        peer_x, ok = sol.x * scale, sol.success
    except DesignError as exc:  # a trial point outside the equation of state
        peer_x, ok = x0, False
        print(f"scipy root (hybr) stopped: {exc}")
    peer = time.perf_counter() - t0
    F, S, _, _ = cp.system(peer_x, jacobian=False)
    T_ours = ds.temperature.sel(node=[f"s{k}" for k in range(200)]).values
    T_peer = cp.temperatures(peer_x)[1:]
    print(
        f"scipy root (hybr, same residual): {peer:.1f} s, success {ok}, max imbalance "
        f"{_relative(F, S):.1e}, max |T - ours| {np.max(np.abs(T_peer - T_ours)):.2e} K; "
        f"ratio {peer / warm:.0f}x"
    )
