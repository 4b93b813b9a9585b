"""numba kernel of a vapour-cooled current lead with a finite lead-to-gas heat transfer.

The lead (temperature T) and the gas flowing through it from end 0 to end N
(temperature G) exchange heat h·P (T − G) per unit length, h·P in W/(m·K)
(Wilson, *Superconducting Magnets*, Oxford 1983, §11.3: the lead equation with the
gas as a second temperature):

    d/dx(k A dT/dx) + I² ρ(T)/A − h P (T − G) = 0,
    ṁ dh_g(G)/dx = h P (T − G),                    G(0) = T(0).

Finite volumes on N uniform segments of length d, as in :mod:`solver.kernels.lead`
(conduction c_s = (A/d)(F(T_{s+1}) − F(T_s)), trapezoidal Joule heat), with the gas
upwind: node i (control volume d, d/2 at end N) gives E_i = H_i (T_i − G_i) to the
gas, H_i = h P d (h P d / 2 at end N), and

    lead, interior i:  c_i − c_{i−1} + (J_{i−1} + J_i)/2 − E_i = 0,
    gas, i = 1..N:     ṁ (h_g(G_i) − h_g(G_{i−1})) − E_i = 0,      G_0 = T_0.

End flows: q_0 = c_0 + J_0/2 into end 0, q_N = c_{N−1} − J_{N−1}/2 + E_N out of end
N, so q_N + Σ J = q_0 + ṁ (h_g(G_N) − h_g(G_0)) exactly. As h P → ∞ the gas follows
the lead and the scheme becomes the perfect-exchange one of :mod:`solver.kernels.lead`.

The unknowns are ordered in 2-blocks (T_i, G_i), i = 1..N, with T_N a fixed end
(an identity row), so each Newton step is one block-tridiagonal solve.
"""

from __future__ import annotations

import numpy as np

from solver._numba import jit
from solver.kernels.lead import MAX_NEWTON, RELATIVE_TOLERANCE, _conduction, _node_terms
from solver.kernels.property_table import table_value


@jit
def _factor(A, B, C):
    """Block-Thomas factors of the block-tridiagonal matrix (A lower, B diagonal, C upper).

    Returns the inverses of the eliminated diagonal blocks and the multipliers; ``A[0]``
    and ``C[-1]`` are unused.
    """
    n = B.shape[0]
    Binv = np.empty((n, 2, 2))
    M = np.zeros((n, 2, 2))
    D = B[0].copy()
    for b in range(n):
        if b > 0:
            M[b] = A[b] @ Binv[b - 1]
            D = B[b] - M[b] @ C[b - 1]
        det = D[0, 0] * D[1, 1] - D[0, 1] * D[1, 0]
        Binv[b, 0, 0] = D[1, 1] / det
        Binv[b, 0, 1] = -D[0, 1] / det
        Binv[b, 1, 0] = -D[1, 0] / det
        Binv[b, 1, 1] = D[0, 0] / det
    return Binv, M


@jit
def _solve_factored(Binv, M, C, rhs):
    """Solve with the factors of :func:`_factor`; ``rhs`` has shape (n, 2)."""
    n = rhs.shape[0]
    d = rhs.copy()
    for b in range(1, n):
        d[b] -= M[b] @ d[b - 1]
    x = np.empty((n, 2))
    x[n - 1] = Binv[n - 1] @ d[n - 1]
    for b in range(n - 2, -1, -1):
        x[b] = Binv[b] @ (d[b] - C[b] @ x[b + 1])
    return x


