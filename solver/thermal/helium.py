"""Helium-3 and helium-4 properties a dilution refrigerator needs, each with its source and range.

All functions take temperatures in kelvin and return SI (Pa, J/mol). Outside the
range where a correlation holds they raise :class:`~solver.errors.DesignError`
naming the quantity and the range (``what`` names the design field asking).

Sources (copied in ``shared/reference/extra2/helium3_dilution.json``):

- He-3 saturated vapour pressure: the T62 working equation, Sherman, Sydoriak &
  Roberts, J. Res. NBS 68A, 579 (1964), valid 0.2 K to the critical point 3.324 K.
- He-3 latent heat: Clausius–Clapeyron on the T62 equation with an ideal vapour
  and the liquid volume neglected, L₃ = R T² d(ln P)/dT. Used up to 1.0 K, where
  the vapour pressure is 1.2 kPa; at 2.1 K this form gives 62.6 J/mol against the
  measured maximum 47.7 J/mol (Abraham, Osborne & Weinstock, Phys. Rev. 1950:
  11.4 ± 0.4 cal/mol), so it is not used above 1 K. Above 1 K the AOW maximum
  bounds L₃ from above (:func:`he3_latent_heat_bound`).
- He-4 latent heat (1 K pot, condensing a mixture charge): Donnelly & Barenghi, J. Phys.
  Chem. Ref. Data 27, 1217 (1998), table 16.1 to 3.3067 K (the rows the pack copies; the
  2.4049 K row is key 2, Berman & Poulter, the only one there), interpolated linearly.
- ³He–⁴He tricritical point 0.867 K (Chaudhry, MIT thesis 2009; Pobell §7.2):
  below it the mixture separates into the concentrated and dilute phases.
"""

from __future__ import annotations

import numpy as np

from solver.errors import DesignError

GAS_CONSTANT = 8.314462618  # J/(mol K), CODATA 2018 (exact: N_A k_B)
TORR_IN_PA = 101325.0 / 760.0  # Pa per mm Hg (1 atm = 760 torr = 101325 Pa, definition)
IDEAL_MONATOMIC_CP = 2.5 * GAS_CONSTANT  # J/(mol K): ideal monatomic gas, c_p = 5R/2

# T62 equation, ln(P / mm Hg) = A/T + B + C T + D T² + E T³ + F T⁴ + G ln T
# (Sherman, Sydoriak & Roberts 1964, coefficients as in the NBS abstract and he3lib he3_pvap)
_T62 = (-2.49174, 4.80386, -0.286001, 0.198608, -0.0502237, 0.00505486, 2.24846)
T62_RANGE_K = (0.2, 3.324)
HE3_CRITICAL_K = 3.324  # Roberts, Sherman & Sydoriak, J. Res. NBS 68A (1964): 3.3240 ± 0.0018 K
LATENT_IDEAL_MAX_K = 1.0  # above this the ideal-vapour Clausius-Clapeyron form is not used
HE3_LATENT_MAX_J_MOL = 11.4 * 4.184  # AOW 1950 maximum 11.4 cal/mol (at 2.1 K), 1 cal = 4.184 J
TRICRITICAL_K = 0.867  # ³He-⁴He tricritical point at SVP (Chaudhry 2009 via he3lib he34.f)

# Donnelly & Barenghi (1998) table 16.1, T90 in K and L in J/mol (rows copied exactly)
_HE4_LATENT = np.array(
    [
        (0.0, 59.83),
        (0.1, 61.91),
        (0.2, 63.99),
        (0.3, 66.07),
        (0.4, 68.14),
        (0.5, 70.22),
        (0.6, 72.3),
        (0.7, 74.38),
        (0.8, 76.46),
        (0.9, 78.54),
        (1.0028, 80.22),
        (1.103, 82.22),
        (1.2033, 84.17),
        (1.3033, 86.03),
        (1.4035, 87.76),
        (1.5036, 89.36),
        (1.6037, 90.74),
        (1.7039, 91.88),
        (1.8041, 92.72),
        (1.9042, 93.17),
        (2.0042, 93.13),
        (2.1044, 92.32),
        (2.1546, 91.47),
        (2.4049, 91.91),
        (2.5052, 92.92),
        (2.6054, 92.8),
        (2.7057, 93.25),
        (2.806, 93.58),
        (2.9061, 93.81),
        (3.0063, 93.91),
        (3.1064, 93.9),
        (3.2066, 93.75),
        (3.3067, 93.44),
    ]
)
HE4_POT_RANGE_K = (0.5, 2.1)  # table rows above 0.9 K are measured (key 1); the pot runs 1-2 K


