"""The Newton-step solve of large networks (issue 13 item 5): preconditioned GMRES
against SuperLU on the same Jacobian, the choice between them, the AMG hierarchy kept
over steps, and the inexact-Newton forcing term."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from solver.thermal import newton_linear


def _jacobian(n: int, links: int, seed: int = 3):
    """A network Jacobian's shape: −(graph Laplacian of conductances) − a few anchors
    to fixed nodes, with a residual and per-node Σ|Q| scale of wide dynamic range."""
    rng = np.random.default_rng(seed)
    i = np.concatenate([np.arange(1, n), rng.integers(0, n, links - n + 1)])
    j = np.concatenate([rng.integers(0, np.arange(1, n)), rng.integers(0, n, links - n + 1)])
    keep = i != j
    g = 10 ** rng.uniform(-6, -2, keep.sum())  # W/K, four decades
    L = sp.coo_matrix((g, (i[keep], j[keep])), shape=(n, n)).tocsr()
    L = L + L.T
    anchors = np.zeros(n)
    anchors[rng.integers(0, n, 20)] = 1e-3
    J = (L - sp.diags(np.asarray(L.sum(axis=1)).ravel() + anchors)).tocsr()
    scale = np.abs(J).sum(axis=1).A.ravel() * 10.0
    R = rng.normal(size=n) * scale * 1e-2
    return J, R, scale


def test_amg_gmres_step_matches_superlu_per_node():
    J, R, scale = _jacobian(3000, 12000)  # 8 neighbours per node: the Krylov path
    assert (J.nnz - 3000) / 3000 > newton_linear.DIRECT_MAX_DEGREE
    step = newton_linear.solve_step(J, R, scale)
    exact = spla.spsolve(J.tocsc(), -R)  # the peer on the same Jacobian
    # the contract of the Krylov step: each node's residual within KRYLOV_RTOL·‖b‖ of its
    # scale (a relative residual of the row-scaled system), checked node by node
    residual = np.abs(J @ step + R) / scale
    assert residual.max() <= 10 * newton_linear.KRYLOV_RTOL * np.linalg.norm(R / scale)
    assert np.max(np.abs(step - exact)) <= 1e-6 * np.max(np.abs(exact))


def test_small_and_chain_like_networks_keep_superlu(monkeypatch):
    def no_krylov(*_):
        raise AssertionError("the Krylov path was taken")

    monkeypatch.setattr(newton_linear, "gmres", no_krylov)
    for n, links in ((500, 4000), (20000, 20000)):  # small; large but a tree
        J, R, scale = _jacobian(n, links)
        step = newton_linear.solve_step(J, R, scale)
        assert np.allclose(J @ step, -R, rtol=0, atol=1e-9 * np.abs(R).max())


def test_kept_amg_hierarchy_matches_superlu_over_changing_jacobians(monkeypatch):
    """A StepSolver keeps its AMG hierarchy while the Jacobian changes moderately (a
    Newton iteration's conductances move by up to 20 %) and rebuilds it only when GMRES
    slows; every step agrees with SuperLU on the same Jacobian to 1e-9 of the largest."""
    monkeypatch.setattr(newton_linear, "JACOBI_ITERATIONS", 1)  # force the AMG path
    J0, R, scale = _jacobian(3000, 12000, seed=5)
    rng = np.random.default_rng(6)
    linear = newton_linear.StepSolver()
    steps = 6
    for k in range(steps):
        J = J0.copy()
        J.data *= 1 + 0.2 * k / steps * rng.uniform(size=J.nnz)  # nodes' k(T) drift
        step = linear.solve(J, R, scale, rtol=1e-13)
        exact = spla.spsolve(J.tocsc(), -R)  # the peer on the same Jacobian
        # tolerance: the relative residual asked, 1e-13, times the ~1e3 condition number
        # of the row-scaled system leaves < 1e-9 of the largest step
        assert np.max(np.abs(step - exact)) <= 1e-9 * np.max(np.abs(exact))
    assert linear.counts["amg"] == steps
    assert 1 <= linear.counts["amg_builds"] < steps


def test_diagonally_dominant_step_needs_only_the_diagonal():
    """A cooldown step (heat capacity over Δt dominating the diagonal) is solved with the
    diagonal preconditioner, to SuperLU's answer."""
    J, R, scale = _jacobian(3000, 12000)
    J = (J - sp.diags(10 * np.abs(J.diagonal()))).tocsr()  # m·cp/Δt ≫ conductances
    linear = newton_linear.StepSolver()
    step = linear.solve(J, R, scale, rtol=1e-13)
    exact = spla.spsolve(J.tocsc(), -R)
    assert linear.counts["jacobi"] == 1 and linear.counts["amg_builds"] == 0
    # a well-conditioned system (diagonal ×11 its off-diagonal sum): 1e-13 in, ~1e-13 out
    assert np.max(np.abs(step - exact)) <= 1e-11 * np.max(np.abs(exact))


def test_forcing_term_follows_eisenstat_walker_choice_2():
    """η₀ = η_max; η_k = 0.9 (‖F_k‖/‖F_k−1‖)², within [KRYLOV_RTOL, FORCING_MAX]
    (Eisenstat & Walker 1996, choice 2 with γ = 0.9, α = 2)."""
    forcing = newton_linear.forcing_term
    assert forcing(1.0, None) == newton_linear.FORCING_MAX
    assert forcing(0.01, 1.0) == pytest.approx(0.9 * 0.01**2)  # quadratic convergence
    assert forcing(1e-9, 1.0) == newton_linear.KRYLOV_RTOL
    assert forcing(0.9, 1.0) == newton_linear.FORCING_MAX
