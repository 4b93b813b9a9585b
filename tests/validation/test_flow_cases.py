"""Fluid-network validation (issue 19): each case against a closed form, CoolProp run in the
test, or the correlation integrated independently here. Never against a number the solver made."""

from __future__ import annotations

import math

import numpy as np
import pytest
from CoolProp.CoolProp import PropsSI
from scipy.integrate import solve_ivp
from scipy.optimize import brentq

from solver.flow.steady import steady_state
from tests.flow.designs import ROOM, design, pipe_run


def line(fluid: str, inlet: dict, p_out: float, pipe: dict) -> dict:
    return pipe_run(fluid, inlet, {"type": "outlet", "pressure_Pa": p_out}, pipe)


def colebrook(Re: float, eD: float) -> float:
    """Colebrook (1939) solved here by brentq: 1/√f = −2 log10(ε/3.7D + 2.51/(Re √f))."""
    return brentq(
        lambda f: 1 / math.sqrt(f) + 2 * math.log10(eD / 3.7 + 2.51 / (Re * math.sqrt(f))),
        1e-4,
        1.0,
        xtol=1e-15,
    )


@pytest.mark.parametrize("friction", ["churchill", "colebrook"])
def test_laminar_pipe_hagen_poiseuille(friction):
    # subcooled LN2 at 77 K, 3 bar; 2 mm bore, 1 m, 100 Pa: Re ~ 1e3, properties constant to 1e-7
    p_in, dp, D, L = 3e5, 100.0, 2e-3, 1.0
    ds = steady_state(
        line(
            "Nitrogen",
            {"type": "inlet", "pressure_Pa": p_in, "temperature_K": 77.0},
            p_in - dp,
            {"length_m": L, "diameter_m": D, "segments": 2, "friction": friction},
        )
    )
    rho = PropsSI("D", "P", p_in - dp / 2, "T", 77.0, "Nitrogen")
    mu = PropsSI("V", "P", p_in - dp / 2, "T", 77.0, "Nitrogen")
    m_closed = math.pi * D**4 * rho * dp / (128 * mu * L)  # Hagen-Poiseuille
    assert 500 < 4 * m_closed / (math.pi * D * mu) < 2000  # laminar indeed
    # 1e-6: the fluid's temperature changes by microkelvin along the line (isenthalpic), and
    # Churchill (1977) tends to 64/Re in laminar flow to better than 1e-12 at Re = 1e3
    assert ds.mass_flow.sel(stream="line").item() == pytest.approx(m_closed, rel=1e-6)


def test_turbulent_pipe_colebrook():
    p_in, dp, D, L, eps = 3e5, 2000.0, 0.01, 5.0, 1e-5
    ds = steady_state(
        line(
            "Nitrogen",
            {"type": "inlet", "pressure_Pa": p_in, "temperature_K": 77.0},
            p_in - dp,
            {
                "length_m": L,
                "diameter_m": D,
                "roughness_m": eps,
                "segments": 2,
                "friction": "colebrook",
            },
        )
    )
    rho = PropsSI("D", "P", p_in - dp / 2, "T", 77.0, "Nitrogen")
    mu = PropsSI("V", "P", p_in - dp / 2, "T", 77.0, "Nitrogen")
    A = math.pi * D * D / 4

    def darcy(m):
        Re = m / A * D / mu
        return colebrook(Re, eps / D) * L / D * m * m / (2 * rho * A * A) - dp

    m_closed = brentq(darcy, 1e-4, 10.0, xtol=1e-15)
    assert m_closed / A * D / mu > 1e4  # turbulent
    # 1e-5: Darcy-Weisbach with Colebrook on constant properties; the liquid's properties
    # change by < 1e-6 over 2 kPa (CoolProp), the rest is the Newton tolerance
    assert ds.mass_flow.sel(stream="line").item() == pytest.approx(m_closed, rel=1e-5)


