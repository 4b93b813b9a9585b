"""Continuous counterflow heat exchanger of a dilution refrigerator, Kapitza-limited, in closed form.

Between the cold plate (warm end, where the concentrated ³He enters at T_w) and the
mixing chamber (cold end) the concentrated stream (enthalpy 11 T_c² J/mol, Pobell
eq. 7.30) gives heat to the dilute stream (95 T_d²) across a wall whose two
liquid–solid boundaries follow the acoustic-mismatch Kapitza law R_K = c/(A T³)
(Pobell, *Matter and Methods at Low Temperatures*, ch. 4.3). Per unit fraction s of
the exchanger the heat crossing is (κ/4)(T_c⁴ − T_d⁴), κ = A/c in W/K⁴ the designer's
statement of the exchanger (both boundaries in series included; no published value
for a particular exchanger is in the reference pack). Assumptions: no axial
conduction, no viscous heating, no heat from outside (Pobell's idealised exchanger).

Steady state fixes the net enthalpy flow through every cross-section: with u = T_c²,
v = T_d², 95 v − 11 u = q = Q̇_mc/ṅ, so 11 ṅ du/ds = −(κ/4)(u² − v²) integrates in
closed form (partial fractions, u² − v² = (84u − q)(106u + q)/95²):

    κ/(4ṅ) = ∫_a^b 11 du / (u² − v²) = (11·95²/(190 q)) [ln((84u − q)/(106u + q))]_a^b

with a = T_ex² at the cold end and b = T_w². Given q (a load curve) this gives a in
closed form; given T_mc (a network solve, q = 95 T_mc² − 11 a) a is the root of a
monotone function on (T_mc², T_w²]. κ → ∞ gives T_ex → T_mc and Q̇ = 84 ṅ T_mc²
(Pobell's ideal exchanger); κ → 0 gives T_ex = T_w (no exchanger).
"""

from __future__ import annotations

import numpy as np

from solver.errors import DesignError

DILUTE, CONCENTRATED = 95.0, 11.0  # J/(mol K²), Pobell eq. 7.30 (as in solver.thermal.dilution)
_C = CONCENTRATED * DILUTE**2 / (DILUTE + DILUTE)  # 11·95²/190: prefactor of the closed form
_SMALL = 1e-4  # |x| below which log1p(x)/x is taken from its series (error x⁵/6 < 2e-21)


def _log1p_over_x(x):
    """log1p(x)/x, 1 at x = 0; works on complex arguments (complex-step derivatives)."""
    if abs(x) < _SMALL:
        return 1 - x / 2 + x * x / 3 - x**3 / 4 + x**4 / 5
    return np.log1p(x) / x


def exchanger_integral(a, b, q):
    """∫_a^b 11 du/(u² − v²), v = (11u + q)/95: κ/(4ṅ) of an exchanger from T_c² = a to b (K²).

    Needs 84u − q > 0 on [a, b] (the concentrated stream warmer than the dilute one; true
    whenever a > T_mc² with q = 95 T_mc² − 11 a). Written with ``log1p(x)/x`` so that q → 0 has no cancellation, and with
    operations that accept a complex ``q`` (its derivative by complex step).
    """
    g = (
        -_log1p_over_x(-q / (84 * b)) / (84 * b)
        - _log1p_over_x(q / (106 * b)) / (106 * b)
        + _log1p_over_x(-q / (84 * a)) / (84 * a)
        + _log1p_over_x(q / (106 * a)) / (106 * a)
    )
    return _C * g


def check_kapitza(kapitza_W_K4: float, what: str = "exchanger_kapitza_W_K4") -> float:
    """Refuse a non-positive or non-finite exchanger conductance coefficient κ (W/K⁴)."""
    if not (np.isfinite(kapitza_W_K4) and kapitza_W_K4 > 0):
        raise DesignError(f"{what}: {kapitza_W_K4!r} must be a finite number > 0 W/K^4")
    return float(kapitza_W_K4)


def exit_squared_at_load(q, warm_K: float, flow_mol_s: float, kapitza_W_K4: float):
    """T_ex² (K²) for a mixing-chamber load per mole ``q`` = Q̇/ṅ (J/mol ≥ 0): the closed form.

    (84a − q)/(106a + q) = r with r = (84b − q)/(106b + q) · exp(−κq/(4ṅ·C)), so
    a = q(1 + r)/(84 − 106 r); at q = 0, 1/a = 1/b + κ·84·106/(4ṅ·11·95²).
    """
    q = np.asarray(q, dtype=float)
    b = warm_K**2
    target = kapitza_W_K4 / (4 * flow_mol_s)
    r = (84 * b - q) / (106 * b + q) * np.exp(-target * q / _C)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = q * (1 + r) / (84 - 106 * r)
    zero_load = 1.0 / (1.0 / b + target * 84 * 106 / (CONCENTRATED * DILUTE**2))
    # near q = 0 the closed form is 0/0: its limit (relative error ~ q/(84 b) below 1e-9)
    return np.where(np.abs(q) < 1e-9 * 84 * b, zero_load, a)


def exit_squared(
    T_mc: float, warm_K: float, flow_mol_s: float, kapitza_W_K4: float
) -> tuple[float, float, float]:
    """T_ex² (K²) at mixing-chamber temperature ``T_mc`` and its derivatives by T_mc² and T_w².

    Returns ``(a, da/dm, da/db)`` with m = T_mc², b = T_w². A warm end no warmer than the
    mixing chamber exchanges nothing (a = b).
    """
    from scipy.optimize import brentq  # only here: a design with a fridge validates without scipy

    m, b = T_mc * T_mc, warm_K * warm_K
    if b <= m:
        return b, 0.0, 1.0
    target = kapitza_W_K4 / (4 * flow_mol_s)

    def residual(a: float) -> float:
        return float(exchanger_integral(a, b, DILUTE * m - CONCENTRATED * a)) - target

    pinch = 1 + 1e-13  # at a = m the integral diverges (the streams pinch at the cold end)
    if residual(m * pinch) <= 0:  # an exchanger this large is ideal to round-off: T_ex = T_mc
        return m * pinch, pinch, 0.0
    a = brentq(residual, m * pinch, b, xtol=1e-15 * b, rtol=4 * np.finfo(float).eps)
    q = DILUTE * m - CONCENTRATED * a
    h = 1e-20 * max(abs(q), 84 * a)  # complex step: dI/dq exact to round-off
    dI_dq = float(np.imag(exchanger_integral(a, b, q + 1j * h))) / h
    dI_da = -CONCENTRATED * DILUTE**2 / ((84 * a - q) * (106 * a + q))  # the integrand at a
    dI_db = CONCENTRATED * DILUTE**2 / ((84 * b - q) * (106 * b + q))
    dF_da = dI_da - CONCENTRATED * dI_dq
    return a, -DILUTE * dI_dq / dF_da, -dI_db / dF_da
