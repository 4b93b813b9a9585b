"""Analytic test materials and small bodies shared by the grid-solver tests.

The materials have closed-form k(T) and cp(T) so each reference below is exact.
"""

from __future__ import annotations

import numpy as np


class LinearK:
    """k = a + b·T W/(m K), cp = c0 + c1·T J/(kg K); Θ(T) = a·T + b·T²/2 (W/m)."""

    def __init__(self, a=1.0, b=0.05, c0=100.0, c1=2.0, density=1000.0, id="linear-k"):
        self.a, self.b, self.c0, self.c1 = a, b, c0, c1
        self.density_kg_m3 = density
        self.id = id

    def k(self, T):
        return self.a + self.b * np.asarray(T, dtype=float)

    def cp(self, T):
        return self.c0 + self.c1 * np.asarray(T, dtype=float)

    def theta(self, T):
        T = np.asarray(T, dtype=float)
        return self.a * T + 0.5 * self.b * T * T

    def theta_inverse(self, u):
        u = np.asarray(u, dtype=float)
        return 2.0 * u / (self.a + np.sqrt(self.a**2 + 2.0 * self.b * u))

    def conductivity_integral(self, T1, T2):
        return self.theta(T2) - self.theta(T1)
