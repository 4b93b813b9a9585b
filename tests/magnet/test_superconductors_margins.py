"""Critical surfaces (VALIDATION.md case 5), conductors, peak field, load line and margins."""

import numpy as np
import pytest

from solver.errors import DesignError
from solver.magnet import (
    Conductor,
    Loop,
    Magnet,
    Saddle,
    Solenoid,
    get_superconductor,
    superconductor_names,
)
from solver.magnet.field_quality import harmonics, homogeneity
from solver.magnet.margins import margins, peak_field, short_sample_current_A

MU0 = 1.25663706212e-6


def test_validation_case_5_nbti_bottura():
    nbti = get_superconductor("NbTi")
    # VALIDATION.md case 5: 2931.2 A/mm², tolerance 1e-4 relative as stated there
    assert nbti.jc(5.0, 4.2) == pytest.approx(2931.2e6, rel=1e-4)
    assert nbti.upper_critical_field_T(4.2) == pytest.approx(10.677, rel=1e-4)
    # operating fraction of case 5: 100 A in 0.1 mm²
    assert (100 / 0.1e-6) / nbti.jc(5.0, 4.2) == pytest.approx(0.341, abs=5e-4)


def test_nbti_by_hand():
    # independent transcription of Bottura's form with the VALIDATION.md constants
    B, T = 7.3, 3.1
    t = T / 9.2
    bc2 = 14.5 * (1 - t**1.7)
    expected = (
        3000e6 * 27.04 * B ** (0.57 - 1) / bc2**0.57 * (1 - B / bc2) ** 0.9 * (1 - t**1.7) ** 2.32
    )
    assert get_superconductor("NbTi").jc(B, T) == pytest.approx(expected, rel=1e-13)


def test_nb3sn_iter2008_by_hand_and_strain_peak():
    nb3sn = get_superconductor("Nb3Sn")
    B, T = 12.0, 4.2
    # transcription of Bottura & Bordini (2009) at zero intrinsic strain (s = 1), WST constants
    t = T / 16.34
    bc2 = 33.24 * (1 - t**1.52)
    b = B / bc2
    expected = 83075e6 / B * (1 - t**1.52) * (1 - t**2) * b**0.593 * (1 - b) ** 2.156
    assert nb3sn.jc(B, T) == pytest.approx(expected, rel=1e-13)
    # strain lowers Jc on both sides of the peak (Ca2 = 0: symmetric)
    assert nb3sn.jc(B, T, strain=-0.003) < expected and nb3sn.jc(B, T, strain=0.003) < expected
    assert nb3sn.jc(B, T, strain=-0.003) == pytest.approx(nb3sn.jc(B, T, strain=0.003), rel=1e-12)


def test_rebco_by_hand():
    B, T = 10.0, 20.0
    birr = 132.5 * (1 - T / 90.0) ** 1.54121
    expected = 1.82962e8 / B * birr**1.96679 * (B / birr) ** 0.5875 * (1 - B / birr) ** 1.7
    assert get_superconductor("REBCO").jc(B, T) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("name", ["NbTi", "Nb3Sn", "REBCO"])
def test_zero_outside_critical_surface_and_tc(name):
    sc = get_superconductor(name)
    tc = sc.critical_temperature_K(2.0)
    assert sc.jc(2.0, tc * 1.001) == 0.0
    assert sc.jc(2.0, tc * 0.999) > 0.0
    assert sc.jc(sc.upper_critical_field_T(4.2) * 1.001, 4.2) == 0.0


def test_unknown_superconductor_lists_names():
    with pytest.raises(DesignError, match="closest valid: Nb3Sn"):
        get_superconductor("Nb3Sm")
    assert superconductor_names() == ["Bi-2212", "Nb3Sn", "NbTi", "REBCO"]


