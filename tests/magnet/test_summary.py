"""The magnet summary gathers the API's numbers without changing them."""

import pytest

from cryogen_templates import DESIGNS_DIR
from solver.magnet import fringe_extent_m, load_coil_file, margins, summarise

MU0 = 1.25663706212e-6  # H/m, CODATA 2018 (as VALIDATION.md)


def test_summary_of_the_nbti_solenoid():
    magnet = load_coil_file(DESIGNS_DIR / "coils" / "nbti_solenoid.coil.json")
    s = summarise(magnet, detection_s=0.05, max_dump_voltage_V=100.0)
    assert s.margins.equals(margins(magnet))
    i0 = 100.0
    # definitions: E = L I²/2, R = V/I, τ = L/R (exact up to round-off)
    assert s.stored_energy_J == pytest.approx(0.5 * s.inductance_H * i0**2, rel=1e-9)
    assert s.dump_resistance_ohm == pytest.approx(100.0 / i0, rel=1e-12)
    assert s.tau_s == pytest.approx(s.inductance_H / s.dump_resistance_ohm, rel=1e-12)
    # a thick solenoid's inductance lies between the long-solenoid values at its inner and
    # outer radius times Nagaoka's factor < 1: μ0 N² π r_in² / ℓ · 0.5 < L < μ0 N² π r_out² / ℓ
    n, length = 2000, 0.2
    assert MU0 * n**2 * 3.14159 * 0.05**2 / length * 0.5 < s.inductance_H
    assert s.inductance_H < MU0 * n**2 * 3.141593 * 0.07**2 / length
    assert s.hot_spot_K is not None and s.hot_spot_K > magnet.operating_temperature_K
    assert float(s.ic_curve.B.min()) > 0 and s.quench_note == ""
    assert s.fringe.equals(fringe_extent_m(magnet))  # coils in air: their 5-gauss distances
