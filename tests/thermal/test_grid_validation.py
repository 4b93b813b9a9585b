"""Grid conduction solver against closed forms, manufactured solutions and scipy.

Every reference is independent of the solver: closed forms, the materials
module's conductivity integral, scipy brentq / solve_ivp on equations written
out here.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from solver import materials
from solver.thermal.grid import (
    Box,
    ConductionBody,
    FixedTemperature,
    HeatFlux,
    NodeLink,
    Patch,
    Radiation,
    VolumeSource,
)
from tests.thermal.grid_cases import LinearK

SIGMA = 5.670374419e-8  # W/(m² K⁴), exact in the 2019 SI (CODATA 2018)


def bar(material, n, length=0.1, cells_across=1, patches=()):
    """A bar along x of n cells, cells_across × cells_across cells in section."""
    h = length / n
    w = cells_across * h
    return ConductionBody([Box((0, 0, 0), (length, w, w), material)], h, list(patches))


# ---------------------------------------------------------------- manufactured solution
def _mms_error(n: int) -> float:
    """Max |T - T_exact| at cell centres for u = Θ(T) = U0 + U1 sin(πx/2L) cos(πy/L) cos(πz/L).

    u is constant on x = 0 (fixed temperature there) and has zero normal gradient on the
    other five faces (adiabatic); the source is -∇²u integrated exactly over each cell.
    """
    m, L, U0, U1 = LinearK(), 1.0, 350.0, 200.0
    h = L / n
    e = np.linspace(0.0, L, n + 1)
    sx = (2 * L / np.pi) * (np.cos(np.pi * e[:-1] / (2 * L)) - np.cos(np.pi * e[1:] / (2 * L)))
    cy = (L / np.pi) * (np.sin(np.pi * e[1:] / L) - np.sin(np.pi * e[:-1] / L))
    power = U1 * (np.pi / L) ** 2 * 2.25 * sx[:, None, None] * cy[None, :, None] * cy[None, None, :]
    body = ConductionBody(
        [Box((0, 0, 0), (L, L, L), m)],
        h,
        [Patch("fixed", "x-", FixedTemperature(float(m.theta_inverse(U0))))],
        cell_power_W=power,
    )
    ds = body.solve_steady(rtol=1e-12)
    c = (np.arange(n) + 0.5) * h
    u = U0 + U1 * (
        np.sin(np.pi * c / (2 * L))[:, None, None]
        * np.cos(np.pi * c / L)[None, :, None]
        * np.cos(np.pi * c / L)[None, None, :]
    )
    return float(np.max(np.abs(ds["T"].values - m.theta_inverse(u))))


def test_manufactured_solution_converges_at_second_order():
    ns = np.array([8, 16, 32])
    errors = np.array([_mms_error(n) for n in ns])
    order = np.polyfit(np.log(1.0 / ns), np.log(errors), 1)[0]  # measured 1.95
    # cell-centred finite volumes with exact Kirchhoff faces: second order (scikit-fem habit:
    # observed order within 0.1 of theory)
    assert abs(order - 2.0) < 0.1, (order, errors)


# ---------------------------------------------------------------- 1-D bars
@pytest.mark.parametrize(
    ("material_id", "T_cold", "T_warm"),
    [("OFHC-Cu-RRR100", 4.0, 80.0), ("SS304", 4.0, 300.0), ("G10-normal", 20.0, 77.0)],
)
def test_bar_with_real_material_matches_conductivity_integral(material_id, T_cold, T_warm):
    m = materials.get(material_id)
    length, n = 0.1, 10
    body = bar(m, n, length, patches=[Patch("w", "x-", FixedTemperature(T_warm)),
                                      Patch("c", "x+", FixedTemperature(T_cold))])  # fmt: skip
    ds = body.solve_steady()
    area = body.h**2
    Q = area / length * m.conductivity_integral(T_cold, T_warm)
    # the grid interpolates k linearly between the materials grid's nodes (0.23 % apart),
    # the materials module integrates its cubic Hermite table: they agree to ~1e-6
    assert ds.patch_heat_W.sel(patch="w") == pytest.approx(Q, rel=1e-5)
    assert ds.patch_heat_W.sel(patch="c") == pytest.approx(-Q, rel=1e-5)


def test_bar_linked_to_nodes_gives_closed_form_flow_and_jacobian():
    m = LinearK()
    length, n = 0.2, 8
    body = bar(m, n, length, patches=[Patch("hot", "x-", NodeLink("shield")),
                                      Patch("cold", "x+", NodeLink("plate"))])  # fmt: skip
    assert body.terminals == ["shield", "plate"]
    Th, Tc = 60.0, 5.0
    Q, J = body.terminal_response(np.array([Th, Tc]))
    G = body.h**2 / length
    flow = G * (m.theta(Th) - m.theta(Tc))
    # Q is heat from the body INTO each node: the hot node receives -flow, the cold +flow
    np.testing.assert_allclose(Q, [-flow, flow], rtol=1e-9)
    exact_J = G * np.array([[-m.k(Th), m.k(Tc)], [m.k(Th), -m.k(Tc)]])
    np.testing.assert_allclose(J, exact_J, rtol=1e-8)


def test_terminal_jacobian_matches_finite_differences_with_sources_and_radiation():
    m = LinearK()
    body = ConductionBody(
        [Box((0, 0, 0), (0.04, 0.02, 0.01), m)],
        0.005,
        [
            Patch("a", "x-", NodeLink("n1")),
            Patch("b", "x+", NodeLink("n2")),
            Patch("r", "z+", Radiation(0.5, 300.0)),
        ],
        [VolumeSource("heater", (0, 0, 0), (0.01, 0.02, 0.01), 0.3)],
    )
    T0 = np.array([40.0, 10.0])
    _Q, J = body.terminal_response(T0)
    step = 1e-4
    for j in range(2):
        dT = np.zeros(2)
        dT[j] = step
        Qp, _ = body.terminal_response(T0 + dT)
        Qm, _ = body.terminal_response(T0 - dT)
        # central differences: truncation ~ step² · Q''' (tiny), Newton tolerance 1e-10 relative
        np.testing.assert_allclose(J[:, j], (Qp - Qm) / (2 * step), rtol=1e-5, atol=1e-9)


def test_two_material_bar_converges_to_series_closed_form():
    """Copper-like and steel-like halves in series: interface temperature by brentq."""
    a, b = LinearK(a=50.0, b=2.0, id="A"), LinearK(a=1.0, b=0.05, id="B")
    length, Th, Tc = 0.2, 80.0, 4.0

    def mismatch(Ti):
        return (a.theta(Th) - a.theta(Ti)) - (b.theta(Ti) - b.theta(Tc))

    Ti = brentq(mismatch, Tc, Th, xtol=1e-14)
    errors = []
    for n in (8, 16, 32):
        h = length / n
        body = ConductionBody(
            [Box((0, 0, 0), (length / 2, h, h), a), Box((length / 2, 0, 0), (length, h, h), b)],
            h,
            [Patch("hot", "x-", FixedTemperature(Th)), Patch("cold", "x+", FixedTemperature(Tc))],
        )
        Q = float(body.solve_steady().patch_heat_W.sel(patch="hot"))
        exact = h * h / (length / 2) * (a.theta(Th) - a.theta(Ti))
        errors.append(abs(Q / exact - 1))
    # the harmonic mean of k at the two cell centres is second order at the interface
    order = np.polyfit(np.log([8, 16, 32]), np.log(errors), 1)[0]
    assert abs(-order - 2.0) < 0.1, errors


# ---------------------------------------------------------------- radiation
def test_slab_radiating_on_one_face_matches_brentq_closed_form():
    m = materials.get("SS304")
    length, n, T0, T_env, eps = 0.01, 10, 300.0, 77.0, 0.3
    body = bar(m, n, length, patches=[Patch("base", "x-", FixedTemperature(T0)),
                                      Patch("sky", "x+", Radiation(eps, T_env))])  # fmt: skip

    def balance(Ts):
        return m.conductivity_integral(Ts, T0) / length - eps * SIGMA * (Ts**4 - T_env**4)

    Ts = brentq(balance, T_env, T0, xtol=1e-12)
    area = body.h**2
    Q = eps * SIGMA * area * (Ts**4 - T_env**4)
    ds = body.solve_steady()
    # the face temperature is eliminated exactly, so only the table interpolation (~1e-6) is left
    assert -float(ds.patch_heat_W.sel(patch="sky")) == pytest.approx(Q, rel=1e-5)
    assert float(ds.patch_heat_W.sel(patch="base")) == pytest.approx(Q, rel=1e-5)


# ---------------------------------------------------------------- transients
def test_lumped_cube_radiative_cooling_matches_closed_form():
    """A cube with k so high that it stays isothermal (Biot ~ 1e-9) radiating to 0 K:
    C dT/dt = -εσA T⁴ with constant C gives T(t) = (T0⁻³ + 3εσA t / C)^(-1/3)."""

    class Lumped:
        id, density_kg_m3 = "lumped", 8960.0

        def k(self, T):
            return np.full_like(np.asarray(T, float), 1e4)

        def cp(self, T):
            return np.full_like(np.asarray(T, float), 385.0)

    L, eps, T0, t_end = 0.01, 1.0, 300.0, 2e5
    C = 8960.0 * 385.0 * L**3
    errors = []
    for tol in (4e-3, 1e-3):
        body = ConductionBody([Box((0, 0, 0), (L, L, L), Lumped())], L / 2,
                              [Patch("r", "x+", Radiation(eps, 1e-3))])  # fmt: skip
        ds = body.solve_transient(t_end, T0, tolerance_K=tol)
        exact = (T0**-3 + 3 * eps * SIGMA * L * L * ds.time.values / C) ** (-1.0 / 3.0)
        error = np.abs(ds["T"].mean(("x", "y", "z")).values - exact).max()
        # backward Euler on a dissipative ODE: the global error is at most the sum of the
        # local errors, each held below tolerance_K by the step controller
        assert error <= ds.attrs["steps_accepted"] * tol
        errors.append(error)
    # first order in Δt, and Δt ∝ sqrt(tolerance): a 4× tighter tolerance halves the error
    assert 1.7 < errors[0] / errors[1] < 2.3, errors
    assert errors[1] < 1e-3 * T0  # 0.1 % of the starting temperature over a 200 K drop


def test_one_dimensional_transient_matches_solve_ivp_radau():
    """A bar with k(T), cp(T) quenched at one end; the reference integrates the same
    finite-volume equations, written out here in numpy, with scipy's Radau."""
    m = LinearK(a=2.0, b=0.1, c0=50.0, c1=3.0, density=2000.0)
    length, n, T_init, T_end_face, t_end = 0.05, 10, 100.0, 20.0, 200.0
    h = length / n

    def rhs(_, T):
        u = m.theta(T)
        flow = np.zeros(n)
        face = h * (u[1:] - u[:-1])  # into cell i from i+1, W
        flow[:-1] += face
        flow[1:] -= face
        flow[0] += 2 * h * (m.theta(T_end_face) - u[0])
        return flow / (m.density_kg_m3 * h**3 * m.cp(T))

    ref = solve_ivp(rhs, (0, t_end), np.full(n, T_init), method="Radau", rtol=1e-11, atol=1e-9)
    errors = []
    for tol in (1e-3, 1e-4):
        body = bar(m, n, length, patches=[Patch("quench", "x-", FixedTemperature(T_end_face))])
        ds = body.solve_transient(t_end, T_init, output_times_s=[t_end], tolerance_K=tol)
        got = ds["T"].isel(time=-1).values.reshape(-1)
        errors.append(np.abs(got - ref.y[:, -1]).max())
        # global error of a dissipative backward-Euler run ≤ Σ local errors ≤ steps·tolerance
        assert errors[-1] <= ds.attrs["steps_accepted"] * tol
    # first order in Δt with Δt ∝ sqrt(tolerance): 10× tighter tolerance, sqrt(10)× smaller error
    assert 2.5 < errors[0] / errors[1] < 4.0, errors


