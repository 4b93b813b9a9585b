"""Coaxial windings that overlap, nest or coincide: mutual inductance, axial force and
self inductance against published closed forms and tables and against independent
high-precision quadrature (mpmath, 25 digits)."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import special

from solver.magnet import Loop, Magnet, Solenoid, coil_forces, mutual_inductance, self_inductance

MU0 = 1.25663706212e-6  # H/m, CODATA 2018 (the solver's value)


def _m(r1, r2, u):
    """Maxwell's coaxial-loop mutual inductance per μ0 in mpmath (Smythe §8.05)."""
    k2 = 4 * r1 * r2 / ((r1 + r2) ** 2 + u**2)
    if k2 >= 1:  # a node rounded onto the log singularity: its weight is ~1e-40, drop it
        return mp.mpf(0)
    k = mp.sqrt(k2)
    return mp.sqrt(r1 * r2) * ((2 / k - k) * mp.ellipk(k2) - 2 / k * mp.ellipe(k2))


def _box_overlap(u, h1, h2, d):
    return max(mp.mpf(0), min(h1, d + h2 - u) - max(-h1, d - h2 - u))


def _sheet_pair_mean(r1, r2, h1, h2, d):
    """⟨m⟩ over z1 ∈ [−h1, h1], z2 ∈ [d − h2, d + h2]: ∫ T(u) m du / 4h1h2 in mpmath,
    split at the trapezoid's kinks and at u = 0."""
    pts = sorted({d - h1 - h2, d - abs(h1 - h2), d + abs(h1 - h2), d + h1 + h2, mp.mpf(0)})
    pts = [p for p in pts if d - h1 - h2 <= p <= d + h1 + h2]
    return mp.quad(lambda u: _box_overlap(u, h1, h2, d) * _m(r1, r2, u), pts) / (4 * h1 * h2)


def _nagaoka_L(radius, length, turns):
    """Thin solenoid: L = μ0 N² π a²/ℓ · K_N, Nagaoka's coefficient
    K_N = 4/(3π k') [(k'²/k²)(K − E) + E − k], k² = 4a²/(4a² + ℓ²) (H. Nagaoka, J. Coll.
    Sci. Tokyo 27, art. 6 (1909); E. B. Rosa, F. W. Grover, Bull. Bur. Stand. 8, 1 (1912),
    formula 72 (Lorenz))."""
    k2 = 4 * radius**2 / (4 * radius**2 + length**2)
    k, kp = math.sqrt(k2), math.sqrt(1 - k2)
    big_k, big_e = special.ellipk(k2), special.ellipe(k2)
    nagaoka = 4 / (3 * math.pi * kp) * ((kp**2 / k2) * (big_k - big_e) + big_e - k)
    return MU0 * turns**2 * math.pi * radius**2 / length * nagaoka


@pytest.mark.parametrize("ratio", [0.1, 0.5, 1.0, 2.0, 10.0])
def test_thin_solenoid_self_inductance_is_nagaoka(ratio):
    a = 0.05
    sol = Solenoid(radius_m=a, length_m=ratio * 2 * a, turns=400, current_A=1.0)
    # an exact closed form against a converged quadrature: both at round-off
    assert self_inductance(sol) == pytest.approx(_nagaoka_L(a, ratio * 2 * a, 400), rel=1e-12)


def test_brooks_coil_self_inductance_is_grovers():
    # Brooks coil: square section c × c, inner radius c (mean radius a = 1.5 c), uniform
    # current density: L = 1.6994 µH · a[m] · N² (F. W. Grover, *Inductance Calculations*,
    # Van Nostrand 1946, ch. 16 "The Brooks coil"; H. B. Brooks, F. C. Turner, Univ. of
    # Illinois Eng. Exp. Sta. Bull. 53 (1912)). Grover gives five digits: 3e-5.
    c, n = 0.02, 500
    coil = Solenoid(inner_radius_m=c, outer_radius_m=2 * c, length_m=c, turns=n, current_A=1.0)
    assert self_inductance(coil) == pytest.approx(1.6994e-6 * 1.5 * c * n**2, rel=3e-5)


