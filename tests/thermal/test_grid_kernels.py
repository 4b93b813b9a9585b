"""Grid conduction kernels against numpy/scipy references written out here."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import brentq
from scipy.sparse.linalg import spsolve

from solver.kernels.grid import conduction as grid_conduction
from solver.kernels.grid import krylov as grid_krylov
from solver.kernels.grid import multigrid as grid_multigrid
from solver.kernels.grid import tables as grid_tables
from solver.thermal.grid import (
    Box,
    ConductionBody,
    FixedTemperature,
    HeatFlux,
    Patch,
    Radiation,
    VolumeSource,
)
from solver.thermal.grid.linear import BlockCycle, KirchhoffLinearSolver
from tests.thermal.grid_cases import LinearK

SIGMA = 5.670374419e-8  # W/(m² K⁴), CODATA 2018


@pytest.fixture(scope="module")
def body():
    a, b = LinearK(a=20.0, b=0.5, id="A"), LinearK(a=1.0, b=0.05, id="B")
    return ConductionBody(
        [Box((0, 0, 0), (0.03, 0.02, 0.01), a), Box((0.02, 0, 0), (0.03, 0.02, 0.01), b)],
        0.005,
        [
            Patch("fix", "x-", FixedTemperature(30.0)),
            Patch("flux", "z+", HeatFlux(flux_W_m2=40.0)),
            Patch("rad", "x+", Radiation(0.7, 250.0)),
        ],
        [VolumeSource("q", (0, 0, 0), (0.01, 0.01, 0.01), 0.02)],
    )


def reference_residual(body, T):
    """Net heat into each cell, W, written from the definitions with numpy and brentq."""
    mats = body.materials
    h = body.h
    R = body.cell_power.copy()
    for c in range(body.n):
        mc = mats[body.material[c]]
        for o in body.indices[body.indptr[c] : body.indptr[c + 1]]:
            if o == c:
                continue
            mo = mats[body.material[o]]
            if mo is mc:
                R[c] += h * (mc.theta(T[o]) - mc.theta(T[c]))
            else:
                kc, ko = mc.k(T[c]), mo.k(T[o])
                R[c] += 2 * h * kc * ko / (kc + ko) * (T[o] - T[c])
    for cell, row in zip(body.faces.cell, body.faces.patch, strict=True):
        m, Tc = mats[body.material[cell]], T[cell]
        cond = body.patches[row].condition
        if isinstance(cond, FixedTemperature):
            R[cell] += 2 * h * (m.theta(cond.temperature_K) - m.theta(Tc))
        elif isinstance(cond, HeatFlux):
            R[cell] += cond.flux_W_m2 * h * h
        else:
            es, Te = cond.emissivity * SIGMA, cond.environment_K

            def face(Ts, m=m, Tc=Tc, es=es, Te=Te):
                return 2 / h * (m.theta(Tc) - m.theta(Ts)) - es * (Ts**4 - Te**4)

            Ts = brentq(face, min(Tc, Te), max(Tc, Te), xtol=1e-13)
            R[cell] -= es * (Ts**4 - Te**4) * h * h
    return R


def test_residual_matches_numpy_reference(body):
    T = np.random.default_rng(1).uniform(20.0, 120.0, body.n)
    state = body.evaluate(T)
    # k is linear in T, so the tables are exact: only round-off and brentq's xtol remain
    np.testing.assert_allclose(state.R, reference_residual(body, T), rtol=1e-10, atol=1e-12)


def test_jacobian_matches_central_differences(body):
    T = np.random.default_rng(2).uniform(20.0, 120.0, body.n)
    state = body.evaluate(T)
    # the kernel keeps factor·dR/dΘ = factor·(dR/dT)/k_column, factor = -1 by default
    J = sp.csr_matrix((state.data, body.indices, body.indptr), (body.n, body.n)).toarray()
    J *= -state.k[None, :]
    step = 1e-4
    fd = np.empty_like(J)
    for j in range(body.n):
        e = np.zeros(body.n)
        e[j] = step
        fd[:, j] = (body.evaluate(T + e).R - body.evaluate(T - e).R) / (2 * step)
    # central differences: truncation step²·R''' ≪ 1e-7 of the entries
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-9 * np.abs(J).max())


def test_kirchhoff_inverse_matches_brentq():
    m = LinearK(a=3.0, b=0.2)
    T_nodes = np.geomspace(1e-3, 2000.0, 2000)
    K = m.k(T_nodes)[None, :]
    F = np.zeros_like(K)
    F[0, 1:] = np.cumsum(0.5 * (K[0, 1:] + K[0, :-1]) * np.diff(T_nodes))
    log_t0, inv_dlog = np.log(T_nodes[0]), (T_nodes.size - 1) / np.log(T_nodes[-1] / T_nodes[0])
    for T in (0.01, 4.2, 77.0, 300.0, 1999.0):
        u = grid_tables.integral(log_t0, inv_dlog, T_nodes, F, K, 0, T)
        # k linear: the table integral is exact, Θ(T) - Θ(1 mK)
        assert u == pytest.approx(m.theta(T) - m.theta(1e-3), rel=1e-12)
        back = grid_tables.integral_inverse(T_nodes, F, K, 0, u)
        ref = brentq(lambda t, u=u: m.theta(t) - m.theta(1e-3) - u, 1e-3, 2000.0, xtol=1e-14)
        assert back == pytest.approx(ref, rel=1e-12)
    assert np.isnan(grid_tables.integral_inverse(T_nodes, F, K, 0, F[0, -1] * 1.01))


def test_near_equal_temperatures_keep_precision():
    m = LinearK(a=3.0, b=0.2)
    T_nodes = np.geomspace(1e-3, 2000.0, 2000)
    K = m.k(T_nodes)[None, :]
    F = np.zeros_like(K)
    F[0, 1:] = np.cumsum(0.5 * (K[0, 1:] + K[0, :-1]) * np.diff(T_nodes))
    log_t0, inv_dlog = np.log(T_nodes[0]), (T_nodes.size - 1) / np.log(T_nodes[-1] / T_nodes[0])
    Ta, Tb = 300.0 + 1e-9, 300.0
    d = grid_tables.integral_difference(log_t0, inv_dlog, T_nodes, F, K, 0, Ta, Tb)
    # k(mean)·ΔT, exact for linear k: full relative precision on a 1e-9 K difference
    assert d == pytest.approx(float(m.k(0.5 * (Ta + Tb))) * (Ta - Tb), rel=1e-12)


def test_dot_kernel_matches_numpy():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=1001), rng.normal(size=1001)
    assert grid_krylov.dot(a, b) == pytest.approx(float(np.dot(a, b)), rel=1e-12)


@pytest.mark.parametrize("symmetric", [True, False])
def test_multigrid_krylov_solve_matches_sparse_lu(symmetric):
    """The preconditioned CG (single material) and BiCGStab (interfaces) against spsolve."""
    a, b = LinearK(a=20.0, b=0.5, id="A"), LinearK(a=1.0, b=0.05, id="B")
    shapes = [Box((0, 0, 0), (0.04, 0.03, 0.02), a)]
    if not symmetric:
        shapes.append(Box((0.02, 0, 0), (0.04, 0.03, 0.02), b))
    body = ConductionBody(shapes, 0.002, [Patch("fix", "x-", FixedTemperature(30.0)),
                                          Patch("rad", "x+", Radiation(0.7, 250.0))])  # fmt: skip
    assert body.linear.symmetric is symmetric
    T = np.random.default_rng(4).uniform(20.0, 120.0, body.n)
    state = body.evaluate(T)
    A = sp.csr_matrix((state.data.copy(), body.indices, body.indptr), (body.n, body.n))
    y = body.linear.solve(state.data, np.zeros(0), state.k, state.R, 1e-10)
    exact = spsolve(A.tocsc(), state.R)
    # relative residual 1e-10 → solution error ≲ condition number × 1e-10
    np.testing.assert_allclose(y, exact, rtol=1e-6, atol=1e-6 * np.abs(exact).max())


def test_block_galerkin_matches_scipy_triple_product():
    rng = np.random.default_rng(5)
    solid = rng.random((7, 6, 5)) < 0.8
    flat, indptr, indices, _ = grid_conduction.build_structure(solid)
    data = rng.normal(size=indices.size)
    agg, n_agg = grid_multigrid.block_aggregates(flat, solid.shape)
    # reference: aggregate of each cell from its (i, j, k) // 2, numbered by first appearance
    i, j, k = np.unravel_index(flat, solid.shape)
    block = np.ravel_multi_index((i // 2, j // 2, k // 2), (4, 3, 3))
    _, first, inverse = np.unique(block, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    np.testing.assert_array_equal(agg, order[inverse])
    n = flat.size
    A = sp.csr_matrix((data, indices, indptr), (n, n))
    P = sp.csr_matrix((np.ones(n), (np.arange(n), agg)), (n, n_agg))
    c_indptr, c_indices, c_data = grid_multigrid.galerkin(indptr, indices, data, agg, n_agg)
    coarse = sp.csr_matrix((c_data, c_indices, c_indptr), (n_agg, n_agg)).toarray()
    np.testing.assert_allclose(coarse, (P.T @ A @ P).toarray(), rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("symmetric", [True, False])
def test_block_cycle_krylov_solve_matches_sparse_lu(symmetric):
    a, b = LinearK(a=20.0, b=0.5, id="A"), LinearK(a=1.0, b=0.05, id="B")
    shapes = [Box((0, 0, 0), (0.04, 0.03, 0.02), a)]
    if not symmetric:
        shapes.append(Box((0.02, 0, 0), (0.04, 0.03, 0.02), b))
    body = ConductionBody(shapes, 0.002, [Patch("fix", "x-", FixedTemperature(30.0))])
    blocks = grid_multigrid.block_aggregates(body.flat, body.grid.shape)
    solver = KirchhoffLinearSolver(body.indptr, body.indices, body.diag, symmetric, blocks)
    state = body.evaluate(np.random.default_rng(6).uniform(20.0, 120.0, body.n))
    A = sp.csr_matrix((state.data.copy(), body.indices, body.indptr), (body.n, body.n))
    y = solver.solve(state.data, np.zeros(0), state.k, state.R, 1e-10)
    assert isinstance(solver.hierarchy, BlockCycle)
    exact = spsolve(A.tocsc(), state.R)
    # relative residual 1e-10 → solution error ≲ condition number × 1e-10
    np.testing.assert_allclose(y, exact, rtol=1e-6, atol=1e-6 * np.abs(exact).max())
