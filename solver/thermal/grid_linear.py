"""Linear solves for the grid Newton iterations: Krylov with an algebraic multigrid
preconditioner (pyamg smoothed aggregation), kept across Newton steps and calls.

The Newton matrix is taken in Kirchhoff variables (columns divided by k of their
cell), where a single-material body without radiation gives the same symmetric
matrix at every temperature: one multigrid hierarchy then serves the whole solve,
and CG applies. Bodies with material interfaces give a slightly unsymmetric
matrix and use GMRES. The hierarchy is rebuilt when the Krylov solver needs
more than ``REBUILD_ITERATIONS`` iterations.
"""

from __future__ import annotations

import numpy as np
import pyamg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from solver.errors import SolverError

REBUILD_ITERATIONS = 25
MAX_ITERATIONS = 300


class KirchhoffLinearSolver:
    """Solves A·x = b for the grid's CSR pattern, with A given as data in that pattern.

    Parameters
    ----------
    indptr, indices : ndarray of int32 — the CSR pattern (n rows).
    symmetric : bool — True when the scaled matrix is symmetric (single material).
    """

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, symmetric: bool):
        self.indptr = indptr
        self.indices = indices
        self.symmetric = symmetric
        self.hierarchy = None
        self.iterations = 0

    def solve(self, data: np.ndarray, conductivity: np.ndarray, b: np.ndarray, rtol: float):
        """Solve in Kirchhoff variables: returns y with A·diag(1/k)·y = b (y = k·x).

        Parameters
        ----------
        data : ndarray, shape (nnz,) — A in the CSR pattern (W/K).
        conductivity : ndarray, shape (n,) — k of each cell, W/(m K).
        b : ndarray, shape (n,) or (n, m) — right-hand side(s), W.
        rtol : float — relative residual the Krylov solve must reach.
        """
        n = self.indptr.size - 1
        scaled = sp.csr_matrix(
            (data / conductivity[self.indices], self.indices, self.indptr), (n, n)
        )
        if b.ndim == 2:
            return np.column_stack([self.solve_scaled(scaled, col, rtol) for col in b.T])
        return self.solve_scaled(scaled, b, rtol)

    def solve_scaled(self, matrix: sp.csr_matrix, b: np.ndarray, rtol: float) -> np.ndarray:
        """Krylov solve of matrix·y = b; rebuilds the hierarchy once if it has gone stale."""
        if not np.any(b):
            return np.zeros_like(b)
        fresh = self.hierarchy is None
        if fresh:
            self.hierarchy = pyamg.smoothed_aggregation_solver(matrix, max_coarse=500)
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
            method, extra = spla.gmres, {"restart": 50, "callback_type": "pr_norm"}
        y, info = method(
            matrix, b, rtol=rtol, atol=0.0, maxiter=MAX_ITERATIONS,
            M=self.hierarchy.aspreconditioner(), callback=tick, **extra,
        )  # fmt: skip
        self.iterations += count[0]
        return y, info, count[0]