@pytest.mark.parametrize(
    "fluid,p_in,T_in,p_out",
    [("Helium", 3.0e5, 4.5, 1.2e5), ("Nitrogen", 20e5, 100.0, 1.01325e5)],
)
def test_jt_expansion_isenthalpic(fluid, p_in, T_in, p_out):
    d = design(
        {
            "fluid": fluid,
            "boundaries": [
                {"id": "hp", "type": "inlet", "pressure_Pa": p_in, "temperature_K": T_in},
                {"id": "lp", "type": "outlet", "pressure_Pa": p_out},
            ],
            "elements": [
                {"id": "jt", "type": "jt_valve", "from": "hp", "to": "lp", "area_m2": 1e-7}
            ],
        }
    )
    ds = steady_state(d)
    h_in = PropsSI("H", "P", p_in, "T", T_in, fluid)
    T_out = PropsSI("T", "P", p_out, "H", h_in, fluid)
    x_out = PropsSI("Q", "P", p_out, "H", h_in, fluid)
    assert 0 < x_out < 1  # both expansions end in the two-phase dome
    # CoolProp's own flash at the outlet; 1e-9 relative is the solver's energy tolerance
    assert ds.enthalpy.sel(fluid_node="lp").item() == pytest.approx(h_in, rel=1e-9, abs=1e-6)
    assert ds.fluid_temperature.sel(fluid_node="lp").item() == pytest.approx(T_out, abs=1e-6)
    assert ds.quality.sel(fluid_node="lp").item() == pytest.approx(x_out, abs=1e-7)
    jt_effect = ds.temperature_change.sel(stream="jt").item()
    assert jt_effect == pytest.approx(T_out - T_in, abs=1e-6)
    # orifice law with the inlet density: m = Cd A sqrt(2 rho dp), Cd = 0.61 (default)
    rho = PropsSI("D", "P", p_in, "T", T_in, fluid)
    m = 0.61 * 1e-7 * math.sqrt(2 * rho * (p_in - p_out))
    assert ds.mass_flow.sel(stream="jt").item() == pytest.approx(m, rel=1e-8)


def test_counterflow_exchanger_epsilon_ntu():
    # helium gas at 10 bar: 300 K against 80 K, cp nearly constant, ε-NTU closed form
    p, m_h, m_c, UA = 10e5, 1e-3, 1.5e-3, 5.0
    d = design(
        {
            "fluid": "He",
            "boundaries": [
                {
                    "id": "hot_in",
                    "type": "mass_flow_inlet",
                    "mass_flow_kg_s": m_h,
                    "temperature_K": 300.0,
                },
                {"id": "hot_out", "type": "outlet", "pressure_Pa": p},
                {
                    "id": "cold_in",
                    "type": "mass_flow_inlet",
                    "mass_flow_kg_s": m_c,
                    "temperature_K": 80.0,
                },
                {"id": "cold_out", "type": "outlet", "pressure_Pa": p},
            ],
            "elements": [
                {
                    "id": "hx",
                    "type": "counterflow_hx",
                    "hot_from": "hot_in",
                    "hot_to": "hot_out",
                    "cold_from": "cold_in",
                    "cold_to": "cold_out",
                    "UA_W_K": UA,
                },
            ],
        }
    )
    ds = steady_state(d)

    def h(T):
        return PropsSI("H", "P", p, "T", T, "Helium")

    C_h = m_h * (h(300.0) - h(80.0)) / 220.0
    C_c = m_c * (h(300.0) - h(80.0)) / 220.0
    C_min, C_max = min(C_h, C_c), max(C_h, C_c)
    NTU, Cr = UA / C_min, C_min / C_max
    eps = (1 - math.exp(-NTU * (1 - Cr))) / (1 - Cr * math.exp(-NTU * (1 - Cr)))  # counterflow
    Q = eps * C_min * 220.0
    assert ds.heat_to_fluid.sel(stream="hx:cold").item() == pytest.approx(Q, rel=1e-9)
    assert ds.heat_to_fluid.sel(stream="hx:hot").item() == pytest.approx(-Q, rel=1e-9)
    T_hot_out = PropsSI("T", "P", p, "H", h(300.0) - Q / m_h, "Helium")
    assert ds.fluid_temperature.sel(fluid_node="hot_out").item() == pytest.approx(
        T_hot_out, abs=1e-6
    )


