"""numba kernel of the optimal vapour-cooled lead at a given gas flow (perfect exchange).

Per unit current, with σ = distance from the warm end times I/A, q̃ the heat flowing
toward the cold end per ampere and m̃ = ṁ/I (M. N. Wilson, *Superconducting Magnets*,
Oxford 1983, §11.2),

    dT/dσ = −q̃/k(T),        dq̃/dσ = ρ(T) − m̃ cp(T) q̃/k(T).

The optimal lead draws no heat from its warm end (q̃ = 0 at T_h). With w = q̃²/2 and
the substitution T = T_h − v² (regular at the warm end, where q̃ ~ sqrt(T_h − T)):

    dw/dv = 2v (kρ − m̃ cp sqrt(2w)),      dσ/dv = 2v k / sqrt(2w)  (→ sqrt(2k/ρ) at v = 0),

integrated by classical Runge–Kutta on a fixed grid in v from 0 to sqrt(T_h − T_c):
the cold-end heat per ampere is sqrt(2w) there and σ the optimum I·L/A. The fixed
grid makes both smooth functions of m̃ and the ends (the network's outer loop on the
vented gas needs that).
"""

from __future__ import annotations

import math

import numpy as np

from solver._numba import jit
from solver.kernels.property_table import table_value

STEPS = 4000
"""Runge–Kutta steps in v = sqrt(T_h − T) (0.15 K steps at 4 K for a 300 K warm end)."""


@jit
def _slopes(v, w, T_warm, m_per_A, tables):
    """(dw/dv, dσ/dv) at v, w."""
    log_t0, inv_dlog, T_nodes, F_k, f_k, rho_F, rho_f, h_F, h_f = tables
    T = T_warm - v * v
    k = table_value(log_t0, inv_dlog, T_nodes, F_k, f_k, T)[1]
    rho = table_value(log_t0, inv_dlog, T_nodes, rho_F, rho_f, T)[0]
    cp = table_value(log_t0, inv_dlog, T_nodes, h_F, h_f, T)[1]
    q = math.sqrt(2.0 * max(w, 0.0))
    dw = 2.0 * v * (k * rho - m_per_A * cp * q)
    if v == 0.0 or q == 0.0:
        return dw, math.sqrt(2.0 * k / rho)
    return dw, 2.0 * v * k / q


@jit
def optimal_vapour_lead(T_cold, T_warm, m_per_A, tables):
    """The optimal vapour-cooled lead between ``T_cold`` and ``T_warm`` (K) at gas flow per ampere.

    Parameters
    ----------
    T_cold, T_warm : float — end temperatures, K (T_warm > T_cold).
    m_per_A : float — vented gas per ampere, kg/(s·A) (≥ 0).
    tables : tuple — ``(log_t0, inv_dlog, T_nodes, F_k, f_k, rho_F, rho_f, h_F, h_f)``:
        the ``solver.materials.GRID`` parameters, conductivity (∫k W/m, k W/(m·K)),
        resistivity (ρ Ω·m, dρ/dT) and gas enthalpy (h J/kg, cp J/(kg·K)) tables.

    Returns
    -------
    out : ndarray, shape (2,) — heat into the cold end per ampere (W/A), optimum I·L/A (A/m).
    """
    V = math.sqrt(T_warm - T_cold)
    dv = V / STEPS
    w = 0.0
    sigma = 0.0
    for i in range(STEPS):
        v = i * dv
        a_w, a_s = _slopes(v, w, T_warm, m_per_A, tables)
        b_w, b_s = _slopes(v + 0.5 * dv, w + 0.5 * dv * a_w, T_warm, m_per_A, tables)
        c_w, c_s = _slopes(v + 0.5 * dv, w + 0.5 * dv * b_w, T_warm, m_per_A, tables)
        d_w, d_s = _slopes(v + dv, w + dv * c_w, T_warm, m_per_A, tables)
        w += dv * (a_w + 2.0 * b_w + 2.0 * c_w + d_w) / 6.0
        sigma += dv * (a_s + 2.0 * b_s + 2.0 * c_s + d_s) / 6.0
    out = np.empty(2)
    out[0] = math.sqrt(2.0 * max(w, 0.0))
    out[1] = sigma
    return out
