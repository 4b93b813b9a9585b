"""Kernels against numpy/scipy references; with parallel threads on and off; from @njit code."""

import numba
import numpy as np
import pytest
from scipy import special

from solver._numba import jit
from solver.kernels import biot_savart, magnet_axisymmetric

MU0 = 1.25663706212e-6


def numpy_segments_field(points, starts, ends, currents):
    """Textbook reference: B = μ0 I/(4π d)(cos θ1 − cos θ2) along t̂ × d̂, vectorised in numpy."""
    out = np.zeros_like(points)
    for s, e, cur in zip(starts, ends, currents, strict=True):
        t = e - s
        length = np.linalg.norm(t)
        t = t / length
        rel = points - s
        along = rel @ t
        perp = rel - along[:, None] * t
        d = np.linalg.norm(perp, axis=1)
        cos1 = along / np.hypot(d, along)
        cos2 = (along - length) / np.hypot(d, along - length)
        direction = np.cross(t, perp / d[:, None])
        out += (MU0 * cur / (4 * np.pi * d) * (cos1 - cos2))[:, None] * direction
    return out


def numpy_loop_field_rz(rho, z, a):
    """Textbook K/E form (Smythe §7.10) with scipy.special; fine away from the axis."""
    dp = (a + rho) ** 2 + z**2
    dm = (a - rho) ** 2 + z**2
    m = 4 * a * rho / dp
    k, e = special.ellipk(m), special.ellipe(m)
    bz = 1 / (2 * np.pi * np.sqrt(dp)) * (k + (a**2 - rho**2 - z**2) / dm * e)
    br = z / (2 * np.pi * rho * np.sqrt(dp)) * (-k + (a**2 + rho**2 + z**2) / dm * e)
    return br, bz


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


def test_segments_kernel_matches_numpy_reference(rng):
    points = rng.uniform(-1, 1, (200, 3))
    starts = rng.uniform(-1, 1, (30, 3))
    ends = rng.uniform(-1, 1, (30, 3))
    currents = rng.uniform(-5, 5, 30)
    out = np.zeros_like(points)
    biot_savart.add_segments_field(points, starts, ends, MU0 / (4 * np.pi) * currents, out)
    ref = numpy_segments_field(points, starts, ends, currents)
    # two different exact formulas; random points are ≥ ~1e-3 from segments: round-off only
    np.testing.assert_allclose(out, ref, rtol=1e-9, atol=1e-12 * np.abs(ref).max())


def test_loop_kernel_matches_scipy_ellipk_ellipe(rng):
    rho = rng.uniform(0.01, 0.3, 300)
    z = rng.uniform(-0.2, 0.2, 300)
    a = 0.1
    ref_br, ref_bz = numpy_loop_field_rz(rho, z, a)
    got = np.array(
        [magnet_axisymmetric.loop_field_rz(r, zz, a) for r, zz in zip(rho, z, strict=True)]
    )
    scale = np.hypot(ref_br, ref_bz)
    # same physics, different elliptic algorithms (scipy Cephes vs Bulirsch cel)
    assert np.max(np.abs(got[:, 0] - ref_br) / scale) < 1e-12
    assert np.max(np.abs(got[:, 1] - ref_bz) / scale) < 1e-12


def test_cel_special_cases_match_scipy():
    for m in (0.0, 0.3, 0.9, 0.999999):
        kc = np.sqrt(1 - m)
        assert magnet_axisymmetric.cel(kc, 1.0, 1.0, 1.0) == pytest.approx(
            special.ellipk(m), rel=1e-14
        )
        assert magnet_axisymmetric.cel(kc, 1.0, 1.0, kc * kc) == pytest.approx(
            special.ellipe(m), rel=1e-14
        )
        # Π(n, k) = cel(kc, 1 − n, 1, 1); Carlson: Π = RF + n/3 RJ(0, 1−m, 1, 1−n)
        n = 0.4
        pi3 = special.elliprf(0, 1 - m, 1) + n / 3 * special.elliprj(0, 1 - m, 1, 1 - n)
        assert magnet_axisymmetric.cel(kc, 1 - n, 1.0, 1.0) == pytest.approx(pi3, rel=1e-13)


