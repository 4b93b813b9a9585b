"""Margins of magnets with iron: peak field and load line from the FEM, checked against
Biot–Savart (iron with μr = 1) and against the exact image solution of a line current
beside a linear iron cylinder; the saturating load line meets the critical surface."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize

from solver.magnet import coil_from_dict, margins, summarise
from solver.magnet.fem import FemMagnet
from solver.magnet.fem.load_line import conductor_samples, peak_fields_at
from tests.magnet.fem_inputs import SOLENOID, axisymmetric_file, line_current_beside_rod

MU0 = 1.25663706212e-6  # H/m, CODATA 2018
NBTI = {"superconductor": "NbTi", "cu_to_sc": 1.5, "area_m2": 1e-6, "wire_radius_m": 5e-4}


@pytest.mark.slow  # two margins and two energies of a thick solenoid: 15 s
def test_iron_with_unit_permeability_gives_the_biot_savart_margins():
    # a μr = 1 ring far from the winding sends the file down the FEM path without changing
    # the field: peak field, short-sample current and temperature margin must be those of
    # Biot–Savart. Tolerance 1e-3: the FEM's accuracy at this mesh (measured 6e-5 on the
    # peak field, which sits on the winding's inner face)
    ring = {
        "id": "air_ring",
        "material": {"mu_r": 1.0},
        "shape": {
            "type": "polygon",
            "points_m": [[0.3, -0.05], [0.32, -0.05], [0.32, 0.05], [0.3, 0.05]],
        },
    }
    extra = {"conductor": NBTI, "operating_temperature_K": 4.2}
    fem_file = axisymmetric_file([SOLENOID], 0.01, **extra)
    fem_file["iron"] = [ring]
    fem = coil_from_dict(fem_file)
    assert isinstance(fem, FemMagnet)
    air = coil_from_dict({"schema": "cryogen/coil@1", "coils": [SOLENOID], **extra})
    got, want = margins(fem), margins(air)
    assert got.attrs["peak_field_from"] == "FEM" and want.attrs["peak_field_from"] == "Biot-Savart"
    for name in ("peak_field_T", "short_sample_current_A", "current_sharing_temperature_K"):
        assert got[name].values == pytest.approx(want[name].values, rel=1e-3), name
    # the FEM load line is straight here: every sample on B = k·I
    k = float(want.peak_field_T[0] / want.current_A[0])
    line_b = got.load_line_peak_field_T.values[0]
    assert line_b == pytest.approx(k * got.load_line_current_A.values[0], rel=1e-3, abs=1e-9)
    # stored energy and inductance from the FEM energy against the Biot–Savart inductance
    s_fem, s_air = summarise(fem), summarise(air)
    assert s_fem.inductance_H == pytest.approx(s_air.inductance_H, rel=5e-3)
    assert s_fem.stored_energy_J == pytest.approx(s_air.stored_energy_J, rel=5e-3)


def _cylinder_image_peak_T(current, d, radius, mu_r, wire, n=20000):
    """Peak |B| on the surface (radius ``wire``) of a line current at (d, 0) outside a
    linear iron cylinder of radius ``radius`` at the origin: the exterior field is that of
    the current, an image k·I at (radius²/d, 0) and −k·I at the centre, k = (μr−1)/(μr+1)
    (W. R. Smythe, *Static and Dynamic Electricity*, 3rd ed. 1968, §7.18; K. J. Binns,
    P. J. Lawrenson, *Analysis and Computation of Electric and Magnetic Field Problems*,
    1973, ch. 3)."""
    k = (mu_r - 1) / (mu_r + 1)
    t = 2 * np.pi * np.arange(n) / n
    p = np.column_stack([d + wire * np.cos(t), wire * np.sin(t)])
    b = np.zeros_like(p)
    for x0, i in ((d, current), (radius**2 / d, k * current), (0.0, -k * current)):
        rel = p - [x0, 0.0]
        r2 = np.sum(rel * rel, axis=1)
        b += MU0 * i / (2 * np.pi * r2)[:, None] * np.column_stack([-rel[:, 1], rel[:, 0]])
    return float(np.linalg.norm(b, axis=1).max())


def test_line_current_beside_a_linear_iron_cylinder_matches_the_image_solution():
    current, d, radius, mu_r, wire = 2000.0, 0.03, 0.02, 1000.0, 0.004
    coil_file = line_current_beside_rod(
        current,
        d,
        radius,
        mu_r,
        0.004,
        conductor={**NBTI, "area_m2": math.pi * wire**2, "wire_radius_m": wire},
        operating_temperature_K=4.2,
    )
    magnet = coil_from_dict(coil_file)
    got = margins(magnet)
    b_exact = _cylinder_image_peak_T(current, d, radius, mu_r, wire)
    # the iron adds 7.6 % to the wire's own field μ0I/2πa (exact in the FEM's source
    # term); 1e-3 of the total is 1.3 % of the iron's part, which the 4 mm second-order
    # mesh resolves (measured 4.5e-4)
    assert float(got.peak_field_T[0]) == pytest.approx(b_exact, rel=1e-3)
    cond = magnet.conductor
    i_ss = optimize.brentq(
        lambda i: i - cond.critical_current_A(b_exact / current * i, 4.2), 1.0, 1e6, rtol=1e-12
    )
    # the short-sample current moves with the field by |d ln I_ss / d ln B| < 1
    assert float(got.short_sample_current_A[0]) == pytest.approx(i_ss, rel=1e-3)


@pytest.mark.slow  # about ten FEM solves of a 0.01 m mesh: 20 s on two shared cores
def test_saturating_iron_load_line_bends_and_meets_the_critical_surface():
    coil_file = axisymmetric_file([SOLENOID], 0.01, conductor=NBTI, operating_temperature_K=4.2)
    coil_file["iron"] = [
        {
            "id": "shell",
            "material": "AISI-1010",
            "shape": {
                "type": "polygon",
                "points_m": [[0.15, -0.25], [0.18, -0.25], [0.18, 0.25], [0.15, 0.25]],
            },
        }
    ]
    magnet = coil_from_dict(coil_file)
    m = margins(magnet)
    i, b = m.load_line_current_A.values[0], m.load_line_peak_field_T.values[0]
    slope = b[1:] / i[1:]
    # the iron saturates as the current grows: less field per ampere at the top of the line
    assert slope[-1] < 0.99 * slope[0]
    # the short-sample point lies on the critical surface: I_ss = Ic(B_peak(I_ss)) with
    # B_peak from an independent solve at I_ss (a FemMagnet of the scaled file)
    i_ss = float(m.short_sample_current_A[0])
    scaled = coil_from_dict({**coil_file, "coils": [{**SOLENOID, "current_A": i_ss}]})
    b_ss = float(peak_fields_at(scaled, 1.0, conductor_samples(scaled, None))[0][0])
    assert i_ss == pytest.approx(magnet.conductor.critical_current_A(b_ss, 4.2), rel=1e-5)