def msh_gradient(m, x, p, D, fluid):
    """Müller-Steinhagen & Heck (1986) dp/dz written out here, Colebrook friction (smooth)."""
    rho_l, rho_v = (PropsSI("D", "P", p, "Q", q, fluid) for q in (0, 1))
    mu_l, mu_v = (PropsSI("V", "P", p, "Q", q, fluid) for q in (0, 1))
    A = math.pi * D * D / 4
    G = m / A

    def one_phase(rho, mu):
        Re = G * D / mu
        f = 64 / Re if Re < 2300 else colebrook(Re, 0.0)
        return f / D * G * G / (2 * rho)

    a, b = one_phase(rho_l, mu_l), one_phase(rho_v, mu_v)
    return (a + 2 * (b - a) * x) * (1 - x) ** (1 / 3) + b * x**3


def test_adiabatic_two_phase_line_muller_steinhagen_heck():
    # saturated LN2 at quality 0.1 and 3 bar flashing along a 6 mm, 20 m line
    p_in, p_out, D, L = 3e5, 2.5e5, 6e-3, 20.0
    ds = steady_state(
        line(
            "Nitrogen",
            {"type": "inlet", "pressure_Pa": p_in, "quality": 0.1},
            p_out,
            {"length_m": L, "diameter_m": D, "segments": 40},
        )
    )
    m = ds.mass_flow.sel(stream="line").item()
    h_in = PropsSI("H", "P", p_in, "Q", 0.1, "Nitrogen")

    def dpdz(z, y):
        p = y[0]
        x = PropsSI("Q", "P", p, "H", h_in, "Nitrogen")
        return [-msh_gradient(m, x, p, D, "Nitrogen")]

    sol = solve_ivp(dpdz, (0, L), [p_in], rtol=1e-10, atol=1e-6)
    # the solver's midpoint rule on 40 segments against the integrated correlation: the
    # pressure drop agrees to 1e-3 (second order in the segment length)
    assert (p_in - sol.y[0, -1]) == pytest.approx(p_in - p_out, rel=1e-3)
    assert ds.quality.sel(fluid_node="out").item() > 0.1  # flashing along the line
    assert "line: " in ds.attrs["two_phase_regimes"]


MAGNET = {"id": "magnet", "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 50.0}


def test_supercritical_helium_loop_energy_balance():
    # sHe at 4 bar, 4.5 K through a cooling tube on a magnet: 3 W on the magnet and 0.5 W on
    # the tube reach the helium; its enthalpy rise is the heat over the mass flow
    d = pipe_run(
        "Helium",
        {"type": "inlet", "pressure_Pa": 4e5, "temperature_K": 4.5},
        {"type": "outlet", "pressure_Pa": 3.5e5},
        {"length_m": 20.0, "diameter_m": 4e-3, "segments": 10, "wall": "magnet", "heat_W": 0.5},
        components=[*ROOM, {**MAGNET, "heat_load_W": 3.0}],
    )
    ds = steady_state(d)
    m = ds.mass_flow.sel(stream="line").item()
    h_in = PropsSI("H", "P", 4e5, "T", 4.5, "Helium")
    h_out = h_in + 3.5 / m
    T_out = PropsSI("T", "P", 3.5e5, "H", h_out, "Helium")
    assert ds.fluid_cooling.sel(node="magnet").item() == pytest.approx(3.0, rel=1e-9)
    assert ds.heat_to_fluid.sel(stream="line").item() == pytest.approx(3.5, rel=1e-9)
    assert ds.fluid_temperature.sel(fluid_node="out").item() == pytest.approx(T_out, abs=1e-6)
    p = ds.pressure.sel(fluid_node=[f"line:{k}" for k in range(1, 10)]).values
    assert np.all(np.diff(p) < 0)
