"""Magnet fields beside magpylib: same points, max relative difference (to |B|), time ratio.

Cases (DESIGN goals: ≤1e-9 thin, ≤1e-6 thick, ≥3× magpylib on solenoid maps, ≥10× on paths):
1. thin solenoid, 100×100×50 map — magpylib Cylinder with polarization μ0·N·I/L;
2. thick solenoid, 100×100×50 map in the bore — magpylib nested thin Cylinders at the
   Gauss–Legendre radii (the same radial integral);
3. 10 000-segment helix, 20×20×10 map — magpylib Polyline, observers in chunks.
Times are after JIT warm-up; the best of ``REPEATS`` runs is kept.
"""

from __future__ import annotations

import time

import numpy as np

from solver.magnet import MU0_H_PER_M, Magnet, Path, Solenoid

REPEATS = 2


def _grid(nx, ny, nz, half_x, half_y, half_z):
    x = np.linspace(-half_x, half_x, nx)
    y = np.linspace(-half_y, half_y, ny)
    z = np.linspace(-half_z, half_z, nz)
    g = np.meshgrid(x, y, z, indexing="ij")
    return np.stack([a.ravel() for a in g], axis=1)


def _best(f):
    best, out = np.inf, None
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _report(name, ours_t, ours_b, peer_t, peer_b, goal_diff, goal_speed):
    diff = np.max(np.linalg.norm(ours_b - peer_b, axis=1) / np.linalg.norm(peer_b, axis=1))
    ratio = peer_t / ours_t
    print(
        f"{name:34s} points {len(ours_b):>7d}  CryoGen {ours_t:7.3f} s  magpylib {peer_t:7.3f} s  "
        f"speed-up {ratio:6.1f}x (goal ≥{goal_speed}x)  max |ΔB|/|B| {diff:.2e} (goal ≤{goal_diff:g})",
        flush=True,
    )


def main():
    import magpylib as magpy

    r, length, turns, current = 0.05, 0.2, 1000, 10.0

    # 1. thin solenoid
    pts = _grid(100, 100, 50, 0.1, 0.1, 0.2)
    thin = Magnet(
        [Solenoid(id="thin", radius_m=r, length_m=length, turns=turns, current_A=current)]
    )
    thin.field(pts[:10])  # JIT warm-up
    t_ours, b_ours = _best(lambda: thin.field(pts))
    cyl = magpy.magnet.Cylinder(
        polarization=(0, 0, MU0_H_PER_M * turns * current / length), dimension=(2 * r, length)
    )
    t_peer, b_peer = _best(lambda: magpy.getB(cyl, pts))
    _report("thin solenoid 100x100x50", t_ours, b_ours, t_peer, b_peer, 1e-9, 3)

    # 2. thick solenoid, bore map
    r1, r2, nodes = 0.05, 0.07, 24
    pts = _grid(100, 100, 50, 0.035, 0.035, 0.15)
    thick = Magnet(
        [
            Solenoid(
                id="thick",
                inner_radius_m=r1,
                outer_radius_m=r2,
                length_m=length,
                turns=turns,
                current_A=current,
                radial_nodes=nodes,
            )
        ]
    )
    thick.field(pts[:10])
    t_ours, b_ours = _best(lambda: thick.field(pts))
    x, w = np.polynomial.legendre.leggauss(nodes)
    radii = r1 + 0.5 * (r2 - r1) * (x + 1)
    j_pol = MU0_H_PER_M * turns * current / (length * (r2 - r1))
    shells = magpy.Collection(
        [
            magpy.magnet.Cylinder(
                polarization=(0, 0, j_pol * 0.5 * (r2 - r1) * wk), dimension=(2 * rk, length)
            )
            for rk, wk in zip(radii, w, strict=True)
        ]
    )
    t_peer, b_peer = _best(lambda: magpy.getB(shells, pts))
    _report(f"thick solenoid 100x100x50 ({nodes} shells)", t_ours, b_ours, t_peer, b_peer, 1e-6, 3)

    # 3. 10 000-segment helix
    n_seg, n_turns, rh, pitch = 10_000, 50, 0.05, 0.004
    theta = np.linspace(0, 2 * np.pi * n_turns, n_seg + 1)
    verts = np.stack(
        [rh * np.cos(theta), rh * np.sin(theta), pitch * theta / (2 * np.pi) - 0.1], axis=1
    )
    helix = Magnet([Path(id="helix", points_m=verts.tolist(), current_A=current)])
    pts = _grid(20, 20, 10, 0.03, 0.03, 0.08)
    helix.field(pts[:10])
    t_ours, b_ours = _best(lambda: helix.field(pts))
    line = magpy.current.Polyline(current=current, vertices=verts)

    def peer():
        return np.concatenate([magpy.getB(line, pts[k : k + 200]) for k in range(0, len(pts), 200)])

    t_peer, b_peer = _best(peer)
    _report("helix path 10k segments, 20x20x10", t_ours, b_ours, t_peer, b_peer, 1e-9, 10)


if __name__ == "__main__":
    main()
