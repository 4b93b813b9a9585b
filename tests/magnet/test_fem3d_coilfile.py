"""3-D coil files (``"symmetry": "none"``): validation messages and the mirror bookkeeping
(no solve; the solver is validated in tests/validation/test_team13.py, test_team20.py)."""

import numpy as np
import pytest

from solver.errors import DesignError
from solver.magnet import coil_from_dict, magnet_to_dict
from solver.magnet.fem import FemMagnet3D


def loop_file(**changes) -> dict:
    d = {
        "schema": "cryogen/coil@1",
        "symmetry": "none",
        "coils": [{"id": "loop", "type": "loop", "radius_m": 0.05, "current_A": 100.0}],
        "iron": [
            {
                "id": "plate",
                "material": "TEAM-13-steel",
                "shape": {"type": "boxes", "boxes_m": [[[-0.02, -0.02, 0.03], [0.02, 0.02, 0.04]]]},
            }
        ],
        "mesh": {"mirror_planes": {"x": "B_tangential", "y": "B_tangential"}},
    }
    d.update(changes)
    return d


def test_a_3d_file_gives_a_3d_magnet_and_round_trips():
    magnet = coil_from_dict(loop_file())
    assert isinstance(magnet, FemMagnet3D)
    assert magnet.problem.mirror_planes == ((0, "B_tangential"), (1, "B_tangential"))
    assert coil_from_dict(magnet_to_dict(magnet)).problem == magnet.problem


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"iron": []}, "a 3-D problem needs 'iron'"),
        ({"background_field_T": [0, 0, 1]}, "'background_field_T' is not supported"),
        ({"mesh": {"mirror_planes": {"w": "B_normal"}}}, "mesh.mirror_planes.w"),
        ({"mesh": {"mirror_planes": {"x": "odd"}}}, "mesh.mirror_planes.x"),
        ({"mesh": {"order": 5}}, "'mesh.order' must be 1, 2 or 3"),
        ({"mesh": {"cells": 3}}, "unknown field 'mesh.cells'"),
        ({"mesh": {"refine": {"box_m": 1}}}, r"'mesh\.refine' must be a list"),
        ({"mesh": {"refine": [{"box_m": [[0, 0, 0], [1, 1, 1]]}]}}, "item 0 is not"),
        (
            {"mesh": {"refine": [{"box_m": [[0, 0, 0], [0, 1, 1]], "max_size_m": 0.1}]}},
            "item 0 is not",
        ),
        (
            {"mesh": {"refine": [{"box_m": [[0, 0, 0], [1, 1, 1]], "max_size_m": 1e-3}]}},
            "asks for 1003003001 size points",
        ),
    ],
)
def test_bad_3d_fields_name_the_field(change, message):
    with pytest.raises(DesignError, match=message):
        coil_from_dict(loop_file(**change))


def test_bad_boxes_name_the_iron_region():
    d = loop_file()
    d["iron"][0]["shape"]["boxes_m"] = [[[0, 0, 0], [0.01, -0.01, 0.01]]]
    with pytest.raises(DesignError, match=r"iron 'plate': field 'shape\.boxes_m'"):
        coil_from_dict(d)
    d["iron"][0]["shape"] = {"type": "polygon", "points_m": [[0, 0], [1, 0], [0, 1]]}
    with pytest.raises(DesignError, match="iron 'plate': field 'shape' must be"):
        coil_from_dict(d)


def test_mirror_planes_are_checked_against_iron_and_coils():
    d = loop_file()
    d["iron"][0]["shape"]["boxes_m"] = [[[0.0, -0.02, 0.03], [0.02, 0.02, 0.04]]]
    with pytest.raises(DesignError, match="iron 'plate': not symmetric about x = 0"):
        coil_from_dict(d)
    # a loop about z has B tangential to x = 0, not normal to it
    with pytest.raises(DesignError, match=r"'mesh\.mirror_planes\.x'.*'B_normal' symmetry"):
        coil_from_dict(loop_file(mesh={"mirror_planes": {"x": "B_normal"}}))
    # a loop in the plane z = 0 has B normal to that plane
    assert coil_from_dict(
        loop_file(
            mesh={"mirror_planes": {"z": "B_normal"}},
            iron=[
                {
                    "id": "slab",
                    "material": {"mu_r": 100.0},
                    "shape": {
                        "type": "boxes",
                        "boxes_m": [[[-0.01, -0.01, -0.01], [0.01, 0.01, 0.01]]],
                    },
                }
            ],
        )
    )


def test_mirroring_flips_the_odd_components():
    problem = coil_from_dict(loop_file()).problem
    q, s = problem.mirror(np.array([[-1.0, 2.0, 3.0], [-1.0, -2.0, 3.0]]))
    assert q.tolist() == [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]
    # B_tangential on x = 0: B_x odd in x; on y = 0: B_y odd in y
    assert s.tolist() == [[-1, 1, 1], [-1, -1, 1]]
    # and the loop's own field obeys it
    b = problem.source_field(np.array([[0.01, 0.02, 0.03], [-0.01, -0.02, 0.03]]))
    assert b[1] == pytest.approx(s[1] * b[0], rel=1e-12, abs=1e-15)


def test_refine_boxes_restrict_the_element_size_inside_them():
    from solver.magnet.fem.solve3d import box_refinement, mesh_key

    box = {"box_m": [[0.0, 0.0, 0.02], [0.01, 0.004, 0.03]], "max_size_m": 0.002}
    plain = coil_from_dict(loop_file()).problem
    refined = coil_from_dict(loop_file(mesh={"refine": [box]})).problem
    assert refined.refine == (((0.0, 0.0, 0.02), (0.01, 0.004, 0.03), 0.002),)
    points = box_refinement(refined)
    xyz = np.array([p for p, _ in points])
    # a 6 × 3 × 6 grid of 2 mm spacing covering the box, each point asking for 2 mm
    assert len(points) == 6 * 3 * 6 and {h for _, h in points} == {0.002}
    assert xyz.min(axis=0) == pytest.approx([0.0, 0.0, 0.02])
    assert xyz.max(axis=0) == pytest.approx([0.01, 0.004, 0.03])
    assert box_refinement(plain) == []
    assert mesh_key(refined) != mesh_key(plain)  # a refined mesh is cached apart


def test_a_3d_file_reads_its_conductor_and_refuses_margins():
    # the strand's radius gives the loops' self inductance; the margins would need the
    # load line with iron, which a 3-D magnet does not sample: refused, not computed as if
    # the iron were absent
    from solver.magnet import margins

    conductor = {"superconductor": "NbTi", "cu_to_sc": 7.0, "area_m2": 1e-6, "wire_radius_m": 5e-4}
    magnet = coil_from_dict(loop_file(conductor=conductor, operating_temperature_K=4.2))
    assert magnet.conductor.wire_radius_m == 5e-4 and magnet.operating_temperature_K == 4.2
    with pytest.raises(DesignError, match="not computed for a 3-D magnet"):
        margins(magnet)