# ---------------------------------------------------------------- energy balance
def test_steady_energy_balance_with_every_condition():
    m = LinearK()
    body = ConductionBody(
        [Box((0, 0, 0), (0.03, 0.02, 0.02), m)],
        0.005,
        [
            Patch("cold", "x-", FixedTemperature(10.0)),
            Patch("in", "x+", HeatFlux(power_W=0.2)),
            Patch("rad", "y+", Radiation(0.8, 150.0)),
            Patch("spot", "z+", HeatFlux(flux_W_m2=50.0), min_m=(0, 0, 0), max_m=(0.01, 0.01, 1)),
        ],
        [VolumeSource("heater", (0.01, 0, 0), (0.02, 0.01, 0.01), 0.1)],
    )
    ds = body.solve_steady()
    flows = ds.patch_heat_W.values
    assert ds.patch_heat_W.sel(patch="in") == pytest.approx(0.2, rel=1e-12)
    assert ds.patch_heat_W.sel(patch="spot") == pytest.approx(50.0 * 0.01 * 0.01, rel=1e-12)
    total = np.sum(flows) + float(ds.source_W)
    # steady state: what comes in goes out, to the Newton tolerance (1e-10 of the gross flows)
    assert abs(total) <= 1e-9 * np.sum(np.abs(flows))
    assert ds.attrs["energy_balance_W"] == pytest.approx(total, abs=1e-15)


def test_transient_energy_balance_closes_to_round_off():
    m = LinearK()
    body = ConductionBody(
        [Box((0, 0, 0), (0.02, 0.01, 0.01), m)],
        0.005,
        [Patch("cold", "x-", FixedTemperature(4.0)), Patch("rad", "x+", Radiation(0.5, 300.0))],
        [VolumeSource("heater", (0, 0, 0), (0.02, 0.01, 0.01), 0.05)],
    )
    ds = body.solve_transient(50.0, 100.0, tolerance_K=0.5)
    stored = ds.attrs["stored_energy_J"]
    # enthalpy form: H_end - H_0 equals Σ Δt·(heat in) up to the per-step Newton tolerance
    assert abs(ds.attrs["energy_balance_J"]) <= 1e-8 * abs(stored)
