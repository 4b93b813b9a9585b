"""He-3 circulation model against published values, closed forms and independent root finds."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from solver.errors import DesignError
from solver.thermal import dilution, helium
from solver.thermal.dilution import Exchanger

R = 8.314462618  # J/(mol K), CODATA 2018


def test_he3_vapour_pressure_matches_the_reference_pack_rows():
    # rows computed by the reference pack's authors from the T62 equation
    # (shared/reference/extra2/helium3_dilution.json, he3_vapour_pressure_T62.derived_values_Pa);
    # tolerance 5e-4: the rows are given to 4 decimals (0.2502 Pa at 0.3 K)
    rows = [(0.3, 0.2502), (0.5, 21.2281), (0.8, 385.6346), (1.0, 1178.8898), (2.0, 20146.6263)]
    rows += [(3.324, 116317.4361)]
    T, P = np.array(rows).T
    np.testing.assert_allclose(helium.he3_vapour_pressure(T), P, rtol=5e-4)


def test_he3_latent_heat_is_clausius_clapeyron_on_the_vapour_pressure():
    # independent: central difference of ln P (h = 1e-5 K, truncation error ~1e-10 relative)
    h = 1e-5
    for T in (0.3, 0.5, 0.7, 0.9):
        dlnp = (
            math.log(helium.he3_vapour_pressure(T + h))
            - math.log(helium.he3_vapour_pressure(T - h))
        ) / (2 * h)
        assert helium.he3_latent_heat(T) == pytest.approx(R * T * T * dlnp, rel=1e-7)
    # below the measured maximum of AOW 1950 (11.4 cal/mol = 47.7 J/mol) everywhere it is used
    assert np.all(helium.he3_latent_heat(np.linspace(0.2, 1.0, 50)) < 47.7)


def test_he4_latent_heat_follows_donnelly_low_temperature_law():
    # Donnelly & Barenghi: L = 59.83 + (5/2) R T below 0.9 K (the table rows there come from it);
    # tolerance 0.01 J/mol: the rows are rounded to 0.01
    for T in (0.55, 0.75, 0.85):
        assert helium.he4_latent_heat(T) == pytest.approx(59.83 + 2.5 * 8.31451 * T, abs=0.01)
    assert helium.he4_latent_heat(1.5036) == pytest.approx(89.36)  # a measured row, exactly


def test_mixing_chamber_cooling_matches_pobell_worked_numbers():
    # shared/reference/extra/dilution_refrigerators.json derived_examples_uW (84 n T^2, ideal exchanger)
    for flow, T, uW in [(1e-4, 0.01, 0.84), (1e-4, 0.1, 84), (5e-4, 0.02, 16.8), (1e-3, 0.1, 840)]:
        assert dilution.mixing_chamber_cooling(flow, T) * 1e6 == pytest.approx(uW, rel=1e-12)
    # with an exit temperature: n(95 T^2 - 11 T_ex^2)
    q = dilution.mixing_chamber_cooling(5e-4, 0.02, Exchanger(exit_K=0.03))
    assert q == pytest.approx(5e-4 * (95 * 0.02**2 - 11 * 0.03**2), rel=1e-12)


def test_load_curve_is_the_root_of_the_enthalpy_balance():
    ex = Exchanger(effectiveness=0.97, warm_K=0.1)
    flow = 4e-4
    loads = np.array([0.0, 1e-6, 2e-5, 1e-4, 5e-4])

    def balance(T, P):  # written out independently of the module
        T_ex = math.sqrt(T * T + 0.03 * (0.1**2 - T * T))
        return flow * (95 * T * T - 11 * T_ex * T_ex) - P

    expected = [brentq(balance, 1e-4, 0.8, args=(P,), xtol=1e-14) for P in loads]
    curve = dilution.load_curve(flow, loads, ex)
    np.testing.assert_allclose(curve["T_mc_K"].values, expected, rtol=1e-10)
    assert curve["T_mc_K"].attrs["units"] == "K"


def test_flow_needed_inverts_the_cooling_power():
    ex = Exchanger(exit_K=0.025)
    flow = dilution.flow_for(0.02, 10e-6, ex)
    assert 10e-6 == pytest.approx(flow * (95 * 0.02**2 - 11 * 0.025**2), rel=1e-12)
    with pytest.raises(DesignError, match="exchanger"):
        dilution.flow_for(0.005, 1e-6, ex)  # 95*25e-6 < 11*625e-6: no cooling at all


def test_ideal_exchanger_limits_agree():
    T = np.array([0.01, 0.05, 0.2])
    ideal = dilution.mixing_chamber_cooling(1e-3, T)
    np.testing.assert_allclose(
        dilution.mixing_chamber_cooling(1e-3, T, Exchanger(effectiveness=1.0, warm_K=0.1)), ideal
    )
    np.testing.assert_allclose(ideal, 84e-3 * T**2)


def test_still_heater_sets_the_circulation():
    L = helium.he3_latent_heat(0.8)
    flow = dilution.flow_from_still_heater(15e-3, 2e-3, 0.8)
    assert flow == pytest.approx(17e-3 / L)
    assert dilution.still_cooling(flow, 0.8) == pytest.approx(17e-3)


def test_return_line_loads_by_hand():
    flow = 5e-4
    loads, flags = dilution.return_line_loads(flow, 45.0, 3.0, 3.0)
    cp = 2.5 * R
    assert loads["plate50"] == pytest.approx(flow * cp * 255.0)
    assert loads["plate4"] == pytest.approx(
        flow * (cp * 42.0 + 11.4 * 4.184)
    )  # bounded L above 1 K
    assert flags and "upper bound" in flags[0]
    pot, _ = dilution.return_line_loads(flow, 45.0, 3.0, 0.9, condensing_on_4K=False)
    assert pot["condenser"] == pytest.approx(flow * (cp * 2.1 + helium.he3_latent_heat(0.9)))
    with pytest.raises(DesignError, match="critical point"):
        dilution.return_line_loads(flow, 45.0, 3.5, 3.5)


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: dilution.mixing_chamber_cooling(1e-7, 0.01), "flow_mol_s"),
        (lambda: dilution.still_cooling(1e-3, 1.3), "still_K"),
        (lambda: Exchanger(effectiveness=1.2, warm_K=0.1), "exchanger_effectiveness"),
        (lambda: Exchanger(effectiveness=0.9), "exchanger_warm_K"),
        (lambda: dilution.mixing_chamber_temperature(1e-2, 1e-4), "load_W"),
        (lambda: dilution.pot_cooling(1e-3, 2.5), "pot_K"),
    ],
)
def test_out_of_range_input_is_refused_by_name(call, field):
    with pytest.raises(DesignError, match=field):
        call()
