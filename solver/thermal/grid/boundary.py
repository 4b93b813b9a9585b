"""Boundary patches and heat sources of a grid body.

A patch is the set of exposed cell faces whose outward normal is ``side`` ("x-",
"x+", "y-", "y+", "z-", "z+") and whose centres lie in the optional box
``min_m``..``max_m``. Each patch carries one condition; exposed faces in no patch
are adiabatic. A face is exposed where the cell is solid on it and its neighbour is
not (the whole face between a whole cell and an empty one). A cut cell also exposes
its curved surface: on side x+ the part of it facing +x, by the divergence theorem
(its x- face fraction minus its x+ face fraction) × h², the projection of the
surface onto the face. Sources spread their power in proportion to the solid volume
of the cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from solver.errors import DesignError
from solver.kernels.grid.conduction import FIXED_TEMPERATURE, HEAT_FLUX, RADIATION
from solver.thermal.grid.geometry import VoxelGrid

SIDES = ("x-", "x+", "y-", "y+", "z-", "z+")


@dataclass(frozen=True)
class FixedTemperature:
    """The patch is held at ``temperature_K``."""

    temperature_K: float


@dataclass(frozen=True)
class HeatFlux:
    """Heat into the body through the patch: ``flux_W_m2`` per area, or ``power_W`` in total
    spread uniformly over the patch area. Negative values take heat out."""

    flux_W_m2: float | None = None
    power_W: float | None = None


@dataclass(frozen=True)
class Radiation:
    """Grey radiation to surroundings at ``environment_K``: q = εσ(T_s⁴ - T_env⁴) out of the
    face, with ``emissivity`` the effective emissivity ε_eff of the exchange (0 < ε ≤ 1)."""

    emissivity: float
    environment_K: float


@dataclass(frozen=True)
class NodeLink:
    """The patch is isothermal at the temperature of network node ``node`` (a terminal)."""

    node: str


@dataclass(frozen=True)
class Patch:
    """A named region of the body surface with one boundary condition.

    Parameters
    ----------
    id : str
    side : str — outward normal of the faces: "x-", "x+", "y-", "y+", "z-" or "z+".
    condition : FixedTemperature, HeatFlux, Radiation or NodeLink.
    min_m, max_m : sequence of 3 floats, optional — box (m) that face centres must lie in.
    """

    id: str
    side: str
    condition: object
    min_m: tuple | None = None
    max_m: tuple | None = None


@dataclass(frozen=True)
class VolumeSource:
    """``power_W`` dissipated uniformly in the solid cells whose centres lie in the box
    ``min_m``..``max_m`` (m)."""

    id: str
    min_m: tuple
    max_m: tuple
    power_W: float


@dataclass
class BoundaryFaces:
    """Flattened boundary data the conduction kernel takes.

    Attributes
    ----------
    cell, patch : ndarray of int32, shape (n_faces,) — cell number and patch row of each face.
    fraction : ndarray, shape (n_faces,) — exposed area of each face / h².
    kind : ndarray of int32, shape (n_patches,) — kernel condition code.
    value : ndarray, shape (n_patches,) — K, W/m² or environment K (node links: set per solve).
    emissivity : ndarray, shape (n_patches,)
    terminal : ndarray of int32, shape (n_patches,) — terminal index of node links, else -1.
    area_m2 : ndarray, shape (n_patches,)
    terminals : list of str — node ids in order of first appearance.
    """

    cell: np.ndarray
    patch: np.ndarray
    fraction: np.ndarray
    kind: np.ndarray
    value: np.ndarray
    emissivity: np.ndarray
    terminal: np.ndarray
    area_m2: np.ndarray
    terminals: list = field(default_factory=list)


def _finite(value, what: str, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not np.isfinite(value):
        raise DesignError(f"{what} must be a finite number, got {value!r}")
    if positive and value <= 0:
        raise DesignError(f"{what} must be > 0, got {value!r}")
    return float(value)


def _condition_row(patch: Patch, area: float, terminals: list) -> tuple[int, float, float, int]:
    """(kind, value, emissivity, terminal) of a patch, with its inputs checked."""
    c, where = patch.condition, f"patch {patch.id!r}"
    if isinstance(c, FixedTemperature):
        return FIXED_TEMPERATURE, _finite(c.temperature_K, f"{where} temperature_K", True), 0.0, -1
    if isinstance(c, HeatFlux):
        if (c.flux_W_m2 is None) == (c.power_W is None):
            raise DesignError(f"{where}: give exactly one of flux_W_m2 and power_W")
        if c.power_W is not None:
            return HEAT_FLUX, _finite(c.power_W, f"{where} power_W") / area, 0.0, -1
        return HEAT_FLUX, _finite(c.flux_W_m2, f"{where} flux_W_m2"), 0.0, -1
    if isinstance(c, Radiation):
        eps = _finite(c.emissivity, f"{where} emissivity", True)
        if eps > 1:
            raise DesignError(f"{where}: emissivity must be in (0, 1], got {eps:g}")
        return RADIATION, _finite(c.environment_K, f"{where} environment_K", True), eps, -1
    if isinstance(c, NodeLink):
        if not isinstance(c.node, str) or not c.node:
            raise DesignError(f"{where}: node must be a non-empty node id, got {c.node!r}")
        if c.node not in terminals:
            terminals.append(c.node)
        return FIXED_TEMPERATURE, np.nan, 0.0, terminals.index(c.node)
    raise DesignError(
        f"{where}: condition must be FixedTemperature, HeatFlux, Radiation or NodeLink, "
        f"got {type(c).__name__}"
    )


def _box(lo, hi, grid: VoxelGrid, where: str) -> tuple[np.ndarray, np.ndarray]:
    from solver.thermal.grid.geometry import _vector

    big = np.full(3, np.inf)
    lo = -big if lo is None else _vector(lo, f"{where} min_m")
    hi = big if hi is None else _vector(hi, f"{where} max_m")
    if np.any(hi < lo):
        raise DesignError(f"{where}: max_m must not be below min_m on any axis")
    tol = 1e-6 * grid.spacing_m
    return lo - tol, hi + tol


EXPOSED_ABOVE = 1e-12
"""Faces exposing less than this fraction of h² (round-off of equal fractions) are left out."""


def exposed_fraction(grid: VoxelGrid, side: int) -> np.ndarray:
    """Exposed area / h² of every cell on one side (index into SIDES), shape grid.shape.

    The face itself where the cell is solid on it beyond the neighbour's solid part
    (own fraction minus the neighbour's, at least 0), plus the cell's curved surface
    facing that side (opposite face fraction minus own, at least 0). Whole cells: 1 where
    the neighbour beyond is empty or outside the grid, else 0.
    """
    axis, plus = divmod(side, 2)
    own, opposite = grid.side(side), grid.side(side ^ 1)
    beyond = np.zeros_like(own)
    src, dst = [slice(None)] * 3, [slice(None)] * 3
    if plus:
        src[axis], dst[axis] = slice(1, None), slice(None, -1)
    else:
        src[axis], dst[axis] = slice(None, -1), slice(1, None)
    beyond[tuple(dst)] = opposite[tuple(src)]
    exposed = np.maximum(own - beyond, 0.0, out=beyond)
    if grid.sides is not None:  # whole cells have no curved surface
        exposed += np.maximum(opposite - own, 0.0)
    return exposed


def boundary_faces(grid: VoxelGrid, cell_number: np.ndarray, patches: list) -> BoundaryFaces:
    """Select the exposed faces of every patch.

    Parameters
    ----------
    grid : VoxelGrid
    cell_number : ndarray of int32, shape grid.shape — cell number, -1 for empty.
    patches : list of Patch
    """
    claimed: dict[int, str] = {}
    cells, rows, fractions, kinds, values, emiss, terms, areas = ([] for _ in range(8))
    terminals: list[str] = []
    ids = [p.id for p in patches]
    for row, patch in enumerate(patches):
        where = f"patch {patch.id!r}"
        if not isinstance(patch.id, str) or not patch.id or ids.count(patch.id) > 1:
            raise DesignError(f"{where}: patch ids must be unique non-empty strings")
        if patch.side not in SIDES:
            raise DesignError(
                f"{where}: side must be one of {', '.join(SIDES)}, got {patch.side!r}"
            )
        axis, sign = "xyz".index(patch.side[0]), (1 if patch.side[1] == "+" else -1)
        exposed = exposed_fraction(grid, SIDES.index(patch.side))
        lo, hi = _box(patch.min_m, patch.max_m, grid, where)
        centre = [grid.centres(a) for a in range(3)]
        centre[axis] = centre[axis] + 0.5 * sign * grid.spacing_m
        inside = [(centre[a] >= lo[a]) & (centre[a] <= hi[a]) for a in range(3)]
        mask = (exposed > EXPOSED_ABOVE) & inside[0][:, None, None] & inside[1][None, :, None]
        mask &= inside[2][None, None, :]
        flat = np.flatnonzero(mask)
        if flat.size == 0:
            raise DesignError(
                f"{where}: no exposed face on side {patch.side} lies in its box; check side, "
                "min_m and max_m against the body's geometry"
            )
        keys = (flat * 6 + SIDES.index(patch.side)).tolist()
        clash = next((claimed[k] for k in keys if k in claimed), None)
        if clash is not None:
            raise DesignError(f"{where} overlaps patch {clash!r}: a face takes one condition")
        claimed.update(dict.fromkeys(keys, patch.id))
        fraction = exposed.reshape(-1)[flat]
        area = float(np.sum(fraction)) * grid.spacing_m**2
        kind, value, eps, term = _condition_row(patch, area, terminals)
        cells.append(cell_number.reshape(-1)[flat])
        rows.append(np.full(flat.size, row, dtype=np.int32))
        fractions.append(fraction)
        kinds.append(kind)
        values.append(value)
        emiss.append(eps)
        terms.append(term)
        areas.append(area)

    def cat(parts):
        return np.concatenate(parts).astype(np.int32) if parts else np.zeros(0, np.int32)

    return BoundaryFaces(
        cell=cat(cells),
        patch=cat(rows),
        fraction=np.concatenate(fractions) if fractions else np.zeros(0),
        kind=np.asarray(kinds, dtype=np.int32),
        value=np.asarray(values, dtype=float),
        emissivity=np.asarray(emiss, dtype=float),
        terminal=np.asarray(terms, dtype=np.int32),
        area_m2=np.asarray(areas, dtype=float),
        terminals=terminals,
    )


def source_power(grid: VoxelGrid, cell_number: np.ndarray, sources: list) -> np.ndarray:
    """Power of the volume sources in each cell, W, shape (n_cells,): each source's power
    spread over the solid cells whose centre lies in its box, in proportion to their
    solid volume."""
    n = int(cell_number.max()) + 1
    power = np.zeros(n)
    for src in sources:
        where = f"source {src.id!r}"
        watts = _finite(src.power_W, f"{where} power_W")
        lo, hi = _box(src.min_m, src.max_m, grid, where)
        inside = [(grid.centres(a) >= lo[a]) & (grid.centres(a) <= hi[a]) for a in range(3)]
        mask = inside[0][:, None, None] & inside[1][None, :, None] & inside[2][None, None, :]
        mask &= cell_number >= 0
        cells, fill = cell_number[mask], grid.filled()[mask]
        if cells.size == 0:
            raise DesignError(f"{where}: no solid cell centre lies in its box min_m..max_m")
        np.add.at(power, cells, watts * fill / np.sum(fill))
    return power
