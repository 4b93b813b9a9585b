"""numba kernel of the 1-D current lead: temperature profile, end heat flows, their derivatives.

The lead runs from end 0 (x = 0) to end N (x = L) on N uniform segments of length
d = L/N and cross-section A. The steady energy balance of each interior node i
(its control volume spans half of each neighbouring segment) is

    c_i − c_{i−1} + (J_{i−1} + J_i)/2 − ṁ (h(T_i) − h(T_{i−1})) = 0,

    c_s = (A/d) (F(T_{s+1}) − F(T_s))          conduction from node s+1 to node s,
                                               F = ∫k dT (exact for a segment with k(T)),
    J_s = (I² d / A) (ρ(T_s) + ρ(T_{s+1}))/2   Joule heat in segment s (trapezoid),
    ṁ (h(T_i) − h(T_{i−1}))                    heat taken by the gas flowing from end 0 to
                                               end N in perfect exchange (gas at the lead
                                               temperature), upwind: the gas arriving from
                                               node i−1 leaves node i at T_i.

This is the finite-volume form of d/dx(kA dT/dx) − ṁ dh/dx + I²ρ/A = 0 (Wilson,
*Superconducting Magnets*, Oxford 1983, §11.2): second order in d without gas, first
order with it (the upwind gas term stays monotone at any cell Péclet number; a
central difference oscillates once ṁ cp d/(kA) exceeds 2, as it does in a
vapour-cooled stainless neck). The end flows conserve energy exactly on the
discrete level:

    q_0 = c_0 + J_0/2                                  heat leaving the lead into end 0,
    q_N = c_{N−1} − J_{N−1}/2 + ṁ (h_N − h_{N−1})      heat entering the lead from end N,
    q_N + Σ J = q_0 + ṁ (h_N − h_0).

k, ρ and h come from tables on ``solver.materials.GRID`` in the Kirchhoff-table
format (``F``, ``f`` = dF/dT): (∫k, k) for conduction, (ρ, dρ/dT) for the
resistivity and (h, cp) for the gas, so each value and its slope are consistent.
"""

from __future__ import annotations

import numpy as np

from solver._numba import jit
from solver.kernels.property_table import table_increment, table_value

MAX_NEWTON = 100
RELATIVE_TOLERANCE = 1e-12


@jit
def _tridiagonal_solve(lower, diag, upper, rhs):
    """Thomas algorithm for a tridiagonal system; ``lower[0]`` and ``upper[-1]`` are unused."""
    n = diag.shape[0]
    c = np.empty(n)
    x = np.empty(n)
    beta = diag[0]
    x[0] = rhs[0] / beta
    for i in range(1, n):
        c[i] = upper[i - 1] / beta
        beta = diag[i] - lower[i] * c[i]
        x[i] = (rhs[i] - lower[i] * x[i - 1]) / beta
    for i in range(n - 2, -1, -1):
        x[i] -= c[i + 1] * x[i + 1]
    return x


@jit
def _node_terms(
    T, log_t0, inv_dlog, T_nodes, F_k, f_k, rho_F, rho_f, has_rho, h_F, h_f, has_gas, k_out
):
    """Per-node F, k, ρ, dρ/dT, h, cp at the current profile (filled into ``k_out`` rows)."""
    for i in range(T.shape[0]):
        F, k = table_value(log_t0, inv_dlog, T_nodes, F_k, f_k, T[i])
        k_out[0, i] = F
        k_out[1, i] = k
        if has_rho:
            rho, drho = table_value(log_t0, inv_dlog, T_nodes, rho_F, rho_f, T[i])
            k_out[2, i] = rho
            k_out[3, i] = drho
        else:
            k_out[2, i] = 0.0
            k_out[3, i] = 0.0
        if has_gas:
            h, cp = table_value(log_t0, inv_dlog, T_nodes, h_F, h_f, T[i])
            k_out[4, i] = h
            k_out[5, i] = cp
        else:
            k_out[4, i] = 0.0
            k_out[5, i] = 0.0


@jit
def _conduction(T, s, log_t0, inv_dlog, T_nodes, F_k, f_k, g):
    """c_s = g (F(T_{s+1}) − F(T_s)) without cancellation, with its two slopes."""
    dF, k_s, k_next = table_increment(log_t0, inv_dlog, T_nodes, F_k, f_k, T[s], T[s + 1])
    return g * dF, g * k_s, g * k_next


