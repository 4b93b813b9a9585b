"""Gas data for free-molecular conduction (the ``gas`` link).

Free-molecular heat flow between two surfaces (Corruccini, "Gaseous heat
conduction at low pressures and temperatures", Vacuum 7-8 (1959) 19; Ekin,
Experimental Techniques for Low-Temperature Measurements (2006) eq. 2.12):

    Q = α · A · p · (γ+1)/(γ−1) · sqrt(R / (8 π M T_p)) · (T_hot − T_cold)

with p the pressure read by a gauge at temperature T_p, α the overall
accommodation coefficient, γ = cp/cv and M the molar mass.
"""

from __future__ import annotations

import functools
import math

GAS_CONSTANT = 8.314462618  # J/(mol K), CODATA 2018 exact value

# Molar masses: IUPAC standard atomic weights (2021); γ: ideal-gas value for the
# active degrees of freedom (5/3 monatomic, 7/5 diatomic with rotation), as used by
# Corruccini (1959) Table 1 and Ekin (2006) Table 2.3.
SPECIES: dict[str, dict[str, float]] = {
    "He": {"molar_mass_kg_mol": 4.002602e-3, "gamma": 5.0 / 3.0},
    "H2": {"molar_mass_kg_mol": 2.01588e-3, "gamma": 7.0 / 5.0},
    "N2": {"molar_mass_kg_mol": 28.0134e-3, "gamma": 7.0 / 5.0},
    "Ne": {"molar_mass_kg_mol": 20.1797e-3, "gamma": 5.0 / 3.0},
    "Ar": {"molar_mass_kg_mol": 39.948e-3, "gamma": 5.0 / 3.0},
}


def free_molecular_conductance(
    species: str, area_m2: float, pressure_Pa: float, gauge_K: float, accommodation: float
) -> float:
    """Conductance Q/ΔT in W/K of a free-molecular gas gap.

    Parameters
    ----------
    species : str — a key of :data:`SPECIES`.
    area_m2 : float — area of the surfaces, m².
    pressure_Pa : float — pressure in Pa read by a gauge at ``gauge_K`` kelvin.
    accommodation : float — overall accommodation coefficient α (0, 1].
    """
    gas = SPECIES[species]
    gamma = gas["gamma"]
    return (
        accommodation
        * area_m2
        * pressure_Pa
        * (gamma + 1.0)
        / (gamma - 1.0)
        * math.sqrt(GAS_CONSTANT / (8.0 * math.pi * gas["molar_mass_kg_mol"] * gauge_K))
    )


# ----------------------------------------------------------------------------- continuum gap

CONTINUUM_KNUDSEN_LIMIT = 0.01
"""Largest Knudsen number λ/d of the continuum regime (Schaaf & Chambré, Flow of Rarefied
Gases, Princeton 1961: continuum below 0.01, slip flow 0.01-0.1); above it a gap's
conductance falls below k·A/d by the temperature jump at the walls.

Citation check (2026-12): the book is confirmed as cited (S. A. Schaaf and P. L. Chambré,
Flow of Rarefied Gases, Princeton Univ. Press, 1961, in published reference lists); the bound
Kn < 0.01 is confirmed as the standard one (J. Heat Transfer 123 (2001) 486, quoting Rohsenow
& Choi); the page of the book that states the bounds was not seen."""


COOLPROP_NAMES = {"He": "Helium", "H2": "Hydrogen", "N2": "Nitrogen", "Ne": "Neon", "Ar": "Argon"}
FREE_MOLECULAR_KNUDSEN_LIMIT = 10.0
"""Smallest Knudsen number of the free-molecular regime (Schaaf & Chambré 1961: free molecular
above 10, transition between 0.1 and 10; slip flow 0.01-0.1)."""


@functools.cache
def mean_free_path_m(species: str, temperature_K: float, pressure_Pa: float) -> float:
    """Mean free path of ``species`` gas, m, from its viscosity: λ = (μ/p)·sqrt(π R T / (2 M)).

    μ(T, p) from CoolProp's reference equations; the kinetic-theory relation as in
    :func:`helium_mean_free_path_m`. ``temperature_K`` in K, ``pressure_Pa`` in Pa.
    """
    from CoolProp.CoolProp import PropsSI

    mu = PropsSI("V", "T", temperature_K, "P", pressure_Pa, COOLPROP_NAMES[species])
    molar_mass = SPECIES[species]["molar_mass_kg_mol"]
    return mu / pressure_Pa * math.sqrt(math.pi * GAS_CONSTANT * temperature_K / (2.0 * molar_mass))


