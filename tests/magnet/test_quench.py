"""Quench physics against the vetted reference values and an independent ODE integration."""

import numpy as np
import pytest
from scipy import integrate

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


def test_normal_zone_velocity_scaling_and_magnitude():
    cond = _conductor()
    v1 = normal_zone_velocity(cond, 200.0, 5.0, 4.2)
    # Wilson ch. 9: adiabatic velocities of NbTi composites at these current densities are
    # of order 1-100 m/s
    assert 1.0 < v1 < 100.0
    assert normal_zone_velocity(cond, 400.0, 5.0, 4.2) > 2 * v1  # J and a lower T_cs both raise v
