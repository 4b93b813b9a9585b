"""Closed-form property laws on numpy arrays: the NIST fit forms, power laws and the Debye model.

Every function takes temperatures in kelvin (ndarray, any shape) and returns an
array of the same shape; none of them checks ranges (``_property`` does).
"""

from __future__ import annotations

import numpy as np

R_GAS = 8.314462618
"""Molar gas constant, J/(mol K) (CODATA 2018, exact in the 2019 SI)."""

_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)
_DEBYE_SEGMENTS = 10
# beyond x = theta/T = 60 the tail of the Debye integral is < 1e-20 of it
_DEBYE_X_ASYMPTOTIC = 60.0
_DEBYE_INTEGRAL_INF = 4.0 * np.pi**4 / 15.0  # int_0^inf x^4 e^x/(e^x-1)^2 dx


def poly_log10(coefficients, T):
    """NIST ``poly_log10`` form: log10 y = sum_n c_n (log10 T)^n, c lowest power first (NIST a..i)."""
    return 10.0 ** np.polynomial.polynomial.polyval(np.log10(T), np.asarray(coefficients, float))


def ofhc_rational(coefficients, T):
    """NIST OFHC copper form: log10 k = (a + c T^.5 + e T + g T^1.5 + i T^2)/(1 + b T^.5 + d T + f T^1.5 + h T^2)."""
    a, b, c, d, e, f, g, h, i = coefficients
    s = np.sqrt(T)
    num = a + c * s + e * T + g * T * s + i * T * T
    den = 1.0 + b * s + d * T + f * T * s + h * T * T
    return 10.0 ** (num / den)


def debye_lattice_cp(theta_D_K: float, molar_mass_g_mol: float, T):
    """Debye lattice specific heat in J/(kg K) (Kittel, ISSP 8th ed., ch. 5, eq. 33).

    c = 9 (R/M) (T/theta)^3 int_0^{theta/T} x^4 e^x/(e^x-1)^2 dx, evaluated with
    16-point Gauss-Legendre on 10 equal segments (|error| < 1e-13 relative).
    """
    T = np.asarray(T, float)
    x_top = theta_D_K / T
    upper = np.minimum(x_top, _DEBYE_X_ASYMPTOTIC)
    seg = upper[..., None] / _DEBYE_SEGMENTS
    starts = seg * np.arange(_DEBYE_SEGMENTS)
    x = starts[..., None] + 0.5 * seg[..., None] * (_GL_X + 1.0)
    em1 = np.expm1(x)
    integrand = x**4 * np.exp(x) / (em1 * em1)
    integral = 0.5 * np.sum(seg[..., None] * _GL_W * integrand, axis=(-2, -1))
    integral = np.where(x_top > _DEBYE_X_ASYMPTOTIC, _DEBYE_INTEGRAL_INF, integral)
    return 9.0 * (R_GAS / (molar_mass_g_mol * 1e-3)) * integral / x_top**3


def sommerfeld_debye_low_T(gamma_J_kgK2: float, theta_D_K: float, molar_mass_g_mol: float, T):
    """Low-temperature cp = gamma T + beta T^3, beta = (12 pi^4/5) R/(M theta_D^3), in J/(kg K)."""
    beta = 12.0 * np.pi**4 / 5.0 * R_GAS / (molar_mass_g_mol * 1e-3) / theta_D_K**3
    return gamma_J_kgK2 * T + beta * T**3


def debye_sommerfeld(gamma_J_kgK2: float, theta_D_K: float, molar_mass_g_mol: float, T):
    """Full model cp = gamma T + Debye lattice term, J/(kg K)."""
    return gamma_J_kgK2 * np.asarray(T, float) + debye_lattice_cp(theta_D_K, molar_mass_g_mol, T)


def fit_function(piece: dict):
    """Return ``f(T) -> ndarray`` for one stored fit piece (``form`` key of a materials_data file)."""
    form = piece["form"]
    if form == "poly_log10":
        c = tuple(piece["coefficients"])
        return lambda T: poly_log10(c, T)
    if form == "ofhc_rational":
        c = tuple(piece["coefficients"])
        return lambda T: ofhc_rational(c, T)
    if form == "debye_sommerfeld":
        g, th, m = piece["gamma_J_kgK2"], piece["theta_D_K"], piece["molar_mass_g_mol"]
        return lambda T: debye_sommerfeld(g, th, m, T)
    if form == "power":
        a, n = piece["a"], piece["exponent"]
        return lambda T: a * np.asarray(T, float) ** n
    raise ValueError(
        f"unknown fit form {form!r} (known: poly_log10, ofhc_rational, debye_sommerfeld, power)"
    )


def below_law_shape(law: dict):
    """Return the unscaled shape ``g(T)`` of a low-temperature law (``below`` key of a data file)."""
    kind = law["law"]
    if kind == "power":
        n = float(law["exponent"])
        return lambda T: np.asarray(T, float) ** n
    if kind == "sommerfeld_debye":
        g, th, m = law["gamma_J_kgK2"], law["theta_D_K"], law["molar_mass_g_mol"]
        return lambda T: sommerfeld_debye_low_T(g, th, m, np.asarray(T, float))
    raise ValueError(f"unknown low-temperature law {kind!r} (known: power, sommerfeld_debye)")