@pytest.mark.parametrize(
    ("r1", "r2", "h1", "h2", "d"),
    [
        (0.1, 0.1, 0.05, 0.05, 0.03),  # same radius, overlapping lengths
        (0.1, 0.1, 0.08, 0.02, 0.0),  # a short sheet inside a long one, same radius
        (0.1, 0.102, 0.05, 0.03, 0.01),  # nested, 2 mm apart radially
        (0.08, 0.12, 0.1, 0.1, 0.25),  # apart along the axis
    ],
)
def test_sheet_pairs_mutual_inductance_and_force_against_mpmath(r1, r2, h1, h2, d):
    mp.mp.dps = 25
    a = Solenoid(id="a", radius_m=r1, length_m=2 * h1, turns=100, current_A=3.0)
    b = Solenoid(id="b", radius_m=r2, length_m=2 * h2, turns=70, current_A=5.0, center_m=(0, 0, d))
    args = (mp.mpf(r1), mp.mpf(r2), mp.mpf(h1), mp.mpf(h2))
    want = MU0 * 100 * 70 * float(_sheet_pair_mean(*args, mp.mpf(d)))
    assert mutual_inductance(a, b) == pytest.approx(want, rel=1e-9)
    assert mutual_inductance(b, a) == pytest.approx(want, rel=1e-9)
    # F_z on b = I_a I_b ∂M/∂d: mpmath differentiates its own M (no shared formula)
    dm = mp.diff(lambda x: _sheet_pair_mean(*args, x), mp.mpf(d))
    force = coil_forces(Magnet([a, b])).force_N
    f_want = 3.0 * 5.0 * MU0 * 100 * 70 * float(dm)
    assert float(force.sel(coil="b", component="z")) == pytest.approx(f_want, rel=1e-9, abs=1e-15)
    assert float(force.sel(coil="a", component="z")) == pytest.approx(-f_want, rel=1e-9, abs=1e-15)


@pytest.mark.slow  # a 2-D mpmath integral at 25 digits: ~35 s
def test_loop_inside_a_thick_winding_against_mpmath():
    # the loop's radius and height lie inside the winding's cross-section: the integrand
    # is singular on a point of the rectangle, which mpmath's own tanh-sinh meets at a
    # corner of its pieces
    mp.mp.dps = 25
    r, z = 0.11, 0.02
    ri, ro, h = 0.1, 0.12, 0.05
    loop = Loop(id="loop", radius_m=r, turns=10, current_A=1.0, center_m=(0, 0, z))
    coil = Solenoid(inner_radius_m=ri, outer_radius_m=ro, length_m=2 * h, turns=200, current_A=1.0)
    mean = mp.quad(
        lambda r2, z2: _m(mp.mpf(r), r2, z2 - z),
        [mp.mpf(ri), mp.mpf(r), mp.mpf(ro)],
        [mp.mpf(-h), mp.mpf(z), mp.mpf(h)],
    ) / ((ro - ri) * 2 * h)
    assert mutual_inductance(coil, loop) == pytest.approx(MU0 * 10 * 200 * float(mean), rel=1e-9)


def test_thick_windings_add_up_over_radial_parts():
    # a thick winding is the area-weighted sum of its inner and outer parts: the overlap
    # with the other winding then falls in different pieces (the split radii move), so
    # this checks the splitting, at the quadrature's accuracy (1e-12)
    r1a, r1b, h1 = 0.1, 0.13, 0.2
    other = Solenoid(
        id="b",
        inner_radius_m=0.12,
        outer_radius_m=0.15,
        length_m=0.2,
        turns=1,
        current_A=1.0,
        center_m=(0, 0, 0.05),
    )

    def part(lo, hi):
        return Solenoid(
            id="a", inner_radius_m=lo, outer_radius_m=hi, length_m=2 * h1, turns=1, current_A=1.0
        )

    cut = 0.1137
    whole = mutual_inductance(part(r1a, r1b), other)
    parts = (
        (cut - r1a) * mutual_inductance(part(r1a, cut), other)
        + (r1b - cut) * mutual_inductance(part(cut, r1b), other)
    ) / (r1b - r1a)
    assert whole == pytest.approx(parts, rel=1e-12)


def test_identical_windings_mutual_is_self_and_their_force_vanishes():
    kw = {
        "inner_radius_m": 0.1,
        "outer_radius_m": 0.12,
        "length_m": 0.3,
        "turns": 50,
        "current_A": 2.0,
    }
    a, b = Solenoid(id="a", **kw), Solenoid(id="b", **kw)
    assert mutual_inductance(a, b) == pytest.approx(self_inductance(a), rel=1e-14)
    force = coil_forces(Magnet([a, b])).force_N.values
    # by symmetry: zero to round-off of the ~1e2 N per-piece terms
    assert np.abs(force).max() < 1e-9
