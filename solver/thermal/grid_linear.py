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
from solver.kernels.grid_krylov import dot

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
        preconditioner = self.v_cycle
        if self.symmetric:
            y, info, count = conjugate_gradient(matrix, b, preconditioner, rtol, MAX_ITERATIONS)
        else:
            counter = [0]

            def tick(_, counter=counter):
                counter[0] += 1

            M = spla.LinearOperator(matrix.shape, preconditioner, dtype=float)
            y, info = spla.bicgstab(
                matrix, b, rtol=rtol, atol=0.0, maxiter=MAX_ITERATIONS, M=M, callback=tick
            )
            count = counter[0]
        self.iterations += count
        return y, info, count

    def v_cycle(self, b: np.ndarray) -> np.ndarray:
        """One multigrid V-cycle from zero on the current hierarchy (the preconditioner)."""
        return _cycle(self.hierarchy, 0, b)


def _cycle(ml, depth: int, b: np.ndarray) -> np.ndarray:
    level = ml.levels[depth]
    if depth == len(ml.levels) - 1:
        return ml.coarse_solver(level.A, b)
    x = np.zeros_like(b)
    level.presmoother(level.A, x, b)
    coarse = _cycle(ml, depth + 1, level.R @ (b - level.A @ x))
    x += level.P @ coarse
    level.postsmoother(level.A, x, b)
    return x


def conjugate_gradient(A, b, preconditioner, rtol: float, maxiter: int):
    """Preconditioned CG for symmetric positive definite A.

    Parameters
    ----------
    A : sparse matrix, shape (n, n)
    b : ndarray, shape (n,)
    preconditioner : callable r -> z ≈ A⁻¹r (symmetric, e.g. a symmetric V-cycle).
    rtol : float — stop when ‖b - A·x‖₂ ≤ rtol·‖b‖₂ (the true residual, updated recursively).
    maxiter : int

    Returns
    -------
    (x, info, iterations) — info 0 on convergence, 1 if maxiter was reached.
    """
    x = np.zeros_like(b)
    r = b.copy()
    target = rtol * np.sqrt(dot(b, b))
    z = preconditioner(r)
    p = z.copy()
    rz = dot(r, z)
    for iteration in range(1, maxiter + 1):
        Ap = A @ p
        alpha = rz / dot(p, Ap)
        x += alpha * p
        r -= alpha * Ap
        if np.sqrt(dot(r, r)) <= target:
            return x, 0, iteration
        z = preconditioner(r)
        rz, previous = dot(r, z), rz
        p *= rz / previous
        p += z
    return x, 1, maxiter
