"""Gravity and acceleration pressure terms of a pipe (README, "Fluid circuits": ``rise_m``,
``acceleration``) against their closed forms.

- Hydrostatic: laminar subcooled LN2 rising ``rise_m``: Hagen–Poiseuille with the
  driving pressure less ρ·g·Δz, ṁ = π D⁴ ρ (Δp − ρ g Δz) / (128 μ L).
- Acceleration: helium gas heated in a short pipe at a fixed mass flow: switching the
  term on raises the pressure drop by the momentum-flux change G²(1/ρ_out − 1/ρ_in), ρ
  evaluated by CoolProp in the test at the solved inlet and outlet states.
"""

from __future__ import annotations

import math

import pytest
from CoolProp.CoolProp import PropsSI

from solver.flow.network import STANDARD_GRAVITY
from solver.flow.steady import steady_state
from tests.flow.designs import pipe_run


def test_rising_laminar_line_loses_the_hydrostatic_head():
    # as the laminar case of test_flow_cases: 77 K, 3 bar LN2, 2 mm bore, 1 m long, now rising
    # 5 mm: ρ g Δz ≈ 43 Pa of the 100 Pa across it
    p_in, dp, D, L, rise = 3e5, 100.0, 2e-3, 1.0, 5e-3
    ds = steady_state(
        pipe_run(
            "Nitrogen",
            {"type": "inlet", "pressure_Pa": p_in, "temperature_K": 77.0},
            {"type": "outlet", "pressure_Pa": p_in - dp},
            {"length_m": L, "diameter_m": D, "segments": 4, "rise_m": rise},
        )
    )
    rho = PropsSI("D", "P", p_in - dp / 2, "T", 77.0, "Nitrogen")
    mu = PropsSI("V", "P", p_in - dp / 2, "T", 77.0, "Nitrogen")
    head = rho * STANDARD_GRAVITY * rise
    m_closed = math.pi * D**4 * rho * (dp - head) / (128 * mu * L)
    # 1e-6 as in the level case: density and viscosity constant along the line to ~1e-7
    assert ds.mass_flow.sel(stream="line").item() == pytest.approx(m_closed, rel=1e-6)
    assert 0.3 < head / dp < 0.6  # the head is a large part of the drop


def _heated_helium(acceleration: bool):
    return steady_state(
        pipe_run(
            "Helium",
            {"type": "mass_flow_inlet", "mass_flow_kg_s": 1e-3, "temperature_K": 10.0},
            {"type": "outlet", "pressure_Pa": 1e5},
            {
                "length_m": 0.1,
                "diameter_m": 5e-3,
                "segments": 10,
                "heat_W": 20.0,
                "acceleration": acceleration,
            },
        )
    )


def test_heated_gas_pays_the_momentum_flux_change():
    off, on = _heated_helium(False), _heated_helium(True)
    G = 1e-3 / (math.pi * 5e-3**2 / 4)

    def rho(ds, point):
        p = ds.pressure.sel(fluid_node=point).item()
        h = ds.enthalpy.sel(fluid_node=point).item()
        return PropsSI("D", "P", p, "H", h, "Helium")

    closed = G**2 * (1 / rho(on, "out") - 1 / rho(on, "in"))
    extra = on.pressure_drop.sel(stream="line").item() - off.pressure_drop.sel(stream="line").item()
    # 2e-3 (5.5e-4 measured): the friction of the two runs differs only through the
    # 210 Pa shift of the pressure level (0.2 % in density, friction with it)
    assert extra == pytest.approx(closed, rel=2e-3)
    assert closed > 0.3 * on.pressure_drop.sel(stream="line").item()  # not a small term here
    assert "acceleration pressure drop" in off.attrs["flags"]
    assert "acceleration pressure drop" not in on.attrs["flags"]
