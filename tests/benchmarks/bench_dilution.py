"""Dilution-refrigerator answers beside plain numpy (issue 17 benchmark).

Goal: the mixing-chamber load curve (1000 loads) plus the wiring budget of 1000
lines over five stages under 100 ms warm. Peer: the same budget summed line by
line in plain numpy (one conductivity integral per line and segment).
"""

from __future__ import annotations

import numpy as np

from solver import catalog, materials
from solver.thermal import dilution
from solver.thermal.wiring_budget import wiring_budget
from tests.benchmarks.bench_network import best_of
from tests.thermal.test_wiring_budget import STAGES  # the five-stage fridge of the tests

SS = ("coaxco-sc-086-50-ss-ss", "coaxco-sc-119-50-ss-ss", "coaxco-sc-219-50-ss-ss")


def thousand_lines(seed: int = 3) -> list[dict]:
    """1000 line types: stainless coax to 4 K, then stainless, CuNi or NbTi, with attenuators."""
    rng = np.random.default_rng(seed)
    cold = ("coaxco-sc-086-50-ss-ss", "coaxco-sc-086-50-cn-cn", "coaxco-sc-086-50-nbti-nbti")
    lines = []
    for i in range(1000):
        top = {"part": SS[i % 3]}
        low = {"part": cold[rng.integers(0, 3)]}
        lines.append(
            {
                "id": f"line{i}",
                "kind": "drive",
                "count": int(rng.integers(1, 4)),
                "segments": [top, top, low, low, low],
                "attenuation_dB": [0, 20, 0, 10, 20],
                "power_W": float(rng.uniform(1e-6, 1e-4)),
                "duty": 0.5,
            }
        )
    return lines


def plain_numpy(lines: list[dict]) -> np.ndarray:
    """Stage loads (W) summed line by line: each segment's Σ A/L ∫k dT, attenuators, counts."""
    T = np.array([s["temperature_K"] for s in STAGES])
    T_hot = np.concatenate([[300.0], T[:-1]])
    L = np.array([s["spacing_m"] for s in STAGES])
    total = np.zeros(5)
    for line in lines:
        seg = np.zeros(5)
        for k, s in enumerate(line["segments"]):
            for layer in catalog.wiring_layers(s["part"]):
                m = materials.get(layer["material"])
                seg[k] += layer["area_m2"] / L[k] * m.conductivity_integral(T[k], T_hot[k])
        net = seg - np.append(seg[1:], 0.0)
        t = 10.0 ** (-np.array(line["attenuation_dB"]) / 10)
        above = np.concatenate([[1.0], np.cumprod(t[:-1])])
        active = line["power_W"] * line["duty"] * above * (1 - t)
        total += line["count"] * (net + active)
    return total


def main() -> None:
    lines = thousand_lines()
    loads = np.linspace(0.0, 500e-6, 1000)
    ex = dilution.Exchanger(effectiveness=0.97, warm_K=0.1)

    def ours():
        dilution.load_curve(5e-4, loads, ex)
        return wiring_budget(STAGES, lines)

    ds = ours()  # warm the caches (catalog, tables)
    peer = plain_numpy(lines)
    agree = np.max(np.abs(ds["stage_load_W"].values - peer) / np.abs(peer))
    t_ours = best_of(ours, repeat=5)
    t_peer = best_of(lambda: plain_numpy(lines), repeat=2)
    print(f"load curve (1000 loads) + wiring budget (1000 lines x 5 stages): {t_ours * 1e3:.1f} ms")
    print(f"plain numpy, line by line: {t_peer * 1e3:.1f} ms  (ratio {t_peer / t_ours:.1f}x)")
    print(f"largest relative difference of the stage loads: {agree:.2e}")
    print(f"goal < 100 ms warm: {'met' if t_ours < 0.1 else 'NOT met'}")
    continuous = dilution.Exchanger(kapitza_W_K4=30.0, warm_K=0.1)
    t_cont = best_of(lambda: dilution.load_curve(5e-4, loads, continuous), repeat=5)
    print(
        f"load curve, continuous Kapitza exchanger (1000 loads, closed form): {t_cont * 1e3:.2f} ms"
    )


if __name__ == "__main__":
    main()
