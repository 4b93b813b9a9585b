"""Electrical resistivity ρ(T, RRR, B) of copper (NIST Monograph 177) and its table for the lead solver.

Numbers copied from /work/shared/reference/extra/cu_resistivity_and_sc_heat_capacity.json:
NIST Monograph 177 (Simon, Drexler, Reed 1992) eq. 8-1, with exp(−(P5/T)^P6)
*inside* the denominator (a circulating copy puts it outside and is ≈50 % low at
50 K), and the magnetoresistance eq. 8-7 (Kohler form) applied for B > 0.01 T.
The fit covers about 4–300 K and RRR about 10–2000: other RRR are refused, and
temperatures above 300 K are reported by :func:`copper_resistivity_notes`.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from solver.errors import DesignError
from solver.materials._grid import GRID, PropertyTable

# NIST Monograph 177 eq. 8-1 (copper, RRR = ρ(273 K)/ρ(4 K)); ohm·m, K
_CU_C0 = 1.553e-8
_CU_P = (1.171e-17, 4.49, 3.841e10, 1.14, 50.0, 6.428, 0.4531)
# NIST Monograph 177 eq. 8-7 (magnetoresistance), a0..a4
_CU_MR = (-2.662, 0.3168, 0.6229, -0.1839, 0.01827)
_CU_MR_MIN_FIELD_T = 0.01  # eq. 8-7 is applied for B > 0.01 T (NIST Mono 177)
COPPER_RRR_RANGE = (10.0, 2000.0)  # RRR span of the eq. 8-1 fit (NIST Mono 177, as in the pack)
COPPER_FIT_TOP_K = 300.0  # top of the eq. 8-1 fit (NIST Mono 177, as in the pack)

LORENZ_NUMBER = 2.44e-8
"""Sommerfeld value π²k_B²/(3e²) = 2.44e-8 W·Ω/K² (extra pack, lorenz_number)."""


def _check_rrr(rrr: float) -> None:
    lo, hi = COPPER_RRR_RANGE
    if not (math.isfinite(rrr) and lo <= rrr <= hi):
        raise DesignError(
            f"copper resistivity: RRR {rrr!r} is outside the NIST Monograph 177 fit's range "
            f"{lo:g}-{hi:g}"
        )


def copper_resistivity(T_K, rrr: float, B_T=0.0):
    """Copper resistivity ρ(T, RRR, B) in ohm·m (NIST Monograph 177 eqs. 8-1 and 8-7).

    Parameters
    ----------
    T_K : float or ndarray
        Temperature in kelvin (> 0; the fit covers about 4–300 K, see
        :func:`copper_resistivity_notes` above it).
    rrr : float
        Residual resistivity ratio ρ(273 K)/ρ(4 K), 10–2000 (else DesignError).
    B_T : float or ndarray
        Flux density magnitude in tesla (magnetoresistance applied above 0.01 T).

    Raises
    ------
    DesignError
        Non-finite or non-positive temperature, non-finite field, RRR outside its range.
    """
    _check_rrr(rrr)
    T = np.asarray(T_K, dtype=float)
    if not np.all(np.isfinite(T)) or np.any(T <= 0):
        raise DesignError(f"copper resistivity needs finite T > 0 K, got {T_K!r}")
    B = np.abs(np.asarray(B_T, dtype=float))
    if not np.all(np.isfinite(B)):
        raise DesignError(f"copper resistivity needs a finite field, got {B_T!r}")
    p1, p2, p3, p4, p5, p6, p7 = _CU_P
    rho0 = _CU_C0 / rrr
    rho_i = p1 * T**p2 / (1.0 + p1 * p3 * T ** (p2 - p4) * np.exp(-((p5 / T) ** p6)))
    rho_i0 = p7 * rho_i * rho0 / (rho_i + rho0)
    rho = rho0 + rho_i + rho_i0
    x = np.log10(_CU_C0 * np.maximum(B, _CU_MR_MIN_FIELD_T) / rho)
    a0, a1, a2, a3, a4 = _CU_MR
    mr = 10 ** (a0 + a1 * x + a2 * x**2 + a3 * x**3 + a4 * x**4)
    out = np.where(B > _CU_MR_MIN_FIELD_T, rho * (1.0 + mr), rho)
    return float(out) if out.ndim == 0 else out


def copper_resistivity_notes(T_max_K: float, where: str = "copper") -> list[str]:
    """Flag a copper resistivity used above the fit's 300 K top (empty list inside it)."""
    if T_max_K > COPPER_FIT_TOP_K:
        note = (
            f"{where}: copper resistivity extrapolated above the NIST Monograph 177 fit's "
            f"{COPPER_FIT_TOP_K:g} K (at {T_max_K:.4g} K)"
        )
        return [note]
    return []


@functools.cache
def copper_resistivity_table(rrr: float, B_T: float = 0.0) -> PropertyTable:
    """ρ and dρ/dT on ``GRID.T`` in the Kirchhoff-table format (F = ρ Ω·m, f = dρ/dT Ω·m/K).

    The slope is the central difference of eq. 8-1 with a relative step of 1e-6
    (truncation error ~1e-12 relative for the smooth fit).
    """
    T = GRID.T
    step = 1e-6 * T
    rho = copper_resistivity(T, rrr, B_T)
    slope = (copper_resistivity(T + step, rrr, B_T) - copper_resistivity(T - step, rrr, B_T)) / (
        2.0 * step
    )
    rho.setflags(write=False)
    slope.setflags(write=False)
    return PropertyTable(rho, slope)
