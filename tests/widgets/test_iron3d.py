"""The 3-D view draws iron where the coil file puts it, in the coils' coordinates:
revolved (axisymmetric), extruded (planar) or box by box (3-D), labelled with its ids."""

from __future__ import annotations

import json

import numpy as np
import pytest
import pythreejs as p3

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.views import iron3d
from cryogen_widgets.views.scene3d import Scene3D
from solver.magnet import coil_from_dict
from tests.magnet.test_fem3d_coilfile import loop_file


def _physics(three_xyz):
    """three.js (x, y, z) back to physics: inverse of iron3d.to_three."""
    v = np.asarray(three_xyz, dtype=float).reshape(-1, 3)
    return np.column_stack([v[:, 0], -v[:, 2], v[:, 1]])


def test_axisymmetric_iron_and_windings_are_revolved_sections_of_the_file():
    coil = json.loads((DESIGNS_DIR / "coils" / "iron_yoke_solenoid.coil.json").read_text())
    drawn = iron3d.iron_magnet_objects(coil_from_dict(coil))
    lathes = [o for o in drawn.objects if isinstance(o.geometry, p3.LatheGeometry)]
    profiles = [np.asarray(o.geometry.points) for o in lathes]
    # three.js lathes about its y (physics z): profile points are (r, z) of the file
    (main,) = coil["coils"]
    winding = {(main["inner_radius_m"], -0.2), (main["outer_radius_m"], 0.2)}
    assert winding <= {tuple(p) for p in profiles[0].round(12)}
    for region, profile in zip(coil["iron"], profiles[1:], strict=True):
        assert {tuple(p) for p in profile} == {tuple(p) for p in region["shape"]["points_m"]}
        assert np.allclose(profile[0], profile[-1])  # closed: a solid ring
    assert [text for text, _ in drawn.labels] == [r["id"] for r in coil["iron"]]
    assert "axisymmetric" in drawn.legend and "top_plate (AISI-1010)" in drawn.legend


def test_planar_iron_is_extruded_along_z_and_line_currents_are_rods():
    coil = json.loads((DESIGNS_DIR / "coils" / "yoked_dipole.coil.json").read_text())
    magnet = coil_from_dict(coil)
    drawn = iron3d.iron_magnet_objects(magnet)
    half = 0.5 * 0.5  # half the larger side (0.5 m) of the cross-section
    assert drawn.z_min_m == pytest.approx(-half)
    prisms = [o for o in drawn.objects if isinstance(o.geometry, p3.BufferGeometry)]
    for region, prism in zip(coil["iron"], prisms, strict=True):
        # float32 vertex positions (WebGL): 6 decimals in metres
        corners = _physics(prism.geometry.attributes["position"].array)
        assert set(np.round(corners[:, 2], 6)) == {-half, half}
        section = {tuple(p) for p in np.round(corners[:, :2], 6)}
        assert section == {tuple(p) for p in region["shape"]["points_m"]}
    rods = [o for o in drawn.objects if isinstance(o.geometry, p3.CylinderGeometry)]
    at = _physics([r.position for r in rods])[:, :2]
    assert np.allclose(at, [c["position_m"] for c in coil["coils"]])
    assert all(r.geometry.height == pytest.approx(2 * half) for r in rods)


def test_3d_iron_boxes_sit_at_their_corners():
    magnet = coil_from_dict(loop_file())
    drawn = iron3d.iron_magnet_objects(magnet)
    (box,) = [o for o in drawn.objects if isinstance(o.geometry, p3.BoxGeometry)]
    (lo, hi) = loop_file()["iron"][0]["shape"]["boxes_m"][0]
    assert np.allclose(_physics(box.position)[0], 0.5 * (np.array(lo) + hi))
    g = box.geometry  # three.js width, height, depth are physics x, z, y
    assert (g.width, g.depth, g.height) == pytest.approx(tuple(np.subtract(hi, lo)))


def test_scene_labels_its_axes_and_iron():
    design = json.loads((DESIGNS_DIR / "yoked-dipole.cryo.json").read_text())
    scene = Scene3D()
    scene.show_design(design)
    sprites = [o for o in scene.content.children if isinstance(o, p3.Sprite)]
    texts = {s.material.map.string for s in sprites}
    assert {"yoke_top", "yoke_bottom", "y", "z (up)"} <= texts
    assert any(t.startswith("x, ") for t in texts)
    assert "iron (translucent slate grey, planar" in scene.legend.value
