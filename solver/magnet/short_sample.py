"""Short-sample current: where a straight load line B = k·I meets the conductor's critical
surface. Used by the margins in air and to seed the FEM load line with iron."""

from __future__ import annotations

from scipy import optimize

from solver.errors import DesignError


def short_sample_current_A(conductor, k_T_per_A: float, temperature_K: float) -> float:
    """Current where the load line B = k·I meets the critical surface: I = Ic(k·I, T).

    Parameters
    ----------
    conductor : Conductor
    k_T_per_A : float
        Peak field per ampere of transport current, T/A.
    temperature_K : float
        Conductor temperature in kelvin.

    Returns
    -------
    float
        Short-sample (quench) current in A along the load line.
    """
    fit = conductor.fit
    bc2 = fit.upper_critical_field_T(temperature_K, conductor.strain)
    if bc2 <= 0:
        raise DesignError(
            f"{fit.name} is normal at {temperature_K:g} K (above Tc): no superconducting current is possible"
        )
    i_hi = bc2 / k_T_per_A
    i_lo = 1e-12 * i_hi

    def g(i):
        return i - conductor.critical_current_A(k_T_per_A * i, temperature_K)

    if g(i_lo) >= 0:
        raise DesignError("load line: the conductor carries no current even at the lowest field")
    return float(optimize.brentq(g, i_lo, i_hi, xtol=1e-12 * i_hi, rtol=1e-13))
