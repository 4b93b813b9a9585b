"""solver.fluids against published saturation data (independent equations of state)."""

from __future__ import annotations

import pytest

from solver import fluids
from solver.errors import DesignError, UnknownNameError

# University of Wisconsin LN2/LHe facility data sheet (http://homepages.cae.wisc.edu/~helium/
# n2_he_dataPrintable.htm), computed with EES from McCarty & Arp, Adv. Cryog. Eng. 35, 1465
# (1990) for helium and Jacobsen, Stewart & Jahangiri, J. Phys. Chem. Ref. Data 15, 735 (1986)
# for nitrogen -- older equations of state than CoolProp's, hence the percent-level tolerances.
HELIUM_1ATM = {"T_K": 4.214, "rho_l": 125.1, "rho_v": 16.74, "L_J_kg": 20750.0}
NITROGEN_1ATM = {"T_K": 77.35, "rho_l": 806.5, "rho_v": 4.622, "L_J_kg": 198800.0}


def test_helium_at_one_atmosphere():
    # 0.3 % on T: the 1990 EOS predates ITS-90 (IPTS-68 differs by ~8 mK at 4.2 K);
    # 1.5 % on L and densities: McCarty-Arp 1990 vs Ortiz-Vega 2013 near the critical region.
    assert fluids.normal_boiling_point_K("Helium") == pytest.approx(HELIUM_1ATM["T_K"], rel=3e-3)
    assert fluids.latent_heat_J_kg("Helium") == pytest.approx(HELIUM_1ATM["L_J_kg"], rel=0.015)
    assert fluids.liquid_density_kg_m3("Helium") == pytest.approx(HELIUM_1ATM["rho_l"], rel=0.015)
    assert fluids.vapour_density_kg_m3("Helium") == pytest.approx(HELIUM_1ATM["rho_v"], rel=0.015)


def test_nitrogen_at_one_atmosphere():
    # nitrogen EOSs agree closely away from the critical point: 0.5 %
    assert fluids.normal_boiling_point_K("N2") == pytest.approx(NITROGEN_1ATM["T_K"], rel=1e-3)
    assert fluids.latent_heat_J_kg("Nitrogen") == pytest.approx(NITROGEN_1ATM["L_J_kg"], rel=5e-3)
    assert fluids.liquid_density_kg_m3("Nitrogen") == pytest.approx(
        NITROGEN_1ATM["rho_l"], rel=5e-3
    )
    assert fluids.vapour_density_kg_m3("Nitrogen") == pytest.approx(
        NITROGEN_1ATM["rho_v"], rel=5e-3
    )


def test_helium_latent_heat_below_one_atmosphere():
    # Donnelly & Barenghi, J. Phys. Chem. Ref. Data 27, 1217 (1998), Table 16.1 (adopted data,
    # Berman & Poulter, 0.1 % uncertainty): L = 92.46 J/mol at 2.5052 K. M(He-4) = 4.002602 g/mol.
    L = fluids.latent_heat_J_kg("Helium", T_sat_K=2.5052)
    assert L == pytest.approx(92.46 / 4.002602e-3, rel=0.01)  # 1 %: EOS near the lambda line


def test_boil_off_one_watt_of_liquid_helium():
    # 1 W into LHe at 1 atm: Q/(L rho_l) with the data sheet values = 1.387 L/h (the textbook
    # "1 W boils about 1.4 L of liquid helium per hour"); 2 % covers the L and rho_l tolerances.
    expected_l_per_day = 1.0 / (HELIUM_1ATM["L_J_kg"] * HELIUM_1ATM["rho_l"]) * 1000.0 * 86400.0
    assert expected_l_per_day / 24 == pytest.approx(1.387, abs=1e-3)
    assert fluids.boil_off_rate_l_per_day(1.0) == pytest.approx(expected_l_per_day, rel=0.02)
    assert fluids.boil_off_rate_l_per_day(0.0) == 0.0


def test_boil_off_of_liquid_nitrogen_scales_with_heat():
    expected = 10.0 / (NITROGEN_1ATM["L_J_kg"] * NITROGEN_1ATM["rho_l"]) * 1000.0 * 86400.0
    assert fluids.boil_off_rate_l_per_day(10.0, fluid="N2") == pytest.approx(expected, rel=0.01)


def test_saturation_pressure_and_temperature_are_inverse():
    p = fluids.saturation_pressure_Pa(4.0, "Helium")
    assert fluids.saturation_temperature_K(p, "Helium") == pytest.approx(4.0, rel=1e-9)


def test_bad_inputs_are_clear_errors():
    with pytest.raises(UnknownNameError, match="Helium"):
        fluids.latent_heat_J_kg("Helum")
    with pytest.raises(DesignError, match=r"outside the liquid-vapour range"):
        fluids.latent_heat_J_kg("Helium", T_sat_K=6.0)  # above the critical point, 5.2 K
    with pytest.raises(DesignError, match=r"outside the liquid-vapour range"):
        fluids.liquid_density_kg_m3("Nitrogen", pressure_Pa=5e6)
    with pytest.raises(DesignError, match="not both"):
        fluids.latent_heat_J_kg("Helium", pressure_Pa=1e5, T_sat_K=4.0)
    with pytest.raises(DesignError, match="heat_W"):
        fluids.boil_off_rate_l_per_day(-1.0)
