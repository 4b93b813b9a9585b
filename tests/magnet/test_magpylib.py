"""Coil fields beside magpylib, a peer code with its own closed forms, at a few hundred points.

Accuracy only (the timing is ``make bench``, tests/benchmarks/bench_magnet.py). Every coil
sits off the origin on a tilted axis; for the axisymmetric coils magpylib places its own
sources, so our placement is checked too. magpylib is in the ``test`` extra.
"""

from __future__ import annotations

import magpylib
import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from solver.magnet import CCT, MU0_H_PER_M, Helmholtz, Loop, Path, Racetrack, Saddle, Solenoid

# magpylib takes μ0 from scipy.constants (CODATA 2022), 6.8e-10 below our CODATA 2018 value:
# its current-source fields are rescaled (a polarisation J gives B without μ0)
PER_AMPERE = MU0_H_PER_M / magpylib.mu_0

CENTRE = np.array([0.01, -0.02, 0.03])
AXIS = np.array([1.0, 2.0, 2.0]) / 3.0
TILT = Rotation.align_vectors([AXIS], [[0.0, 0.0, 1.0]])[0]  # magpylib's z axis onto AXIS
PLACED = {"center_m": tuple(CENTRE), "axis": tuple(AXIS)}


def _points(n, half_m, seed=0):
    """``n`` random points in a cube of half-width ``half_m`` about CENTRE, shape (n, 3)."""
    return CENTRE + np.random.default_rng(seed).uniform(-half_m, half_m, (n, 3))


def _relative_error(coil, peer_B, pts):
    ours = coil.field(pts)
    return np.max(np.linalg.norm(ours - peer_B, axis=1) / np.linalg.norm(peer_B, axis=1))


def test_thin_solenoid_is_a_uniformly_polarised_cylinder():
    sol = Solenoid(radius_m=0.05, length_m=0.2, turns=1000, current_A=10.0, **PLACED)
    pts = _points(400, 0.15)
    peer = magpylib.func.cylinder_field(
        "B", pts, (0.1, 0.2), (0, 0, MU0_H_PER_M * 1000 * 10.0 / 0.2), CENTRE, TILT
    )
    # both closed forms (elliptic integrals) at round-off away from the sheet (seen: 6e-15)
    assert _relative_error(sol, peer, pts) < 1e-12


def test_thick_solenoid_is_a_stack_of_polarised_cylinders():
    # J uniform between r1 and r2 = ∫ thin sheets dr: 64 Gauss-Legendre shells in magpylib
    # (converged to round-off for these points) against our default 24-node rule
    r1, r2, length, turns, current = 0.05, 0.07, 0.2, 1000, 10.0
    sol = Solenoid(inner_radius_m=r1, outer_radius_m=r2, length_m=length, turns=turns,
                   current_A=current, **PLACED)  # fmt: skip
    x, w = np.polynomial.legendre.leggauss(64)
    radii = r1 + 0.5 * (r2 - r1) * (x + 1)
    j_pol = MU0_H_PER_M * turns * current / (length * (r2 - r1)) * 0.5 * (r2 - r1) * w
    pts = np.concatenate([_points(200, 0.03), _points(200, 0.3, seed=1)])  # bore, and around
    pts = pts[np.abs(np.linalg.norm(np.cross(pts - CENTRE, AXIS), axis=1) - 0.06) > 0.015]
    peer = sum(
        magpylib.func.cylinder_field("B", pts, (2 * r, length), (0, 0, j), CENTRE, TILT)
        for r, j in zip(radii, j_pol, strict=True)
    )
    # 15 mm or more from the winding both radial rules are converged (seen: 1e-15); 1e-10
    # is far inside the DESIGN goal of 1e-6 for thick windings and catches any real error
    assert _relative_error(sol, peer, pts) < 1e-10


@pytest.mark.parametrize("helmholtz", [False, True])
def test_loop_and_helmholtz_pair_are_magpylib_circles(helmholtz):
    r, turns, current = 0.1, 50, 3.0
    kw = {"radius_m": r, "turns": turns, "current_A": current, **PLACED}
    coil = Helmholtz(**kw) if helmholtz else Loop(**kw)
    offsets = (-0.5 * r, 0.5 * r) if helmholtz else (0.0,)
    pts = _points(300, 0.3)
    peer = PER_AMPERE * sum(
        magpylib.func.circle_field("B", pts, 2 * r, turns * current, CENTRE + d * AXIS, TILT)
        for d in offsets
    )
    # elliptic-integral closed forms on both sides (seen: 3e-15)
    assert _relative_error(coil, peer, pts) < 1e-12


@pytest.mark.parametrize(
    "coil",
    [
        Racetrack(straight_length_m=0.2, radius_m=0.05, turns=20, current_A=50.0, roll_deg=30.0,
                  **PLACED),
        Saddle(radius_m=0.05, length_m=0.3, turns=10, lines=4, current_A=100.0, **PLACED),
        CCT(radius_m=0.04, tilt_deg=30.0, pitch_m=0.005, turns=10, second_layer_radius_m=0.045,
            current_A=200.0, **PLACED),
        Path(points_m=[(0, 0, 0), (0.1, 0, 0), (0.1, 0.1, 0.05), (0, 0.1, 0)], current_A=7.0,
             turns=3, **PLACED),
    ],
    ids=lambda c: c.type,
)  # fmt: skip
def test_filament_coils_match_magpylib_polylines(coil):
    # our straight-segment Biot–Savart against magpylib's on the same segments (the
    # discretisation of arcs and helices is the coil's own, tested in test_fields.py)
    starts, ends, amp_turns = coil.filaments()
    pts = _points(60, 0.25)
    n = len(starts)
    peer = PER_AMPERE * magpylib.func.polyline_field(
        "B", np.repeat(pts, n, axis=0), np.tile(starts, (len(pts), 1)),
        np.tile(ends, (len(pts), 1)), np.tile(amp_turns, len(pts)),
    ).reshape(len(pts), n, 3).sum(axis=1)  # fmt: skip
    # closed-form segment fields on both sides; summing up to 1500 segments (the CCT) with
    # cancelling signs loses digits: 1e-11 (seen: 6e-14)
    assert _relative_error(coil, peer, pts) < 1e-11
