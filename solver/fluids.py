"""Saturation properties of cryogenic liquids (helium-4, nitrogen) from CoolProp, in SI.

CoolProp evaluates the reference equations of state: helium-4 by Ortiz-Vega
et al. (2013), nitrogen by Span et al., J. Phys. Chem. Ref. Data 29, 1361
(2000) (CoolProp fluid documentation). Every function takes the saturation
state either as a pressure (Pa) or as a saturation temperature (K); the
default is one standard atmosphere, 101 325 Pa.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from solver._coolprop import CP
from solver.errors import DesignError
from solver.flow.properties import canonical_name

if TYPE_CHECKING:
    from solver.materials._grid import PropertyTable

STANDARD_ATMOSPHERE_PA = 101325.0
"""Standard atmosphere, Pa (exact by definition, ISO 2533)."""


def _state(fluid: str, pressure_Pa: float | None, T_sat_K: float | None) -> tuple[str, float]:
    """CoolProp input pair for a saturation state, validated against the two-phase range."""
    if pressure_Pa is not None and T_sat_K is not None:
        raise DesignError("give either pressure_Pa or T_sat_K for a saturation state, not both")
    t_triple = CP.PropsSI("Ttriple", fluid)
    t_crit = CP.PropsSI("Tcrit", fluid)
    p_crit = CP.PropsSI("pcrit", fluid)
    if T_sat_K is not None:
        if not (t_triple <= T_sat_K < t_crit):
            raise DesignError(
                f"{fluid}: saturation temperature {T_sat_K:g} K outside the liquid-vapour range "
                f"{t_triple:.4g}-{t_crit:.4g} K"
            )
        return "T", float(T_sat_K)
    p = STANDARD_ATMOSPHERE_PA if pressure_Pa is None else float(pressure_Pa)
    p_low = CP.PropsSI("P", "T", t_triple, "Q", 0, fluid)
    if not (math.isfinite(p) and p_low <= p < p_crit):
        raise DesignError(
            f"{fluid}: saturation pressure {p:g} Pa outside the liquid-vapour range "
            f"{p_low:.4g}-{p_crit:.4g} Pa"
        )
    return "P", p


def _saturated(output: str, quality: int, fluid: str, pressure_Pa, T_sat_K) -> float:
    name = canonical_name(fluid)
    key, value = _state(name, pressure_Pa, T_sat_K)
    return float(CP.PropsSI(output, key, value, "Q", quality, name))


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
    return bath_state(fluid, pressure_Pa).boil_off_L_per_day(heat_W)


@dataclass(frozen=True)
class BathState:
    """A saturated liquid bath at one pressure (SI, from CoolProp).

    Attributes
    ----------
    fluid : str — CoolProp name (``Helium`` or ``Nitrogen``).
    pressure_Pa : float — bath pressure, Pa.
    temperature_K : float — saturation temperature, K.
    latent_heat_J_kg : float — h_vapour − h_liquid at saturation, J/kg.
    liquid_density_kg_m3, vapour_density_kg_m3 : float — saturated densities, kg/m³.
    """

    fluid: str
    pressure_Pa: float
    temperature_K: float
    latent_heat_J_kg: float
    liquid_density_kg_m3: float
    vapour_density_kg_m3: float

    def boil_off_L_per_day(self, net_heat_W: float) -> float:
        """Liquid volume lost per day, L/day = Q/(h_fg ρ_l); negative when net heat leaves (DESIGN.md)."""
        if not math.isfinite(net_heat_W):
            raise DesignError(f"net heat into the bath must be finite, got {net_heat_W!r}")
        return net_heat_W / (self.latent_heat_J_kg * self.liquid_density_kg_m3) * 1000.0 * 86400.0

    def vented_gas_kg_s(self, net_heat_W: float) -> float:
        """Gas leaving the bath, kg/s: (Q/h_fg)(1 − ρ_v/ρ_l) (the vapour left behind fills the freed volume)."""
        return (
            net_heat_W
            / self.latent_heat_J_kg
            * (1.0 - self.vapour_density_kg_m3 / self.liquid_density_kg_m3)
        )


@functools.cache
def bath_state(fluid: str = "Helium", pressure_Pa: float = STANDARD_ATMOSPHERE_PA) -> BathState:
    """Saturation state of a bath of ``fluid`` at ``pressure_Pa`` (range-checked, see ``_state``).

    Helium is refused below CoolProp's lowest helium-4 temperature, 2.1768 K (the
    lambda point; CoolProp has no He II and returns values below it silently).
    """
    name = canonical_name(fluid)
    _state(name, pressure_Pa, None)
    return BathState(
        fluid=name,
        pressure_Pa=float(pressure_Pa),
        temperature_K=saturation_temperature_K(pressure_Pa, name),
        latent_heat_J_kg=latent_heat_J_kg(name, pressure_Pa=pressure_Pa),
        liquid_density_kg_m3=liquid_density_kg_m3(name, pressure_Pa=pressure_Pa),
        vapour_density_kg_m3=vapour_density_kg_m3(name, pressure_Pa=pressure_Pa),
    )


@functools.cache
def vapour_enthalpy_table(fluid: str, pressure_Pa: float) -> PropertyTable:
    """Enthalpy h (J/kg) and cp (J/(kg K)) of the bath's vapour on ``GRID.T`` (Kirchhoff-table format).

    From the saturated vapour at the bath (CoolProp) to the top of the grid at the
    bath pressure; below the saturation temperature, where a vapour-cooled lead
    never runs, h continues linearly with the saturated vapour's cp (a documented
    extension that only keeps the lead solver's tables finite). Every state is
    the gas phase at ``pressure_Pa``; CoolProp's range is checked by ``bath_state``.
    """
    from solver.materials._grid import GRID, PropertyTable  # loads the material fits

    state = bath_state(fluid, pressure_Pa)
    name = state.fluid
    T = GRID.T
    t_sat = state.temperature_K
    above = T > t_sat * (1.0 + 1e-6)
    h = np.empty(T.size)
    cp = np.empty(T.size)
    # CoolProp evaluates one state per call; the table is built once per (fluid, pressure)
    h[above] = [CP.PropsSI("H", "T", t, "P", pressure_Pa, name) for t in T[above]]
    cp[above] = [CP.PropsSI("C", "T", t, "P", pressure_Pa, name) for t in T[above]]
    h_sat = CP.PropsSI("H", "P", pressure_Pa, "Q", 1, name)
    cp_sat = CP.PropsSI("C", "P", pressure_Pa, "Q", 1, name)
    h[~above] = h_sat + cp_sat * (T[~above] - t_sat)
    cp[~above] = cp_sat
    h.setflags(write=False)
    cp.setflags(write=False)
    return PropertyTable(h, cp)
