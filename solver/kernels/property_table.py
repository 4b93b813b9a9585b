"""Kirchhoff-table kernels: property integrals F(T) = int_{1 mK}^T f dT and values f(T).

Tables live on the common log-uniform grid of ``solver.materials.GRID``
(``T_nodes[j] = exp(log_t0 + j / inv_dlog)``). Between two nodes F is the
cubic Hermite interpolant of the node values F_j with slopes f_j; the returned
f(T) is the derivative of that same cubic, so a Newton Jacobian built from f
is exactly consistent with a residual built from F.

Outside the grid (T below the first node or above the last) F is extended
linearly with the end value of f (``F = F_end + f_end (T - T_end)``), so the
kernels stay finite for any positive T; range checking is the job of the
numpy-facing API (``solver.materials``), not of these kernels.

All functions are scalar ``@jit`` functions callable from other njit code;
``table_values`` / ``table_increments`` loop over 1-D arrays.
"""

from __future__ import annotations

import math

import numpy as np

from solver._numba import jit

NEAR_EQUAL_RELATIVE = 1e-3
"""|T2 - T1| below this fraction of max(T1, T2) takes the cancellation-safe path."""

_GL2 = 0.5773502691896257  # 1/sqrt(3): 2-point Gauss-Legendre abscissa, exact for cubics


@jit
def _interval(log_t0, inv_dlog, n, T):
    """Index i of the grid interval [T_i, T_{i+1}] holding T (clamped to 0..n-2)."""
    u = (math.log(T) - log_t0) * inv_dlog
    i = math.floor(u)
    if i < 0:
        return 0
    if i > n - 2:
        return n - 2
    return i


@jit
def _hermite(T_nodes, F, f, i, T):
    """Cubic Hermite F and its derivative on interval i at T (T inside or at its ends)."""
    t0 = T_nodes[i]
    h = T_nodes[i + 1] - t0
    s = (T - t0) / h
    s2 = s * s
    s3 = s2 * s
    dF = F[i + 1] - F[i]
    value = (
        F[i] + (3.0 * s2 - 2.0 * s3) * dF + h * ((s3 - 2.0 * s2 + s) * f[i] + (s3 - s2) * f[i + 1])
    )
    slope = (
        6.0 * (s - s2) * dF / h
        + (3.0 * s2 - 4.0 * s + 1.0) * f[i]
        + (3.0 * s2 - 2.0 * s) * f[i + 1]
    )
    return value, slope


@jit
def table_value(log_t0, inv_dlog, T_nodes, F, f, T):
    """Interpolated integral and value at one temperature.

    Parameters
    ----------
    log_t0, inv_dlog : float
        Grid parameters (``GRID.log_t0``, ``GRID.inv_dlog``).
    T_nodes, F, f : ndarray, shape (n,)
        Grid temperatures (K), the table's integral and value at the nodes.
    T : float
        Temperature in kelvin (> 0).

    Returns
    -------
    F_T : float
        int_{1 mK}^T f dT (W/m for k, J/kg for cp).
    f_T : float
        dF/dT of the same interpolant (W/(m K) or J/(kg K)).
    """
    n = T_nodes.shape[0]
    if T_nodes[0] >= T:
        return F[0] + f[0] * (T - T_nodes[0]), f[0]
    if T_nodes[n - 1] <= T:
        return F[n - 1] + f[n - 1] * (T - T_nodes[n - 1]), f[n - 1]
    i = _interval(log_t0, inv_dlog, n, T)
    return _hermite(T_nodes, F, f, i, T)


@jit
def _slope_at(log_t0, inv_dlog, T_nodes, F, f, i, T):
    """Interpolated f at T on interval i; constant end values outside the grid."""
    n = T_nodes.shape[0]
    if T_nodes[0] >= T:
        return f[0]
    if T_nodes[n - 1] <= T:
        return f[n - 1]
    return _hermite(T_nodes, F, f, i, T)[1]


@jit
def _integral_of_slope(log_t0, inv_dlog, T_nodes, F, f, Ta, Tb):
    """int_Ta^Tb of the interpolated f, Ta <= Tb, split at grid nodes (exact: f is quadratic per interval)."""
    n = T_nodes.shape[0]
    total = 0.0
    lo = Ta
    while lo < Tb:
        if lo < T_nodes[0]:
            i = -1
            hi = min(Tb, T_nodes[0])
        elif lo >= T_nodes[n - 1]:
            i = n - 1
            hi = Tb
        else:
            i = _interval(log_t0, inv_dlog, n, lo)
            # ln-rounding can place lo one interval off near a node: correct it
            if lo < T_nodes[i] and i > 0:
                i -= 1
            elif lo >= T_nodes[i + 1] and i < n - 2:
                i += 1
            hi = min(Tb, T_nodes[i + 1])
            if hi <= lo:
                hi = Tb
        mid = 0.5 * (lo + hi)
        half = 0.5 * (hi - lo)
        ii = min(max(i, 0), n - 2)
        total += half * (
            _slope_at(log_t0, inv_dlog, T_nodes, F, f, ii, mid - _GL2 * half)
            + _slope_at(log_t0, inv_dlog, T_nodes, F, f, ii, mid + _GL2 * half)
        )
        lo = hi
    return total


@jit
def table_increment(log_t0, inv_dlog, T_nodes, F, f, T1, T2):
    """F(T2) - F(T1) without cancellation, and the values at both ends.

    When |T2 - T1| < 1e-3 * max(T1, T2) the increment is the Gauss-Legendre
    integral of the interpolated f between T1 and T2 (split at grid nodes,
    exact for the piecewise-quadratic f), not the difference of two large F.

    Returns
    -------
    dF : float
        F(T2) - F(T1), signed (W/m for k, J/kg for cp).
    f_T1, f_T2 : float
        Interpolated values at T1 and T2.
    """
    F1, f1 = table_value(log_t0, inv_dlog, T_nodes, F, f, T1)
    F2, f2 = table_value(log_t0, inv_dlog, T_nodes, F, f, T2)
    if abs(T2 - T1) < NEAR_EQUAL_RELATIVE * max(abs(T1), abs(T2)):
        if T2 >= T1:
            dF = _integral_of_slope(log_t0, inv_dlog, T_nodes, F, f, T1, T2)
        else:
            dF = -_integral_of_slope(log_t0, inv_dlog, T_nodes, F, f, T2, T1)
        return dF, f1, f2
    return F2 - F1, f1, f2


@jit
def table_values(log_t0, inv_dlog, T_nodes, F, f, T):
    """``table_value`` over a 1-D array ``T``; returns (F_T, f_T), each shape (m,)."""
    m = T.shape[0]
    out_F = np.empty(m)
    out_f = np.empty(m)
    for j in range(m):
        out_F[j], out_f[j] = table_value(log_t0, inv_dlog, T_nodes, F, f, T[j])
    return out_F, out_f


@jit
def table_increments(log_t0, inv_dlog, T_nodes, F, f, T1, T2):
    """``table_increment`` over 1-D arrays ``T1``, ``T2`` of equal length; returns dF, shape (m,)."""
    m = T1.shape[0]
    out = np.empty(m)
    for j in range(m):
        out[j] = table_increment(log_t0, inv_dlog, T_nodes, F, f, T1[j], T2[j])[0]
    return out
