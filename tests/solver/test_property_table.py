"""solver.kernels.property_table against numpy/scipy references, and the GRID/table builder."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from scipy.integrate import quad
from scipy.interpolate import CubicHermiteSpline

from solver import materials
from solver.kernels.property_table import (
    table_increment,
    table_increments,
    table_value,
    table_values,
)
from solver.materials import GRID
from solver.materials._grid import build_table

G = (GRID.log_t0, GRID.inv_dlog, GRID.T)


def _cubic_table():
    # f = T^2, F = (T^3 - T0^3)/3: a cubic, which cubic Hermite interpolation reproduces exactly.
    T = GRID.T
    return (T**3 - T[0] ** 3) / 3.0, T**2


def test_grid_is_log_uniform_from_1mK_to_400K():
    T = GRID.T
    assert T[0] == 1e-3
    assert 400.0 <= T[-1] < 400.0 * 1.0024
    np.testing.assert_allclose(np.diff(np.log(T)), 1.0 / GRID.inv_dlog, rtol=1e-9)
    assert np.log10(T[1] / T[0]) == pytest.approx(1e-3)  # dlog10 = 1e-3
    j = np.arange(T.size)
    np.testing.assert_allclose((np.log(T) - GRID.log_t0) * GRID.inv_dlog, j, atol=1e-8)


def test_value_matches_scipy_hermite_spline():
    rng = np.random.default_rng(0)
    f = 1.0 + rng.random(GRID.T.size)
    F = np.concatenate(([0.0], np.cumsum(np.diff(GRID.T) * 0.5 * (f[1:] + f[:-1]))))
    ref = CubicHermiteSpline(GRID.T, F, f)
    T = np.exp(rng.uniform(np.log(1.1e-3), np.log(399.0), 500))
    got_F, got_f = table_values(*G, F, f, T)
    np.testing.assert_allclose(got_F, ref(T), rtol=1e-12)
    np.testing.assert_allclose(got_f, ref(T, 1), rtol=1e-9)  # derivative: dF/h loses ~3 digits


def test_value_is_exact_for_a_cubic_integral():
    F, f = _cubic_table()
    for T in (1.5e-3, 0.37, 4.2, 77.0, 299.99):
        F_T, f_T = table_value(*G, F, f, T)
        assert pytest.approx((T**3 - 1e-9) / 3.0, rel=1e-11) == F_T
        assert f_T == pytest.approx(T**2, rel=1e-9)


def test_at_nodes_returns_node_values():
    F, f = _cubic_table()
    for j in (0, 1, 2999, 3000, 4711, GRID.T.size - 1):
        F_T, f_T = table_value(*G, F, f, GRID.T[j])
        assert pytest.approx(F[j], rel=1e-13, abs=1e-300) == F_T
        assert f_T == pytest.approx(f[j], rel=1e-9)


def test_linear_extension_outside_grid():
    F, f = _cubic_table()
    T_top = GRID.T[-1]
    F_T, f_T = table_value(*G, F, f, 2 * T_top)
    assert f_T == f[-1]
    assert pytest.approx(F[-1] + f[-1] * T_top, rel=1e-14) == F_T
    F_T, f_T = table_value(*G, F, f, 5e-4)
    assert f_T == f[0]
    assert pytest.approx(F[0] + f[0] * (5e-4 - 1e-3), rel=1e-14, abs=1e-300) == F_T


def test_increment_is_cancellation_safe_for_nearly_equal_temperatures():
    F, f = _cubic_table()
    for T, dT in ((300.0, 1e-9), (77.0, -3e-6), (4.0, 2e-4), (1e-2, 5e-7), (250.0, 0.2)):
        dT = (T + dT) - T  # the step the kernel actually sees after rounding T + dT
        exact = T**2 * dT + T * dT**2 + dT**3 / 3.0  # expanded: no cancellation in the reference
        dF, f1, f2 = table_increment(*G, F, f, T, T + dT)
        assert dF == pytest.approx(exact, rel=1e-10)
        assert f1 == pytest.approx(T**2, rel=1e-9)
        assert f2 == pytest.approx((T + dT) ** 2, rel=1e-9)
    # the plain difference of two table values (F ~ 9e6 J/kg at 300 K) loses ~5 digits here
    T1, T2 = 300.0, 300.0 + 1e-9
    exact = T1**2 * (T2 - T1)
    naive = table_value(*G, F, f, T2)[0] - table_value(*G, F, f, T1)[0]
    assert abs(naive / exact - 1) > 1e-7
    assert table_increment(*G, F, f, T1, T2)[0] == pytest.approx(exact, rel=1e-10)


def test_increment_crossing_a_node_and_sign():
    F, f = _cubic_table()
    node = GRID.T[3500]
    T1, T2 = node * (1 - 3e-4), node * (1 + 4e-4)
    exact = (T2**3 - T1**3) / 3.0
    assert table_increment(*G, F, f, T1, T2)[0] == pytest.approx(exact, rel=1e-12)
    assert table_increment(*G, F, f, T2, T1)[0] == pytest.approx(-exact, rel=1e-12)
    got = table_increments(*G, F, f, np.array([T1, 10.0]), np.array([T2, 20.0]))
    np.testing.assert_allclose(got, [exact, (8000.0 - 1000.0) / 3.0], rtol=1e-12)


# cache=False: a test module is not importable by name, so numba's on-disk cache cannot
# re-locate it on a second run (ModuleNotFoundError when loading the cached function).
@numba.njit(cache=False, error_model="numpy")
def _sum_of_flows(log_t0, inv_dlog, T_nodes, F, f, T_hot, T_cold):
    # the kernels must be callable from other njit code (the network solver does this)
    total = 0.0
    for j in range(T_hot.shape[0]):
        total += table_increment(log_t0, inv_dlog, T_nodes, F, f, T_cold[j], T_hot[j])[0]
    return total


def test_callable_from_njit():
    F, f = _cubic_table()
    got = _sum_of_flows(*G, F, f, np.array([300.0, 77.0]), np.array([77.0, 4.0]))
    assert got == pytest.approx((300.0**3 - 4.0**3) / 3.0, rel=1e-12)


def test_build_table_integral_matches_quad_at_nodes():
    m = materials.get("SS304")
    model = m._model("k")
    table = m.k_table
    for j in (100, 3000, 3602, 4000, 5000, 5480):
        T = GRID.T[j]
        pts = [b for b in model.breakpoints_K if b < T]
        ref = quad(lambda t: float(model.evaluate(t)), 1e-3, T, points=pts, epsabs=0, epsrel=1e-13, limit=400)[0]  # fmt: skip
        assert table.F[j] == pytest.approx(ref, rel=1e-12)  # the stated accuracy of F
    np.testing.assert_array_equal(table.f[:5000], model.evaluate(GRID.T[:5000]))


def test_table_holds_value_beyond_supported_range():
    m = materials.get("Brass")  # k supported to 115.5 K
    table = m.k_table
    beyond = GRID.T > 116.0
    np.testing.assert_array_equal(table.f[beyond], table.f[beyond][0])
    assert np.all(np.isfinite(table.F)) and np.all(np.diff(table.F) > 0)


def test_build_table_splits_at_breakpoints():
    # a kink inside an interval would spoil Gauss-Legendre; splitting makes it exact
    kink = 3.3

    def f(T):
        return np.where(kink > T, T, kink + 2.0 * (T - kink))

    table = build_table(f, [kink], 400.0)
    j = np.searchsorted(GRID.T, 10.0)
    T = GRID.T[j]
    exact = kink**2 / 2 - 1e-6 / 2 + kink * (T - kink) + (T - kink) ** 2
    assert table.F[j] == pytest.approx(exact, rel=1e-13)
