"""Iron of a magnet in the pythreejs 3-D view, in the coordinates of its coils.

Axisymmetric iron (annulus: a spherical shell; polygon: a ring of that cross-section) and
windings are revolved about physics z; planar iron is extruded along z over a finite
length (the problem is infinite along z), with the line currents drawn as thin rods of
the same length; 3-D iron is drawn box by box. Iron is translucent grey, each part
labelled with its id. Outlines come from the solver (:func:`solver.magnet.fem.iron_outlines`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

import numpy as np
import pythreejs as p3

from cryogen_widgets.views import units

if TYPE_CHECKING:  # the FEM code loads with the first magnet drawn, not with the app
    from solver.magnet.fem import FemMagnet, FemMagnet3D

IRON_COLOUR = "#4f5b66"
IRON_COLOUR_NAME = "translucent slate grey"
IRON_OPACITY = 0.35
WINDING_COLOUR = "#b87333"  # the coils' copper (scene3d.COIL_COLOUR)
LABEL_COLOUR = "#1b2a38"
SEGMENTS = 64
PLANAR_LENGTH_FACTOR = 1.0
"""A planar magnet is drawn over z = ±½·this·(larger side of its cross-section)."""


@dataclass
class IronDrawing:
    """three.js objects of a magnet's iron (and, for 2-D magnets, its windings), a legend
    line (HTML), the size (m) the drawing reaches from the origin, its lowest z (m), and
    (id, physics point) of each iron part's label, which goes just above that point."""

    objects: list
    legend: str
    size_m: float
    z_min_m: float
    labels: list[tuple[str, tuple[float, float, float]]]

    def label_sprites(self, height_m: float) -> list:
        """The parts' labels, ``height_m`` tall, just above their anchors."""
        return [
            label(text, (at[0], at[1], at[2] + 0.7 * height_m), height_m)
            for text, at in self.labels
        ]


def to_three(v) -> tuple[float, float, float]:
    """Physics (x, y, z) in metres to three.js (x, z, -y): physics z, the coil axis, points up."""
    return (float(v[0]), float(v[2]), -float(v[1]))


def _iron_material():
    # depthWrite off: the windings inside stay visible through the translucent iron
    return p3.MeshLambertMaterial(
        color=IRON_COLOUR,
        side="DoubleSide",
        transparent=True,
        opacity=IRON_OPACITY,
        depthWrite=False,
    )


def label(text: str, at, height_m: float, colour: str = LABEL_COLOUR):
    """A text sprite (always facing the camera) centred at physics point ``at``,
    ``height_m`` tall."""
    tex = p3.TextTexture(string=text, color=colour, size=48, squareTexture=False)
    sprite = p3.Sprite(
        material=p3.SpriteMaterial(map=tex, transparent=True, depthTest=False),
        position=to_three(at),
    )
    # the canvas texture is about 0.6 em wide per character and 1.2 em tall
    sprite.scale = (height_m * 0.5 * max(len(text), 1), height_m, 1.0)
    return sprite


def _lathe(profile: np.ndarray, colour_material) -> p3.Mesh:
    """A solid of revolution about physics z of a closed (r, z) profile, shape (k, 2)."""
    pts = np.vstack([profile, profile[:1]]) if not np.allclose(profile[0], profile[-1]) else profile
    # three.js lathes about its y axis, which is physics z (scene3d.to_three)
    geo = p3.LatheGeometry(points=[[float(r), float(z)] for r, z in pts], segments=SEGMENTS)
    return p3.Mesh(geometry=geo, material=colour_material)


def _annulus_profile(outline: np.ndarray) -> np.ndarray:
    """The closed (r, z) profile of an axisymmetric annulus outline (outer half circle,
    NaN row, inner half circle, as iron_outlines gives it): outer up, inner down."""
    gap = np.flatnonzero(np.isnan(outline[:, 0]))
    if not gap.size:
        return outline
    return np.vstack([outline[: gap[0]], outline[gap[0] + 1 :][::-1]])


