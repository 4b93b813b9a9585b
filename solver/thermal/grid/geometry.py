"""Bodies built from boxes and cylinders, voxelised on a uniform Cartesian grid.

A cell belongs to a shape when its centre lies inside it; later shapes overwrite
earlier ones, and a shape with ``material=None`` carves a hole. Coordinates are
in metres; the grid starts at the lower corner of the union of all shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.errors import DesignError

AXES = ("x", "y", "z")


def _vector(value, what: str) -> np.ndarray:
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise DesignError(f"{what} must be 3 numbers in metres, got {value!r}") from None
    if v.shape != (3,) or not np.all(np.isfinite(v)):
        raise DesignError(f"{what} must be 3 finite numbers in metres, got {value!r}")
    return v


@dataclass(frozen=True)
class Box:
    """Axis-aligned box from ``min_m`` to ``max_m`` (metres) filled with ``material``.

    ``material`` is a material id (resolved with ``solver.materials.get``), a
    material object, or None for a hole.
    """

    min_m: tuple
    max_m: tuple
    material: object = None

    def __post_init__(self):
        lo, hi = _vector(self.min_m, "box min_m"), _vector(self.max_m, "box max_m")
        if np.any(hi <= lo):
            raise DesignError(f"box max_m {list(hi)} must exceed min_m {list(lo)} on every axis")

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return _vector(self.min_m, "min_m"), _vector(self.max_m, "max_m")

    def contains(self, x, y, z) -> np.ndarray:
        lo, hi = self.bounds()
        return (
            (x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1]) & (z >= lo[2]) & (z <= hi[2])
        )


@dataclass(frozen=True)
class Cylinder:
    """Right circular cylinder along axis ``axis`` ("x", "y" or "z").

    ``center_m`` is the midpoint of its axis, ``radius_m`` and ``length_m`` in metres.
    """

    center_m: tuple
    radius_m: float
    length_m: float
    axis: str = "z"
    material: object = None

    def __post_init__(self):
        _vector(self.center_m, "cylinder center_m")
        if self.axis not in AXES:
            raise DesignError(f"cylinder axis must be one of x, y, z, got {self.axis!r}")
        for name in ("radius_m", "length_m"):
            v = getattr(self, name)
            if not isinstance(v, int | float) or not np.isfinite(v) or v <= 0:
                raise DesignError(f"cylinder {name} must be a number > 0, got {v!r}")

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        c = _vector(self.center_m, "center_m")
        half = np.full(3, float(self.radius_m))
        half[AXES.index(self.axis)] = 0.5 * self.length_m
        return c - half, c + half

    def contains(self, x, y, z) -> np.ndarray:
        c = _vector(self.center_m, "center_m")
        a = AXES.index(self.axis)
        coords = (x - c[0], y - c[1], z - c[2])
        radial = [coords[i] for i in range(3) if i != a]
        return (np.abs(coords[a]) <= 0.5 * self.length_m) & (
            radial[0] ** 2 + radial[1] ** 2 <= float(self.radius_m) ** 2
        )


@dataclass(frozen=True)
class VoxelGrid:
    """A uniform grid of cubic cells and the material index of each cell.

    Attributes
    ----------
    origin_m : ndarray, shape (3,) — lower corner of the grid, m.
    spacing_m : float — cell edge, m.
    material_index : ndarray of int16, shape (nx, ny, nz) — index into the body's
        material list, -1 for empty cells.
    """

    origin_m: np.ndarray
    spacing_m: float
    material_index: np.ndarray

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.material_index.shape

    def centres(self, axis: int) -> np.ndarray:
        """Cell-centre coordinates along ``axis`` (0, 1, 2), m."""
        n = self.shape[axis]
        return self.origin_m[axis] + (np.arange(n) + 0.5) * self.spacing_m


def voxelise(shapes: list, material_slots: list[int | None], spacing_m: float) -> VoxelGrid:
    """Voxelise shapes (in order; later ones win) on a grid of the given spacing.

    Parameters
    ----------
    shapes : list of Box or Cylinder.
    material_slots : list — material index of each shape, None for a hole.
    spacing_m : float — cell edge in metres.
    """
    if not isinstance(spacing_m, int | float) or not np.isfinite(spacing_m) or spacing_m <= 0:
        raise DesignError(f"spacing_m must be a number > 0, got {spacing_m!r}")
    if not shapes:
        raise DesignError("a body needs at least one box or cylinder")
    lows, highs = zip(*(s.bounds() for s in shapes), strict=True)
    lo, hi = np.min(lows, axis=0), np.max(highs, axis=0)
    counts = np.maximum(1, np.ceil((hi - lo) / spacing_m - 1e-9).astype(int))
    if np.prod(counts.astype(float)) > 2e8:
        raise DesignError(
            f"spacing_m {spacing_m:g} m gives {counts.tolist()} cells (over 2e8): use a coarser spacing"
        )
    index = np.full(tuple(counts), -1, dtype=np.int16)
    x, y, z = (lo[a] + (np.arange(counts[a]) + 0.5) * spacing_m for a in range(3))
    X, Y, Z = x[:, None, None], y[None, :, None], z[None, None, :]
    for shape, slot in zip(shapes, material_slots, strict=True):
        inside = np.broadcast_to(shape.contains(X, Y, Z), index.shape)
        index[inside] = -1 if slot is None else slot
    if not np.any(index >= 0):
        raise DesignError(
            f"no cell centre lies inside any solid shape at spacing_m {spacing_m:g} m: "
            "use a finer spacing"
        )
    return VoxelGrid(lo, float(spacing_m), index)


def cylinder_voxel_notes(shapes: list, grid: VoxelGrid) -> list[str]:
    """Nominal against voxelised cross-section and volume of every cylinder (never silent).

    The staircase of cubic cells carries a slightly different section than πr²: the
    difference changes the conduction along the cylinder by the same fraction. For each
    cylinder: cells whose centre lies inside it (its own voxels, before later shapes
    overwrite them), their count × h³ against πr²L, and the largest section across the
    axis × h² against πr².
    """
    notes = []
    h = grid.spacing_m
    X, Y, Z = (
        grid.centres(a)[tuple(slice(None) if b == a else None for b in range(3))] for a in range(3)
    )
    for k, shape in enumerate(shapes):
        if not isinstance(shape, Cylinder):
            continue
        inside = np.broadcast_to(shape.contains(X, Y, Z), grid.shape)
        a = AXES.index(shape.axis)
        section = float(np.max(np.sum(inside, axis=tuple(b for b in range(3) if b != a)))) * h * h
        volume = float(np.sum(inside)) * h**3
        area = np.pi * float(shape.radius_m) ** 2
        notes.append(
            f"cylinder {k}: voxel cross-section {section:.4g} m² vs nominal πr² {area:.4g} m² "
            f"({100 * (section / area - 1):+.2f} %), volume {volume:.4g} m³ vs "
            f"{area * shape.length_m:.4g} m³ ({100 * (volume / (area * shape.length_m) - 1):+.2f} %)"
        )
    return notes
