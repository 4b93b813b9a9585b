"""TEAM Workshop problem 20 (3-D static force problem) against its measurements.

Geometry (quarter model about x = 0 and y = 0, both planes with B tangential) as coded by
Raiden-Numerics/mufem@054e9371b006084193fe6c0a2d7e0032a66365b8
(Electromagnetics/Compumag-Team20-3D-Static-Force-Problem/case.py, after the Compumag
problem 20 description, Fig. 1): C-yoke 127 × 25 mm deep, base z 0–25 mm, legs
|x| 38.5–63.5 mm to z = 150 mm, top flange z 125–150 mm for |x| ≥ 13.5 mm; centre pole
25 × 10 mm from z = 26.5 mm (1.5 mm gap) to 125 mm; coil a rounded-square annulus, outer
75 mm (corner radius 23 mm), inner 39 mm (corner radius 5 mm), z 26.7–123.3 mm.
Steel: the problem's Table 1 B–H curve (catalog id TEAM-20-steel).

Measurements: Takahashi, Nakata & Morishige, "Summary of results for problem 20",
COMPEL 14(2/3) 57–75 (1995), Tables 4 and 6, as copied in the mufem README
(Raiden-Numerics/mufem@0b2812c5:.../README.md; /work/shared/reference/extra2,
team20_measured_force_and_Bz). Force on the pole F_z and B_z at P1 = (0, 0, 25.75) mm
(centre of the gap under the pole) and P2 = (12.5, 5, 25.75) mm (under the pole's corner).
"""

import numpy as np
import pytest

from solver.magnet import coil_from_dict
from solver.magnet.fem import iron_force_3d_N
from tests.validation.team_windings import MM, box_mm, rounded_square_winding

# ampere-turns: (F_z measured N, B_z(P1) measured T, B_z(P2) measured T), COMPEL 14 (1995)
MEASURED = {
    1000: (8.1, 0.36, 0.24),
    3000: (54.4, 0.84, 0.63),
    4500: (75.0, 0.99, 0.72),
    5000: (80.1, 1.03, 0.74),
}
# mufem's FEM at the same points (its README table), a peer code on the same geometry
MUFEM = {
    1000: (8.04, 0.320, 0.221),
    3000: (55.2, 0.847, 0.581),
    4500: (75.1, 1.003, 0.686),
    5000: (80.2, 1.042, 0.710),
}
P1_P2 = np.array([[0.0, 0.0, 25.75 * MM], [12.5 * MM, 5.0 * MM, 25.75 * MM]])

YOKE = [
    box_mm([-63.5, -12.5, 0], [63.5, 12.5, 25]),
    box_mm([38.5, -12.5, 25], [63.5, 12.5, 150]),
    box_mm([-63.5, -12.5, 25], [-38.5, 12.5, 150]),
    box_mm([13.5, -12.5, 125], [38.5, 12.5, 150]),
    box_mm([-38.5, -12.5, 125], [-13.5, 12.5, 150]),
]
POLE = [box_mm([-12.5, -5, 26.5], [12.5, 5, 125])]


# P2 sits under the pole's corner edge: 0.5 mm elements in a 3 × 3 × 2.5 mm box around it
CORNER_REFINE = {"box_m": box_mm([11, 3.5, 24.5], [14, 6.5, 27]), "max_size_m": 0.5 * MM}
PROBE_M = np.array([0.5, 0.5, 0.25]) * MM
"""The box over which B_z at P2 is averaged (see :func:`probe_bz`)."""


def team20_file(ampere_turns: float, air_margin_m: float | None = None) -> dict:
    """The TEAM 20 coil file: 4 mm elements in the yoke, 1.5 mm in the pole (the gap
    under the pole is 1.5 mm; mufem used 2.5 mm and 1 mm), 0.5 mm around P2."""
    mesh = {
        "mirror_planes": {"x": "B_tangential", "y": "B_tangential"},
        "max_size_m": 4 * MM,
        "refine": [CORNER_REFINE],
    }
    if air_margin_m is not None:
        mesh["air_margin_m"] = air_margin_m
    return {
        "schema": "cryogen/coil@1",
        "name": "TEAM 20",
        "symmetry": "none",
        "coils": rounded_square_winding(
            "coil", 14.5 * MM, 5 * MM, 23 * MM, 26.7 * MM, 123.3 * MM, ampere_turns
        ),
        "iron": [
            {
                "id": "yoke",
                "material": "TEAM-20-steel",
                "shape": {"type": "boxes", "boxes_m": YOKE},
            },
            {
                "id": "pole",
                "material": "TEAM-20-steel",
                "shape": {"type": "boxes", "boxes_m": POLE},
                "max_size_m": 1.5 * MM,
            },
        ],
        "mesh": mesh,
    }


