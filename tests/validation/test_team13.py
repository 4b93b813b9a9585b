"""TEAM Workshop problem 13 (3-D nonlinear magnetostatics in thin steel plates) against its
measurements.

Geometry (half model z ≥ 0; z = 0 is a plane of B normal) as coded by V. Hanser, TU Wien,
NGSolve/TEAM-problems@418e4086ba82d22a5c5f240266febb5fd6286598
(src/Team13Solution/_src/python/geometry.py and measurement.py, after the Compumag problem
13 description): 3.2 mm steel plates 50 mm wide; the centre plate |x| ≤ 1.6 mm,
|y| ≤ 25 mm, |z| ≤ 63.2 mm; two channels 0.5 mm from it (x 2.1–125.3 mm, y 15–65 mm,
legs z 60–63.2 mm top and bottom, web x 122.1–125.3 mm), the second turned 180° about z;
coil 200 × 200 mm outside (corner radius 50 mm), 150 × 150 mm inside (corner radius
25 mm), 100 mm tall, centred. (mufem's case.py puts the web at x 118.9–122.1 mm; we follow
the code whose measurement positions we use.) Steel: the problem's B–H curve
(catalog id TEAM-13-steel).

Measurements: average flux density in the plates at points 1–25 (centre plate z = 0..60
mm, channel leg x = 2.1..122.1 mm, web z = 60..0 mm), "Team Problem 13 description page
13" as listed in NGSolve/TEAM-problems@a7c64338:TEAM-13/solution_of_team13_problem.ipynb
(/work/shared/reference/extra2 team13_measured_B_steel_1000AT). The description itself
(problem13.pdf, NGSolve/TEAM-problems@418e4086:src/Team13Solution/_literature/problem13.pdf,
table "Average flux density |B| in steel plate (1000AT, measured)") confirms 1000 AT and
gives two columns, for gaps G = 0.52 mm (the values used here; point 1 is 1.333 there) and
G = 0.47 mm, which differ by up to 2.9 % (point 7: 0.655 / 0.674 T); |B| in air at y = 20 mm, z = 55 mm, x = 10..110 mm for 3000 AT,
Nakata & Fujiwara, COMPEL 11(3) 345–369 (1992), Table 7, via
Raiden-Numerics/mufem-release@6854969e:.../data/Table7_FluxDensity.csv.
Not found: measured plate values at 3000 AT and points 37–40.

Both solves take minutes on two cores (120 000 and 150 000 unknowns: the 0.5 mm gaps set
the flux and need 1.3 mm elements; 12-15 Newton steps): measured 5-6 min each with the
mesh cached (meshing adds 2-3 min) and 23 min when the two cores were shared by about ten
busy processes, so the tests are marked slow (``make test`` runs them). The air-line test
also runs a peer formulation (:mod:`tests.validation.team13_peer`, about 1 min).
"""

import numpy as np
import pytest

from solver.magnet import coil_from_dict
from solver.magnet.fem import mean_flux_density_T
from tests.validation.team13_peer import peer_field_T
from tests.validation.team_windings import MM, box_mm, rounded_square_winding

MEASURED_STEEL_1000AT = [
    1.333, 1.329, 1.286, 1.225, 1.129, 0.985, 0.655,  # centre plate, z = 0, 10, ..., 60 mm
    0.259, 0.453, 0.554, 0.637, 0.698, 0.755, 0.809, 0.901, 0.945, 0.954, 0.956,  # leg
    0.96, 0.965, 0.97, 0.974, 0.981, 0.984, 0.985,  # web, z = 60, 50, ..., 0 mm
]  # fmt: skip
LEG_X_MM = [2.1, 10, 20, 30, 40, 50, 60, 80, 100, 110, 122.1]
# x (mm), |B| (T) at y = 20 mm, z = 55 mm, 3000 AT (Nakata & Fujiwara 1992, Table 7)
MEASURED_AIR_3000AT = [
    (10, 0.0593), (20, 0.04), (30, 0.0336), (40, 0.0304), (50, 0.0283), (60, 0.026),
    (70, 0.0231), (80, 0.0182), (90, 0.0116), (100, 0.0061), (110, 0.00406),
]  # fmt: skip

CENTRE = [box_mm([-1.6, -25, -63.2], [1.6, 25, 63.2])]
CHANNEL = [
    box_mm([2.1, 15, 60], [125.3, 65, 63.2]),
    box_mm([2.1, 15, -63.2], [125.3, 65, -60]),
    box_mm([122.1, 15, -60], [125.3, 65, 60]),
]


def turned(box):
    """A box turned 180° about z."""
    (x0, y0, z0), (x1, y1, z1) = box
    return [[-x1, -y1, z0], [-x0, -y0, z1]]


