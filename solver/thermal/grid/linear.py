"""Linear solves for the grid Newton iterations: Krylov (own CG, scipy BiCGStab) with a
multigrid V-cycle preconditioner, kept across Newton steps and calls. Large bodies
coarsen first by the grid's 2×2×2 blocks (BlockCycle), then by pyamg's pairwise
aggregation; small ones use pairwise aggregation throughout (AlgebraicCycle).
On the 1 M-cell benchmark this took 3.1 s and 258 bytes/cell above the interpreter,
against 7.4 s / 431 for pairwise aggregation throughout and 12.8 s / 567 for pyamg's
smoothed aggregation.

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
from pyamg.relaxation.relaxation import gauss_seidel

from solver.errors import SolverError
from solver.kernels.grid.krylov import dot
from solver.kernels.grid.multigrid import galerkin

REBUILD_ITERATIONS = 60
"""Krylov iterations above which the hierarchy is rebuilt (a fresh pairwise hierarchy
takes ~25 per Newton solve on the benchmark)."""
MAX_ITERATIONS = 300
LINEAR_RTOL_FLOOR = 1e-10
"""Tightest relative residual asked of a Krylov solve (round-off stalls Krylov near 1e-12)."""

ROUNDOFF = 64 * np.finfo(float).eps
"""Relative round-off of cell temperatures: a cell's net heat is only known to about
ROUNDOFF·T·|dR/dT|, so a residual below that floor counts as converged (else a nearly
isothermal, highly conductive body never converges)."""


def _pairwise(matrix: sp.csr_matrix) -> pyamg.MultilevelSolver:
    """Pairwise-aggregation hierarchy (pyamg) with restrictions as views of P (no copies)."""
    ml = pyamg.pairwise_solver(matrix, max_coarse=100, coarse_solver="splu")
    for level in ml.levels[:-1]:
        level.R = level.P.T
    return ml


class AlgebraicCycle:
    """V-cycle of a pyamg pairwise hierarchy built on the whole matrix."""

    def __init__(self, matrix: sp.csr_matrix):
        self.ml = _pairwise(matrix)

    def __call__(self, b: np.ndarray) -> np.ndarray:
        return _cycle(self.ml, 0, b)


class BlockCycle:
    """V-cycle whose first coarsening joins the grid's 2×2×2 blocks of cells.

    The finest level smooths with symmetric Gauss–Seidel on the caller's matrix
    (shared, so always the current one); restriction sums the residual over each
    block and prolongation copies the block's correction to its cells, so neither is
    stored; the block operator Pᵀ·A·P is formed by a streaming kernel and handed to
    a pyamg pairwise hierarchy. Against pairwise aggregation on the whole matrix this
    skips pyamg's setup on the largest level, its largest memory peak.
    """

    def __init__(self, matrix: sp.csr_matrix, aggregates: np.ndarray, n_aggregates: int):
        self.matrix = matrix
        self.aggregates = aggregates
        self.n_aggregates = n_aggregates
        c_indptr, c_indices, c_data = galerkin(
            matrix.indptr, matrix.indices, matrix.data, aggregates, n_aggregates
        )
        coarse = sp.csr_matrix((c_data, c_indices, c_indptr), (n_aggregates, n_aggregates))
        coarse.sort_indices()
        self.coarse = _pairwise(coarse)

    def __call__(self, b: np.ndarray) -> np.ndarray:
        A = self.matrix
        x = np.zeros_like(b)
        gauss_seidel(A, x, b, iterations=1, sweep="symmetric")
        r = np.bincount(self.aggregates, weights=b - A @ x, minlength=self.n_aggregates)
        x += _cycle(self.coarse, 0, r)[self.aggregates]
        gauss_seidel(A, x, b, iterations=1, sweep="symmetric")
        return x


class KirchhoffLinearSolver:
    """Solves A·x = b for the grid's CSR pattern, with A given as data in that pattern.

    Parameters
    ----------
    indptr, indices : ndarray of int32 — the CSR pattern (n rows).
    diag : ndarray of int32, shape (n,) — positions of the diagonal entries.
    symmetric : bool — True when the scaled matrix is symmetric (single material).
    blocks : (aggregates, n_aggregates), optional — the grid's 2×2×2 blocks of cells
        (``solver.kernels.grid.multigrid.block_aggregates``); with them the
        preconditioner is a BlockCycle, else an AlgebraicCycle.
    """

    def __init__(
        self,
        indptr: np.ndarray,
        indices: np.ndarray,
        diag: np.ndarray,
        symmetric: bool,
        blocks: tuple | None = None,
    ):
        self.indptr = indptr
        self.indices = indices
        self.diag = diag
        self.symmetric = symmetric
        self.blocks = blocks
        self.hierarchy: BlockCycle | AlgebraicCycle | None = None
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
            self.hierarchy = (
                BlockCycle(matrix, *self.blocks) if self.blocks else AlgebraicCycle(matrix)
            )
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
        assert self.hierarchy is not None, "v_cycle before the hierarchy was built"
        return self.hierarchy(b)


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
