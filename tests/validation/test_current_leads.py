"""Current leads against closed forms, scipy shooting solutions and a published lead figure.

References
----------
- Optimal conduction-cooled lead Q = I·sqrt(2∫kρ dT) and its Wiedemann–Franz form
  I·sqrt(L₀(T_h² − T_c²)): M. N. Wilson, *Superconducting Magnets* (Oxford 1983) §11.2;
  R. McFee, "Optimum input leads for cryogenic apparatus", Rev. Sci. Instrum. 30 (1959) 98
  (title, year and form checked, volume/page not; see solver/thermal/leads.py).
- Lead equation d/dx(kA dT/dx) − ṁ cp dT/dx + I²ρ/A = 0: Wilson §11.2 (and JUAS 2013
  lecture 5, /work/shared/reference/extra2/current_leads.json).
- Vapour-cooled lead consumption: American Magnetics Inc., 2.8e-3 L/h per ampere per
  lead pair measured at design current (americanmagnetics.com/vccl.php, same pack).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from CoolProp.CoolProp import PropsSI
from scipy import integrate, optimize

from solver import fluids, materials
from solver.errors import DesignError
from solver.materials._resistivity import LORENZ_NUMBER, copper_resistivity
from solver.thermal import leads

COPPER = "OFHC-Cu-RRR100"


def shooting_heat(material, rrr, I, L, A, T_cold, T_warm, mdot=0.0, cp=None, from_warm=False):
    """Heat into the cold end and from the warm end by shooting with solve_ivp (independent of
    the FV kernel); ``from_warm`` shoots from the warm end (a strongly vapour-cooled link).

    State (T, q) along x from the cold end, q = kA dT/dx:
    dT/dx = q/(kA), dq/dx = ṁ cp dT/dx − I²ρ/A. Direct material k(T) and NIST ρ(T).
    """
    mat = materials.get(material)

    def rhs(_x, y):
        # properties clamped to 1-310 K only for trial slopes far from the answer,
        # whose profiles leave the range; the solution itself stays within its ends
        T, q = min(max(y[0], 1.0), 310.0), y[1]
        dT = q / (mat.k(T) * A)
        gas = mdot * cp(T) * dT if mdot else 0.0
        return [dT, gas - I * I * copper_resistivity(T, rrr) / A]

    def warm_end(q0):
        sol = integrate.solve_ivp(rhs, (0, L), [T_cold, q0], method="LSODA", rtol=1e-10, atol=1e-12)
        return sol.y[0, -1] - T_warm, sol.y[1, -1]

    def cold_end(qN):  # backwards from the warm end: stable when the gas term dominates
        sol = integrate.solve_ivp(rhs, (L, 0), [T_warm, qN], method="LSODA", rtol=1e-10, atol=1e-14)
        return sol.y[0, -1] - T_cold, sol.y[1, -1]

    if from_warm:
        qN = optimize.brentq(lambda q: cold_end(q)[0], 0.0, 100.0, xtol=1e-14)
        return cold_end(qN)[1], qN
    q0 = optimize.brentq(lambda q: warm_end(q)[0], 1e-3, 50.0, xtol=1e-12)
    return q0, warm_end(q0)[1]


def test_optimal_conduction_lead_equals_closed_form():
    """Q_min = I·sqrt(2∫kρ dT) with ∫ by scipy quad over the library k and NIST ρ."""
    mat = materials.get(COPPER)
    integral = integrate.quad(
        lambda t: mat.k(t) * copper_resistivity(t, 100.0), 4.2, 300.0, epsrel=1e-12, limit=200
    )[0]
    opt = leads.optimal_conduction_lead(leads.lead_material(COPPER), 1000.0, 4.2, 300.0)
    # 1e-6: the code integrates tabulated k·ρ (grid step 0.23 % in T)
    assert opt.q_cold_W == pytest.approx(1000.0 * math.sqrt(2.0 * integral), rel=1e-6)
    # Wiedemann–Franz form: copper's Lorenz ratio dips below L₀ between ~10 and 100 K
    # (inelastic scattering; Wilson fig. 11.3), so the real optimum lies below it, within 10 %
    wf = 1000.0 * math.sqrt(LORENZ_NUMBER * (300.0**2 - 4.2**2))
    assert 0.9 * wf < opt.q_cold_W < wf
    # the textbook figure for copper 300 K -> 4.2 K: about 42-47 W/kA (Wilson §11.2, pack note)
    assert 42.0 < opt.q_cold_W < 47.0


def test_fixed_lead_against_shooting():
    """A fixed-geometry conduction-cooled lead equals the solve_ivp shooting solution."""
    I, L, A = 200.0, 0.5, 2.0e-5
    lead = leads.Lead("l", leads.lead_material(COPPER), I, L, A)
    ends = lead.ends(4.2, 300.0)
    q_cold, q_warm = shooting_heat(COPPER, 100.0, I, L, A, 4.2, 300.0)
    # 1e-5: Richardson-combined 64/32-segment mesh (4th order) against rtol 1e-10 shooting
    assert ends.q_cold_W == pytest.approx(q_cold, rel=1e-5)
    assert ends.q_warm_W == pytest.approx(q_warm, rel=1e-5)
    # energy: heat in at the warm end plus Joule heat leaves at the cold end
    joule = (
        I
        * I
        * integrate.trapezoid(
            copper_resistivity(ends.profile_K, 100.0), dx=L / (ends.profile_K.size - 1)
        )
        / A
    )
    assert ends.q_warm_W + joule == pytest.approx(ends.q_cold_W, rel=1e-3)  # trapezoid on 64 cells


def test_fixed_lead_at_the_optimum_shape_draws_no_warm_heat():
    """At the optimal I·L/A the fixed-geometry solver gives Q_min and ~no heat at the warm end,
    and any other shape puts more heat into the cold end."""
    cu = leads.lead_material(COPPER)
    I = 100.0
    opt = leads.optimal_conduction_lead(cu, I, 4.2, 300.0)
    A = I * 0.5 / opt.current_length_over_area_A_per_m
    at = leads.Lead("opt", cu, I, 0.5, A).ends(4.2, 300.0)
    assert at.q_cold_W == pytest.approx(opt.q_cold_W, rel=1e-5)
    assert abs(at.q_warm_W) < 1e-3 * opt.q_cold_W  # q_warm ∝ sqrt of the shape error
    for factor in (0.9, 1.1):
        other = leads.Lead("other", cu, I, 0.5, A * factor).ends(4.2, 300.0)
        assert other.q_cold_W > opt.q_cold_W


def test_lead_jacobian_matches_finite_differences():
    lead = leads.Lead("l", leads.lead_material(COPPER), 150.0, 0.4, 3e-5)
    e = lead.ends(40.0, 290.0)
    h = 1e-4
    for col, (dc, dw) in enumerate(((h, 0.0), (0.0, h))):
        up = lead.ends(40.0 + dc, 290.0 + dw)
        down = lead.ends(40.0 - dc, 290.0 - dw)
        fd = np.array([up.q_cold_W - down.q_cold_W, up.q_warm_W - down.q_warm_W]) / (2 * h)
        np.testing.assert_allclose(e.jacobian[:, col], fd, rtol=1e-5, atol=1e-9)


def test_zero_current_is_pure_conduction():
    mat = materials.get(COPPER)
    e = leads.Lead("l", leads.lead_material(COPPER), 0.0, 0.3, 1e-5).ends(77.0, 300.0)
    q = 1e-5 / 0.3 * integrate.quad(mat.k, 77.0, 300.0, epsrel=1e-12)[0]
    assert e.q_cold_W == pytest.approx(q, rel=1e-6)
    assert e.q_warm_W == pytest.approx(q, rel=1e-6)


def test_burn_out_names_the_lead():
    with pytest.raises(DesignError, match="'thin' burns out"):
        leads.Lead("thin", leads.lead_material(COPPER), 500.0, 1.0, 1e-6).ends(4.2, 300.0)


def test_non_copper_normal_lead_refused():
    with pytest.raises(DesignError, match="only copper has a sourced resistivity"):
        leads.lead_material("Brass")


def test_vapour_cooled_lead_against_shooting():
    """Fixed-geometry lead with a given gas flow (perfect exchange) against solve_ivp shooting."""
    p = fluids.STANDARD_ATMOSPHERE_PA
    bath = fluids.bath_state("He", p)
    gas = fluids.vapour_enthalpy_table("He", p)
    I, L, A, mdot = 100.0, 1.0, 3.4e-5, 1e-5
    e = leads.Lead("v", leads.lead_material(COPPER), I, L, A, gas=gas).ends(
        bath.temperature_K, 300.0, mdot
    )

    def cp(T):  # the gas at the bath end is saturated vapour (Q = 1)
        if T <= bath.temperature_K * (1 + 1e-6):
            return PropsSI("C", "P", p, "Q", 1, "Helium")
        return PropsSI("C", "T", float(T), "P", p, "Helium")

    q_cold, q_warm = shooting_heat(COPPER, 100.0, I, L, A, bath.temperature_K, 300.0, mdot, cp)
    # 2e-4: the kernel's gas table is linear in T between 0.23 % grid steps; the
    # shooting calls CoolProp directly
    assert e.q_cold_W == pytest.approx(q_cold, rel=2e-4)
    assert e.q_warm_W == pytest.approx(q_warm, rel=2e-4)