def _check(T, lo: float, hi: float, what: str, quantity: str) -> np.ndarray:
    T = np.asarray(T, dtype=float)
    bad = ~((T >= lo) & (T <= hi))
    if np.any(bad):
        t = float(T[bad].flat[0]) if T.ndim else float(T)
        raise DesignError(
            f"{what}: {t:g} K is outside {lo:g}-{hi:g} K, the range where the {quantity} holds"
        )
    return T


def he3_vapour_pressure(T, what: str = "temperature"):
    """Saturated vapour pressure of liquid He-3, Pa (T62 equation, 0.2-3.324 K).

    Parameters
    ----------
    T : float or ndarray
        Temperature in kelvin.
    what : str
        Name of the design field, used in the error message.
    """
    T = _check(T, *T62_RANGE_K, what, "He-3 T62 vapour-pressure equation")
    a, b, c, d, e, f, g = _T62
    ln_p = a / T + b + c * T + d * T**2 + e * T**3 + f * T**4 + g * np.log(T)
    return np.exp(ln_p) * TORR_IN_PA


def he3_latent_heat(T, what: str = "temperature"):
    """Latent heat of evaporation of liquid He-3, J/mol, 0.2-1.0 K (Clausius–Clapeyron on T62).

    L₃ = R T² d(ln P)/dT with an ideal vapour and the liquid volume neglected.
    """
    T = _check(T, T62_RANGE_K[0], LATENT_IDEAL_MAX_K, what, "ideal-vapour He-3 latent heat")
    a, _, c, d, e, f, g = _T62
    dlnp_dT = -a / T**2 + c + 2 * d * T + 3 * e * T**2 + 4 * f * T**3 + g / T
    return GAS_CONSTANT * T**2 * dlnp_dT


def he3_latent_heat_bound(T, what: str = "temperature") -> tuple[float, bool]:
    """L₃ at ``T`` (J/mol) and whether it is the AOW upper bound rather than the T62 value.

    Up to 1.0 K the T62 Clausius–Clapeyron value; from there to the critical point
    3.324 K the measured maximum 47.7 J/mol (a conservative bound for a condensing
    load; flagged by the second return value).
    """
    T = float(_check(T, T62_RANGE_K[0], HE3_CRITICAL_K, what, "He-3 liquid-vapour coexistence"))
    if T <= LATENT_IDEAL_MAX_K:
        return float(he3_latent_heat(T, what)), False
    return HE3_LATENT_MAX_J_MOL, True


def he4_latent_heat(T, what: str = "temperature"):
    """Latent heat of evaporation of liquid He-4 at SVP, J/mol, 0.5-2.1 K (Donnelly & Barenghi)."""
    T = _check(T, *HE4_POT_RANGE_K, what, "He-4 latent-heat table (Donnelly & Barenghi 1998)")
    return np.interp(T, _HE4_LATENT[:, 0], _HE4_LATENT[:, 1])


def he4_latent_heat_bound(T, what: str = "temperature") -> tuple[float, bool]:
    """L₄ at ``T`` (J/mol) for condensing He-4 below the He-3 critical point, and whether it is held.

    Donnelly & Barenghi table 16.1 from 0 to 3.3067 K (its last copied row); from there to
    3.324 K the 3.3067 K value (flagged by the second return value).
    """
    T = float(_check(T, 0.0, HE3_CRITICAL_K, what, "He-4 latent-heat table below 3.324 K"))
    top = float(_HE4_LATENT[-1, 0])
    return float(np.interp(min(T, top), _HE4_LATENT[:, 0], _HE4_LATENT[:, 1])), T > top
