"""Bodies built from boxes and cylinders on a uniform Cartesian grid of cut cells.

Every shape tells each cell what fraction of its volume it occupies and, for each of
the cell's six faces, what fraction of that face it occupies on the cell's side. A box
occupies whole cells, those whose centre lies inside it (its voxel staircase). A
cylinder occupies exactly the part of each cell inside it: the circle–rectangle
intersection in closed form times the overlap along its axis, so its cut cells hold
its nominal cross-section πr² and volume πr²L. Shapes combine in order: a solid
shape fills the part s of a cell (or face) it occupies, f ← f + s·(1 - f), and a hole
(``material=None``) empties it, f ← f·(1 - s). The rule is exact where a cell meets at
most one cut cylinder (a rod in vacuum, a bore in a block, a rod standing on a box);
where two cut cylinders share a cell it treats them as independent. A cell takes the
material of the last solid shape filling at least half of it (else of the last shape
touching it): a cylinder meeting another solid keeps a staircase material interface.
Coordinates are in metres; the grid starts at the lower corner of the union of all
shapes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.errors import DesignError

AXES = ("x", "y", "z")

EMPTY_BELOW = 1e-9
"""Cells filled to less than this fraction of their volume are left out (empty)."""


def _vector(value, what: str) -> np.ndarray:
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise DesignError(f"{what} must be 3 numbers in metres, got {value!r}") from None
    if v.shape != (3,) or not np.all(np.isfinite(v)):
        raise DesignError(f"{what} must be 3 finite numbers in metres, got {value!r}")
    return v


def _centres(edges: np.ndarray) -> np.ndarray:
    return 0.5 * (edges[:-1] + edges[1:])


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

    def occupancy(self, edges: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Whole cells whose centre lies inside the box; each of their faces belongs to it.

        Parameters
        ----------
        edges : list of 3 ndarrays — cell edges along x, y, z, m.

        Returns
        -------
        volume : ndarray, broadcastable to the grid — fraction of each cell occupied.
        sides : list of 6 such arrays — fraction of each cell's x-, x+, y-, y+, z-, z+ face
            occupied on the cell's side.
        """
        x, y, z = (_centres(e) for e in edges)
        inside = self.contains(x[:, None, None], y[None, :, None], z[None, None, :]).astype(float)
        return inside, [inside] * 6


def disc_fraction(u_edges: np.ndarray, v_edges: np.ndarray, radius: float) -> np.ndarray:
    """Fraction of each rectangle of a (u, v) grid inside the disc u² + v² ≤ r² (exact).

    Parameters
    ----------
    u_edges, v_edges : ndarray, shapes (nu + 1,), (nv + 1,) — cell edges relative to the
        disc's centre, m.
    radius : float — m.

    Returns
    -------
    ndarray, shape (nu, nv) — area inside the disc / cell area.
    """
    S = _quarter_area(u_edges[:, None], v_edges[None, :], radius)
    inside = S[1:, 1:] - S[:-1, 1:] - S[1:, :-1] + S[:-1, :-1]
    du, dv = np.diff(u_edges)[:, None], np.diff(v_edges)[None, :]
    fraction = np.clip(inside / (du * dv), 0.0, 1.0)
    # whole cells exactly: every corner inside, or no point inside
    far_u = np.maximum(np.abs(u_edges[:-1]), np.abs(u_edges[1:]))[:, None]
    far_v = np.maximum(np.abs(v_edges[:-1]), np.abs(v_edges[1:]))[None, :]
    fraction[far_u**2 + far_v**2 <= radius**2] = 1.0
    near_u = np.where(
        u_edges[:-1] * u_edges[1:] <= 0, 0.0, np.minimum(abs(u_edges[:-1]), abs(u_edges[1:]))
    )
    near_v = np.where(
        v_edges[:-1] * v_edges[1:] <= 0, 0.0, np.minimum(abs(v_edges[:-1]), abs(v_edges[1:]))
    )
    fraction[near_u[:, None] ** 2 + near_v[None, :] ** 2 >= radius**2] = 0.0
    return fraction


