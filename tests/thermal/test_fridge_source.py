"""The dilution-refrigerator source on the network: its terms by hand, its Jacobian by differences."""

from __future__ import annotations

import numpy as np
import pytest

from solver.thermal import dilution, helium
from solver.thermal.fridge_source import FridgeOnNetwork

R = 8.314462618
MC, CP, STILL, P4, P50, POT = 0, 1, 2, 3, 4, 5


def fridge(exchanger=None, precool=0.0, pot=False):
    return FridgeOnNetwork(
        id="dr",
        nodes=("mxc", "cold_plate", "still", "plate4", "plate50", "pot"),
        mixing_chamber=MC,
        still=STILL,
        plate4=P4,
        plate50=P50,
        cold_plate=CP,
        flow_mol_s=5e-4,
        still_K=0.8,
        exchanger=exchanger or dilution.Exchanger(effectiveness=0.95, warm_K=0.1),
        precool_W_K=precool,
        room_K=300.0,
        pot=POT if pot else -1,
        pot_flow_mol_s=1e-3 if pot else 0.0,
    )


def net_heat(fr, T):
    return fr.heat(T)[0]


def test_operating_terms_by_hand():
    T = np.array([0.015, 0.1, 0.8, 3.0, 45.0, 1.5])
    terms, _, flags = fridge().terms(T)
    by = {(node, name): w for node, name, w in terms}
    n, cp = 5e-4, 2.5 * R
    assert by[(P50, "He-3 return precool")] == pytest.approx(n * cp * 255.0)
    assert by[(P4, "He-3 return precool + condensing")] == pytest.approx(n * (cp * 42.0 + 47.6976))
    assert by[(STILL, "still evaporation")] == pytest.approx(-n * helium.he3_latent_heat(0.8))
    T_ex2 = 0.015**2 + 0.05 * (0.1**2 - 0.015**2)
    assert by[(MC, "dilution (mixing chamber)")] == pytest.approx(-n * (95 * 0.015**2 - 11 * T_ex2))
    q = 95 * 0.015**2 - 11 * T_ex2
    assert by[(CP, "step exchangers (cold plate)")] == pytest.approx(-n * (84 * 0.1**2 - q))
    # enthalpy balance below the cold plate (Pobell's enthalpies): streams in and out at T_cp
    total = by[(CP, "step exchangers (cold plate)")] + by[(MC, "dilution (mixing chamber)")]
    assert total == pytest.approx(-n * 84 * 0.1**2, rel=1e-12)
    assert any("upper bound" in f for f in flags)


def test_a_1K_pot_condenses_and_cools_by_he4_evaporation():
    T = np.array([0.015, 0.1, 0.8, 3.0, 45.0, 1.5])
    by = {(node, name): w for node, name, w in fridge(pot=True).terms(T)[0]}
    n, cp = 5e-4, 2.5 * R
    assert by[(P4, "He-3 return precool")] == pytest.approx(n * cp * 42.0)
    assert by[(POT, "He-3 return precool + condensing")] == pytest.approx(
        n * (cp * 1.5 + 11.4 * 4.184)
    )
    # Donnelly & Barenghi table 16.1: 89.36 J/mol at 1.5036 K, 87.76 at 1.4035 K
    L4 = 87.76 + (89.36 - 87.76) * (1.5 - 1.4035) / (1.5036 - 1.4035)
    assert by[(POT, "1 K pot evaporation")] == pytest.approx(-1e-3 * L4)


def test_nothing_circulates_above_the_critical_point_and_no_dilution_above_tricritical():
    warm = np.array([5.0, 5.0, 5.0, 4.0, 60.0, 5.0])
    fr = fridge(precool=0.1)
    terms, _, _ = fr.terms(warm)
    assert {name for _, name, _ in terms} == {
        "precool loop (still)",
        "precool loop (cold plate)",
        "precool loop (mixing chamber)",
    }
    condensing = np.array(
        [1.5, 1.2, 0.9, 3.0, 45.0]
    )  # circulating, mixing chamber not yet separated
    names = {name for _, name, _ in fr.terms(condensing)[0]}
    assert "still evaporation" in names and "dilution (mixing chamber)" not in names


@pytest.mark.parametrize(
    "T",
    [
        [0.015, 0.1, 0.79, 3.0, 45.0, 1.52],  # operating, still heater on
        [0.015, 0.1, 0.85, 3.0, 45.0, 1.52],  # still above still_K: heater off
        [0.85, 0.86, 0.9, 3.0, 45.0, 1.52],  # mixing chamber inside the phase-separation ramp
        [1.5, 1.4, 1.2, 3.3, 45.0, 3.3],  # condenser inside the condensing ramp, still above 1 K
        [0.02, 0.08, 0.7, 2.9, 40.0, 1.2],
        [3.0, 3.0, 3.0, 4.2, 40.0, 3.0],  # 4 K plate inside the pot-filling ramp
        [0.015, 0.1, 0.79, 3.0, 45.0, 1.4995],  # pot inside its regulation band
        [0.015, 0.1, 0.79, 3.0, 45.0, 1.3],  # pot well below pot_K: regulation near its cap
    ],
)
@pytest.mark.parametrize("precool", [0.0, 0.05])
@pytest.mark.parametrize("pot", [False, True])
@pytest.mark.parametrize("continuous", [False, True])
def test_jacobian_matches_central_differences(T, precool, pot, continuous):
    T = np.array(T)
    exchanger = dilution.Exchanger(kapitza_W_K4=30.0, warm_K=1.0) if continuous else None
    fr = fridge(exchanger=exchanger, precool=precool, pot=pot)
    J = fr.heat(T)[1]
    for j in range(6):
        h = 1e-7 * max(T[j], 1e-3)
        up, dn = T.copy(), T.copy()
        up[j] += h
        dn[j] -= h
        col = (net_heat(fr, up) - net_heat(fr, dn)) / (2 * h)
        # central differences: truncation ~h^2, round-off ~1e-16 * |Q| / h
        np.testing.assert_allclose(J[:, j], col, rtol=1e-5, atol=1e-9)
