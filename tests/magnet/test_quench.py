"""Quench physics against the vetted reference values and an independent ODE integration."""

import json

import numpy as np
import pytest
from scipy import constants, integrate, optimize

from materials_data import DATA_DIR
from solver.errors import DesignError
from solver.magnet import Conductor
from solver.magnet.quench import (
    conductor_heat_capacity_per_length,
    copper_resistivity,
    dump_discharge,
    hot_spot_temperature,
    miits,
    nb3sn_volumetric_heat_capacity,
    nbti_volumetric_heat_capacity,
    normal_zone_velocity,
)


@pytest.mark.parametrize(
    "T,B,expected",
    [
        (293.0, 0.0, 1.692e-8),
        (77.0, 0.0, 2.057e-9),
        (20.0, 0.0, 1.669e-10),
        (4.2, 0.0, 1.553e-10),
        (4.2, 5.0, 3.44e-10),
    ],
)
def test_copper_resistivity_reference_values(T, B, expected):
    # extra/cu_resistivity_and_sc_heat_capacity.json derived_check (given to 4 digits, 3 at 5 T)
    assert copper_resistivity(T, 100.0, B) == pytest.approx(expected, rel=3e-3)


def test_copper_resistivity_not_the_public_error_form():
    # the documented bad copy (exp outside the denominator) gives 3.4e-10 at 50 K; correct ≈ 6.7e-10
    assert copper_resistivity(50.0, 100.0) == pytest.approx(6.7e-10, rel=0.03)


@pytest.mark.parametrize("T", [20.0, 50.0, 100.0, 200.0, 293.0])
def test_copper_resistivity_vs_mcashan_fit(T):
    mcashan = (1.545 / 100 + 1 / (2.32547e9 / T**5 + 9.57137e5 / T**3 + 1.62735e2 / T)) * 1e-8
    # independent fit (McAshan, SSC); the pack notes agreement within ~5 % for 20–293 K
    assert copper_resistivity(T, 100.0) == pytest.approx(mcashan, rel=0.06)


@pytest.mark.parametrize("T,expected", [(4.2, 0.61), (10.0, 4.25), (20.0, 24.7)])
def test_nbti_heat_capacity_cudi(T, expected):
    # pack derived_cross_check (CUDI, B = 0), per kg at 6000 kg/m³, 2–3 digits given
    assert nbti_volumetric_heat_capacity(T, 0.0) / 6000 == pytest.approx(expected, rel=0.01)


def test_nbti_heat_capacity_has_field_term_below_tc():
    # CUDI vortex term 64·B·T (the STEAM-SDK copy drops the B)
    assert nbti_volumetric_heat_capacity(4.2, 5.0) - nbti_volumetric_heat_capacity(
        4.2, 0.0
    ) == pytest.approx(64 * 5 * 4.2)


@pytest.mark.parametrize(
    "T,expected", [(4.2, 0.49), (10.0, 1.98), (20.0, 9.5), (100.0, 174.0), (300.0, 208.0)]
)
def test_nb3sn_heat_capacity_efda(T, expected):
    assert nb3sn_volumetric_heat_capacity(T) / 8040 == pytest.approx(expected, rel=0.01)


def _conductor():
    return Conductor("NbTi", cu_to_sc=1.5, area_m2=1e-6, rrr=100.0)


def test_hot_spot_matches_ode_integration():
    cond = _conductor()
    i0, tau, t_det, t0, b = 300.0, 0.2, 0.05, 4.2, 3.0
    t_hot = hot_spot_temperature(cond, i0, tau, t_det, t0, b)

    def current(t):
        return i0 if t < t_det else i0 * np.exp(-(t - t_det) / tau)

    def rhs(t, y):
        temp = y[0]
        heat = current(t) ** 2 * copper_resistivity(temp, 100.0, b) / cond.cu_area_m2
        return [heat / conductor_heat_capacity_per_length(cond, temp, b)]

    sol = integrate.solve_ivp(
        rhs, (0, t_det + 30 * tau), [t0], method="LSODA", rtol=1e-10, atol=1e-10, max_step=tau / 20
    )
    # independent time integration of the same adiabatic balance; e^-60 tail negligible
    assert t_hot == pytest.approx(sol.y[0, -1], rel=1e-4)
    assert miits(cond, t_hot, t0, b) == pytest.approx(i0**2 * (t_det + tau / 2), rel=1e-9)