def test_conductor_areas_and_engineering_jc():
    c = Conductor("NbTi", cu_to_sc=1.5, area_m2=1e-6)
    assert c.sc_area_m2 == pytest.approx(0.4e-6)
    assert c.cu_area_m2 == pytest.approx(0.6e-6)
    assert c.critical_current_A(5.0, 4.2) == pytest.approx(2931.2e6 * 0.4e-6, rel=1e-4)
    assert c.engineering_jc(5.0, 4.2) == pytest.approx(2931.2e6 * 0.4, rel=1e-4)
    with pytest.raises(DesignError, match="cu_to_sc"):
        Conductor("NbTi", cu_to_sc=-1, area_m2=1e-6)


def test_current_sharing_temperature_against_scan():
    nbti = get_superconductor("NbTi")
    B, J = 6.0, 1.2e9
    tcs = nbti.current_sharing_temperature_K(B, J)
    temps = np.linspace(1.9, 8.0, 200001)
    jc = nbti.jc(B, temps)
    crossing = temps[np.argmax(jc < J)]
    # brute-force scan with 3e-5 K steps
    assert tcs == pytest.approx(crossing, abs=5e-5)


def test_thick_solenoid_peak_field_against_dense_scan():
    sol = Solenoid(
        id="s", inner_radius_m=0.05, outer_radius_m=0.07, length_m=0.2, turns=2000, current_A=100.0
    )
    mag = Magnet([sol], Conductor("NbTi", cu_to_sc=1.5, area_m2=1e-6), 4.2)
    peak = float(peak_field(mag).peak_field_T.sel(coil="s"))
    rs, zs = np.meshgrid(np.linspace(0.05, 0.07, 81), np.linspace(-0.1, 0.1, 161), indexing="ij")
    dense = np.linalg.norm(
        sol.field(np.stack([rs.ravel(), 0 * rs.ravel(), zs.ravel()], 1)), axis=1
    ).max()
    # the sampler includes the winding edges where the maximum sits (inner radius)
    assert peak == pytest.approx(dense, rel=1e-3)


def test_margins_load_line_consistency():
    sol = Solenoid(
        id="s", inner_radius_m=0.05, outer_radius_m=0.07, length_m=0.2, turns=2000, current_A=100.0
    )
    cond = Conductor("NbTi", cu_to_sc=1.5, area_m2=1e-6)
    mag = Magnet([sol], cond, 4.2)
    m = margins(mag).sel(coil="s")
    b_peak = float(m.peak_field_T)
    k = b_peak / 100.0
    i_ss = float(m.short_sample_current_A)
    # independent check of the load-line intersection by a dense scan of I − Ic(k I)
    currents = np.linspace(1.0, 2000.0, 400001)
    diff = currents - cond.critical_current_A(k * currents, 4.2)
    assert i_ss == pytest.approx(currents[np.argmax(diff > 0)], abs=0.01)
    assert float(m.load_line_fraction) == pytest.approx(100.0 / i_ss)
    assert float(m.critical_surface_fraction) == pytest.approx(
        (100 / 0.4e-6) / get_superconductor("NbTi").jc(b_peak, 4.2)
    )
    assert float(m.temperature_margin_K) == pytest.approx(
        float(m.current_sharing_temperature_K) - 4.2
    )
    assert short_sample_current_A(cond, k, 4.2) == pytest.approx(i_ss)


def test_margins_need_wire_radius_for_filament_coils():
    mag = Magnet(
        [Loop(id="l", radius_m=0.1, turns=100, current_A=10.0)], Conductor("NbTi", 1.5, 1e-6), 4.2
    )
    with pytest.raises(DesignError, match="wire_radius_m"):
        margins(mag)
    mag = Magnet(
        [Loop(id="l", radius_m=0.1, turns=100, current_A=10.0)],
        Conductor("NbTi", 1.5, 1e-6, 5e-4),
        4.2,
    )
    m = margins(mag)
    # sampled on the surface of the round 100-strand bundle (radius r_w·√N), where the
    # bundle's own field μ0 N I/(2π r_w √N) adds to the loop's field
    own = MU0 * 100 * 10 / (2 * np.pi * 5e-4 * np.sqrt(100))
    assert own < float(m.peak_field_T[0]) < own + 2 * np.linalg.norm(mag.field([0, 0, 0]))


