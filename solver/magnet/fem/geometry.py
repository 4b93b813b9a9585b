"""Geometry and mesh of a FEM problem: the inner disc, its Kelvin image, windings and iron.

The open boundary is a Kelvin inversion. Everything lies inside a circle of radius R
about ``centre`` (the *inner disc*; a half-disc r ≥ 0 when axisymmetric). The exterior
|p − c| > R is mapped by p ↦ c + R²(p − c)/|p − c|² onto a second disc of radius R (the
*image disc*), drawn at ``image_offset`` from the first; the two circles are glued
point-to-point (periodic identification), so the mesh is a closed surface with
infinity at the image centre. Meshes are cached on disk by a hash of the geometry.

Region names in the mesh: ``air``, ``image``, ``coil{i}`` (windings in file order),
``iron{i}`` (iron regions in file order).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from solver.errors import DesignError
from solver.magnet.fem.problem import FemProblem, IronRegion, WindingSection

DOMAIN_MARGIN = 1.3
"""R = DOMAIN_MARGIN × the largest distance of any winding or iron point from the centre."""
IMAGE_GAP = 0.5
"""Gap between the inner disc and its image, in units of R (any gap works; the mesh is glued)."""
MESH_VERSION = 7
"""Bumped when the way meshes are generated changes, so old cache entries are not reused."""


@dataclass(frozen=True)
class Domain:
    """Centre and radius of the inner disc and where its Kelvin image is drawn."""

    centre: tuple[float, float]
    radius_m: float
    image_offset: tuple[float, float]

    def to_image(self, p: np.ndarray) -> np.ndarray:
        """Mesh coordinates of physical points outside the inner disc, shape (n, 2)."""
        c = np.asarray(self.centre)
        d = p - c
        return c + self.radius_m**2 * d / np.sum(d * d, axis=1, keepdims=True) + self.image_offset


def extent_points(problem: FemProblem) -> np.ndarray:
    """Points of the symmetry plane that bound all windings, line currents and iron, (k, 2)
    metres ((r, z) or (x, y)); the origin alone for an empty problem."""
    pts = [r.extent for r in problem.iron]
    pts += [
        np.array(
            [[w.r_outer_m, w.z_min_m], [w.r_outer_m, w.z_max_m], [0.0, w.z_min_m], [0.0, w.z_max_m]]
        )
        for w in problem.windings
    ]
    pts += [np.array([lc.position_m]) for lc in problem.line_currents]
    return np.concatenate(pts) if pts else np.zeros((1, 2))


def domain_of(problem: FemProblem) -> Domain:
    """The inner disc that encloses all windings and iron with a margin."""
    allp = extent_points(problem)
    lo, hi = allp.min(axis=0), allp.max(axis=0)
    centre = 0.5 * (lo + hi)
    if problem.symmetry == "axisymmetric":
        centre[0] = 0.0
    reach = float(np.max(np.linalg.norm(allp - centre, axis=1)))
    radius = DOMAIN_MARGIN * reach if reach > 0 else 1.0
    offset = (
        (0.0, (2 + IMAGE_GAP) * radius)
        if problem.symmetry == "axisymmetric"
        else ((2 + IMAGE_GAP) * radius, 0.0)
    )
    return Domain((float(centre[0]), float(centre[1])), radius, offset)


WINDING_ELEMENTS_ACROSS = 4
"""Elements at least across a winding's thinner side, whatever ``mesh.max_size_m`` says.

The field sampled on a winding's surface (its peak field) takes the gradient of the
current-carrying elements there; on the inner face of the axisymmetric solenoid of
``iron_yoke_solenoid.coil.json`` (μr = 1 iron, against the loop sums) it read 1.4 % low
with one element across the winding, 0.4 % with two, 0.09 % with four (measured).
Refining holds at every point of the perimeter; taking the limit from the element outside
instead would not: a face on iron has B_t μr times larger on the iron side, and a face
shared with another winding has current-carrying elements on both sides."""


def winding_size_m(winding: WindingSection) -> float:
    """The thinner side of a winding's cross-section (m)."""
    return min(winding.r_outer_m - winding.r_inner_m, winding.z_max_m - winding.z_min_m)