def _ear_clip(poly: np.ndarray) -> list[tuple[int, int, int]]:
    """Triangles (index triples) of a simple counter-clockwise polygon (k, 2)."""
    idx = list(range(len(poly)))
    tris = []

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    guard = 0
    while len(idx) > 3 and guard < 10 * len(poly) ** 2:
        guard += 1
        for k in range(len(idx)):
            i0, i1, i2 = idx[k - 1], idx[k], idx[(k + 1) % len(idx)]
            a, b, c = poly[i0], poly[i1], poly[i2]
            if cross(a, b, c) <= 0:
                continue  # reflex corner
            others = [poly[j] for j in idx if j not in (i0, i1, i2)]
            if any(
                cross(a, b, p) >= 0 and cross(b, c, p) >= 0 and cross(c, a, p) >= 0 for p in others
            ):
                continue  # another corner inside this ear
            tris.append((i0, i1, i2))
            idx.pop(k)
            break
    tris.append(tuple(idx))  # type: ignore[arg-type]
    return tris


def _prism(poly: np.ndarray, z0: float, z1: float, material) -> p3.Mesh:
    """A polygon (k, 2) of the x–y plane extruded from z0 to z1 (physics), flat shaded."""
    p = np.asarray(poly, dtype=float)
    area = 0.5 * np.sum(p[:, 0] * np.roll(p[:, 1], -1) - np.roll(p[:, 0], -1) * p[:, 1])
    if area < 0:
        p = p[::-1]
    tris = []
    for i, j, k in _ear_clip(p):
        tris.append([(*p[i], z1), (*p[j], z1), (*p[k], z1)])  # top, facing +z
        tris.append([(*p[i], z0), (*p[k], z0), (*p[j], z0)])  # bottom, facing −z
    for i in range(len(p)):
        a, b = p[i], p[(i + 1) % len(p)]
        tris.append([(*a, z0), (*b, z0), (*b, z1)])
        tris.append([(*a, z0), (*b, z1), (*a, z1)])
    tri = np.array(tris, dtype=float)  # (t, 3 corners, 3) physics
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normal /= np.linalg.norm(normal, axis=1, keepdims=True)
    positions = np.array([to_three(v) for v in tri.reshape(-1, 3)], dtype="float32")
    normals = np.array([to_three(n) for n in np.repeat(normal, 3, axis=0)], dtype="float32")
    geo = p3.BufferGeometry(
        attributes={
            "position": p3.BufferAttribute(positions, normalized=False),
            "normal": p3.BufferAttribute(normals, normalized=False),
        }
    )
    return p3.Mesh(geometry=geo, material=material)


def _box(lo, hi, material) -> p3.Mesh:
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    size = hi - lo
    # box sides along three.js x, y, z are physics x, z, y (scene3d.to_three)
    geo = p3.BoxGeometry(width=size[0], height=size[2], depth=size[1])
    return p3.Mesh(geometry=geo, material=material, position=to_three(0.5 * (lo + hi)))


def _axisymmetric(magnet: FemMagnet) -> tuple[list, list[str], list]:
    objects, names, anchors = [], [], []
    winding = p3.MeshLambertMaterial(
        color=WINDING_COLOUR, side="DoubleSide", transparent=True, opacity=0.85
    )
    for w in magnet.problem.windings:
        profile = np.array(
            [
                [w.r_inner_m, w.z_min_m],
                [w.r_outer_m, w.z_min_m],
                [w.r_outer_m, w.z_max_m],
                [w.r_inner_m, w.z_max_m],
            ]
        )
        objects.append(_lathe(profile, winding))
    from solver.magnet.fem import iron_outlines

    outlines = iron_outlines(magnet.problem)
    for region in magnet.problem.iron:
        outline = outlines[region.id]
        profile = _annulus_profile(outline) if region.shape == "annulus" else outline
        objects.append(_lathe(profile, _iron_material()))
        top = float(np.nanmax(outline[:, 1]))
        r_top = float(np.nanmax(outline[np.isclose(outline[:, 1], top), 0]))
        anchors.append((region.id, (r_top, 0.0, top)))
        names.append(f"{region.id} ({region.material.name})")
    return objects, names, anchors


