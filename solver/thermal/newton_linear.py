"""The linear solve of each Newton step of a thermal network (steady state and cooldown).

One place decides how ``J·dT = −R`` is solved:

- SuperLU (``scipy.sparse.linalg.spsolve``) up to :data:`DIRECT_LIMIT` free nodes,
  and for chain-like networks of any size (at most :data:`DIRECT_MAX_DEGREE`
  neighbours per node on average: wiring lines), whose factor does not fill in: 50 000 links of 50-segment lines took 0.25 s per step by SuperLU
  against 16.6 s by AMG-GMRES;
- otherwise GMRES preconditioned by a pyamg smoothed-aggregation hierarchy. Direct LU
  of a large, irregular network fills in (an expander-like graph of 5 000 nodes and
  20 000 links, 8 neighbours per node: 81 s per factorisation against 1.9 s for the
  Krylov solve, measured under load; ``python -m tests.benchmarks network_large``).
  When GMRES does not reach its tolerance the step falls back to SuperLU, so the
  answer never depends on the choice.

Rows are scaled by each node's Σ|Q| before the solve, so the Krylov tolerance is a
relative heat imbalance per node, the same measure as the convergence test.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

DIRECT_LIMIT = 1500
"""Free nodes up to which SuperLU always solves the step. Measured on the benchmark's
random networks (8 neighbours per node, machine under load), whole steady states:
1 000 nodes 9.5 s with SuperLU against 7.2 s with AMG-GMRES, 2 000 nodes 20.9 s against
7.9 s; below about a thousand nodes the exact solve costs little and needs no tolerance."""

DIRECT_MAX_DEGREE = 2.5
"""Mean neighbours per free node up to which SuperLU is kept at any size: chains and
trees (wiring lines) have about 2. A random network of 2 000 nodes with 4 already fills
in: 0.39 s per SuperLU step in its cooldown, where ten whole implicit steps took 1.4 s
with AMG-GMRES (profiled, under load)."""

KRYLOV_RTOL = 1e-8
"""Relative residual of the row-scaled system asked of GMRES: each Newton step then
leaves at most 1e-8 of a node's Σ|Q| unbalanced, below what the next step removes, so
Newton converges to the 1e-9 test in as many iterations as with an exact solve."""

KRYLOV_RESTART = 60
KRYLOV_RESTARTS = 3
"""GMRES cycles of :data:`KRYLOV_RESTART` iterations before the step falls back to
SuperLU: converging solves took 20–60 iterations; one that had not converged by 180
took 30 s to give up at 200 cycles (12 000 V-cycles) in a cooldown."""


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
    if R.size <= DIRECT_LIMIT or (J.nnz - R.size) / R.size <= DIRECT_MAX_DEGREE:
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
        restart=KRYLOV_RESTART,
        maxiter=KRYLOV_RESTARTS,
    )
    if info != 0 or not np.all(np.isfinite(x)):
        return None
    return x
