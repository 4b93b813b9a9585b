"""The 3-D finite-element problem of a coil file (``"symmetry": "none"``).

Coils are any Biot–Savart coil types (their field is the source, they are not meshed);
iron regions are unions of axis-aligned boxes; ``mesh.mirror_planes`` cuts the model at
coordinate planes through the origin. Every error is a DesignError naming item and field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from solver.errors import DesignError
from solver.kernels import biot_savart
from solver.magnet._constants import MU0_H_PER_M
from solver.magnet.coils import Coil, FilamentCoil, as_points
from solver.magnet.fem.bh import BHCurve, material_from_spec
from solver.magnet.magnet import Magnet

SYMMETRY_3D = "none"
AXES = "xyz"
PLANE_KINDS = ("B_tangential", "B_normal")
IRON_KEYS_3D = ("id", "material", "shape", "max_size_m")
MESH_KEYS_3D = ("max_size_m", "order", "air_margin_m", "mirror_planes", "refine")
REFINE_KEYS = ("box_m", "max_size_m")
REFINE_MAX_POINTS = 200_000
"""Most size-restriction points (box volume / max_size_m³) all ``mesh.refine`` boxes may ask for."""
AIR_MARGIN_FACTOR = 2.0
"""Default air margin: this many times the largest extent of coils and iron."""
SYMMETRY_RTOL = 1e-6
"""Relative mismatch of the coils' field at mirrored points that counts as asymmetric."""


@dataclass(frozen=True)
class IronBoxes:
    """An iron part made of axis-aligned boxes ``boxes_m`` ((lo, hi) corner pairs, m)."""

    id: str
    material: BHCurve
    boxes_m: tuple[tuple[tuple[float, float, float], tuple[float, float, float]], ...]
    max_size_m: float | None = None

    def contains(self, p: np.ndarray) -> np.ndarray:
        """True for points (n, 3) inside or on one of the boxes."""
        inside = np.zeros(len(p), dtype=bool)
        for lo, hi in self.boxes_m:
            inside |= np.all((p >= np.asarray(lo)) & (p <= np.asarray(hi)), axis=1)
        return inside

    @property
    def thinnest_m(self) -> float:
        """The smallest box edge (m)."""
        return float(min(np.min(np.subtract(hi, lo)) for lo, hi in self.boxes_m))


