"""Linear solves for the grid Newton iterations: Krylov with an algebraic multigrid
preconditioner (pyamg pairwise aggregation), kept across Newton steps and calls.

The Newton matrix is taken in Kirchhoff variables (columns divided by k of their
cell), where a single-material body without radiation gives the same symmetric
matrix at every temperature: one multigrid hierarchy then serves the whole solve,
and CG applies. Bodies with material interfaces give a slightly unsymmetric
matrix and use BiCGStab. The hierarchy is rebuilt when the Krylov solver needs
more than ``REBUILD_ITERATIONS`` iterations.
"""

from __future__ import annotations

import numpy as np
import pyamg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from solver.errors import SolverError

REBUILD_ITERATIONS = 60
"""Krylov iterations above which the hierarchy is rebuilt (a fresh pairwise hierarchy
takes ~25 per Newton solve on the benchmark)."""
MAX_ITERATIONS = 300
LINEAR_RTOL_FLOOR = 1e-10
"""Tightest relative residual asked of a Krylov solve (round-off stalls Krylov near 1e-12)."""


def _hierarchy(matrix: sp.csr_matrix) -> pyamg.MultilevelSolver:
    """Pairwise-aggregation hierarchy, lean on memory.

    On the 1 M-cell benchmark it set up and solved in 7.4 s at 431 bytes/cell above the
    interpreter, against 12.8 s and 567 bytes/cell for smoothed aggregation (more Krylov
    iterations, 46 against 17, but far cheaper setup and levels). A sparse LU solves
    the coarsest level; each restriction is the transpose view of its prolongation
    (CSC, shares P's arrays) instead of a stored copy. The finest level shares the
    caller's matrix buffer.
    """
    ml = pyamg.pairwise_solver(matrix, max_coarse=100, coarse_solver="splu")
    for level in ml.levels[:-1]:
        level.R = level.P.T
    return ml


class KirchhoffLinearSolver:
    """Solves A·x = b for the grid's CSR pattern, with A given as data in that pattern.

    Parameters
    ----------
    indptr, indices : ndarray of int32 — the CSR pattern (n rows).
    diag : ndarray of int32, shape (n,) — positions of the diagonal entries.
    symmetric : bool — True when the scaled matrix is symmetric (single material).
    """

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, diag: np.ndarray, symmetric: bool):
        self.indptr = indptr
        self.indices = indices
        self.diag = diag
        self.symmetric = symmetric
        self.hierarchy = None
        self.iterations = 0

    def solve(self, data, diagonal, conductivity, b, rtol):
        """Solve (data + diag(diagonal/k))·y = b in Kirchhoff variables y = k·x; returns y.

        Parameters
        ----------
        data : ndarray, shape (nnz,) — factor·J·diag(1/k) in the CSR pattern (see
            ``ConductionBody.evaluate``). The diagonal term is added in place, and the
            multigrid hierarchy keeps this buffer as its finest operator, so the
            preconditioner always smooths with the matrix of the current solve.
        diagonal : ndarray, shape (n,) or (0,) — heat capacities, J/K (transients).
        conductivity : ndarray, shape (n,) — k of each cell, W/(m K).
        b : ndarray, shape (n,) or (n, m) — right-hand side(s), W.
        rtol : float — relative residual the Krylov solve must reach.
        """
        n = self.indptr.size - 1
        if diagonal.size:
            data[self.diag] += diagonal / conductivity
        matrix = sp.csr_matrix((data, self.indices, self.indptr), (n, n), copy=False)
        if b.ndim == 2:
            return np.column_stack([self.solve_scaled(matrix, col, rtol) for col in b.T])
        return self.solve_scaled(matrix, b, rtol)

    def solve_scaled(self, matrix: sp.csr_matrix, b: np.ndarray, rtol: float) -> np.ndarray:
        """Krylov solve of matrix·y = b; rebuilds the hierarchy once if it has gone stale."""
        if not np.any(b):
            return np.zeros_like(b)
        fresh = self.hierarchy is None
        if fresh:
            self.hierarchy = _hierarchy(matrix)
        y, info, count = self._krylov(matrix, b, rtol)
        if count > REBUILD_ITERATIONS or info != 0:
            self.hierarchy = None
            if info != 0 and not fresh:
                return self.solve_scaled(matrix, b, rtol)
        if info != 0:
            raise SolverError(
                f"grid linear solve did not reach relative residual {rtol:g} in "
                f"{MAX_ITERATIONS} iterations; check that every part of the body touches a "
                "fixed-temperature, radiation or node patch"
            )
        return y

    def _krylov(self, matrix, b, rtol):
        count = [0]

        def tick(_, count=count):
            count[0] += 1

        if self.symmetric:
            method, extra = spla.cg, {}
        else:
            method, extra = spla.bicgstab, {}
        y, info = method(
            matrix, b, rtol=rtol, atol=0.0, maxiter=MAX_ITERATIONS,
            M=self.hierarchy.aspreconditioner(), callback=tick, **extra,
        )  # fmt: skip
        self.iterations += count[0]
        return y, info, count[0]