def fine_size_m(problem: FemProblem) -> float:
    """Element size in windings and iron: ``mesh.max_size_m`` or a third of the thinnest part
    (windings are meshed finer still where :data:`WINDING_ELEMENTS_ACROSS` asks for it)."""
    if problem.max_size_m is not None:
        return problem.max_size_m
    sizes = [r.feature_size_m for r in problem.iron]
    sizes += [winding_size_m(w) for w in problem.windings]
    dom = domain_of(problem)
    return min([dom.radius_m / 20, *(s / 3 for s in sizes)])


def _occ():
    from netgen import occ

    return occ


def _disc(occ, centre, radius, half: bool):
    if half:
        face = (
            occ.WorkPlane()
            .MoveTo(centre[0], centre[1] - radius)
            .Direction(1, 0)
            .Arc(radius, 180)
            .Close()
            .Face()
        )
    else:
        face = occ.Circle(centre, radius).Face()
    for e in face.edges:
        e.name = "axis" if half and abs(e.center.x - centre[0]) < 1e-12 * radius else "rim"
    return face


def _iron_face(occ, region: IronRegion, half: bool):
    if region.shape == "polygon":
        pts = [occ.gp_Pnt(x, y, 0) for x, y in region.points_m]
        return occ.Face(
            occ.Wire([occ.Segment(a, b) for a, b in zip(pts, [*pts[1:], pts[0]], strict=True)])
        )
    outer = _disc(occ, region.centre_m, region.r_outer_m, half)
    if region.r_inner_m > 0:
        return outer - _disc(occ, region.centre_m, region.r_inner_m, half)
    return outer


def region_faces(problem: FemProblem):
    """OCC faces of windings and iron, each named as in the mesh, with their coil-file ids."""
    occ = _occ()
    half = problem.symmetry == "axisymmetric"
    faces = []
    for i, w in enumerate(problem.windings):
        f = occ.Rectangle(w.r_outer_m - w.r_inner_m, w.z_max_m - w.z_min_m).Face()
        f = f.Move((w.r_inner_m, w.z_min_m, 0))
        faces.append((f"coil{i}", w.id, f))
    for i, r in enumerate(problem.iron):
        faces.append((f"iron{i}", r.id, _iron_face(occ, r, half)))
    return faces


def check_overlaps(problem: FemProblem) -> None:
    """DesignError naming both ids when two iron regions or iron and a winding overlap."""
    faces = region_faces(problem)
    for i, (_, id_a, fa) in enumerate(faces):
        for _, id_b, fb in faces[i + 1 :]:
            if not (id_a in {r.id for r in problem.iron} or id_b in {r.id for r in problem.iron}):
                continue  # windings overlapping windings superpose, as in air
            common = fa * fb
            area = sum(f.mass for f in common.faces)
            if area > 1e-9 * min(fa.mass, fb.mass):
                raise DesignError(
                    f"iron {id_a!r} overlaps {id_b!r} (common area {area:.3g} m²); iron regions "
                    "must not overlap each other or a winding"
                )


def _rim(shape, centre, radius):
    """Edges of ``shape`` on the circle of ``radius`` about ``centre``."""

    def on(p):
        return abs(np.hypot(p.x - centre[0], p.y - centre[1]) - radius) < 1e-9 * radius

    return [
        e
        for e in shape.edges
        if e.name == "rim" and on(e.start) and on(e.end) and e.mass > 3.14 * radius
    ]


def build_geometry(problem: FemProblem):
    """The netgen OCC geometry (inner disc with regions, glued to its Kelvin image)."""
    occ = _occ()
    dom = domain_of(problem)
    half = problem.symmetry == "axisymmetric"
    h_fine = fine_size_m(problem)
    inner = _disc(occ, dom.centre, dom.radius_m, half)
    parts = []
    across = {
        f"coil{i}": winding_size_m(w) / WINDING_ELEMENTS_ACROSS
        for i, w in enumerate(problem.windings)
    }
    for name, _, face in region_faces(problem):
        face.faces.name = name
        face.faces.maxh = min(h_fine, across.get(name, h_fine))
        parts.append(face)
    air = inner - occ.Glue(parts) if parts else inner
    air.faces.name = "air"
    if half:
        for shape in (air, *parts):
            for e in shape.edges:
                if abs(e.center.x) < 1e-12 * dom.radius_m:
                    e.name = "axis"
                    e.maxh = h_fine
    image_centre = (dom.centre[0] + dom.image_offset[0], dom.centre[1] + dom.image_offset[1])
    image = _graded_image(occ, image_centre, dom.radius_m, half)
    rim_in = _rim(air, dom.centre, dom.radius_m)
    rim_out = _rim(image, image_centre, dom.radius_m)
    for a, b in zip(rim_in, rim_out, strict=True):
        a.Identify(
            b, "kelvin", occ.IdentificationType.PERIODIC, occ.Translation((*dom.image_offset, 0))
        )
    return occ.OCCGeometry(occ.Glue([air, *parts, image]), dim=2)


