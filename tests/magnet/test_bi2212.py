"""Bi-2212 round wire: the Kovari Je(B, T) fit on the whole-strand basis, margins and limits.

References: the fit's closed form as published in PROCESS (subroutine bi2212), written
out here from the formula, and PROCESS's own closed-form inverse for the temperature
margin, dT = (1/0.168)·ln(ln(1.175e9/(J + 1.288e8))/(0.02115·B)) + 4.2 − T, which our
current-sharing temperature (a brentq root of Je(B, T) = J) must reproduce.
"""

from __future__ import annotations

import math

import magpylib
import numpy as np
import pytest

from solver import catalog
from solver.errors import DesignError
from solver.magnet import (
    MU0_H_PER_M,
    Conductor,
    Magnet,
    Solenoid,
    coil_from_dict,
    get_superconductor,
)
from solver.magnet.coilfile import magnet_to_dict
from solver.magnet.margins import margins
from solver.magnet.quench import conductor_heat_capacity_per_length

BI2212 = get_superconductor("Bi-2212")


def process_je(B, T):
    """Je in A/m² from the PROCESS bi2212 formula, typed from its source."""
    b = B / math.exp(-0.168 * (T - 4.2))
    return 1.175e9 * math.exp(-0.02115 * b) - 1.288e8


def process_margin(B, J, T):
    return (1 / 0.168) * math.log(math.log(1.175e9 / (J + 1.288e8)) / (0.02115 * B)) + 4.2 - T


@pytest.mark.parametrize(
    ("B", "T"), [(6.0, 4.2), (15.0, 4.2), (20.0, 4.2), (20.0, 10.0), (30.0, 2.0), (8.0, 16.0)]
)
def test_je_is_the_process_formula(B, T):
    assert BI2212.basis == "strand"
    assert BI2212.jc(B, T) == pytest.approx(process_je(B, T), rel=1e-13)


@pytest.mark.parametrize(
    ("B", "J", "T"), [(20.0, 300e6, 4.2), (12.0, 500e6, 4.2), (25.0, 200e6, 6.0)]
)
def test_current_sharing_temperature_is_processs_closed_form_inverse(B, J, T):
    t_cs = BI2212.current_sharing_temperature_K(B, J)
    # brentq to 1e-10 K against an exact inverse
    assert t_cs - T == pytest.approx(process_margin(B, J, T), abs=1e-8)


def test_fit_zero_gives_critical_field_and_temperature():
    tc = BI2212.critical_temperature_K(20.0)
    assert BI2212.jc(20.0, tc * 1.001) == 0.0 and BI2212.jc(20.0, tc * 0.999) > 0.0
    bc = BI2212.upper_critical_field_T(4.2)
    assert bc == pytest.approx(math.log(1.175e9 / 1.288e8) / 0.02115, rel=1e-13)
    assert BI2212.jc(bc * 1.001, 4.2) == 0.0
    with pytest.raises(DesignError, match="no zero-field critical temperature"):
        BI2212.critical_temperature_K(0.0)
    assert BI2212.operating_range_K() == (0.0, 20.0)


def test_range_notes_name_field_and_temperature():
    assert BI2212.range_notes(20.0, 4.2) == []
    notes = BI2212.range_notes(3.0, 25.0)
    assert any("3 T" in n and "6-104 T" in n for n in notes) and any("25 K" in n for n in notes)


def test_strand_basis_conductor_needs_no_copper_split():
    c = Conductor("Bi-2212", cu_to_sc=None, area_m2=0.785e-6)
    assert c.jc_area_m2 == c.area_m2
    assert c.critical_current_A(20.0, 4.2) == pytest.approx(
        process_je(20.0, 4.2) * 0.785e-6, rel=1e-13
    )
    with pytest.raises(DesignError, match="cu_to_sc"):
        _ = c.sc_area_m2
    with pytest.raises(DesignError, match="'cu_to_sc' is required for NbTi"):
        Conductor("NbTi", cu_to_sc=None, area_m2=1e-6)
    # quench analysis says what is missing instead of guessing a silver matrix
    with pytest.raises(DesignError, match="no heat capacity data for 'Bi-2212'"):
        conductor_heat_capacity_per_length(c, 10.0)


