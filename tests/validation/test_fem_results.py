"""Results of the FEM solver against closed forms and the independent air solvers.

References
----------
* Line current beside a permeable circular cylinder: the image system is I' = I(μ−1)/(μ+1)
  at the inverse point a²/d and −I' on the axis (K. J. Binns, P. J. Lawrenson and
  C. W. Trowbridge, *The Analytical and Numerical Solution of Electric and Magnetic
  Fields*, Wiley 1992, §3.3), so the force per metre on the line is
  μ0 I I'/(2π) [1/(d − a²/d) − 1/d] toward the cylinder, and the cylinder feels the opposite.
* Solenoid in air: inductance from Maxwell's mutual inductance integrated over the winding
  (solver.magnet.self_inductance), the 5-gauss distance on the axis from Biot–Savart with
  a root find, and the axial force between two coaxial windings from Maxwell's ∂M/∂z
  (solver.magnet.inductance.coaxial_axial_force).
"""

import numpy as np
import pytest
from scipy.optimize import brentq

from solver.magnet import Magnet, self_inductance
from solver.magnet.fem import fem_problem_from_dict, solve
from solver.magnet.fem.results import coil_forces, fringe_extent_m, inductance, iron_force_N
from solver.magnet.inductance import coaxial_axial_force
from tests.magnet.fem_inputs import (
    SOLENOID,
    axisymmetric_file,
    biot_savart_solenoid,
    line_current_beside_rod,
)

MU0 = 1.25663706212e-6  # H/m, CODATA 2018

MAIN = SOLENOID
TOP = {
    "id": "top",
    "type": "solenoid",
    "inner_radius_m": 0.1,
    "outer_radius_m": 0.13,
    "length_m": 0.05,
    "turns": 300,
    "current_A": 40,
    "center_m": [0, 0, 0.3],
}


def test_force_between_line_current_and_permeable_cylinder_is_the_image_force():
    current, a, d, mu = 1000.0, 0.05, 0.08, 100.0
    sol = solve(fem_problem_from_dict(line_current_beside_rod(current, d, a, mu, 0.01)))
    image = current * (mu - 1) / (mu + 1)
    attraction = MU0 * current * image / (2 * np.pi) * (1 / (d - a * a / d) - 1 / d)
    on_line = coil_forces(sol).force_N.sel(coil="w").values
    on_iron = iron_force_N(sol)
    # h = 5 mm: line 9e-4, iron 3e-5; h = 10 mm about 4x more
    assert on_line[0] == pytest.approx(-attraction, rel=1e-2)
    assert on_iron[0] == pytest.approx(attraction, rel=1e-2)
    assert abs(on_line[1]) < 1e-2 * attraction and abs(on_iron[1]) < 1e-2 * attraction


def test_air_windings_force_and_fringe_match_the_air_solvers():
    sol = solve(fem_problem_from_dict(axisymmetric_file([MAIN, TOP], 0.01)))
    main, top = biot_savart_solenoid(MAIN), biot_savart_solenoid(TOP)
    fz = coil_forces(sol).force_N.sel(component="z").values
    exact = coaxial_axial_force(main, top)
    # h = 10 mm: 8e-4
    np.testing.assert_allclose(fz, [-exact, exact], rtol=5e-3)
    alone = Magnet([main, top])
    for sign, name in ((1, "+z"), (-1, "-z")):
        ref = brentq(lambda z, s=sign: alone.field([[0, 0, s * z]])[0, 2] - 5e-4, 0.5, 20.0)
        # h = 10 mm: +7.2e-5 (+z), +1.1e-4 (−z) (|B| ~ 1/z³ there, so 3 times finer than the
        # field error; 1.7e-3 before the image's axis was meshed at ρ/64)
        got = float(fringe_extent_m(sol).extent_m.sel(direction=name))
        assert got == pytest.approx(ref, rel=1e-3)


def test_self_inductance_of_a_single_winding():
    sol = solve(fem_problem_from_dict(axisymmetric_file([MAIN], 0.01)))
    ind = inductance(sol)
    # h = 10 mm: 4.5e-4 below Maxwell's integral
    assert float(ind.energy_inductance_H) == pytest.approx(
        self_inductance(biot_savart_solenoid(MAIN)), rel=2e-3
    )
    # one winding: flux linkage and energy give the same inductance
    assert float(ind.apparent_inductance_H[0]) == pytest.approx(
        float(ind.energy_inductance_H), rel=1e-9
    )