def _all_kernels(points):
    center = np.array([0.01, -0.02, 0.03])
    rot = np.eye(3)
    x, w = np.polynomial.legendre.leggauss(12)
    outs = [np.zeros_like(points) for _ in range(4)]
    magnet_axisymmetric.add_loop_field(points, center, rot, 0.1, 1e-6, outs[0])
    magnet_axisymmetric.add_sheet_field(points, center, rot, 0.05, 0.1, 1e-3, outs[1])
    magnet_axisymmetric.add_thick_field(points, center, rot, 0.05, 0.07, 0.1, 1e-2, x, w, outs[2])
    starts = np.array([[0.0, 0.0, -1.0], [0.3, 0.0, 0.0]])
    ends = np.array([[0.0, 0.0, 1.0], [0.3, 0.5, 0.0]])
    biot_savart.add_segments_field(points, starts, ends, np.array([1e-7, -2e-7]), outs[3])
    return outs


def test_kernels_same_with_one_thread_and_many(rng):
    points = rng.uniform(-0.5, 0.5, (501, 3))
    many = _all_kernels(points)
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        one = _all_kernels(points)
    finally:
        numba.set_num_threads(before)
    for a, b in zip(many, one, strict=True):
        np.testing.assert_array_equal(a, b)  # each point is computed independently: bit-identical


@jit
def _njit_caller(points, a, b):
    out = np.zeros((points.shape[0], 4))
    for i in range(points.shape[0]):
        rho = np.hypot(points[i, 0], points[i, 1])
        out[i, 0], out[i, 1] = magnet_axisymmetric.loop_field_rz(rho, points[i, 2], a)
        out[i, 2], out[i, 3] = magnet_axisymmetric.sheet_field_rz(rho, points[i, 2], a, b)
    return out


def test_scalar_kernels_callable_from_njit(rng):
    points = rng.uniform(0.01, 0.2, (50, 3))
    got = _njit_caller(points, 0.1, 0.05)
    for i, p in enumerate(points):
        rho = np.hypot(p[0], p[1])
        assert tuple(got[i, :2]) == magnet_axisymmetric.loop_field_rz.py_func(rho, p[2], 0.1)
        np.testing.assert_allclose(
            got[i, 2:], magnet_axisymmetric.sheet_field_rz(rho, p[2], 0.1, 0.05), rtol=1e-15
        )


def test_on_filament_points_are_nan():
    assert np.isnan(magnet_axisymmetric.loop_field_rz(0.1, 0.0, 0.1)[0])
    assert np.isnan(magnet_axisymmetric.sheet_field_rz(0.05, 0.02, 0.05, 0.1)[1])
    assert np.isnan(biot_savart.segment_field(0.0, 0.0, 0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)[0])
    # on the segment's line but outside it the field is exactly zero
    assert biot_savart.segment_field(0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("kc", [1e-6, 0.1, 0.5, 0.999, 1.0])
@pytest.mark.parametrize("p", [1e-8, 0.3, 1.0, 4.0])
def test_fused_cel_pair_equals_two_cel_calls(kc, p):
    pair = magnet_axisymmetric.cel_pair(kc, p, 1.0, 0.7, 1.0, -1.0)
    assert pair[0] == pytest.approx(magnet_axisymmetric.cel(kc, p, 1.0, 0.7), rel=1e-14, abs=1e-300)
    assert pair[1] == pytest.approx(
        magnet_axisymmetric.cel(kc, 1.0, 1.0, -1.0), rel=1e-14, abs=1e-15
    )


def test_kernels_report_points_on_filaments():
    points = np.array([[0.1, 0.0, 0.0], [0.0, 0.0, 0.0], [0.05, 0.0, 0.0]])
    out = np.zeros_like(points)
    n = magnet_axisymmetric.add_loop_field(points, np.zeros(3), np.eye(3), 0.1, 1e-6, out)
    assert n == 1 and np.isnan(out[0]).all() and np.isfinite(out[1:]).all()
