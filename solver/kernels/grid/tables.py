"""Property-table look-ups for the grid conduction kernels (scalar numba functions).

A table holds a property ``f`` (conductivity k, or specific heat cp) at nodes on a
log-uniform temperature grid, linear in T between nodes, and its running integral
``F`` (the Kirchhoff potential Θ = ∫k dT, or the specific enthalpy ∫cp dT) built
from that same piecewise-linear ``f``. So ``dF/dT = f`` holds exactly everywhere,
which keeps Newton's Jacobian consistent with its residual, and the difference
of ``F`` between two temperatures in one interval is ``f(mean)·ΔT`` exactly, which
is how it is evaluated there (no loss of precision for nearly equal temperatures).

Arrays: ``T_nodes`` shape (n_nodes,), ``f`` and ``F`` shape (n_materials, n_nodes).
"""

from __future__ import annotations

import math

from solver._numba import jit


@jit
def interval(log_t0, inv_dlog, n_nodes, T):
    """Index i of the table interval [T_i, T_{i+1}] that holds T (clamped to the table)."""
    i = int((math.log(T) - log_t0) * inv_dlog)
    if i < 0:
        return 0
    if i > n_nodes - 2:
        return n_nodes - 2
    return i


@jit
def value_slope(log_t0, inv_dlog, T_nodes, f, m, T):
    """Property f of material m at T and its slope df/dT (piecewise linear in T)."""
    i = interval(log_t0, inv_dlog, T_nodes.shape[0], T)
    s = (f[m, i + 1] - f[m, i]) / (T_nodes[i + 1] - T_nodes[i])
    return f[m, i] + s * (T - T_nodes[i]), s


@jit
def integral(log_t0, inv_dlog, T_nodes, F, f, m, T):
    """Running integral F of material m at T (exact integral of the piecewise-linear f)."""
    i = interval(log_t0, inv_dlog, T_nodes.shape[0], T)
    s = (f[m, i + 1] - f[m, i]) / (T_nodes[i + 1] - T_nodes[i])
    d = T - T_nodes[i]
    return F[m, i] + f[m, i] * d + 0.5 * s * d * d


@jit
def integral_difference(log_t0, inv_dlog, T_nodes, F, f, m, Ta, Tb):
    """F(Ta) - F(Tb) for material m; f(mean)·(Ta - Tb) when both lie in one interval."""
    n = T_nodes.shape[0]
    ia = interval(log_t0, inv_dlog, n, Ta)
    ib = interval(log_t0, inv_dlog, n, Tb)
    if ia == ib:
        fm, _ = value_slope(log_t0, inv_dlog, T_nodes, f, m, 0.5 * (Ta + Tb))
        return fm * (Ta - Tb)
    return integral(log_t0, inv_dlog, T_nodes, F, f, m, Ta) - integral(
        log_t0, inv_dlog, T_nodes, F, f, m, Tb
    )


@jit
def integral_inverse(T_nodes, F, f, m, u):
    """Temperature at which the running integral F of material m equals u.

    Returns NaN when u lies outside the table (below its first or above its last node).
    """
    n = T_nodes.shape[0]
    if u < F[m, 0] or u > F[m, n - 1]:
        return math.nan
    lo, hi = 0, n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if F[m, mid] <= u:
            lo = mid
        else:
            hi = mid
    s = (f[m, lo + 1] - f[m, lo]) / (T_nodes[lo + 1] - T_nodes[lo])
    du = u - F[m, lo]
    # root of F_lo + f_lo d + s d²/2 = u in the form that stays accurate as s -> 0
    d = 2.0 * du / (f[m, lo] + math.sqrt(max(f[m, lo] ** 2 + 2.0 * s * du, 0.0)))
    return T_nodes[lo] + d
