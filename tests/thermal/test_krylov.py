"""Right-preconditioned restarted GMRES (solver.thermal.krylov) against SuperLU."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from solver.thermal.krylov import gmres


def _system(n: int = 400, seed: int = 1):
    """A nonsymmetric, diagonally weighted sparse system with a known solution."""
    rng = np.random.default_rng(seed)
    A = sp.random(n, n, density=5 / n, random_state=seed, format="csr")
    A = (A + sp.diags(np.abs(A).sum(axis=1).A.ravel() + rng.uniform(0.1, 1.0, n))).tocsr()
    A = sp.diags(10 ** rng.uniform(-3, 3, n)) @ A  # rows of six decades of scale
    b = rng.normal(size=n)
    return A.tocsr(), b


def test_stops_on_the_true_residual_and_matches_superlu():
    A, b = _system()
    d = A.diagonal()
    target = 1e-10 * np.linalg.norm(b)
    x, converged, iterations = gmres(lambda v: A @ v, lambda v: v / d, b, None, target, 20, 10)
    assert converged and 0 < iterations <= 200
    assert np.linalg.norm(b - A @ x) < target  # the true residual, not an estimate
    exact = spla.spsolve(A.tocsc(), b)  # the peer
    # tolerance: 1e-10 relative residual over a condition number of at most ~1e2 after
    # the diagonal scaling
    assert np.max(np.abs(x - exact)) <= 1e-8 * np.max(np.abs(exact))


def test_restarts_from_a_guess_and_reports_failure():
    A, b = _system(seed=2)
    d = A.diagonal()
    exact = spla.spsolve(A.tocsc(), b)
    target = 1e-12 * np.linalg.norm(b)
    # from the exact answer: nothing to do
    x, converged, iterations = gmres(lambda v: A @ v, lambda v: v / d, b, exact, 1e-6, 5, 3)
    assert converged and iterations == 0
    # too few iterations for the target: not converged, last iterate returned
    x, converged, _ = gmres(lambda v: A @ v, lambda v: v / d, b, None, target, 2, 1)
    assert not converged and np.all(np.isfinite(x))
    # a preconditioner that returns NaN never counts as converged
    x, converged, _ = gmres(lambda v: A @ v, lambda v: v * np.nan, b, None, target, 5, 2)
    assert not converged