def _insert(current_A):
    return {
        "schema": "cryogen/coil@1",
        "coils": [{"id": "insert", "type": "solenoid", "inner_radius_m": 0.02, "outer_radius_m": 0.04,
                   "length_m": 0.15, "turns": 3000, "current_A": current_A}],
        "conductor": {"superconductor": "Bi-2212", "area_m2": 0.785e-6, "wire_radius_m": 0.0005},
        "operating_temperature_K": 4.2,
    }  # fmt: skip


def test_coil_file_round_trip_and_margins_on_the_strand_basis():
    current = 400.0
    magnet = coil_from_dict(_insert(current))
    assert magnet.conductor.cu_to_sc is None
    assert "cu_to_sc" not in magnet_to_dict(magnet)["conductor"]
    m = margins(magnet)
    row = m.sel(coil="insert")
    b_peak = float(row.peak_field_T)
    # a solenoid's peak is on the inner radius at mid-plane; there the winding (uniform J from
    # r1 to r2) is ∫ thin sheets dr = magpylib polarised cylinders at 64 Gauss-Legendre radii,
    # converged to round-off; 1e-9 for our 24-node rule at the winding's edge
    x, w = np.polynomial.legendre.leggauss(64)
    radii, j = 0.03 + 0.01 * x, MU0_H_PER_M * 3000 * current / 0.15 * 0.5 * w
    b_edge = sum(magpylib.func.cylinder_field("B", (0.02, 0, 0), (2 * r, 0.15), (0, 0, jk))
                 for r, jk in zip(radii, j, strict=True))  # fmt: skip
    assert b_peak == pytest.approx(np.linalg.norm(b_edge), rel=1e-9)
    assert (float(row.peak_x_m), float(row.peak_z_m)) == pytest.approx((0.02, 0.0), abs=1e-12)
    assert m.attrs["flags"] == []  # inside the fit's range (6-104 T)
    je_op = current / 0.785e-6
    assert float(row.J_sc_A_m2) == pytest.approx(je_op)
    assert float(row.critical_surface_fraction) == pytest.approx(je_op / process_je(b_peak, 4.2))
    assert float(row.temperature_margin_K) == pytest.approx(
        process_margin(b_peak, je_op, 4.2), abs=1e-8
    )
    assert m.attrs["jc_basis"] == "strand"
    # the short-sample point on the load line: I = Je(k·I)·A, solved here by a dense scan
    k = b_peak / current
    currents = np.linspace(1.0, 2000.0, 200001)
    je = np.array([max(process_je(k * i, 4.2), 0.0) for i in currents])
    i_ss = currents[np.argmax(currents - je * 0.785e-6 > 0)]
    assert float(row.short_sample_current_A) == pytest.approx(i_ss, abs=0.02)


def test_margins_flag_a_peak_field_below_the_fit():
    magnet = coil_from_dict(_insert(20.0))  # peak field of about 1 T: below the fit's 6 T
    m = margins(magnet)
    assert any("(peak)" in f and "outside its range 6-104 T" in f for f in m.attrs["flags"])


def test_catalog_strands_and_their_coil_conductor():
    wire = catalog.get("wire-bi-2212-1mm")
    p = wire.parameters
    assert p["jc_basis"] == "strand" and "cu_to_sc" not in p
    assert p["Ic_A"]["value_A"] == pytest.approx(
        process_je(20.0, 4.2) * math.pi * 1e-6 / 4, rel=1e-12
    )
    conductor = catalog.to_design_element("wire-bi-2212-1mm")
    assert conductor == {
        "superconductor": "Bi-2212",
        "area_m2": pytest.approx(math.pi * 1e-6 / 4),
        "wire_radius_m": 5e-4,
    }
    magnet = Magnet([Solenoid(id="s", inner_radius_m=0.02, outer_radius_m=0.04, length_m=0.15,
                              turns=3000, current_A=400.0)],
                    Conductor(cu_to_sc=None, **conductor), 4.2)  # fmt: skip
    row = margins(magnet).sel(coil="s")
    # PROCESS's closed-form inverse at the solved peak field; brentq to 1e-10 K
    assert float(row.temperature_margin_K) == pytest.approx(
        process_margin(float(row.peak_field_T), 400.0 / (math.pi * 1e-6 / 4), 4.2), abs=1e-8
    )