def _planar(magnet: FemMagnet, half_length: float) -> tuple[list, list[str], list]:
    objects, names, anchors = [], [], []
    for region in magnet.problem.iron:
        if region.shape == "polygon":
            objects.append(
                _prism(np.asarray(region.points_m), -half_length, half_length, _iron_material())
            )
            p = np.asarray(region.points_m)
            centre = np.mean(p, axis=0)
            # on the face farthest from the mid-plane, so parts above and below stay apart
            centre[1] = p[:, 1].max() if centre[1] >= 0 else p[:, 1].min()
        else:
            profile = np.array(
                [
                    [region.r_inner_m, -half_length],
                    [region.r_outer_m, -half_length],
                    [region.r_outer_m, half_length],
                    [region.r_inner_m, half_length],
                ]
            )
            mesh = _lathe(profile, _iron_material())
            mesh.position = to_three([*region.centre_m, 0.0])
            objects.append(mesh)
            centre = np.asarray(region.centre_m)
        anchors.append((region.id, (float(centre[0]), float(centre[1]), half_length)))
        names.append(f"{region.id} ({region.material.name})")
    rod = p3.MeshLambertMaterial(color=WINDING_COLOUR)
    radius = 0.012 * half_length
    for lc in magnet.problem.line_currents:
        geo = p3.CylinderGeometry(
            radiusTop=radius, radiusBottom=radius, height=2 * half_length, radialSegments=12
        )
        # three.js cylinders stand along its y, which is physics z: already along the lines
        objects.append(p3.Mesh(geometry=geo, material=rod, position=to_three([*lc.position_m, 0])))
    return objects, names, anchors


def _three_d(magnet: FemMagnet3D) -> tuple[list, list[str], list]:
    objects, names, anchors = [], [], []
    for region in magnet.problem.iron:
        for lo, hi in region.boxes_m:
            objects.append(_box(lo, hi, _iron_material()))
        lo0, hi0 = max(region.boxes_m, key=lambda box: box[1][2])
        anchors.append((region.id, (0.5 * (lo0[0] + hi0[0]), 0.5 * (lo0[1] + hi0[1]), hi0[2])))
        names.append(f"{region.id} ({region.material.name})")
    return objects, names, anchors


def iron_magnet_objects(magnet: FemMagnet | FemMagnet3D) -> IronDrawing:
    """The iron (and, for an axisymmetric or planar magnet, its windings) as three.js
    objects, with a legend line and where each part's label goes."""
    lo, hi = magnet.bounds()
    z_min = float(lo[2])
    reach = float(max(np.abs(lo).max(), np.abs(hi).max()))
    from solver.magnet.fem import FemMagnet3D

    if isinstance(magnet, FemMagnet3D):
        objects, names, anchors = _three_d(magnet)
        how = "3-D, drawn box by box"
    elif magnet.problem.symmetry == "axisymmetric":
        objects, names, anchors = _axisymmetric(magnet)
        how = "axisymmetric, revolved about z with its windings"
    else:
        span = float(np.max(hi[:2] - lo[:2]))
        half_length = 0.5 * PLANAR_LENGTH_FACTOR * span
        objects, names, anchors = _planar(magnet, half_length)
        reach = max(reach, half_length)
        z_min = -half_length
        how = (
            f"planar (infinite along z), drawn over z = ±{units.si(half_length, 'm')} "
            "with its line currents as copper rods"
        )
    text = (
        f"iron ({IRON_COLOUR_NAME}, {how}): " + ", ".join(escape(n) for n in names)
        if names
        else f"no iron ({how})"
    )
    return IronDrawing(objects, text, reach, z_min, anchors)


COIL_KINDS = {"WindingSection": "solenoid", "LineCurrent": "line current"}
"""What the legend calls the sources of an axisymmetric or planar FEM magnet."""


def coil_kind(coil) -> str:
    """The coil type a legend shows: the coil-file type, or the FEM source's kind."""
    return getattr(coil, "type", None) or COIL_KINDS.get(type(coil).__name__, "source")