def test_margins_current_too_high_is_a_clear_error():
    sol = Solenoid(id="s", radius_m=0.05, length_m=0.2, turns=1000, current_A=5000.0)
    mag = Magnet([sol], Conductor("NbTi", cu_to_sc=1.5, area_m2=1e-7), 4.2)
    with pytest.raises(DesignError, match=r"coil 's'.*exceeds Jc"):
        margins(mag)


def test_homogeneity_of_helmholtz_pair_scales_as_r4():
    from solver.magnet import Helmholtz

    h = Helmholtz(radius_m=0.5, turns=10, current_A=1.0)
    p1 = float(homogeneity(h.field, 0.02).homogeneity_ppm)
    p2 = float(homogeneity(h.field, 0.04).homogeneity_ppm)
    # Helmholtz: first non-zero error term is 4th order in r, so doubling r gives ×16
    assert p2 / p1 == pytest.approx(16, rel=0.05)


def test_homogeneity_of_long_solenoid_cylinder():
    R, L, r, h = 0.05, 2.0, 0.01, 0.01
    sol = Solenoid(radius_m=R, length_m=L, turns=1000, current_A=1.0)
    ds = homogeneity(sol.field, r, shape="cylinder", length_m=2 * h)
    # on axis B(z) ∝ Σ± (L/2 ± z)/√(R² + (L/2 ± z)²), so B''(0)/B0 = −3R²/(R² + L²/4)²; off
    # axis B_z = B0 + ½B''(z² − ρ²/2): lowest on the end caps' centres, highest on the side at
    # z = 0, peak to peak |B''|(r²/4 + h²/2). Side samples miss z = 0 by 0.23 mm (4e-4) and the
    # 4th-order terms are ~10 (r/(L/2))² (1e-3): 2e-3
    curvature = 3 * R**2 / (R**2 + L**2 / 4) ** 2
    assert float(ds.homogeneity_ppm) == pytest.approx(
        curvature * (r**2 / 4 + h**2 / 2) * 1e6, rel=2e-3
    )
    b0 = MU0 * 1000 * 1.0 / np.sqrt(4 * R**2 + L**2)  # thin solenoid centre, μ0NI/√(4R² + L²)
    assert float(ds.B0_T) == pytest.approx(b0, rel=1e-12)


def test_harmonics_of_a_long_straight_wire():
    from solver.magnet import Path

    w0 = 0.05 * np.exp(1j * 0.7)
    wire = Path(points_m=[(w0.real, w0.imag, -500.0), (w0.real, w0.imag, 500.0)], current_A=1000.0)
    r0 = 0.02
    h = harmonics(wire.field, r0, main_order=1, n_max=8)
    # 2-D expansion: By + iBx = −μ0 I/(2π w0) Σ (w/w0)^(n−1), so C_n = −μ0 I/(2π w0)(r0/w0)^(n−1)
    n = np.arange(1, 9)
    cn = -MU0 * 1000 / (2 * np.pi * w0) * (r0 / w0) ** (n - 1)
    # wire ends 500 m away: relative error ~ (0.05/500)² = 1e-8
    np.testing.assert_allclose(h.B_n_T.values, cn.real, atol=1e-7 * abs(cn[0]))
    np.testing.assert_allclose(h.A_n_T.values, cn.imag, atol=1e-7 * abs(cn[0]))
    assert float(h.b[0]) == pytest.approx(1e4 * cn[0].real / abs(cn[0]), rel=1e-6)


def test_saddle_dipole_harmonics_are_dipole_dominated():
    saddle = Saddle(radius_m=0.05, length_m=20.0, lines=12, current_A=100.0)
    h = harmonics(saddle.field, 0.02, main_order=1, n_max=9)
    assert float(h.b.sel(n=1)) == pytest.approx(1e4)
    # symmetric cos-θ lines: no even normal harmonics, no skew terms (round-off only)
    assert np.all(np.abs(h.a.values) < 1e-6)
    assert np.all(np.abs(h.b.sel(n=[2, 4, 6, 8]).values) < 1e-6)
    # 12 lines per half-pole approximate cos θ well: b3 is a few units at most
    assert abs(float(h.b.sel(n=3))) < 50
