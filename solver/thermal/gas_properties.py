"""Gas data for free-molecular conduction (the ``gas`` link).

Free-molecular heat flow between two surfaces (Corruccini, "Gaseous heat
conduction at low pressures and temperatures", Vacuum 7-8 (1959) 19; Ekin,
Experimental Techniques for Low-Temperature Measurements (2006) eq. 2.12):

    Q = α · A · p · (γ+1)/(γ−1) · sqrt(R / (8 π M T_p)) · (T_hot − T_cold)

with p the pressure read by a gauge at temperature T_p, α the overall
accommodation coefficient, γ = cp/cv and M the molar mass.
"""

from __future__ import annotations

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
