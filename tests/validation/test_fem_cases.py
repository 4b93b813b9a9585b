"""Finite-element magnetostatics against closed forms (coarse meshes, tolerances from the
mesh-convergence runs quoted in each test).

References
----------
* Line current in an iron tube: Ampère's law, H = I/(2πr) for any μ (the problem has
  cylindrical symmetry), so B in the iron is the B–H curve at that H.
* Spherical shell of linear μ in a uniform field: J. D. Jackson, *Classical
  Electrodynamics*, 3rd ed., §5.12, eq. (5.121): B_inside/B0 = 9μ_r /
  [(2μ_r + 1)(μ_r + 2) − 2(a/b)³(μ_r − 1)²].
* Thick solenoid in air: the Biot–Savart solver (elliptic integrals, VALIDATION.md case 4).
"""

import numpy as np
import pytest

from solver.magnet import Magnet
from solver.magnet.fem import bh_curve, fem_problem_from_dict, shielding_factor, solve
from tests.magnet.fem_inputs import (
    SOLENOID,
    axisymmetric_file,
    biot_savart_solenoid,
    window_frame_gap_field_T,
)


def test_line_current_in_nonlinear_iron_tube_follows_the_bh_curve():
    current = 2000.0
    problem = fem_problem_from_dict(
        {
            "schema": "cryogen/coil@1",
            "symmetry": "planar",
            "coils": [
                {"id": "w", "type": "line_current", "position_m": [0, 0], "current_A": current}
            ],
            "iron": [
                {
                    "id": "tube",
                    "material": "AISI-1010",
                    "shape": {
                        "type": "annulus",
                        "centre_m": [0, 0],
                        "r_inner_m": 0.01,
                        "r_outer_m": 0.02,
                    },
                }
            ],
            "mesh": {"max_size_m": 0.004},
        }
    )
    sol = solve(problem)
    assert sol.report.newton_steps > 2  # saturated: B ≈ 2 T, the nonlinearity matters
    curve = bh_curve("AISI-1010")
    theta = np.linspace(0, 2 * np.pi, 7)[:-1]
    for r in (0.0105, 0.015, 0.0195, 0.03, 0.5):
        pts = np.column_stack([r * np.cos(theta), r * np.sin(theta), np.zeros_like(theta)])
        b = np.linalg.norm(sol.field(pts), axis=1)
        h = current / (2 * np.pi * r)
        expected = curve.b_of_h(h) if 0.01 < r < 0.02 else 1.25663706212e-6 * h
        # h = 4 mm (2.5 elements across the wall): max 0.7 %; h = 2 mm: 0.2 %
        assert b == pytest.approx(np.full_like(b, expected), rel=1e-2)


def test_spherical_shell_shielding_factor_is_jackson():
    mu, a, b, b0 = 200.0, 0.1, 0.12, 0.01
    problem = fem_problem_from_dict(
        {
            "schema": "cryogen/coil@1",
            "symmetry": "axisymmetric",
            "coils": [],
            "iron": [
                {
                    "id": "shell",
                    "material": {"mu_r": mu},
                    "shape": {
                        "type": "annulus",
                        "centre_m": [0, 0],
                        "r_inner_m": a,
                        "r_outer_m": b,
                    },
                }
            ],
            "background_field_T": [0, 0, b0],
            "mesh": {"max_size_m": 0.02},
        }
    )
    sol = solve(problem)
    inside = sol.field([[0, 0, 0], [0.05, 0, 0.03], [0, 0.02, -0.06]])
    ratio = 9 * mu / ((2 * mu + 1) * (mu + 2) - 2 * (a / b) ** 3 * (mu - 1) ** 2)
    # uniform inside; h = 20 mm: 7e-5, 10 mm: 6e-6, 5 mm: 2e-6
    np.testing.assert_allclose(inside[:, 2] / b0, ratio, rtol=2e-3)
    np.testing.assert_allclose(inside[:, :2] / b0, 0, atol=2e-3 * ratio)
    assert shielding_factor(sol, [0, 0, 0]) == pytest.approx(1 / ratio, rel=2e-3)


def test_solenoid_with_iron_off_is_biot_savart_near_and_far():
    sol = solve(fem_problem_from_dict(axisymmetric_file([SOLENOID], 0.02)))
    magnet = Magnet([biot_savart_solenoid(SOLENOID)])
    # centre, near the axis, bore, outside the winding, and far away (through the Kelvin image)
    pts = np.array(
        [[0, 0, 0], [0.001, 0, 0.1], [0.05, 0.03, 0.1], [0.3, 0, 0.2], [0.5, 0, 1.0], [2, 0, 0.5]]
    )
    got, ref = sol.field(pts), magnet.field(pts)
    err = np.linalg.norm(got - ref, axis=1) / np.linalg.norm(ref, axis=1)
    # h = 20 mm (one element across the winding): centre 6e-5, elsewhere at most 0.6 %
    # (h = 10 mm: at most 0.4 %; the far points are limited by the air and image elements)
    assert err.max() < 2e-2
    assert err[0] < 2e-3


def test_yoked_dipole_template_gap_field_and_harmonics():
    """Window-frame dipole against the magnetic circuit (window_frame_gap_field_T)."""
    from cryogen_templates import DESIGNS_DIR
    from solver.magnet import harmonics, load_coil_file

    magnet = load_coil_file(DESIGNS_DIR / "coils" / "yoked_dipole.coil.json")
    expected = window_frame_gap_field_T()
    ds = harmonics(magnet.field, 0.03, n_max=6)
    # circuit model: fringing at the pole edges and the mean iron path make ~1 %
    assert float(ds.B_ref_T) == pytest.approx(expected, rel=1.5e-2)
    # up-down and left-right symmetric: all harmonics but the dipole vanish; what remains
    # is the element-to-element noise of B (p = 2): at most 1.9 units (1e-4) at h = 20 mm,
    # 1.5 at h = 10 mm
    assert np.all(np.abs(ds.b.values[1:]) < 3.0) and np.all(np.abs(ds.a.values) < 3.0)
