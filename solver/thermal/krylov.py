"""Restarted GMRES with a right preconditioner, stopped on the true residual.

The Newton steps of large networks are solved by it (``solver.thermal.newton_linear``).
Right preconditioning makes the least-squares residual GMRES minimises the residual of
the system itself, ‖b − A·x‖₂, so the stopping test is the caller's tolerance, checked
again on the recomputed residual at each restart. scipy's ``gmres`` preconditions on the
left and ends its inner iterations on the preconditioned residual (on a cooldown step it
stopped at a true residual 16 times its target); pyamg's ``fgmres`` tests the true
residual but took 2 ms of Python per 7-iteration solve, as long as the residual
evaluation of a 4 000-link network.

Saad, *Iterative Methods for Sparse Linear Systems*, 2nd ed. (SIAM 2003), Algorithm 9.5
(right-preconditioned GMRES, with the preconditioned vectors kept as in FGMRES,
Algorithm 9.6, so no extra preconditioner application is needed per restart);
Gram–Schmidt applied twice (Giraud, Langou & Rozložník 2005), as BLAS-2 products.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.linalg import solve_triangular

Operator = Callable[[np.ndarray], np.ndarray]


def gmres(
    matvec: Operator,
    precondition: Operator,
    b: np.ndarray,
    x0: np.ndarray | None,
    target: float,
    restart: int,
    cycles: int,
) -> tuple[np.ndarray, bool, int]:
    """Solve A·x = b until ‖b − A·x‖₂ < target.

    Parameters
    ----------
    matvec : callable — v ↦ A·v, shape (n,) to (n,).
    precondition : callable — v ↦ M⁻¹·v, an approximate inverse of A.
    b : ndarray, shape (n,) — right-hand side.
    x0 : ndarray, shape (n,), or None — starting guess (None: zero).
    target : float — residual 2-norm to reach, in the units of b.
    restart : int — Krylov vectors per cycle.
    cycles : int — restart cycles at most.

    Returns
    -------
    x : ndarray, shape (n,) — the last iterate.
    converged : bool — its recomputed residual is below ``target`` (False when the
        operators gave non-finite values).
    iterations : int — preconditioner applications (one per Krylov vector).
    """
    n = b.size
    x = np.zeros(n) if x0 is None else x0.astype(float, copy=True)
    r = b - matvec(x) if x0 is not None else b.copy()
    beta = float(np.linalg.norm(r))
    iterations = 0
    V = np.empty((restart + 1, n))
    Z = np.empty((restart, n))
    H = np.zeros((restart + 1, restart))
    for _ in range(cycles):
        if not beta >= target:  # converged, or a non-finite residual (stops too)
            break
        V[0] = r / beta
        g = np.zeros(restart + 1)
        g[0] = beta
        cosines = np.zeros(restart)
        sines = np.zeros(restart)
        H[:] = 0.0
        k = 0
        while k < restart:
            Z[k] = precondition(V[k])
            w = matvec(Z[k])
            basis = V[: k + 1]
            h = basis @ w
            w -= h @ basis
            again = basis @ w  # second Gram–Schmidt pass: orthogonal to round-off
            w -= again @ basis
            h += again
            h_next = float(np.linalg.norm(w))
            iterations += 1
            for i in range(k):  # earlier rotations on the new column
                h[i], h[i + 1] = (
                    cosines[i] * h[i] + sines[i] * h[i + 1],
                    -sines[i] * h[i] + cosines[i] * h[i + 1],
                )
            radius = float(np.hypot(h[k], h_next))
            if not radius > 0.0:  # zero or non-finite: no new direction
                break
            cosines[k], sines[k] = h[k] / radius, h_next / radius
            h[k] = radius
            H[: k + 1, k] = h
            g[k + 1] = -sines[k] * g[k]
            g[k] *= cosines[k]
            k += 1
            if abs(g[k]) < target or h_next == 0.0:  # estimate met, or exact (breakdown)
                break
            V[k] = w / h_next
        if k == 0:
            break
        y = solve_triangular(H[:k, :k], g[:k], check_finite=False)  # NaN in, NaN out
        x += y @ Z[:k]
        r = b - matvec(x)
        beta = float(np.linalg.norm(r))
    return x, bool(beta < target and np.all(np.isfinite(x))), iterations
