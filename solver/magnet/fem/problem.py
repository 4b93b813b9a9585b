"""The finite-element problem of a coil file: symmetry, windings, iron and applied field.

Reads the coil@1 additions of DESIGN.md ("Iron and symmetry") into plain dataclasses in
the symmetry plane. Axisymmetric problems are drawn in the (r, z) half-plane (mesh x = r,
mesh y = z); planar ones in (x, y). Every error is a DesignError naming the item and field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from solver.errors import DesignError, UnknownNameError
from solver.magnet.coils import COIL_TYPES, Solenoid
from solver.magnet.fem.bh import BHCurve, material_from_spec, material_to_spec

SYMMETRIES = ("axisymmetric", "planar")
SHAPE_KEYS = {
    "annulus": ("type", "centre_m", "r_inner_m", "r_outer_m"),
    "polygon": ("type", "points_m"),
}
LINE_CURRENT_KEYS = ("id", "type", "position_m", "current_A")
MESH_KEYS = ("max_size_m", "order")


@dataclass(frozen=True)
class IronRegion:
    """An iron part: ``shape`` is ``"annulus"`` (centre, r_inner, r_outer) or ``"polygon"``."""

    id: str
    material: BHCurve
    shape: str
    centre_m: tuple[float, float] = (0.0, 0.0)
    r_inner_m: float = 0.0
    r_outer_m: float = 0.0
    points_m: tuple[tuple[float, float], ...] = ()

    @property
    def extent(self) -> np.ndarray:
        """Points on the outline far enough to bound the region, shape (k, 2)."""
        if self.shape == "polygon":
            return np.asarray(self.points_m)
        c, r = np.asarray(self.centre_m), self.r_outer_m
        return c + r * np.array([[1, 0], [-1, 0], [0, 1], [0, -1]])

    @property
    def feature_size_m(self) -> float:
        """The thinnest dimension that the mesh must resolve (m)."""
        if self.shape == "annulus":
            return self.r_outer_m - self.r_inner_m if self.r_inner_m > 0 else self.r_outer_m
        p = np.asarray(self.points_m)
        edges = np.linalg.norm(np.roll(p, -1, axis=0) - p, axis=1)
        return float(edges.min())


@dataclass(frozen=True)
class WindingSection:
    """An axisymmetric solenoid's winding cross-section with uniform azimuthal J."""

    id: str
    r_inner_m: float
    r_outer_m: float
    z_min_m: float
    z_max_m: float
    turns: float
    current_A: float

    @property
    def current_density_A_per_m2(self) -> float:
        """J_φ = N·I / area (A/m²), positive for right-handed circulation about +z."""
        area = (self.r_outer_m - self.r_inner_m) * (self.z_max_m - self.z_min_m)
        return self.turns * self.current_A / area


@dataclass(frozen=True)
class LineCurrent:
    """A planar line current along z through ``position_m`` (I > 0 along +z)."""

    id: str
    position_m: tuple[float, float]
    current_A: float


@dataclass(frozen=True)
class FemProblem:
    """Everything the FEM needs from a coil file (SI units, symmetry-plane coordinates)."""

    symmetry: str
    windings: tuple[WindingSection, ...]
    line_currents: tuple[LineCurrent, ...]
    iron: tuple[IronRegion, ...]
    background_field_T: tuple[float, float, float]
    max_size_m: float | None = None
    order: int = 2

    @property
    def source_ids(self) -> list[str]:
        """Ids of the coils in file order."""
        return [w.id for w in self.windings] + [c.id for c in self.line_currents]


def needs_fem(d: dict) -> bool:
    """True when a coil-file dict must be solved by finite elements."""
    raw = d.get("coils")
    coils = raw if isinstance(raw, list) else []
    return (
        "iron" in d
        or "background_field_T" in d
        or any(isinstance(c, dict) and c.get("type") == "line_current" for c in coils)
    )


def fem_problem_from_dict(d: dict) -> FemProblem:
    """Validate the FEM parts of a ``cryogen/coil@1`` dict and build the problem.

    Raises
    ------
    DesignError
        Naming the coil or iron id and the field, and what is allowed. Overlaps between
        iron regions and windings are checked on the meshed geometry
        (:func:`solver.magnet.fem.geometry.check_overlaps`).
    """
    symmetry = d.get("symmetry")
    if symmetry not in SYMMETRIES:
        raise DesignError(
            "coil file: field 'symmetry' is required with iron, background_field_T or a "
            f"line_current coil; allowed: {', '.join(SYMMETRIES)}; got {symmetry!r}"
        )
    background = _background(d.get("background_field_T", [0.0, 0.0, 0.0]), symmetry)
    iron_raw = d.get("iron", [])
    if not isinstance(iron_raw, list):
        raise DesignError("coil file: field 'iron' must be a list of iron regions")
    coils_raw = d.get("coils")
    if not isinstance(coils_raw, list):
        raise DesignError("coil file: field 'coils' must be a list of coil objects")
    if not coils_raw and not iron_raw and not any(background):
        raise DesignError("coil file: 'coils' is empty and there is no iron or background field")
    coils = [_fem_coil(i, raw, symmetry) for i, raw in enumerate(coils_raw)]
    iron = [_iron(i, raw, symmetry) for i, raw in enumerate(iron_raw)]
    seen: set[str] = set()
    for kind, item in [*(("coil", c) for c in coils), *(("iron", r) for r in iron)]:
        if item.id in seen:
            raise DesignError(
                f"{kind} {item.id!r}: field 'id' is already used; coil and iron ids must be unique"
            )
        seen.add(item.id)
    windings = [c for c in coils if isinstance(c, WindingSection)]
    lines = [c for c in coils if isinstance(c, LineCurrent)]
    max_size, order = _mesh_options(d.get("mesh", {}))
    return FemProblem(
        symmetry=symmetry,
        windings=tuple(windings),
        line_currents=tuple(lines),
        iron=tuple(iron),
        background_field_T=background,
        max_size_m=max_size,
        order=order,
    )


