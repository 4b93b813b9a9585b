"""Kapitza-limited continuous exchanger: closed form against scipy's two-stream BVP and IVP, limits."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_bvp, solve_ivp

from solver.errors import DesignError
from solver.thermal import continuous_exchanger as ce
from solver.thermal import dilution
from solver.thermal.dilution import Exchanger


def two_streams(flow, kappa, T_mc, T_w):
    """The exchanger as a boundary-value problem, written out independently of the module.

    s runs from the warm end (0) to the mixing chamber (1). Concentrated ³He, enthalpy
    11 T_c² J/mol, enters at T_w and moves to s = 1; dilute ³He, 95 T_d², leaves the mixing
    chamber at T_mc and moves to s = 0. Heat per ds across the Kapitza wall: (κ/4)(T_c⁴ − T_d⁴).
    Unknowns u = T_c², v = T_d²; returns (u, v) at s = 1.
    """

    def rhs(s, y):
        u, v = y
        flux = kappa / 4 * (u * u - v * v)
        return np.vstack([-flux / (11 * flow), -flux / (95 * flow)])

    def bc(y0, y1):
        return np.array([y0[0] - T_w**2, y1[1] - T_mc**2])

    s = np.linspace(0, 1, 400)
    guess = np.vstack([np.linspace(T_w**2, T_mc**2, s.size), np.full(s.size, T_mc**2)])
    sol = solve_bvp(rhs, bc, s, guess, tol=1e-10, max_nodes=200_000)
    assert sol.success, sol.message
    return sol.sol(1.0)


@pytest.mark.parametrize("kappa", [0.5, 5.0, 50.0, 500.0])
@pytest.mark.parametrize("T_mc", [0.008, 0.02, 0.05])
def test_exit_matches_the_two_stream_boundary_value_problem(kappa, T_mc):
    flow, T_w = 5e-4, 0.1
    u1, v1 = two_streams(flow, kappa, T_mc, T_w)
    a, _, _ = ce.exit_squared(T_mc, T_w, flow, kappa)
    # solve_bvp at tol 1e-10 on a smooth profile: its u(1) agrees to ~1e-7 relative
    assert np.sqrt(a) == pytest.approx(np.sqrt(u1), rel=1e-6)
    assert v1 == pytest.approx(T_mc**2, rel=1e-9)
    Q = dilution.mixing_chamber_cooling(flow, T_mc, Exchanger(kapitza_W_K4=kappa, warm_K=T_w))
    assert Q == pytest.approx(flow * (95 * T_mc**2 - 11 * u1), rel=1e-5, abs=1e-12)


@pytest.mark.parametrize("load_W", [0.0, 1e-6, 20e-6, 300e-6])
def test_load_curve_closed_form_matches_an_initial_value_integration(load_W):
    flow, kappa, T_w = 5e-4, 20.0, 0.12
    q = load_W / flow

    def rhs(s, u):  # concentrated stream from the warm end, v from the enthalpy invariant
        v = (11 * u + q) / 95
        return -kappa / 4 * (u * u - v * v) / (11 * flow)

    sol = solve_ivp(rhs, (0, 1), [T_w**2], method="LSODA", rtol=1e-12, atol=1e-18)
    a = sol.y[0, -1]
    T_expected = np.sqrt((q + 11 * a) / 95)
    T = dilution.mixing_chamber_temperature(load_W, flow, Exchanger(kapitza_W_K4=kappa, warm_K=T_w))
    assert T == pytest.approx(T_expected, rel=1e-8)  # integrator at rtol 1e-12


def test_limits_are_the_ideal_exchanger_and_no_exchanger():
    flow, T_w, T = 1e-3, 0.1, np.array([0.01, 0.03])
    huge = dilution.mixing_chamber_cooling(flow, T, Exchanger(kapitza_W_K4=1e9, warm_K=T_w))
    # Pobell: a perfect exchanger gives Q = 84 n T_mc^2; at kappa = 1e9 W/K^4 T_ex^2 - T_mc^2 is
    # of order n*11*95^2/(84*106) * 4/kappa * T_mc^4 ... i.e. far below 1e-6 relative
    np.testing.assert_allclose(huge, 84 * flow * T**2, rtol=1e-6)
    tiny = dilution.mixing_chamber_cooling(flow, T, Exchanger(kapitza_W_K4=1e-12, warm_K=T_w))
    np.testing.assert_allclose(tiny, flow * (95 * T**2 - 11 * T_w**2), rtol=1e-6)


def test_zero_load_closed_form_is_its_own_limit():
    # at q = 0 the integral is 11*95^2/(84*106) (1/a - 1/b); the general closed form just off
    # q = 0 must agree with it (no 0/0 cancellation)
    b = 0.01
    for q in (1e-13, -1e-13, 1e-7):
        a0 = ce.exit_squared_at_load(0.0, np.sqrt(b), 5e-4, 10.0)
        aq = ce.exit_squared_at_load(q, np.sqrt(b), 5e-4, 10.0)
        assert aq == pytest.approx(a0, rel=1e-4)
    assert ce.exchanger_integral(2e-4, b, 0.0) == pytest.approx(
        11 * 95**2 / (84 * 106) * (1 / 2e-4 - 1 / b), rel=1e-14
    )


def test_derivatives_of_the_exit_match_central_differences():
    T_mc, T_w, flow, kappa = 0.015, 0.1, 5e-4, 30.0
    _, da_dm, da_db = ce.exit_squared(T_mc, T_w, flow, kappa)
    h = 1e-7
    m, b = T_mc**2, T_w**2
    up = ce.exit_squared(np.sqrt(m * (1 + h)), T_w, flow, kappa)[0]
    dn = ce.exit_squared(np.sqrt(m * (1 - h)), T_w, flow, kappa)[0]
    assert da_dm == pytest.approx((up - dn) / (2 * h * m), rel=1e-5)
    up = ce.exit_squared(T_mc, np.sqrt(b * (1 + h)), flow, kappa)[0]
    dn = ce.exit_squared(T_mc, np.sqrt(b * (1 - h)), flow, kappa)[0]
    assert da_db == pytest.approx((up - dn) / (2 * h * b), rel=1e-5)


def test_flow_needed_inverts_the_continuous_cooling():
    ex = Exchanger(kapitza_W_K4=30.0, warm_K=0.1)
    flow = dilution.flow_for(0.02, 10e-6, ex)
    assert dilution.mixing_chamber_cooling(flow, 0.02, ex) == pytest.approx(10e-6, rel=1e-9)
    with pytest.raises(DesignError, match="exchanger_kapitza_W_K4"):
        dilution.flow_for(0.004, 1e-4, ex)  # too cold for this exchanger at any circulation


@pytest.mark.parametrize("kappa", [0.0, -1.0, float("inf")])
def test_bad_conductance_is_refused_by_name(kappa):
    with pytest.raises(DesignError, match="exchanger_kapitza_W_K4"):
        Exchanger(kapitza_W_K4=kappa, warm_K=0.1)