def probe_bz(solution, centre: np.ndarray) -> float:
    """Mean B_z (T) over a PROBE_M box (5 × 5 × 5 points) centred on ``centre`` (m).

    At an edge of the pole the lowest-order curl is constant per element and jumps between
    elements, so the value at one point depends on which element holds it: at P2 it
    scattered from 0.15 T to 0.22 T between meshes of the same size, while the mean over
    half a millimetre (one element of the refined box) stayed at 0.219-0.221 T. It is a
    smoothing of the discretisation, not a model of the Hall probe (whose size the sources
    we found do not state).
    """
    unit = np.stack(np.meshgrid(*[np.linspace(-0.5, 0.5, 5)] * 3, indexing="ij"), -1)
    return float(np.mean(solution.field(centre + unit.reshape(-1, 3) * PROBE_M)[:, 2]))


def solved(ampere_turns: float, air_margin_m: float | None = None):
    """Pole force (N, whole device) and B_z at P1 (point) and P2 (probe mean) (T)."""
    solution = coil_from_dict(team20_file(ampere_turns, air_margin_m)).solution
    force = iron_force_3d_N(solution, "pole")
    bz = np.array([solution.field(P1_P2[:1])[0, 2], probe_bz(solution, P1_P2[1])])
    return force, bz


@pytest.fixture(scope="module")
def at_3000():
    return solved(3000)


def test_team20_pole_force_at_3000_ampere_turns(at_3000):
    # 5 %: the problem's measurement accuracy is not stated; the COMPEL summary's FEM
    # codes scatter by a few per cent around it, mufem is 1.5 % above it and we are 3.5 %
    # above (the force moved by 1.5 % between our meshes and orders at 1000 AT).
    force, _ = at_3000
    assert force[0] == 0 and force[1] == 0  # cancelled by the two mirror planes
    assert -force[2] == pytest.approx(MEASURED[3000][0], rel=0.05)


def test_team20_gap_field_at_3000_ampere_turns(at_3000):
    _, bz = at_3000
    # P1, the centre of the gap: 3 % (we are 0.4 % above 0.84 T, mufem 0.8 %; P1 moved by
    # 1.5 % between five meshes and orders at 1000 AT)
    assert bz[0] == pytest.approx(MEASURED[3000][1], rel=0.03)
    assert_corner_field(bz[1], 3000)


def assert_corner_field(p2: float, ampere_turns: int) -> None:
    """B_z at P2, under the pole's corner edge, where it falls from the gap value to the
    fringe within a millimetre. Converged meshes of two codes agree there (ours 0.5 mm
    elements or order 2, mufem 1 mm: 0.221 / 0.221 T at 1000 AT, 0.570 / 0.581 T at 3000,
    0.658 / 0.686 T at 4500, 0.678 / 0.710 T at 5000) and both are 8-10 % below the measurement at every
    excitation, so the rest is the measurement (probe size and position at an edge, not
    stated in the sources we found; the COMPEL summary reports its largest
    code-to-measurement scatter here, and mufem asserts 10 %) or the model, not the mesh.
    10 % against the measurement (ours −7.7 % to −9.5 %), 5 % against mufem."""
    assert p2 == pytest.approx(MEASURED[ampere_turns][2], rel=0.10)
    assert p2 == pytest.approx(MUFEM[ampere_turns][2], rel=0.05)


@pytest.mark.slow
@pytest.mark.parametrize("ampere_turns", [1000, 4500, 5000])
def test_team20_force_and_gap_field_against_the_table(ampere_turns):
    force, bz = solved(ampere_turns)
    f_meas, p1_meas, _ = MEASURED[ampere_turns]
    # force 5 % (as above; at 5000 AT the pole corners exceed the table and the
    # saturation extension B = μ0H + J_s carries them; we are 1.5 %, 1.8 % and 1.8 %
    # above the measurement at 1000, 4500 and 5000 AT)
    assert -force[2] == pytest.approx(f_meas, rel=0.05)
    if ampere_turns == 1000:
        # Both FEM results are 11 % below the measured 0.36 T (mufem 0.320 T, ours 0.317 to
        # 0.322 T on five meshes and orders from 48k to 207k unknowns, so not the mesh),
        # while both reproduce the measured 8.1 N force within 1.5 %. The two 1000 AT
        # measurements disagree with each other: the force is ∫ B²/2μ0 over the pole, and
        # with B_z(P1) = 0.36 T and our field's shape it would be 8.22 · (0.36/0.319)² =
        # 10.5 N, 29 % above the measured force. 13 % against the measurement, 2 %
        # against mufem.
        assert bz[0] == pytest.approx(p1_meas, rel=0.13)
        assert bz[0] == pytest.approx(MUFEM[1000][1], rel=0.02)
    else:
        assert bz[0] == pytest.approx(p1_meas, rel=0.03)  # as at 3000 AT (ours ≤ 1.0 %)
    assert_corner_field(bz[1], ampere_turns)


@pytest.mark.slow
def test_team20_air_box_is_large_enough(at_3000):
    # the reduced field of the iron falls as a dipole's: doubling the default margin
    # (twice the device size) must move the force and P1 by less than 1 %
    force, bz = at_3000
    force_far, bz_far = solved(3000, air_margin_m=0.6)
    assert force_far[2] == pytest.approx(force[2], rel=0.01)
    assert bz_far[0] == pytest.approx(bz[0], rel=0.01)