def _quarter_area(u: np.ndarray, v: np.ndarray, r: float) -> np.ndarray:
    """Signed area of the disc of radius r inside the rectangle from (0, 0) to (u, v), m².

    For a, b ≥ 0 (clipped to r) the area is ∫₀ᵃ min(b, √(r² - s²)) ds = b·t + P(a) - P(t)
    with t = min(a, √(r² - b²)) where the arc crosses height b and P(x) = ∫₀ˣ √(r² - s²) ds
    = ½(x√(r² - x²) + r² asin(x/r)); the sign follows the quadrant of (u, v).
    """
    a, b = np.minimum(np.abs(u), r), np.minimum(np.abs(v), r)
    t = np.minimum(a, np.sqrt(np.maximum(r * r - b * b, 0.0)))

    def P(x):
        return 0.5 * (x * np.sqrt(np.maximum(r * r - x * x, 0.0)) + r * r * np.arcsin(x / r))

    return np.sign(u) * np.sign(v) * (b * t + P(a) - P(t))


def chord_fraction(planes: np.ndarray, v_edges: np.ndarray, radius: float) -> np.ndarray:
    """Fraction of each face (plane u = const, v between two edges) inside the disc.

    Parameters
    ----------
    planes : ndarray, shape (np,) — u of the faces relative to the disc's centre, m.
    v_edges : ndarray, shape (nv + 1,) — face edges along v relative to the centre, m.

    Returns
    -------
    ndarray, shape (np, nv) — chord length inside each face / face width.
    """
    half = np.sqrt(np.maximum(radius**2 - planes**2, 0.0))[:, None]
    lo, hi = v_edges[None, :-1], v_edges[None, 1:]
    return np.clip(np.minimum(hi, half) - np.maximum(lo, -half), 0.0, None) / (hi - lo)


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

    def occupancy(self, edges: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Exact fraction of every cell and cell face inside the cylinder (see ``Box.occupancy``).

        Across the axis: the disc–rectangle area of each cell and the chord inside each
        face; along it: the overlap of each cell with the cylinder's length. The ends
        belong to the cylinder from its own side only.
        """
        a = AXES.index(self.axis)
        u, v = (b for b in range(3) if b != a)
        c = _vector(self.center_m, "center_m")
        r = float(self.radius_m)
        eu, ev, ew = edges[u] - c[u], edges[v] - c[v], edges[a] - c[a]
        half = 0.5 * float(self.length_m)
        width = np.diff(ew)
        along = np.clip(np.minimum(ew[1:], half) - np.maximum(ew[:-1], -half), 0.0, None) / width
        tol = 1e-9 * float(np.min(width))
        # a face across the axis belongs to the cylinder from the side the cylinder lies on
        starts = ((ew[:-1] >= -half - tol) & (ew[:-1] < half - tol)).astype(float)
        ends = ((ew[1:] > -half + tol) & (ew[1:] <= half + tol)).astype(float)
        disc = disc_fraction(eu, ev, r)[:, :, None]
        chord_u = chord_fraction(eu, ev, r)
        chord_v = chord_fraction(ev, eu, r).T
        in_uvw = {
            "volume": disc * along,
            2 * u: chord_u[:-1, :, None] * along,
            2 * u + 1: chord_u[1:, :, None] * along,
            2 * v: chord_v[:, :-1, None] * along,
            2 * v + 1: chord_v[:, 1:, None] * along,
            2 * a: disc * starts,
            2 * a + 1: disc * ends,
        }
        order = [(u, v, a).index(b) for b in range(3)]
        out = {key: np.transpose(value, order) for key, value in in_uvw.items()}
        return out["volume"], [out[d] for d in range(6)]


@dataclass(frozen=True)
class CutCellSize:
    """A cylinder's cross-section and volume on the grid beside the nominal ones.

    ``section_m2`` is the largest sum of its cut faces across its axis, ``volume_m3``
    the sum of its cut cells' volumes (before later shapes overwrite them).
    """

    shape: int
    section_m2: float
    nominal_section_m2: float
    volume_m3: float
    nominal_volume_m3: float

    def note(self) -> str:
        def pct(value, nominal):
            return f"{round(100 * (value / nominal - 1), 2) + 0.0:+.2f} %"  # no "-0.00"

        return (
            f"cylinder {self.shape}: cut-cell cross-section {self.section_m2:.4g} m² vs nominal "
            f"πr² {self.nominal_section_m2:.4g} m² ({pct(self.section_m2, self.nominal_section_m2)}), "
            f"volume {self.volume_m3:.4g} m³ vs {self.nominal_volume_m3:.4g} m³ "
            f"({pct(self.volume_m3, self.nominal_volume_m3)})"
        )


@dataclass(frozen=True)
class VoxelGrid:
    """A uniform grid of cubic cells: material, filled volume and face fractions of each cell.

    Attributes
    ----------
    origin_m : ndarray, shape (3,) — lower corner of the grid, m.
    spacing_m : float — cell edge, m.
    material_index : ndarray of int16, shape (nx, ny, nz) — index into the body's
        material list, -1 for empty cells.
    fill : ndarray, shape (nx, ny, nz), or None — fraction of each cell's volume that is
        solid (1 for whole cells, 0 for empty ones); None when every cell is whole (no
        cylinder): see ``filled``.
    sides : ndarray, shape (6, nx, ny, nz), or None — fraction of each cell's x-, x+, y-,
        y+, z-, z+ face that is solid on the cell's side (0 for empty cells); None when
        every cell is whole, each side then being the cell's fill.
    cylinders : tuple of CutCellSize — one per cylinder, in shape order.
    """

    origin_m: np.ndarray
    spacing_m: float
    material_index: np.ndarray
    fill: np.ndarray | None
    sides: np.ndarray | None
    cylinders: tuple = ()

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.material_index.shape

    def centres(self, axis: int) -> np.ndarray:
        """Cell-centre coordinates along ``axis`` (0, 1, 2), m."""
        n = self.shape[axis]
        return self.origin_m[axis] + (np.arange(n) + 0.5) * self.spacing_m

    def filled(self) -> np.ndarray:
        """Solid fraction of every cell's volume, shape (nx, ny, nz)."""
        return (self.material_index >= 0).astype(float) if self.fill is None else self.fill

    def side(self, d: int) -> np.ndarray:
        """Solid fraction of every cell's face on side ``d`` (x-, x+, y-, y+, z-, z+)."""
        return self.filled() if self.sides is None else self.sides[d]


def _cut_cell_size(k: int, shape: Cylinder, volume, sides, h: float) -> CutCellSize:
    a = AXES.index(shape.axis)
    faces = np.broadcast_to(sides[2 * a], volume.shape)
    section = float(np.max(np.sum(faces, axis=tuple(b for b in range(3) if b != a)))) * h * h
    area = np.pi * float(shape.radius_m) ** 2
    return CutCellSize(k, section, area, float(np.sum(volume)) * h**3, area * shape.length_m)


def _combine(fraction: np.ndarray, occupied, hole: bool) -> None:
    """Add a shape occupying ``occupied`` of each cell (or face) to ``fraction``, in place:
    a solid fills it, f ← f + s·(1 - f); a hole empties it, f ← f·(1 - s)."""
    if hole:
        fraction *= 1.0 - occupied
    else:
        fraction += occupied * (1.0 - fraction)


def voxelise(shapes: list, material_slots: list[int | None], spacing_m: float) -> VoxelGrid:
    """Cut the shapes (in order; later ones win) into a grid of the given spacing.

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
    grid_shape = tuple(int(n) for n in counts)
    edges = [lo[a] + np.arange(counts[a] + 1) * spacing_m for a in range(3)]
    index = np.full(grid_shape, -1, dtype=np.int16)
    fill = np.zeros(grid_shape)
    # face fractions differ from the cells' only where a cylinder cuts cells
    cut = any(isinstance(shape, Cylinder) for shape in shapes)
    sides = np.zeros((6, *grid_shape)) if cut else None
    owned = np.zeros(grid_shape, dtype=bool)  # the cell's material fills at least half of it
    sizes = []
    for k, (shape, slot) in enumerate(zip(shapes, material_slots, strict=True)):
        volume, faces = shape.occupancy(edges)
        if isinstance(shape, Cylinder):
            sizes.append(_cut_cell_size(k, shape, volume, faces, spacing_m))
        volume = np.broadcast_to(volume, grid_shape)
        _combine(fill, volume, slot is None)
        if sides is not None:
            for d in range(6):
                _combine(sides[d], faces[d], slot is None)
        if slot is None:
            owned &= fill >= 0.5
            continue
        half = volume >= 0.5
        index[half | ((volume > 0) & ~owned)] = slot
        owned |= half
    empty = fill < EMPTY_BELOW
    index[empty] = -1
    fill[empty] = 0.0
    if sides is not None:
        sides[:, empty] = 0.0
    if not np.any(index >= 0):
        raise DesignError(
            f"no cell lies inside any solid shape at spacing_m {spacing_m:g} m: use a finer spacing"
        )
    return VoxelGrid(lo, float(spacing_m), index, fill if cut else None, sides, tuple(sizes))