@jit
def solve_lead_exchange(T, G, conductance, joule, exchange, mdot, tables):
    """Solve lead and gas temperatures in place; return the end flows and their slopes.

    Parameters
    ----------
    T : ndarray, shape (N+1,)
        Lead temperatures, K; ``T[0]`` and ``T[N]`` are the fixed ends, the interior
        the starting guess (overwritten by the solution).
    G : ndarray, shape (N+1,)
        Gas temperatures, K: starting guess, overwritten (``G[0]`` is set to ``T[0]``).
    conductance : float — A/d, m.
    joule : float — I²·d/A, A²/m.
    exchange : float — h·P·d, W/K: lead-to-gas conductance of one segment (> 0).
    mdot : float — gas flow from end 0 to end N, kg/s (≥ 0).
    tables : tuple — as :func:`solver.kernels.lead.solve_lead` (its gas table is used
        whatever its ``has_gas`` flag).

    Returns
    -------
    out : ndarray, shape (9,)
        As :func:`solver.kernels.lead.solve_lead`: q_0, q_N (W), dq_0/dT_0, dq_0/dT_N,
        dq_N/dT_0, dq_N/dT_N (W/K), dq_0/dṁ, dq_N/dṁ (J/kg), status (0 converged,
        1 burn-out, 2 no convergence).
    """
    T_max = tables[11]
    N = T.shape[0] - 1
    G[0] = T[0]
    props = np.empty((6, N + 1))  # ∫k, k, ρ, dρ/dT of the lead (rows 4-5 unused)
    gas = np.empty((2, N + 1))  # h_g(G), cp_g(G)
    c_seg = np.zeros(N)
    dc_lo = np.zeros(N)
    dc_hi = np.zeros(N)
    A = np.zeros((N, 2, 2))
    B = np.zeros((N, 2, 2))
    C = np.zeros((N, 2, 2))
    R = np.zeros((N, 2))
    out = np.zeros(9)
    status = 2
    ever_over = False
    for _ in range(MAX_NEWTON):
        scale = _assemble(
            T, G, conductance, joule, exchange, mdot, tables, props, gas, c_seg, dc_lo, dc_hi,
            A, B, C, R,
        )  # fmt: skip
        worst = 0.0
        for b in range(N):
            worst = max(worst, abs(R[b, 0]), abs(R[b, 1]))
        if worst <= RELATIVE_TOLERANCE * scale:
            status = 0
            break
        Binv, M = _factor(A, B, C)
        dz = _solve_factored(Binv, M, C, -R)
        for b in range(N):
            i = b + 1
            if i < N:
                t_old = T[i]
                T[i] = min(max(t_old + dz[b, 0], 0.5 * t_old), 2.0 * t_old, 2.0 * T_max)
                ever_over = ever_over or T[i] > T_max
            g_old = G[i]
            G[i] = min(max(g_old + dz[b, 1], 0.5 * g_old), 2.0 * g_old, 2.0 * T_max)
    hottest = 0.0
    for i in range(N + 1):
        hottest = max(hottest, T[i])
    if hottest > T_max or (status == 2 and ever_over):
        out[8] = 1.0
        return out
    if status == 2:
        out[8] = 2.0
        return out
    _assemble(
        T, G, conductance, joule, exchange, mdot, tables, props, gas, c_seg, dc_lo, dc_hi,
        A, B, C, R,
    )  # fmt: skip
    Binv, M = _factor(A, B, C)
    half = 0.5 * exchange
    q0 = c_seg[0] + 0.25 * joule * (props[2, 0] + props[2, 1])
    qN = c_seg[N - 1] - 0.25 * joule * (props[2, N - 1] + props[2, N]) + half * (T[N] - G[N])
    dq0_T0 = -dc_lo[0] + 0.25 * joule * props[3, 0]
    dq0_T1 = dc_hi[0] + 0.25 * joule * props[3, 1]
    dqN_Tm = -dc_lo[N - 1] - 0.25 * joule * props[3, N - 1]
    dqN_TN = dc_hi[N - 1] - 0.25 * joule * props[3, N] + half
    dqN_GN = -half
    # sensitivities of the unknowns: J dz/dθ = −∂R/∂θ for θ = T_0, T_N, ṁ
    rhs = np.zeros((N, 2))
    rhs[0, 0] = -(dc_lo[0] + 0.25 * joule * props[3, 0])  # lead row 1 through c_0 and J_0
    rhs[0, 1] = mdot * gas[1, 0]  # gas row 1 through G_0 = T_0
    y0 = _solve_factored(Binv, M, C, rhs)
    rhs[:] = 0.0
    rhs[N - 1, 0] = 1.0  # the identity row of the fixed end T_N
    yN = _solve_factored(Binv, M, C, rhs)
    rhs[:] = 0.0
    for b in range(N):
        rhs[b, 1] = -(gas[0, b + 1] - gas[0, b])
    ym = _solve_factored(Binv, M, C, rhs)
    m = N - 2  # block of T_{N−1}
    out[0] = q0
    out[1] = qN
    out[2] = dq0_T0 + dq0_T1 * y0[0, 0]
    out[3] = dq0_T1 * yN[0, 0]
    out[4] = dqN_Tm * y0[m, 0] + dqN_GN * y0[N - 1, 1]
    out[5] = dqN_Tm * yN[m, 0] + dqN_TN + dqN_GN * yN[N - 1, 1]
    out[6] = dq0_T1 * ym[0, 0]
    out[7] = dqN_Tm * ym[m, 0] + dqN_GN * ym[N - 1, 1]
    out[8] = 0.0
    return out


