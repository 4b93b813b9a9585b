"""Vapour-cooled leads with a finite lead-to-gas heat transfer, against scipy's solve_bvp.

The lead (T) and its gas (G) obey (M. N. Wilson, *Superconducting Magnets*, Oxford
1983, §11.3)

    d/dx(kA dT/dx) + I²ρ(T)/A − hP (T − G) = 0,   ṁ cp(G) dG/dx = hP (T − G),

with T at both ends given and the gas entering at the cold end's temperature. The
reference solves this boundary-value problem with ``scipy.integrate.solve_bvp``
(collocation, independent of the finite-volume kernel), with the material library's
k(T), NIST Monograph 177 ρ(T) and CoolProp helium cp on a 0.05 K table.
"""

from __future__ import annotations

import numpy as np
import pytest
from CoolProp.CoolProp import PropsSI
from scipy import integrate

from solver import fluids, materials
from solver.errors import DesignError
from solver.materials._resistivity import copper_resistivity
from solver.thermal import leads

COPPER = "OFHC-Cu-RRR100"
P = fluids.STANDARD_ATMOSPHERE_PA
I, L, A, MDOT = 100.0, 1.0, 3.4e-5, 1e-5


def _bath_and_gas():
    return fluids.bath_state("He", P), fluids.vapour_enthalpy_table("He", P)


def bvp_heat(hP: float, T_cold: float, T_warm: float) -> tuple[float, float]:
    """Heat into the cold end and from the warm end by collocation (y = T, kA dT/dx, G)."""
    mat = materials.get(COPPER)
    grid = np.arange(T_cold, T_warm + 0.1, 0.05)
    cp_grid = np.array([PropsSI("C", "T", float(t), "P", P, "Helium") for t in grid[1:]])
    cp_grid = np.concatenate(([PropsSI("C", "P", P, "Q", 1, "Helium")], cp_grid))

    def rhs(_x, y):
        T = np.clip(y[0], 1.0, 310.0)
        G = np.clip(y[2], T_cold, T_warm)
        exchange = hP * (T - G)
        return np.vstack(
            (
                y[1] / (mat.k(T) * A),
                -I * I * copper_resistivity(T, 100.0) / A + exchange,
                exchange / (MDOT * np.interp(G, grid, cp_grid)),
            )
        )

    def bc(ya, yb):
        return np.array([ya[0] - T_cold, yb[0] - T_warm, ya[2] - T_cold])

    x = np.linspace(0.0, L, 201)
    line = T_cold + (T_warm - T_cold) * x / L
    sol = integrate.solve_bvp(
        rhs, bc, x, np.vstack((line, np.full_like(x, 5.0), line)), tol=1e-6, max_nodes=100_000
    )
    assert sol.status == 0, sol.message
    return float(sol.y[1, 0]), float(sol.y[1, -1])


@pytest.mark.parametrize("hP", [0.05, 2.0])
def test_finite_exchange_against_solve_bvp(hP):
    bath, gas = _bath_and_gas()
    lead = leads.Lead("v", leads.lead_material(COPPER), I, L, A, gas=gas, exchange_W_per_m_K=hP)
    e = lead.ends(bath.temperature_K, 300.0, MDOT)
    q_cold, q_warm = bvp_heat(hP, bath.temperature_K, 300.0)
    # The gas term is first order: on the kernel's 256 segments (EXCHANGE_SEGMENTS) the
    # cold-end heat agrees to ~1e-5 and the warm-end heat, which carries the gas's
    # enthalpy rise, to ~1e-3 (it converges to the collocation value as the mesh is
    # refined: 1.1e-4 at 1024 segments); solve_bvp runs at tol 1e-6
    assert e.q_cold_W == pytest.approx(q_cold, rel=1e-4)
    assert e.q_warm_W == pytest.approx(q_warm, rel=2e-3)


def test_strong_exchange_tends_to_perfect_exchange_and_weak_to_conduction():
    bath, gas = _bath_and_gas()
    T_c = bath.temperature_K
    conductor = leads.lead_material(COPPER)
    perfect = leads.Lead("p", conductor, I, L, A, gas=gas).ends(T_c, 300.0, MDOT)
    strong = leads.Lead("s", conductor, I, L, A, gas=gas, exchange_W_per_m_K=1e6)
    # the gas lags the lead by ~ṁ cp dT/dx / hP: a relative effect of order 1e-5 here
    assert strong.ends(T_c, 300.0, MDOT).q_cold_W == pytest.approx(perfect.q_cold_W, rel=1e-4)
    alone = leads.Lead("c", conductor, I, L, A).ends(T_c, 300.0)
    weak = leads.Lead("w", conductor, I, L, A, gas=gas, exchange_W_per_m_K=1e-7)
    # hP·L·ΔT ≈ 3e-5 W of exchange at most, against watts of conduction
    assert weak.ends(T_c, 300.0, MDOT).q_cold_W == pytest.approx(alone.q_cold_W, rel=1e-4)


def test_slopes_match_finite_differences():
    bath, gas = _bath_and_gas()
    T_c = bath.temperature_K + 0.5  # above the bath: dq/dT_cold by central differences
    lead = leads.Lead("v", leads.lead_material(COPPER), I, L, A, gas=gas, exchange_W_per_m_K=1.0)
    e = lead.ends(T_c, 290.0, MDOT)
    for col, (dc, dw) in enumerate(((1e-4, 0.0), (0.0, 1e-4))):
        up = lead.ends(T_c + dc, 290.0 + dw, MDOT)
        down = lead.ends(T_c - dc, 290.0 - dw, MDOT)
        fd = np.array([up.q_cold_W - down.q_cold_W, up.q_warm_W - down.q_warm_W]) / 2e-4
        np.testing.assert_allclose(e.jacobian[:, col], fd, rtol=1e-5, atol=1e-9)
    dm = 1e-9
    up, down = lead.ends(T_c, 290.0, MDOT + dm), lead.ends(T_c, 290.0, MDOT - dm)
    fd = np.array([up.q_cold_W - down.q_cold_W, up.q_warm_W - down.q_warm_W]) / (2 * dm)
    np.testing.assert_allclose(e.d_dmdot, fd, rtol=1e-5)


def test_exchange_must_be_positive():
    _, gas = _bath_and_gas()
    with pytest.raises(DesignError, match="exchange_W_per_m_K"):
        leads.Lead("v", leads.lead_material(COPPER), I, L, A, gas=gas, exchange_W_per_m_K=0.0)