def problem_to_dict(problem: FemProblem) -> dict:
    """The coil-file fields of a FEM problem (JSON-ready); inverse of fem_problem_from_dict."""
    coils: list[dict] = [
        {
            "id": w.id,
            "type": "solenoid",
            "inner_radius_m": w.r_inner_m,
            "outer_radius_m": w.r_outer_m,
            "length_m": w.z_max_m - w.z_min_m,
            "turns": w.turns,
            "current_A": w.current_A,
            "center_m": [0.0, 0.0, 0.5 * (w.z_min_m + w.z_max_m)],
            "axis": [0.0, 0.0, 1.0],
        }
        for w in problem.windings
    ]
    coils += [
        {
            "id": c.id,
            "type": "line_current",
            "position_m": list(c.position_m),
            "current_A": c.current_A,
        }
        for c in problem.line_currents
    ]
    iron = []
    for r in problem.iron:
        shape: dict = (
            {"type": "polygon", "points_m": [list(p) for p in r.points_m]}
            if r.shape == "polygon"
            else {
                "type": "annulus",
                "centre_m": list(r.centre_m),
                "r_inner_m": r.r_inner_m,
                "r_outer_m": r.r_outer_m,
            }
        )
        iron.append({"id": r.id, "material": material_to_spec(r.material), "shape": shape})
    mesh: dict = {"order": problem.order}
    if problem.max_size_m is not None:
        mesh["max_size_m"] = problem.max_size_m
    return {
        "schema": "cryogen/coil@1",
        "symmetry": problem.symmetry,
        "coils": coils,
        "iron": iron,
        "background_field_T": list(problem.background_field_T),
        "mesh": mesh,
    }


def _number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _pair(v) -> bool:
    return isinstance(v, list | tuple) and len(v) == 2 and all(_number(x) for x in v)


def _background(raw, symmetry: str) -> tuple[float, float, float]:
    if not (isinstance(raw, list | tuple) and len(raw) == 3 and all(_number(x) for x in raw)):
        raise DesignError(
            f"coil file: field 'background_field_T' must be [Bx, By, Bz] in tesla, got {raw!r}"
        )
    b = tuple(float(x) for x in raw)
    if symmetry == "axisymmetric" and (b[0] or b[1]):
        raise DesignError(
            "coil file: field 'background_field_T' must point along z in an axisymmetric "
            f"problem ([0, 0, Bz]), got {list(b)}"
        )
    if symmetry == "planar" and b[2]:
        raise DesignError(
            "coil file: field 'background_field_T' must lie in the x-y plane in a planar "
            f"problem ([Bx, By, 0]), got {list(b)}"
        )
    return b  # type: ignore[return-value]


def _fem_coil(index: int, raw, symmetry: str) -> WindingSection | LineCurrent:
    if not isinstance(raw, dict):
        raise DesignError(f"coils[{index}]: each coil must be a JSON object")
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid:
        raise DesignError(f"coils[{index}]: field 'id' is required (a non-empty string)")
    ctype = raw.get("type")
    if symmetry == "planar":
        if ctype != "line_current":
            raise DesignError(
                f"coil {cid!r}: field 'type' must be 'line_current' in a planar problem, got {ctype!r}"
            )
        unknown = [k for k in raw if k not in LINE_CURRENT_KEYS]
        if unknown:
            raise DesignError(
                f"coil {cid!r}: unknown field {unknown[0]!r} for a 'line_current' coil; "
                f"allowed: {', '.join(LINE_CURRENT_KEYS)}"
            )
        if not _pair(raw.get("position_m")):
            raise DesignError(f"coil {cid!r}: field 'position_m' must be [x0, y0] in metres")
        if not _number(raw.get("current_A")):
            raise DesignError(f"coil {cid!r}: field 'current_A' must be a number (A)")
        x0, y0 = raw["position_m"]
        return LineCurrent(cid, (float(x0), float(y0)), float(raw["current_A"]))
    if ctype != "solenoid":
        if ctype not in COIL_TYPES and ctype != "line_current":
            raise UnknownNameError(
                "coil type", str(ctype), COIL_TYPES, where=f"coil {cid!r}: field 'type'"
            )
        raise DesignError(
            f"coil {cid!r}: field 'type' must be 'solenoid' in an axisymmetric problem with "
            f"iron, got {ctype!r}"
        )
    sol = Solenoid(**{k: v for k, v in raw.items() if k != "type"})
    if sol.is_thin:
        raise DesignError(
            f"coil {cid!r}: field 'radius_m': the finite-element solver needs a winding with "
            "inner_radius_m and outer_radius_m (a thin sheet has no cross-section)"
        )
    axis = np.asarray(sol.axis, dtype=float)
    axis = axis / np.linalg.norm(axis)
    if abs(abs(axis[2]) - 1) > 1e-12 or abs(sol.center_m[0]) > 0 or abs(sol.center_m[1]) > 0:
        raise DesignError(
            f"coil {cid!r}: fields 'axis'/'center_m': an axisymmetric problem needs the "
            "solenoid on the z axis (axis [0, 0, ±1], center_m [0, 0, z])"
        )
    zc, half = sol.center_m[2], 0.5 * sol.length_m
    return WindingSection(
        cid,
        float(sol.inner_radius_m or 0.0),
        float(sol.outer_radius_m or 0.0),
        zc - half,
        zc + half,
        float(sol.turns),
        float(sol.current_A * np.sign(axis[2])),
    )


