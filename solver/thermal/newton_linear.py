"""The linear solve of each Newton step of a thermal network (steady state and cooldown).

One place decides how ``J·dT = −R`` is solved:

- SuperLU (``scipy.sparse.linalg.spsolve``) up to :data:`DIRECT_LIMIT` free nodes,
  and for chain-like networks of any size (at most :data:`DIRECT_MAX_DEGREE`
  neighbours per node on average: wiring lines), whose factor does not fill in: 50 000
  links of 50-segment lines took 0.03 s CPU per step by SuperLU against 16.6 s by
  AMG-GMRES;
- otherwise GMRES (:mod:`solver.thermal.krylov`), where direct LU of a large, irregular
  network fills in (an expander-like graph of 5 000 nodes and 20 000 links, 8 neighbours
  per node: 7.7 s CPU per factorisation against 0.09 s for the Krylov solve; ``python -m
  tests.benchmarks network_large``). GMRES is first preconditioned by the Jacobian's diagonal, which
  is enough for the diagonally dominant systems of a cooldown step (heat capacity
  over Δt on the diagonal: 5–10 iterations); when that does not converge within
  :data:`JACOBI_ITERATIONS`, by a pyamg smoothed-aggregation hierarchy, which a
  :class:`StepSolver` keeps and reuses over later steps until it converges markedly
  slower than when it was built. When neither reaches its tolerance the step falls
  back to SuperLU, so the answer never depends on the choice.

Rows are scaled by the caller's per-node heat scale (Σ|Q|) before the solve, so the
Krylov tolerance is a relative heat imbalance per node, the same measure as the
convergence test. The caller sets that tolerance per step (:func:`forcing_term`,
inexact Newton).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from solver.thermal.krylov import gmres

DIRECT_LIMIT = 1500
"""Free nodes up to which SuperLU always solves the step. Measured on the benchmark's
random networks (8 neighbours per node, machine under load), whole steady states:
1 000 nodes 9.5 s with SuperLU against 7.2 s with AMG-GMRES, 2 000 nodes 20.9 s against
7.9 s; below about a thousand nodes the exact solve costs little and needs no tolerance."""

DIRECT_MAX_DEGREE = 2.5
"""Mean neighbours per free node up to which SuperLU is kept at any size: chains and
trees (wiring lines) have about 2. A random network of 2 000 nodes with 4 already fills
in: 0.11 s CPU per SuperLU step in its cooldown, against 1.6 ms for GMRES preconditioned
by the diagonal (8 iterations)."""

KRYLOV_RTOL = 1e-8
"""Smallest relative residual of the row-scaled system asked of GMRES (the floor of the
forcing term): each Newton step then leaves at most 1e-8 of a node's Σ|Q| unbalanced,
below what the next step removes."""

KRYLOV_RESTART = 60
KRYLOV_RESTARTS = 3
"""GMRES cycles of :data:`KRYLOV_RESTART` iterations with the AMG preconditioner before
the step falls back to SuperLU: converging solves took 20–100 iterations; one that had
not converged by 180 took 30 s to give up at 200 cycles (12 000 V-cycles) in a cooldown."""

JACOBI_ITERATIONS = 30
"""GMRES iterations with the diagonal preconditioner before the AMG one takes over:
cooldown steps of the 2 000-node benchmark converge in 5–10, a steady state of the
5 000-node one needs about 250 (where AMG needs 40–100)."""

AMG_BUILDS_PER_STEP = 1
"""New hierarchies built for one step (after a kept one failed) before it falls back to
SuperLU. Builds are deterministic: the prolongation smoother is weighted by local
(Gershgorin) bounds instead of pyamg's default spectral-radius estimate from a random
vector, with which about one build in three on the first Jacobian of the 5 000-node
benchmark gave a V-cycle whose GMRES residual estimate met the target while the true
residual stayed 100 times above it (the step then fell back to SuperLU, 7.5 s CPU); with
local weighting every build converged, in 39 iterations."""

AMG_SLOWDOWN = 2.0
"""A kept AMG hierarchy is rebuilt for the next step when it needed this many times the
iterations per decade of residual that it needed on the Jacobian it was built from."""

FORCING_MAX = 0.1
FORCING_GAMMA = 0.9
"""Eisenstat & Walker (1996, SIAM J. Sci. Comput. 17, 16, choice 2 with γ = 0.9, α = 2):
the forcing term η_k = γ (‖F_k‖/‖F_{k−1}‖)², at most :data:`FORCING_MAX` (η_0 =
FORCING_MAX). Their safeguard max(η_k, γ η_{k−1}²), used when γ η_{k−1}² > 0.1, never
applies under this cap."""


def forcing_term(norm: float, previous_norm: float | None) -> float:
    """Relative linear tolerance η_k of an inexact Newton step (Eisenstat–Walker choice 2).

    Parameters
    ----------
    norm, previous_norm : float — merit ‖R/scale‖₂ at this and the previous Newton
        iterate (None at the first).

    Returns
    -------
    float — η_k in [:data:`KRYLOV_RTOL`, :data:`FORCING_MAX`].
    """
    if previous_norm is None or previous_norm <= 0.0:
        return FORCING_MAX
    eta = FORCING_GAMMA * (norm / previous_norm) ** 2
    return float(min(max(eta, KRYLOV_RTOL), FORCING_MAX))


def solve_step(J: sp.spmatrix, R: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The Newton step dT with J·dT = −R, to :data:`KRYLOV_RTOL`, by a fresh :class:`StepSolver`.

    Parameters
    ----------
    J : sparse matrix, shape (n, n) — ∂R/∂T of the free nodes, W/K.
    R : ndarray, shape (n,) — heat imbalance of each free node, W.
    scale : ndarray, shape (n,) — positive per-node heat scale (Σ|Q|), W.

    Returns
    -------
    ndarray, shape (n,) — temperature change, K (see :meth:`StepSolver.solve`).
    """
    return StepSolver().solve(J, R, scale)


