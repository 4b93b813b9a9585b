"""Closed-form laws of solver.materials._forms against scipy and their textbook limits."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from solver.materials._forms import R_GAS, debye_lattice_cp, ofhc_rational, poly_log10


@pytest.mark.parametrize("T", [0.01, 1.0, 5.0, 30.0, 100.0, 300.0, 2000.0])
def test_debye_function_matches_quad(T):
    theta, M = 344.3, 63.546  # copper, debye_sommerfeld.json
    x = theta / T

    def integrand(t):
        # e^t/(e^t-1)^2 written as e^-t/(1-e^-t)^2 so large t cannot overflow
        return t**4 * np.exp(-t) / np.expm1(-t) ** 2 if t > 0 else 0.0

    integral = quad(integrand, 0.0, min(x, 200.0), epsabs=0, epsrel=1e-13, limit=200)[
        0
    ]  # tail < 1e-70
    expected = 9.0 * R_GAS / (M * 1e-3) * integral / x**3
    assert debye_lattice_cp(theta, M, T) == pytest.approx(expected, rel=1e-11)


def test_debye_limits():
    theta, M = 427.7, 26.9815  # aluminium
    # Dulong-Petit 3R/M at T >> theta (Kittel ch. 5); 1e-4: the first correction is -(theta/T)^2/20
    assert debye_lattice_cp(theta, M, 1e5) == pytest.approx(3 * R_GAS / (M * 1e-3), rel=1e-4)
    # Debye T^3 law (12 pi^4/5) R/M (T/theta)^3 at T << theta
    T = np.array([1e-3, 0.1, 2.0])
    t3 = 12 * np.pi**4 / 5 * R_GAS / (M * 1e-3) * (T / theta) ** 3
    np.testing.assert_allclose(debye_lattice_cp(theta, M, T), t3, rtol=1e-12)


def test_nist_forms_lowest_power_first():
    # a single constant term: log10 y = a
    assert poly_log10([2.0] + [0.0] * 8, 77.0) == pytest.approx(100.0)
    # log10 y = 1 + 2 log10 T  ->  y = 10 T^2 (c_1 multiplies the first power)
    assert poly_log10([1.0, 2.0] + [0.0] * 7, 3.0) == pytest.approx(90.0)
    # OFHC form with only a, e: log10 k = a + e T
    assert ofhc_rational([1.0, 0, 0, 0, 0.01, 0, 0, 0, 0], 100.0) == pytest.approx(100.0)