def _iron(index: int, raw, symmetry: str) -> IronRegion:
    if not isinstance(raw, dict):
        raise DesignError(f"iron[{index}]: each iron region must be a JSON object")
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        raise DesignError(f"iron[{index}]: field 'id' is required (a non-empty string)")
    unknown = [k for k in raw if k not in ("id", "material", "shape")]
    if unknown:
        raise DesignError(
            f"iron {rid!r}: unknown field {unknown[0]!r}; allowed: id, material, shape"
        )
    if "material" not in raw:
        raise DesignError(f"iron {rid!r}: field 'material' is required")
    material = material_from_spec(raw["material"], where=f"iron {rid!r}: field 'material'")
    shape = raw.get("shape")
    stype = shape.get("type") if isinstance(shape, dict) else None
    if not isinstance(shape, dict) or stype not in SHAPE_KEYS:
        raise DesignError(
            f"iron {rid!r}: field 'shape' must be an object with type 'annulus' or 'polygon'"
        )
    unknown = [k for k in shape if k not in SHAPE_KEYS[stype]]
    if unknown:
        raise DesignError(
            f"iron {rid!r}: unknown field 'shape.{unknown[0]}' for a {stype}; "
            f"allowed: {', '.join(SHAPE_KEYS[stype])}"
        )
    where = f"iron {rid!r}: field 'shape"
    if stype == "annulus":
        c, ri, ro = (
            shape.get("centre_m"),
            shape.get("r_inner_m", 0.0),
            shape.get("r_outer_m", math.nan),
        )
        if c is None or not _pair(c):
            raise DesignError(f"{where}.centre_m' must be [x, y] in metres")
        if not (_number(ri) and _number(ro) and 0 <= ri < ro):
            raise DesignError(f"{where}': needs 0 ≤ r_inner_m < r_outer_m (metres)")
        if symmetry == "axisymmetric" and c[0] != 0:
            raise DesignError(
                f"{where}.centre_m': an axisymmetric annulus is a spherical shell and must be "
                f"centred on the axis (x = 0), got {c}"
            )
        return IronRegion(
            rid, material, "annulus", (float(c[0]), float(c[1])), float(ri), float(ro)
        )
    pts = shape.get("points_m")
    if not (isinstance(pts, list) and len(pts) >= 3 and all(_pair(p) for p in pts)):
        raise DesignError(f"{where}.points_m' must be a list of at least three [x, y] points")
    arr = np.asarray(pts, dtype=float)
    if symmetry == "axisymmetric" and np.any(arr[:, 0] < 0):
        raise DesignError(f"{where}.points_m': axisymmetric shapes need r = x ≥ 0")
    area = 0.5 * np.sum(arr[:, 0] * np.roll(arr[:, 1], -1) - np.roll(arr[:, 0], -1) * arr[:, 1])
    if abs(area) <= 1e-12 * np.ptp(arr, axis=0).max() ** 2:
        raise DesignError(f"{where}.points_m': the polygon has no area")
    if area < 0:
        arr = arr[::-1]
    return IronRegion(rid, material, "polygon", points_m=tuple(map(tuple, arr.tolist())))


def _mesh_options(raw) -> tuple[float | None, int]:
    if not isinstance(raw, dict) or any(k not in MESH_KEYS for k in raw):
        raise DesignError(f"coil file: field 'mesh' must be an object with {', '.join(MESH_KEYS)}")
    h = raw.get("max_size_m")
    if h is not None and not (_number(h) and h > 0):
        raise DesignError("coil file: field 'mesh.max_size_m' must be a positive length (m)")
    order = raw.get("order", 2)
    if order not in (1, 2, 3, 4):
        raise DesignError("coil file: field 'mesh.order' must be 1, 2, 3 or 4")
    return (None if h is None else float(h)), int(order)