def direct(J: sp.spmatrix, n: int) -> bool:
    """True when SuperLU solves the step: a small or chain-like system (no fill-in)."""
    return n <= DIRECT_LIMIT or (J.nnz - n) / n <= DIRECT_MAX_DEGREE


class StepSolver:
    """Solves the Newton steps of one nonlinear solve, or of a whole cooldown, keeping
    what one step learnt for the next: whether the diagonal preconditioner suffices, and
    the AMG hierarchy while it still converges well.
    """

    def __init__(self) -> None:
        self._jacobi = True  # try the diagonal preconditioner first
        self._amg: Any = None  # kept pyamg MultilevelSolver
        self._amg_rate: float | None = None  # its iterations per decade when built
        self._amg_stale = False
        self.counts: dict[str, int] = {"direct": 0, "jacobi": 0, "amg": 0, "amg_builds": 0}
        """Steps solved by each path, and AMG hierarchies built (for benchmarks and tests)."""

    def solve(
        self,
        J: sp.spmatrix,
        R: np.ndarray,
        scale: np.ndarray,
        rtol: float = KRYLOV_RTOL,
        atol: float = 0.0,
    ) -> np.ndarray:
        """The Newton step dT with J·dT = −R.

        Parameters
        ----------
        J : sparse matrix, shape (n, n) — ∂R/∂T of the free nodes, W/K.
        R : ndarray, shape (n,) — heat imbalance of each free node, W.
        scale : ndarray, shape (n,) — positive per-node heat scale (Σ|Q|), W.
        rtol, atol : float — a Krylov solve stops when ‖(J·dT + R)/scale‖₂ ≤
            max(rtol·‖R/scale‖₂, atol) (dimensionless, relative heat imbalance).

        Returns
        -------
        ndarray, shape (n,) — temperature change, K. May hold non-finite values when J is
        singular (the caller reports that).

        Raises
        ------
        RuntimeError — SuperLU found J exactly singular.
        """
        n = R.size
        if direct(J, n):
            self.counts["direct"] += 1
            return spla.spsolve(J.tocsc(), -R)
        J = J.tocsr()
        inverse_scale = 1.0 / scale

        def matvec(v: np.ndarray) -> np.ndarray:  # the row-scaled Jacobian
            return (J @ v) * inverse_scale

        b = -R * inverse_scale
        b_norm = float(np.linalg.norm(b))
        if b_norm == 0.0:
            return np.zeros(n)
        target = max(rtol * b_norm, atol)
        x = None
        if self._jacobi:
            d = J.diagonal() * inverse_scale
            inverse = 1.0 / np.where((d != 0.0) & np.isfinite(d), d, 1.0)
            # a diagonally preconditioned iteration costs little against a Newton
            # iteration (a residual evaluation): solve to KRYLOV_RTOL at least
            x, done, _ = gmres(
                matvec,
                lambda v: inverse * v,
                b,
                None,
                max(min(rtol, KRYLOV_RTOL) * b_norm, atol),
                JACOBI_ITERATIONS,
                1,
            )
            if done:
                self.counts["jacobi"] += 1
                return x
            self._jacobi = False  # this network needs more: AMG from now on
            if not np.all(np.isfinite(x)):
                x = None
        x, done = self._amg_gmres(J, inverse_scale, matvec, b, x, target)
        if done:
            self.counts["amg"] += 1
            return x
        self.counts["direct"] += 1
        return spla.spsolve(J.tocsc(), -R)

    def _amg_gmres(self, J, inverse_scale, matvec, b, x0, target: float):
        """GMRES with the kept (or a new) AMG hierarchy; when it does not converge, with a
        new one, at most :data:`AMG_BUILDS_PER_STEP` per step."""
        rebuild = self._amg is None or self._amg_stale
        fresh = False
        builds = 0
        while True:
            if rebuild:
                if builds == AMG_BUILDS_PER_STEP or not self._build(J, inverse_scale):
                    self._amg = None
                    return x0, False
                builds += 1
                fresh = True
            x, done, iterations = self._amg_solve(matvec, b, x0, target)
            if done:
                break
            rebuild = True
        start = np.linalg.norm(b - matvec(x0)) if x0 is not None else np.linalg.norm(b)
        rate = iterations / max(np.log10(start / target), 1.0)  # iterations per decade
        if fresh or self._amg_rate is None:
            self._amg_rate = rate
        self._amg_stale = rate > AMG_SLOWDOWN * self._amg_rate
        return x, True

    def _build(self, J: sp.csr_matrix, inverse_scale: np.ndarray) -> bool:
        """A smoothed-aggregation hierarchy of the row-scaled J; False when pyamg cannot."""
        import pyamg

        A = sp.csr_matrix(
            (J.data * np.repeat(inverse_scale, np.diff(J.indptr)), J.indices, J.indptr),
            shape=J.shape,
        )
        try:
            ml = pyamg.smoothed_aggregation_solver(
                A,
                max_coarse=500,
                coarse_solver="splu",
                smooth=("jacobi", {"weighting": "local"}),
            )
        except (ValueError, ZeroDivisionError, RuntimeError, np.linalg.LinAlgError):
            self._amg = None
            return False
        # pyamg stores the levels as 1×1-block BSR; its Gauss–Seidel and products on CSR are
        # several times faster for the same numbers
        for level in ml.levels:
            level.A = sp.csr_matrix(level.A)
            if hasattr(level, "P"):
                level.P = sp.csr_matrix(level.P)
                level.R = sp.csr_matrix(level.R)
        self._amg = ml
        self._amg_stale = False
        self.counts["amg_builds"] += 1
        return True

    def _amg_solve(self, matvec, b, x0, target) -> tuple[np.ndarray, bool, int]:
        """GMRES with the kept hierarchy: the iterate, whether it converged, iterations."""
        V_cycle = self._amg.aspreconditioner()
        try:
            return gmres(matvec, V_cycle.matvec, b, x0, target, KRYLOV_RESTART, KRYLOV_RESTARTS)
        except (ValueError, RuntimeError, np.linalg.LinAlgError):
            return np.zeros_like(b), False, 0
