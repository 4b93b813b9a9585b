"""numba kernels of the thermal network: link heat flows and Newton assembly.

Two kinds of link terms cover every link type:
- table terms: q = factor · (F_m(T_i) − F_m(T_j)), F_m the conductivity integral of
  material m from its Kirchhoff table (conductors, straps, supports, wiring layers);
- power terms: q = c · (T_i^p − T_j^p) (radiation p = 4, MLI terms, gas p = 1, contacts).
q > 0 flows from node i to node j.
"""

from __future__ import annotations

import math

from solver._numba import jit
from solver.kernels.property_table import table_increment


@jit
def term_flows(
    T,
    log_t0,
    inv_dlog,
    T_nodes,
    F_tab,
    f_tab,
    tab_i,
    tab_j,
    tab_mat,
    tab_factor,
    pow_i,
    pow_j,
    pow_coef,
    pow_exp,
    q,
    dq_di,
    dq_dj,
):
    """Heat flow of every term and its derivatives with respect to both end temperatures.

    Fills ``q`` (W), ``dq_di`` and ``dq_dj`` (W/K), table terms first, then power terms.
    """
    n_tab = tab_i.shape[0]
    for t in range(n_tab):
        m = tab_mat[t]
        dF, f_j, f_i = table_increment(
            log_t0, inv_dlog, T_nodes, F_tab[m], f_tab[m], T[tab_j[t]], T[tab_i[t]]
        )
        c = tab_factor[t]
        q[t] = c * dF
        dq_di[t] = c * f_i
        dq_dj[t] = -c * f_j
    for s in range(pow_i.shape[0]):
        t = n_tab + s
        p = pow_exp[s]
        c = pow_coef[s]
        ti = T[pow_i[s]]
        tj = T[pow_j[s]]
        # ti^p − tj^p = tj^p·expm1(p·log1p((ti − tj)/tj)): no cancellation when ti ≈ tj
        q[t] = c * tj**p * math.expm1(p * math.log1p((ti - tj) / tj))
        dq_di[t] = c * p * ti ** (p - 1.0)
        dq_dj[t] = -c * p * tj ** (p - 1.0)


@jit
def assemble(term_i, term_j, free_index, pos, q, dq_di, dq_dj, R, S, data):
    """Add term flows to the free-node balance ``R`` (W into node), ``S`` (Σ|Q|) and Jacobian data.

    ``pos[t]`` holds the CSR data positions of (i,i), (i,j), (j,j), (j,i) for term t
    (−1 where a row or column belongs to a fixed node). ``R`` gets −q at i, +q at j;
    the Jacobian is dR/dT.
    """
    for t in range(term_i.shape[0]):
        fi = free_index[term_i[t]]
        fj = free_index[term_j[t]]
        qt = q[t]
        aq = abs(qt)
        if fi >= 0:
            R[fi] -= qt
            S[fi] += aq
            data[pos[t, 0]] -= dq_di[t]
            if fj >= 0:
                data[pos[t, 1]] -= dq_dj[t]
        if fj >= 0:
            R[fj] += qt
            S[fj] += aq
            data[pos[t, 2]] += dq_dj[t]
            if fi >= 0:
                data[pos[t, 3]] += dq_di[t]


@jit
def node_enthalpy_change(T_old, T, log_t0, inv_dlog, T_nodes, F_tab, f_tab, node_mat, dH, cp):
    """H(T) − H(T_old) (J/kg, cancellation-safe) and cp(T) (J/(kg K)) of every node's material."""
    for n in range(T.shape[0]):
        m = node_mat[n]
        if m < 0:
            dH[n] = 0.0
            cp[n] = 0.0
        else:
            dH[n], _, cp[n] = table_increment(
                log_t0, inv_dlog, T_nodes, F_tab[m], f_tab[m], T_old[n], T[n]
            )