@dataclass(frozen=True)
class Problem3D:
    """Coils, iron and mesh options of a 3-D magnetostatic problem (SI units)."""

    coils: tuple[Coil, ...]
    iron: tuple[IronBoxes, ...]
    mirror_planes: tuple[tuple[int, str], ...] = ()
    max_size_m: float | None = None
    order: int = 1
    air_margin_m: float | None = None
    refine: tuple[tuple[tuple[float, float, float], tuple[float, float, float], float], ...] = ()
    """``mesh.refine`` boxes: (lo, hi, largest element inside), m."""

    def source_field(self, points) -> np.ndarray:
        """B_s (tesla) of all coils at points (n, 3) in metres, by Biot–Savart.

        The filaments of every filament coil go through one kernel call (many small
        coils, such as a winding drawn as loops, would otherwise pay per coil).
        """
        p = as_points(points)
        out = np.zeros_like(p)
        filament = [c for c in self.coils if isinstance(c, FilamentCoil)]
        if filament:
            parts = [c.filaments() for c in filament]
            starts, ends, amp = (np.concatenate([q[k] for q in parts]) for k in range(3))
            bad = biot_savart.add_segments_field(
                p, starts, ends, MU0_H_PER_M / (4 * np.pi) * amp, out
            )
            if bad:
                i = int(np.flatnonzero(np.isnan(out).any(axis=1))[0])
                raise DesignError(
                    f"point {i} {p[i].tolist()} lies on a current filament; move it off the winding"
                )
        for c in self.coils:
            if not isinstance(c, FilamentCoil):
                c.add_field(p, out)
        return out

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Box around all iron and windings (full model, m)."""
        lo, hi = Magnet(self.coils).bounds()
        for region in self.iron:
            for blo, bhi in region.boxes_m:
                lo, hi = np.minimum(lo, blo), np.maximum(hi, bhi)
        return lo, hi

    def air_box(self) -> tuple[np.ndarray, np.ndarray]:
        """The meshed air box: bounds plus the margin, cut at the mirror planes (m)."""
        lo, hi = self.bounds()
        margin = self.air_margin_m or AIR_MARGIN_FACTOR * float(np.max(hi - lo))
        lo, hi = lo - margin, hi + margin
        for axis, _ in self.mirror_planes:
            lo[axis] = 0.0
        return lo, hi

    def size_in(self, region: IronBoxes) -> float:
        """Largest element in an iron region (m): its own ``max_size_m``, else the
        problem's ``mesh.max_size_m``, else a third of the thinnest iron box."""
        return region.max_size_m or self.max_size_m or min(r.thinnest_m for r in self.iron) / 3.0

    def mirror(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points folded into the meshed part and the sign of each B component there.

        Returns ``(q, s)`` with B(p) = s · B(q) component-wise, shapes (n, 3).
        """
        q = np.array(p, dtype=float)
        s = np.ones_like(q)
        for axis, kind in self.mirror_planes:
            neg = q[:, axis] < 0
            q[neg, axis] *= -1
            # B_tangential: B_axis is odd across the plane; B_normal: the other two are
            flip = [axis] if kind == "B_tangential" else [i for i in range(3) if i != axis]
            for i in flip:
                s[neg, i] *= -1
        return q, s

    def mirror_potential(self, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points folded into the meshed part and the sign of each component of the
        reduced vector potential a there: a(p) = s · a(q), shapes (n, 3).

        a is a polar vector and B = curl a an axial one, so across each plane a takes the
        opposite of B's sign rule: ``B_tangential`` (n×a = 0 on the plane) keeps a_normal
        and flips the two tangential components, ``B_normal`` flips a_normal only.
        """
        q, s = self.mirror(p)
        crossed = np.zeros(len(q))
        for axis, _ in self.mirror_planes:
            crossed += np.asarray(p)[:, axis] < 0
        return q, s * ((-1.0) ** crossed)[:, None]


def is_3d(d: dict) -> bool:
    """True when a coil-file dict asks for a 3-D solve."""
    return d.get("symmetry") == SYMMETRY_3D


def problem3d_from_dict(d: dict, coils: list[Coil]) -> Problem3D:
    """Validate the 3-D FEM parts of a coil-file dict; ``coils`` are already built.

    Raises
    ------
    DesignError
        Naming the iron id or the ``mesh`` field and what is allowed.
    """
    iron_raw = d.get("iron", [])
    if not isinstance(iron_raw, list) or not iron_raw:
        raise DesignError("coil file: a 3-D problem needs 'iron': a non-empty list of regions")
    if "background_field_T" in d:
        raise DesignError(
            "coil file: field 'background_field_T' is not supported in a 3-D problem "
            "(symmetry 'none'); use axisymmetric or planar"
        )
    iron = [_iron(i, raw) for i, raw in enumerate(iron_raw)]
    ids = [c.id for c in coils] + [r.id for r in iron]
    for i, name in enumerate(ids):
        if name in ids[:i]:
            raise DesignError(
                f"{name!r}: field 'id' is used twice; coil and iron ids must be unique"
            )
    mesh = d.get("mesh", {})
    if not isinstance(mesh, dict):
        raise DesignError("coil file: field 'mesh' must be an object")
    unknown = [k for k in mesh if k not in MESH_KEYS_3D]
    if unknown:
        raise DesignError(
            f"coil file: unknown field 'mesh.{unknown[0]}' in a 3-D problem; "
            f"allowed: {', '.join(MESH_KEYS_3D)}"
        )
    for key in ("max_size_m", "air_margin_m"):
        if key in mesh and not (_number(mesh[key]) and mesh[key] > 0):
            raise DesignError(f"coil file: field 'mesh.{key}' must be a length > 0 (m)")
    order = mesh.get("order", 1)
    if order not in (1, 2, 3):
        raise DesignError(f"coil file: field 'mesh.order' must be 1, 2 or 3, got {order!r}")
    planes = _mirror_planes(mesh.get("mirror_planes", {}))
    problem = Problem3D(
        coils=tuple(coils),
        iron=tuple(iron),
        mirror_planes=planes,
        max_size_m=mesh.get("max_size_m"),
        order=int(order),
        air_margin_m=mesh.get("air_margin_m"),
        refine=_refine_boxes(mesh.get("refine", [])),
    )
    check_symmetry(problem)
    return problem


def check_symmetry(problem: Problem3D) -> None:
    """DesignError unless the iron and the coils' field have each mirror plane's symmetry.

    The iron is sampled on a grid over its bounding box; the coils' field at sample
    points on both sides of each plane.
    """
    if not problem.mirror_planes:
        return
    lo, hi = problem.bounds()
    axes = [np.linspace(lo[i], hi[i], 23) for i in range(3)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    for axis, kind in problem.mirror_planes:
        plane = f"mesh.mirror_planes.{AXES[axis]}"
        image = grid.copy()
        image[:, axis] *= -1
        for region in problem.iron:
            if not np.array_equal(region.contains(grid), region.contains(image)):
                raise DesignError(
                    f"iron {region.id!r}: not symmetric about {AXES[axis]} = 0, so field "
                    f"'{plane}' cannot be used"
                )
        probe = grid[:: max(1, len(grid) // 400)]
        probe = probe[np.abs(probe[:, axis]) > 1e-9 * float(np.max(hi - lo))]
        far = probe + 1e-3 * np.pi * (hi - lo)  # off grid lines, away from filaments
        far_image = far.copy()
        far_image[:, axis] *= -1
        b, b_image = problem.source_field(far), problem.source_field(far_image)
        odd = [axis] if kind == "B_tangential" else [i for i in range(3) if i != axis]
        expect = b.copy()
        expect[:, odd] *= -1
        scale = float(np.max(np.abs(b))) or 1.0
        if np.max(np.abs(b_image - expect)) > SYMMETRY_RTOL * scale:
            raise DesignError(
                f"coil file: field '{plane}': the coils' field does not have the "
                f"'{kind}' symmetry about {AXES[axis]} = 0"
            )


def _number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _mirror_planes(raw) -> tuple[tuple[int, str], ...]:
    if not isinstance(raw, dict):
        raise DesignError(
            "coil file: field 'mesh.mirror_planes' must be an object such as "
            '{"x": "B_tangential", "z": "B_normal"}'
        )
    out = []
    for key, kind in raw.items():
        if key not in AXES or kind not in PLANE_KINDS:
            raise DesignError(
                f"coil file: field 'mesh.mirror_planes.{key}': keys are x, y or z and values "
                f"{' or '.join(PLANE_KINDS)}; got {kind!r}"
            )
        out.append((AXES.index(key), kind))
    return tuple(sorted(out))


def _refine_boxes(raw) -> tuple:
    """The ``mesh.refine`` list: boxes in which elements are at most ``max_size_m``."""
    allowed = (
        "coil file: field 'mesh.refine' must be a list of {\"box_m\": [[x0, y0, z0], "
        '[x1, y1, z1]], "max_size_m": h} with x0 < x1, y0 < y1, z0 < z1 and h > 0 (m)'
    )
    if not isinstance(raw, list):
        raise DesignError(allowed)
    out = []
    points = 0.0
    for i, item in enumerate(raw):
        ok = isinstance(item, dict) and set(item) == set(REFINE_KEYS)
        ok = ok and _box_like(item["box_m"]) and _number(item["max_size_m"])
        corners = np.asarray(item["box_m"], dtype=float) if ok else None
        if corners is None or not np.all(corners[0] < corners[1]) or item["max_size_m"] <= 0:
            raise DesignError(f"{allowed}; item {i} is not")
        h = float(item["max_size_m"])
        points += float(np.prod(corners[1] - corners[0] + h)) / h**3
        out.append((tuple(corners[0].tolist()), tuple(corners[1].tolist()), h))
    if points > REFINE_MAX_POINTS:
        raise DesignError(
            f"coil file: field 'mesh.refine' asks for {points:.0f} size points (more than "
            f"{REFINE_MAX_POINTS}); use smaller boxes or a larger max_size_m"
        )
    return tuple(out)


def _iron(index: int, raw) -> IronBoxes:
    if not isinstance(raw, dict):
        raise DesignError(f"iron[{index}]: each iron region must be a JSON object")
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        raise DesignError(f"iron[{index}]: field 'id' is required (a non-empty string)")
    unknown = [k for k in raw if k not in IRON_KEYS_3D]
    if unknown:
        raise DesignError(
            f"iron {rid!r}: unknown field {unknown[0]!r}; allowed: {', '.join(IRON_KEYS_3D)}"
        )
    size = raw.get("max_size_m")
    if size is not None and not (_number(size) and size > 0):
        raise DesignError(f"iron {rid!r}: field 'max_size_m' must be a length > 0 (m)")
    if "material" not in raw:
        raise DesignError(f"iron {rid!r}: field 'material' is required")
    material = material_from_spec(raw["material"], where=f"iron {rid!r}: field 'material'")
    shape = raw.get("shape")
    if (
        not isinstance(shape, dict)
        or shape.get("type") != "boxes"
        or set(shape)
        != {
            "type",
            "boxes_m",
        }
    ):
        raise DesignError(
            f'iron {rid!r}: field \'shape\' must be {{"type": "boxes", "boxes_m": '
            "[[[x0, y0, z0], [x1, y1, z1]], ...]}} in a 3-D problem"
        )
    boxes = shape["boxes_m"]
    ok = isinstance(boxes, list) and boxes
    parsed = []
    for box in boxes if ok else []:
        corners = np.asarray(box, dtype=float) if _box_like(box) else None
        if corners is None or not np.all(corners[0] < corners[1]):
            ok = False
            break
        parsed.append((tuple(corners[0].tolist()), tuple(corners[1].tolist())))
    if not ok:
        raise DesignError(
            f"iron {rid!r}: field 'shape.boxes_m' must be a non-empty list of "
            "[[x0, y0, z0], [x1, y1, z1]] with x0 < x1, y0 < y1, z0 < z1 (m)"
        )
    return IronBoxes(rid, material, tuple(parsed), None if size is None else float(size))


def _box_like(box) -> bool:
    return (
        isinstance(box, list)
        and len(box) == 2
        and all(isinstance(c, list) and len(c) == 3 and all(_number(v) for v in c) for c in box)
    )