IMAGE_RINGS = 8
"""Nested circles ρ_k = R/2^k in the image disc, each meshed with h ≈ ρ_k/8, so a point at
distance r ≈ 2^k R keeps the resolution of the inner disc (far field to ~2^8 R)."""
IMAGE_AXIS_ELEMENTS = 64
"""Axisymmetric: the image's axis is meshed with h ≈ ρ_k/64 in ring k. B_z on the axis is
2 ∂A/∂r there, which the elements along the axis must resolve (the inner disc's axis has
the fine size for the same reason). With h ≈ ρ_k/8 on the image's axis the on-axis field of
the μr = 1 ``iron_yoke_solenoid.coil.json`` (R = 0.4 m) was 1.5 % high at 1.17 m; with
ρ_k/32, 7e-4; with ρ_k/64, 3e-4 (at 0.5–5 m, against the thick-solenoid closed form), for
7k more unknowns (measured)."""


def _graded_image(occ, centre, radius, half: bool):
    """The image disc meshed finer toward its centre (the point at infinity)."""
    discs = [_disc(occ, centre, radius / 2**k, half) for k in range(IMAGE_RINGS + 1)]
    rings = [outer - inner for outer, inner in itertools.pairwise(discs)]
    rings.append(discs[-1])
    for k, ring in enumerate(rings):
        ring.faces.name = "image"
        ring.faces.maxh = radius / 2**k / 8
        if half:
            for e in ring.edges:
                if abs(e.center.x - centre[0]) < 1e-12 * radius:
                    e.maxh = radius / 2**k / IMAGE_AXIS_ELEMENTS
    image = occ.Glue(rings)
    for e in image.edges:
        if e.name != "axis" and abs(e.center.x - centre[0]) < 1e-12 * radius and half:
            e.name = "axis"
    return image


def geometry_key(problem: FemProblem) -> str:
    """Hash of everything that shapes the mesh (not materials or currents)."""
    import netgen

    desc = {
        "v": MESH_VERSION,
        "netgen": netgen.__version__,
        "symmetry": problem.symmetry,
        "windings": [(w.r_inner_m, w.r_outer_m, w.z_min_m, w.z_max_m) for w in problem.windings],
        "iron": [(r.shape, r.centre_m, r.r_inner_m, r.r_outer_m, r.points_m) for r in problem.iron],
        "lines": [lc.position_m for lc in problem.line_currents],
        "h": fine_size_m(problem),
    }
    return hashlib.sha256(json.dumps(desc, sort_keys=True).encode()).hexdigest()[:24]


def cache_dir() -> Path:
    """Where meshes are cached: ``$CRYOGEN_CACHE_DIR/fem`` or ``~/.cache/cryogen/fem``."""
    root = os.environ.get("CRYOGEN_CACHE_DIR") or Path.home() / ".cache" / "cryogen"
    return Path(root) / "fem"


def mesh_of(problem: FemProblem):
    """The curved NGSolve mesh of a problem, generated once per geometry and cached.

    Returns
    -------
    (ngsolve.Mesh, bool)
        The mesh (curved to the element order) and whether it came from the cache.
    """
    import ngsolve
    from netgen.meshing import Mesh as NgMesh

    geo = build_geometry(problem)
    path = cache_dir() / f"{geometry_key(problem)}.vol.gz"
    cached = path.exists()
    if cached:
        ngmesh = NgMesh(dim=2)
        ngmesh.Load(str(path))
        ngmesh.SetGeometry(geo)
    else:
        dom = domain_of(problem)
        ngmesh = geo.GenerateMesh(maxh=max(dom.radius_m / 16, fine_size_m(problem)), grading=0.3)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.vol.gz")
        ngmesh.Save(str(tmp))
        os.replace(tmp, path)
    mesh = ngsolve.Mesh(ngmesh)
    mesh.Curve(max(problem.order, 1))
    return mesh, cached