def gap_conductance(
    species: str,
    area_m2: float,
    gap_m: float,
    pressure_Pa: float,
    gauge_K: float,
    accommodation: float,
) -> tuple[float, float, str]:
    """Conductance (W/K) of a gas-filled gap in any regime, its Knudsen number, and the regime.

    Free-molecular (Corruccini) and continuum (k·A/gap, CoolProp k at ``gauge_K``)
    conductances in series, 1/G = 1/G_fm + 1/G_c: Sherman's interpolation across the
    transition regime (F. S. Sherman, Rarefied Gas Dynamics 2 (1963) 228; as used for
    gas-gap heat transfer by G. S. Springer, Adv. Heat Transfer 7 (1971) 163). It tends
    to G_fm at high Knudsen number and to G_c at low. Kn = λ/gap with λ at ``gauge_K``.
    Citation check (2026-12): neither paper nor a quotation of its formula was found;
    the volume/page references are unverified (the series form itself is verified here
    only by its two limits, tests/validation/test_gas_and_radiation.py).
    """
    from CoolProp.CoolProp import PropsSI

    knudsen = mean_free_path_m(species, gauge_K, pressure_Pa) / gap_m
    g_fm = free_molecular_conductance(species, area_m2, pressure_Pa, gauge_K, accommodation)
    k = PropsSI("L", "T", gauge_K, "P", pressure_Pa, COOLPROP_NAMES[species])
    g_c = k * area_m2 / gap_m
    if knudsen >= FREE_MOLECULAR_KNUDSEN_LIMIT:
        regime = "free-molecular"
    elif knudsen <= CONTINUUM_KNUDSEN_LIMIT:
        regime = "continuum"
    else:
        regime = "transition"
    return 1.0 / (1.0 / g_fm + 1.0 / g_c), knudsen, regime


@functools.cache
def helium_mean_free_path_m(temperature_K: float, pressure_Pa: float) -> float:
    """Mean free path of helium-4 gas, m, from its viscosity: λ = (μ/p)·sqrt(π R T / (2 M)).

    The kinetic-theory relation μ = ½ ρ c̄ λ with c̄ = sqrt(8RT/(πM)) and ρ = pM/(RT);
    μ(T, p) from CoolProp (helium-4 transport of Ortiz-Vega et al. 2013 as implemented
    in CoolProp). ``temperature_K`` in K, ``pressure_Pa`` in Pa.
    """
    from CoolProp.CoolProp import PropsSI

    mu = PropsSI("V", "T", temperature_K, "P", pressure_Pa, "Helium")
    molar_mass = SPECIES["He"]["molar_mass_kg_mol"]
    return mu / pressure_Pa * math.sqrt(math.pi * GAS_CONSTANT * temperature_K / (2.0 * molar_mass))


@functools.cache
def _helium_gas_k(temperature_K: float, pressure_Pa: float) -> float:
    """Thermal conductivity of helium-4 gas, W/(m K), after checking the state is a gas.

    Cached: a catalog family evaluates the same few (T, p) states for every geometry.
    """
    from CoolProp.CoolProp import PropsSI

    t_min = PropsSI("Tmin", "Helium")
    if temperature_K < t_min:
        raise ValueError(
            f"helium gap at {temperature_K:g} K: CoolProp's helium-4 starts at {t_min:.5g} K"
        )
    if temperature_K < PropsSI("Tcrit", "Helium"):
        p_sat = PropsSI("P", "T", temperature_K, "Q", 0, "Helium")
        if pressure_Pa >= p_sat:
            raise ValueError(
                f"helium gap at {temperature_K:g} K: {pressure_Pa:g} Pa is at or above the saturation "
                f"pressure {p_sat:.4g} Pa (liquid, not gas)"
            )
    return PropsSI("L", "T", temperature_K, "P", pressure_Pa, "Helium")


def helium_continuum_gap_conductance(
    area_m2: float, gap_m: float, pressure_Pa: float, temperature_K: float
) -> float:
    """Conductance k·A/d in W/K of a helium-filled gap in the continuum regime.

    Parameters
    ----------
    area_m2 : float — facing area of the two walls, m².
    gap_m : float — wall separation d, m.
    pressure_Pa : float — helium pressure in the gap, Pa.
    temperature_K : float — gas temperature, K (CoolProp's helium-4 range starts at 2.1768 K).

    Raises ValueError when λ/d exceeds :data:`CONTINUUM_KNUDSEN_LIMIT` (the gap is in the
    slip or free-molecular regime, where k·A/d overstates the conductance) or when the
    state is outside CoolProp's helium range or is not a gas.
    """
    k = _helium_gas_k(float(temperature_K), float(pressure_Pa))
    knudsen = helium_mean_free_path_m(temperature_K, pressure_Pa) / gap_m
    if knudsen > CONTINUUM_KNUDSEN_LIMIT:
        raise ValueError(
            f"helium gap of {gap_m * 1e3:g} mm at {temperature_K:g} K and {pressure_Pa:g} Pa: Knudsen "
            f"number {knudsen:.3g} is above the continuum limit {CONTINUUM_KNUDSEN_LIMIT:g}"
        )
    return k * area_m2 / gap_m