def test_hot_spot_above_range_is_a_clear_error():
    with pytest.raises(DesignError, match="MIITs"):
        hot_spot_temperature(_conductor(), 5000.0, 5.0, 1.0, 4.2)
    with pytest.raises(DesignError, match="rrr"):
        miits(Conductor("NbTi", 1.5, 1e-6), 100.0, 4.2)


def test_dump_discharge_energy_balance():
    ds = dump_discharge(2.0, 0.5, 100.0, coil_resistance_ohm=0.1, n_times=20001)
    assert float(ds.tau_s) == pytest.approx(2.0 / 0.6)
    assert float(ds.peak_voltage_V) == pytest.approx(50.0)
    # ∫ I² R_dump dt over 0…5τ (trapezoid) vs the closed-form share ½LI² R_d/(R_d+R_c)(1 − e^-10)
    e_dump = integrate.trapezoid(ds.current_A.values**2 * 0.5, ds.time_s.values)
    assert e_dump == pytest.approx(float(ds.energy_to_dump_J) * (1 - np.exp(-10)), rel=1e-6)
    assert float(ds.energy_to_dump_J + ds.energy_in_coil_J) == pytest.approx(0.5 * 2.0 * 100.0**2)


@pytest.mark.parametrize("current_A", [200.0, 400.0])
def test_normal_zone_velocity_is_wilson_eq_9_8(current_A):
    # v = (J/γC)·√(L0·θs/(θs − θ0)) (Wilson, Superconducting Magnets, eq. 9.8 with ρk = L0·θs),
    # J = I/A_strand, θs = (T_cs + T_c(B))/2, γC the strand's mean volumetric heat capacity
    # over θ0…θs; every property evaluated here from its data file or published form
    cond, B, T0 = _conductor(), 5.0, 4.2
    fits = json.loads((DATA_DIR / "superconductors.json").read_text())["superconductors"]
    c = fits["NbTi"]["constants"]  # Bottura (2000) critical surface

    def jc(T):
        s = 1 - (T / c["Tc0_K"]) ** c["n"]
        return (c["Jref_A_m2"] * c["C0_T"] * B ** (c["alpha"] - 1) / (c["Bc20_T"] * s) ** c["alpha"]
                * (1 - B / (c["Bc20_T"] * s)) ** c["beta"] * s ** c["gamma"])  # fmt: skip

    a_sc = cond.area_m2 / (1 + cond.cu_to_sc)
    t_c = c["Tc0_K"] * (1 - B / c["Bc20_T"]) ** (1 / c["n"])
    t_cs = optimize.brentq(lambda T: jc(T) - current_A / a_sc, T0, t_c - 1e-9, xtol=1e-13)
    theta_s = 0.5 * (t_cs + t_c)
    copper = json.loads((DATA_DIR / "materials/OFHC-Cu-RRR100.json").read_text())
    a_cu = copper["properties"]["cp"]["pieces"][0]["coefficients"]  # NIST OFHC cp, 4-300 K

    def heat_capacity(T):  # J/(m³ K) of the strand: Cu (NIST fit, density) + NbTi (CUDI below
        # Tc(B) = 9.2 (1 − B/14.5)^0.59: 64·B·T + 49.1·T³, extra pack nbti_cv_CUDI)
        cu = copper["density"]["value_kg_m3"] * 10 ** np.polyval(a_cu[::-1], np.log10(T))
        return (cond.cu_to_sc * cu + 64.0 * B * T + 49.1 * T**3) / (1 + cond.cu_to_sc)

    assert theta_s < 9.2 * (1 - B / 14.5) ** 0.59  # CUDI superconducting branch applies
    gamma_c = integrate.quad(heat_capacity, T0, theta_s, epsrel=1e-12)[0] / (theta_s - T0)
    # Lorenz number: the pack's 2.44e-8 W·Ω/K² (lorenz_number), the Sommerfeld value to 3 digits
    assert np.pi**2 * constants.k**2 / (3 * constants.e**2) == pytest.approx(2.44e-8, abs=5e-11)
    v = current_A / cond.area_m2 / gamma_c * np.sqrt(2.44e-8 * theta_s / (theta_s - T0))
    # 1e-7: the solver integrates γC by quad at its default 1.5e-8 and T_cs by brentq to 1e-10 K
    assert normal_zone_velocity(cond, current_A, B, T0) == pytest.approx(v, rel=1e-7)