# 2 mm elements in a 110 × 10 × 10 mm box of air around the line of points 26-36
AIR_LINE_REFINE = {"box_m": box_mm([5, 15, 50], [115, 25, 60]), "max_size_m": 2 * MM}


def team13_file(ampere_turns: float, refine_air_line: bool = False) -> dict:
    def plate(name, boxes):
        shape = {"type": "boxes", "boxes_m": boxes}
        return {"id": name, "material": "TEAM-13-steel", "shape": shape}

    return {
        "schema": "cryogen/coil@1",
        "name": "TEAM 13",
        "symmetry": "none",
        "coils": rounded_square_winding(
            "coil", 50 * MM, 25 * MM, 50 * MM, -50 * MM, 50 * MM, ampere_turns
        ),
        "iron": [
            plate("centre", CENTRE),
            plate("channel_a", CHANNEL),
            plate("channel_b", [turned(b) for b in CHANNEL]),
        ],
        "mesh": {
            "mirror_planes": {"z": "B_normal"},
            "max_size_m": 4 * MM,
            "refine": [AIR_LINE_REFINE] if refine_air_line else [],
        },
    }


def plate_averages(solution) -> np.ndarray:
    """|mean normal B| over the plate cross-sections at points 1–25 (T)."""
    centre = [
        mean_flux_density_T(solution, "z", z * MM, [-1.6 * MM, -25 * MM], [1.6 * MM, 25 * MM])
        for z in range(0, 61, 10)
    ]
    leg = [
        mean_flux_density_T(solution, "x", x * MM, [15 * MM, 60 * MM], [65 * MM, 63.2 * MM])
        for x in LEG_X_MM
    ]
    web = [
        mean_flux_density_T(solution, "z", z * MM, [122.1 * MM, 15 * MM], [125.3 * MM, 65 * MM])
        for z in range(60, -1, -10)
    ]
    return np.abs(np.array(centre + leg + web))


@pytest.mark.slow
def test_team13_plate_flux_density_at_1000_ampere_turns():
    solution = coil_from_dict(team13_file(1000)).solution
    # 5 %: the measured values move by up to 2.9 % with the assembly's gap (G = 0.52 or
    # 0.47 mm, see above); NGSolve's order-2 solution (TEAM-problems@a7c64338:
    # TEAM-13/solutionTeam13.pdf) is within 6.9 % (point 9) and ours (4 mm elements in the
    # plates, 1.3 mm around the 0.5 mm gaps) within 3.9 % at every point (the web, points
    # 19-25, 3.6-3.9 % low).
    np.testing.assert_allclose(plate_averages(solution), MEASURED_STEEL_1000AT, rtol=0.05)


@pytest.mark.slow
def test_team13_air_field_at_3000_ampere_turns():
    solution = coil_from_dict(team13_file(3000, refine_air_line=True)).solution
    x_mm, measured = np.array(MEASURED_AIR_3000AT).T
    points = np.column_stack([x_mm * MM, np.full_like(x_mm, 20 * MM), np.full_like(x_mm, 55 * MM)])
    ours = np.linalg.norm(solution.field(points), axis=1)
    peer = peer_field_T(3000, CENTRE + CHANNEL + [turned(b) for b in CHANNEL], points, order=1)
    # The line runs 5 mm below the channel leg, where |B| is the leakage (3 % of the
    # plates' field). Against the peer formulation (tests.validation.team13_peer: total
    # potential, meshed coil, its own mesh): the means over the 11 points agree within
    # 3 %, the peer's own change from order 1 to order 2 (mean +13.0 % and +10.4 % above
    # the measurement; ours +11.5 % at order 1 and +10.4 % at order 2, 660k unknowns, so
    # the two converged solutions agree to 0.1 % in the mean and ≤ 1.5 % at every point).
    # Point by point 10 %: at order 1 |B| is constant per element and the peer's points
    # scatter by up to 6 % around its order-2 values (ours by up to 8 %).
    assert np.mean(ours) == pytest.approx(np.mean(peer), rel=0.03)
    np.testing.assert_allclose(ours, peer, rtol=0.10)
    # Against the measurement (Nakata & Fujiwara 1992, Table 7) both formulations are
    # about 10 % high at every point, converged in mesh and order (see above): the
    # measured line sits 10 % below the problem's own model (its B–H curve, Eq. (1) and
    # geometry). mufem's published curve is within 2-3 % of the measurement, but it was
    # computed with TEAM 20's B–H table and a channel 3.2 mm shorter; with those inputs we
    # are 8 % above mufem's curve as well. Asserted: the mean within 13 % of the
    # measurement (ours +11.5 %) and every point within 25 % (x = 110 mm, 4 mT: +21 %).
    ratio = ours / measured
    assert np.mean(ratio) == pytest.approx(1.0, abs=0.13)
    np.testing.assert_allclose(ratio, 1.0, atol=0.25)