@jit
def solve_lead(T, conductance, joule, mdot, tables):
    """Solve the interior temperatures of a lead in place; return its end flows and slopes.

    Parameters
    ----------
    T : ndarray, shape (N+1,)
        Node temperatures in kelvin. ``T[0]`` and ``T[N]`` are the fixed end
        temperatures; the interior is the starting guess and is overwritten
        by the solution.
    conductance : float
        A/d in m (area over segment length); conduction c = conductance·ΔF.
    joule : float
        I²·d/A in A²/m, so that the Joule heat of a segment is joule·(ρ_s + ρ_{s+1})/2 W.
    mdot : float
        Gas mass flow from end 0 to end N in kg/s (0 without vapour cooling).
    tables : tuple
        The lead's fixed data, ``(log_t0, inv_dlog, T_nodes, F_k, f_k, rho_F, rho_f,
        has_rho, h_F, h_f, has_gas, T_max)``: the grid parameters
        (``solver.materials.GRID``), the conductivity table (∫k W/m, k W/(m K)), the
        resistivity table (ρ Ω·m, dρ/dT Ω·m/K; unused unless ``has_rho``), the gas table
        (h J/kg, cp J/(kg K); unused unless ``has_gas``) and the highest temperature the
        material data support, K (above it the solve stops).

    Returns
    -------
    out : ndarray, shape (9,)
        q_0 (W into end 0), q_N (W out of end N into the lead), dq_0/dT_0, dq_0/dT_N,
        dq_N/dT_0, dq_N/dT_N (W/K), dq_0/dṁ, dq_N/dṁ (J/kg), and a status:
        0 converged, 1 the profile rises above ``T_max`` (burn-out: converged there, or
        no convergence after an iterate went above it), 2 no convergence.
    """
    log_t0, inv_dlog, T_nodes, F_k, f_k, rho_F, rho_f, has_rho, h_F, h_f, has_gas, T_max = tables
    N = T.shape[0] - 1
    m = N - 1
    props = np.empty((6, N + 1))
    lower = np.zeros(m)
    diag = np.zeros(m)
    upper = np.zeros(m)
    R = np.zeros(m)
    c_seg = np.zeros(N)
    dc_lo = np.zeros(N)
    dc_hi = np.zeros(N)
    out = np.zeros(9)
    status = 2
    ever_over = False  # an iterate above T_max: without convergence, a runaway (burn-out)
    for _ in range(MAX_NEWTON):
        _node_terms(
            T, log_t0, inv_dlog, T_nodes, F_k, f_k, rho_F, rho_f, has_rho, h_F, h_f, has_gas, props
        )
        for seg in range(N):  # each segment's conduction and its two slopes, once
            c_seg[seg], dc_lo[seg], dc_hi[seg] = _conduction(
                T, seg, log_t0, inv_dlog, T_nodes, F_k, f_k, conductance
            )
        scale = 0.0
        for i in range(1, N):
            r = i - 1
            c_right, dcr_i, dcr_next = c_seg[i], dc_lo[i], dc_hi[i]
            c_left, dcl_prev, dcl_i = c_seg[i - 1], dc_lo[i - 1], dc_hi[i - 1]
            half_joule = 0.5 * joule * (0.5 * props[2, i - 1] + props[2, i] + 0.5 * props[2, i + 1])
            gas = mdot * (props[4, i] - props[4, i - 1])
            R[r] = c_right - c_left + half_joule - gas
            scale = max(scale, abs(c_right) + abs(c_left) + abs(half_joule) + abs(gas))
            diag[r] = -dcr_i - dcl_i + 0.5 * joule * props[3, i] - mdot * props[5, i]
            if i > 1:
                lower[r] = dcl_prev + 0.25 * joule * props[3, i - 1] + mdot * props[5, i - 1]
            if i < N - 1:
                upper[r] = dcr_next + 0.25 * joule * props[3, i + 1]
        worst = 0.0
        for r in range(m):
            worst = max(worst, abs(R[r]))
        if worst <= RELATIVE_TOLERANCE * scale:
            status = 0
            break
        dT = _tridiagonal_solve(lower, diag, upper, -R)
        for i in range(1, N):
            t_old = T[i]
            T[i] = min(max(t_old + dT[i - 1], 0.5 * t_old), 2.0 * t_old, 2.0 * T_max)
            ever_over = ever_over or T[i] > T_max
    hottest = 0.0
    for i in range(N + 1):
        hottest = max(hottest, T[i])
    if hottest > T_max or (status == 2 and ever_over):
        out[8] = 1.0
        return out
    if status == 2:
        out[8] = 2.0
        return out
    _node_terms(
        T, log_t0, inv_dlog, T_nodes, F_k, f_k, rho_F, rho_f, has_rho, h_F, h_f, has_gas, props
    )
    # end flows
    c0, dc0_0, dc0_1 = _conduction(T, 0, log_t0, inv_dlog, T_nodes, F_k, f_k, conductance)
    cN, dcN_a, dcN_b = _conduction(T, N - 1, log_t0, inv_dlog, T_nodes, F_k, f_k, conductance)
    q0 = c0 + 0.25 * joule * (props[2, 0] + props[2, 1])
    qN = (
        cN - 0.25 * joule * (props[2, N - 1] + props[2, N]) + mdot * (props[4, N] - props[4, N - 1])
    )
    # partial derivatives of q0 (depends on T0, T1) and qN (on T_{N-1}, T_N)
    dq0_T0 = -dc0_0 + 0.25 * joule * props[3, 0]
    dq0_T1 = dc0_1 + 0.25 * joule * props[3, 1]
    dqN_Tm = -dcN_a - 0.25 * joule * props[3, N - 1] - mdot * props[5, N - 1]
    dqN_TN = dcN_b - 0.25 * joule * props[3, N] + mdot * props[5, N]
    # implicit sensitivities of the interior: J dT/dθ = −∂R/∂θ for θ = T0, T_N, ṁ
    # ∂R_1/∂T0 (first interior row) and ∂R_{N−1}/∂T_N (last), ∂R_i/∂ṁ = −(h_{i+1} − h_{i−1})/2
    g_first = conductance * props[1, 0] + 0.25 * joule * props[3, 0] + mdot * props[5, 0]
    g_last = conductance * props[1, N] + 0.25 * joule * props[3, N]
    rhs = np.zeros(m)
    rhs[0] = -g_first
    y0 = _tridiagonal_solve(lower, diag, upper, rhs)
    rhs[:] = 0.0
    rhs[m - 1] = -g_last
    yN = _tridiagonal_solve(lower, diag, upper, rhs)
    for i in range(1, N):
        rhs[i - 1] = props[4, i] - props[4, i - 1]
    ym = _tridiagonal_solve(lower, diag, upper, rhs)
    out[0] = q0
    out[1] = qN
    out[2] = dq0_T0 + dq0_T1 * y0[0]
    out[3] = dq0_T1 * yN[0]
    out[4] = dqN_Tm * y0[m - 1]
    out[5] = dqN_TN + dqN_Tm * yN[m - 1]
    out[6] = dq0_T1 * ym[0]
    out[7] = (props[4, N] - props[4, N - 1]) + dqN_Tm * ym[m - 1]
    out[8] = float(status)
    return out


@jit
def solve_lead_richardson(T, conductance, joule, mdot, tables):
    """:func:`solve_lead` on ``T``'s mesh and on every other node, Richardson-combined.

    ``T`` (an even number of segments) is solved in place; the half mesh starts from
    its every other node. The end flows and slopes are (4·fine − coarse)/3 without gas
    (the scheme is second order) and 2·fine − coarse with it (first order). Arguments
    and the returned array are those of :func:`solve_lead`; a status other than 0 from
    either mesh is returned as is.
    """
    fine = solve_lead(T, conductance, joule, mdot, tables)
    if fine[8] != 0.0:
        return fine
    half = T[::2].copy()
    coarse = solve_lead(half, 0.5 * conductance, 2.0 * joule, mdot, tables)
    if coarse[8] != 0.0:
        return coarse
    out = np.zeros(9)
    for j in range(8):
        if mdot == 0.0:
            out[j] = (4.0 * fine[j] - coarse[j]) / 3.0
        else:
            out[j] = 2.0 * fine[j] - coarse[j]
    return out