@jit
def _assemble(
    T, G, conductance, joule, exchange, mdot, tables, props, gas, c_seg, dc_lo, dc_hi, A, B, C, R
):
    """Residuals R (lead, gas per block) and the block Jacobian (A, B, C) at (T, G).

    Returns the residual scale: the largest sum of magnitudes of one row's terms.
    """
    log_t0, inv_dlog, T_nodes, F_k, f_k, rho_F, rho_f, has_rho, h_F, h_f, _, _ = tables
    N = T.shape[0] - 1
    G[0] = T[0]
    _node_terms(
        T, log_t0, inv_dlog, T_nodes, F_k, f_k, rho_F, rho_f, has_rho, h_F, h_f, False, props
    )
    for i in range(N + 1):
        gas[0, i], gas[1, i] = table_value(log_t0, inv_dlog, T_nodes, h_F, h_f, G[i])
    for seg in range(N):
        c_seg[seg], dc_lo[seg], dc_hi[seg] = _conduction(
            T, seg, log_t0, inv_dlog, T_nodes, F_k, f_k, conductance
        )
    A[:] = 0.0
    B[:] = 0.0
    C[:] = 0.0
    scale = 0.0
    for b in range(N):
        i = b + 1
        H = exchange if i < N else 0.5 * exchange
        E = H * (T[i] - G[i])
        # gas row
        taken = mdot * (gas[0, i] - gas[0, i - 1])
        R[b, 1] = taken - E
        # E is a difference of H·T and H·G: its rounding scales with H·T, not with E
        exchange_scale = H * max(T[i], G[i])
        scale = max(scale, abs(taken) + exchange_scale)
        B[b, 1, 0] = -H
        B[b, 1, 1] = mdot * gas[1, i] + H
        if b > 0:
            A[b, 1, 1] = -mdot * gas[1, i - 1]
        if i == N:  # the fixed warm end: identity row
            R[b, 0] = 0.0
            B[b, 0, 0] = 1.0
            continue
        half_joule = 0.5 * joule * (0.5 * props[2, i - 1] + props[2, i] + 0.5 * props[2, i + 1])
        R[b, 0] = c_seg[i] - c_seg[i - 1] + half_joule - E
        scale = max(scale, abs(c_seg[i]) + abs(c_seg[i - 1]) + abs(half_joule) + exchange_scale)
        B[b, 0, 0] = -dc_lo[i] - dc_hi[i - 1] + 0.5 * joule * props[3, i] - H
        B[b, 0, 1] = H
        if b > 0:
            A[b, 0, 0] = dc_lo[i - 1] + 0.25 * joule * props[3, i - 1]
        C[b, 0, 0] = dc_hi[i] + 0.25 * joule * props[3, i + 1]
    return scale


@jit
def solve_lead_exchange_richardson(T, G, conductance, joule, exchange, mdot, tables):
    """:func:`solve_lead_exchange` on the mesh and its half, combined as 2·fine − coarse.

    The upwind gas term makes the scheme first order, so the combination removes the
    leading error; the half mesh starts from every other node of the fine solution.
    """
    fine = solve_lead_exchange(T, G, conductance, joule, exchange, mdot, tables)
    if fine[8] != 0.0:
        return fine
    T_half = T[::2].copy()
    G_half = G[::2].copy()
    coarse = solve_lead_exchange(
        T_half, G_half, 0.5 * conductance, 2.0 * joule, 2.0 * exchange, mdot, tables
    )
    if coarse[8] != 0.0:
        return coarse
    out = np.zeros(9)
    for j in range(8):
        out[j] = 2.0 * fine[j] - coarse[j]
    return out
