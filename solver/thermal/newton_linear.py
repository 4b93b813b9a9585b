"""The linear solve of each Newton step of a thermal network (steady state and cooldown).

One place decides how ``J·dT = −R`` is solved:

- up to :data:`DIRECT_LIMIT` free nodes, SuperLU (``scipy.sparse.linalg.spsolve``):
  exact, and fastest while the factor stays small;
- above it, GMRES preconditioned by a pyamg smoothed-aggregation hierarchy. Direct LU
  of a large, irregular network fills in (an expander-like graph of 5 000 nodes and
  20 000 links took 5.75 s per factorisation); the multigrid Krylov solve took 0.7 s
  there (``python -m tests.benchmarks network_large``). When GMRES does not reach
  its tolerance the step falls back to SuperLU, so the answer never depends on the
  choice.

Rows are scaled by each node's Σ|Q| before the solve, so the Krylov tolerance is a
relative heat imbalance per node, the same measure as the convergence test.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

DIRECT_LIMIT = 1500
"""Free nodes up to which SuperLU solves the step (measured crossover on random
networks: SuperLU 0.03 s against 0.06 s for AMG-GMRES at 1 000 nodes, 0.6 s against
0.15 s at 2 000)."""

KRYLOV_RTOL = 1e-8
"""Relative residual of the row-scaled system asked of GMRES: each Newton step then
leaves at most 1e-8 of a node's Σ|Q| unbalanced, below what the next step removes, so
Newton converges to the 1e-9 test in as many iterations as with an exact solve."""

KRYLOV_MAXITER = 200


def solve_step(J: sp.spmatrix, R: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The Newton step dT with J·dT = −R.

    Parameters
    ----------
    J : sparse matrix, shape (n, n) — ∂R/∂T of the free nodes, W/K.
    R : ndarray, shape (n,) — heat imbalance of each free node, W.
    scale : ndarray, shape (n,) — positive per-node heat scale (Σ|Q|), W.

    Returns
    -------
    ndarray, shape (n,) — temperature change, K. May hold non-finite values when J is
    singular (the caller reports that).

    Raises
    ------
    RuntimeError — SuperLU found J exactly singular.
    """
    if R.size <= DIRECT_LIMIT:
        return spla.spsolve(J.tocsc(), -R)
    A = sp.diags(1.0 / scale) @ J.tocsr()
    b = -R / scale
    dT = _amg_gmres(A.tocsr(), b)
    if dT is None:
        return spla.spsolve(J.tocsc(), -R)
    return dT


def _amg_gmres(A: sp.csr_matrix, b: np.ndarray) -> np.ndarray | None:
    """GMRES with a smoothed-aggregation V-cycle; None when it does not converge."""
    import pyamg

    if not np.any(b):
        return np.zeros_like(b)
    try:
        ml = pyamg.smoothed_aggregation_solver(A, max_coarse=200)
    except (ValueError, ZeroDivisionError, np.linalg.LinAlgError):
        return None
    x, info = spla.gmres(
        A,
        b,
        M=ml.aspreconditioner(),
        rtol=KRYLOV_RTOL,
        atol=0.0,
        restart=60,
        maxiter=KRYLOV_MAXITER,
    )
    if info != 0 or not np.all(np.isfinite(x)):
        return None
    return x
