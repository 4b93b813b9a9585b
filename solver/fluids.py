"""Saturation properties of cryogenic liquids (helium-4, nitrogen) from CoolProp, in SI.

CoolProp evaluates the reference equations of state: helium-4 by Ortiz-Vega
et al. (2013), nitrogen by Span et al., J. Phys. Chem. Ref. Data 29, 1361
(2000) (CoolProp fluid documentation). Every function takes the saturation
state either as a pressure (Pa) or as a saturation temperature (K); the
default is one standard atmosphere, 101 325 Pa.
"""

from __future__ import annotations

import math

from CoolProp.CoolProp import PropsSI

from solver.errors import DesignError
from solver.flow.properties import canonical_name

STANDARD_ATMOSPHERE_PA = 101325.0
"""Standard atmosphere, Pa (exact by definition, ISO 2533)."""


def _state(fluid: str, pressure_Pa: float | None, T_sat_K: float | None) -> tuple[str, float]:
    """CoolProp input pair for a saturation state, validated against the two-phase range."""
    if pressure_Pa is not None and T_sat_K is not None:
        raise DesignError("give either pressure_Pa or T_sat_K for a saturation state, not both")
    t_triple = PropsSI("Ttriple", fluid)
    t_crit = PropsSI("Tcrit", fluid)
    p_crit = PropsSI("pcrit", fluid)
    if T_sat_K is not None:
        if not (t_triple <= T_sat_K < t_crit):
            raise DesignError(
                f"{fluid}: saturation temperature {T_sat_K:g} K outside the liquid-vapour range "
                f"{t_triple:.4g}-{t_crit:.4g} K"
            )
        return "T", float(T_sat_K)
    p = STANDARD_ATMOSPHERE_PA if pressure_Pa is None else float(pressure_Pa)
    p_low = PropsSI("P", "T", t_triple, "Q", 0, fluid)
    if not (math.isfinite(p) and p_low <= p < p_crit):
        raise DesignError(
            f"{fluid}: saturation pressure {p:g} Pa outside the liquid-vapour range "
            f"{p_low:.4g}-{p_crit:.4g} Pa"
        )
    return "P", p


def _saturated(output: str, quality: int, fluid: str, pressure_Pa, T_sat_K) -> float:
    name = canonical_name(fluid)
    key, value = _state(name, pressure_Pa, T_sat_K)
    return float(PropsSI(output, key, value, "Q", quality, name))


def saturation_temperature_K(
    pressure_Pa: float = STANDARD_ATMOSPHERE_PA, fluid: str = "Helium"
) -> float:
    """Saturation (boiling) temperature in K at ``pressure_Pa`` (Pa)."""
    return _saturated("T", 0, fluid, pressure_Pa, None)


def saturation_pressure_Pa(T_sat_K: float, fluid: str = "Helium") -> float:
    """Saturated vapour pressure in Pa at temperature ``T_sat_K`` (K)."""
    return _saturated("P", 0, fluid, None, T_sat_K)


def normal_boiling_point_K(fluid: str = "Helium") -> float:
    """Boiling temperature at one standard atmosphere (101 325 Pa), K."""
    return saturation_temperature_K(STANDARD_ATMOSPHERE_PA, fluid)


def latent_heat_J_kg(
    fluid: str = "Helium", pressure_Pa: float | None = None, T_sat_K: float | None = None
) -> float:
    """Latent heat of vaporisation h_vapour - h_liquid in J/kg at saturation.

    Parameters
    ----------
    fluid : str
        ``"Helium"`` (helium-4), ``"Nitrogen"``, ``"Hydrogen"`` or ``"Neon"`` (aliases He, He4,
        N2, H2, Ne; ``solver.flow.properties.FLUIDS``).
    pressure_Pa : float, optional
        Saturation pressure in Pa (default one standard atmosphere).
    T_sat_K : float, optional
        Saturation temperature in K (instead of a pressure).
    """
    return _saturated("H", 1, fluid, pressure_Pa, T_sat_K) - _saturated(
        "H", 0, fluid, pressure_Pa, T_sat_K
    )


def liquid_density_kg_m3(
    fluid: str = "Helium", pressure_Pa: float | None = None, T_sat_K: float | None = None
) -> float:
    """Saturated-liquid density in kg/m^3 (state as in ``latent_heat_J_kg``)."""
    return _saturated("D", 0, fluid, pressure_Pa, T_sat_K)


def vapour_density_kg_m3(
    fluid: str = "Helium", pressure_Pa: float | None = None, T_sat_K: float | None = None
) -> float:
    """Saturated-vapour density in kg/m^3 (state as in ``latent_heat_J_kg``)."""
    return _saturated("D", 1, fluid, pressure_Pa, T_sat_K)


def boil_off_rate_l_per_day(
    heat_W: float, fluid: str = "Helium", pressure_Pa: float = STANDARD_ATMOSPHERE_PA
) -> float:
    """Liquid boiled away by a steady heat load, in litres of liquid per day.

    Uses the usual liquid-equivalent rate V' = Q / (L * rho_liquid): the
    evaporated mass Q/L expressed as a volume of saturated liquid. (The level in
    a closed vessel drops faster by rho_l/(rho_l - rho_v), 16 % for helium at
    1 atm, because vapour fills the freed volume; that is not included here.)

    Parameters
    ----------
    heat_W : float
        Heat load into the bath, W (>= 0).
    fluid : str
        ``"Helium"`` or ``"Nitrogen"``.
    pressure_Pa : float
        Bath pressure, Pa (default one standard atmosphere).

    Returns
    -------
    float
        Litres of liquid per day.
    """
    if not (math.isfinite(heat_W) and heat_W >= 0):
        raise DesignError(f"heat_W must be a finite load >= 0 W, got {heat_W!r}")
    mass_rate = heat_W / latent_heat_J_kg(fluid, pressure_Pa=pressure_Pa)
    return mass_rate / liquid_density_kg_m3(fluid, pressure_Pa=pressure_Pa) * 1000.0 * 86400.0
