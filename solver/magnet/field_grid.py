"""Where to map a field: the box around windings and an automatic grid in it.

The grid has cubic cells (equal spacing in x, y and z), so a round coil maps round
in every slice, and spans the windings' box plus a margin on every side. Its size
adapts to the coils: the cell is the largest that keeps the number of points under
a budget. The grid is shifted off the box's symmetry planes by a fixed fraction of a
cell, so no grid point lands on a current sheet or filament of a coil that is
placed on round numbers (the field is undefined there).

A design's magnets (``magnet`` components, each carrying a ``cryogen/coil@1`` object)
are read by :func:`design_magnets`; :func:`design_field_map` maps all of them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from solver.errors import DesignError
from solver.magnet.coilfile import coil_from_dict
from solver.magnet.coils import as_points
from solver.magnet.fem.magnet import FemMagnet
from solver.magnet.fem.magnet3d import FemMagnet3D
from solver.magnet.fem.overview import iron_field_map
from solver.magnet.fringe import FRINGE_LEVEL_T
from solver.magnet.magnet import Magnet, field_map

DEFAULT_MAX_POINTS = 80_000
"""Point budget of an automatic map: about 43³, one to two seconds of Biot–Savart for
a few thousand filament segments on two cores."""
DEFAULT_MARGIN = 0.3
"""Margin on each side, as a fraction of the largest side of the windings' box."""
GRID_SHIFT = 0.1180339887
"""Fraction of a cell by which the grid is shifted off the box centre ((√5 − 2)/2: an
irrational number, so a winding placed on round numbers never meets a grid point)."""


def winding_bounds(coils: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Box holding every winding of ``coils`` (Coil or Magnet objects, anything with ``bounds()``).

    Returns
    -------
    lo, hi : ndarray, shape (3,)
        Smallest and largest global x, y, z in metres.
    """
    boxes = [item.bounds() for item in coils]
    if not boxes:
        raise DesignError("no coils to bound: give at least one coil")
    lo = np.min([b[0] for b in boxes], axis=0)
    hi = np.max([b[1] for b in boxes], axis=0)
    return lo, hi


def field_axes(
    lo, hi, *, max_points: int = DEFAULT_MAX_POINTS, margin: float = DEFAULT_MARGIN
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y, z axes (metres) of a cubic-cell grid over the box ``lo``–``hi`` plus a margin.

    Parameters
    ----------
    lo, hi : array_like, shape (3,)
        Corners of the box to map, metres (a flat box, such as one loop's, is fine).
    max_points : int
        Most grid points (nx·ny·nz); at least 8 points per axis are kept.
    margin : float
        Added on every side, as a fraction of the box's largest side.

    Returns
    -------
    x, y, z : ndarray
        Equally spaced coordinates with the same step on all three axes.
    """
    lo, hi = as_points(lo)[0], as_points(hi)[0]
    if np.any(hi < lo):
        raise DesignError(f"field box: hi {hi.tolist()} is below lo {lo.tolist()} on some axis")
    if max_points < 8**3:
        raise DesignError(f"max_points must be at least {8**3}, got {max_points}")
    size = float((hi - lo).max())
    if not size > 0:
        raise DesignError("field box: the windings have no extent (all at one point)")
    pad = margin * size
    span = (hi - lo) + 2 * pad
    span = np.maximum(span, 2 * pad)  # a flat winding still gets its margin across
    step = (np.prod(span) / max_points) ** (1.0 / 3.0)
    while True:
        n = np.maximum(np.ceil(span / step).astype(int), 8)
        n += 1 - n % 2  # odd: a point near the middle plane of the box
        if np.prod(n) <= max_points:
            break
        step *= 1.01
    centre = 0.5 * (lo + hi) + GRID_SHIFT * step
    return tuple(centre[k] + (np.arange(n[k]) - (n[k] - 1) / 2) * step for k in range(3))


def design_magnets(design: dict) -> dict[str, Magnet | FemMagnet | FemMagnet3D]:
    """The :class:`Magnet` of every ``magnet`` component of a design dict, by component id.

    Raises
    ------
    DesignError
        When the design has no magnet, or a magnet's ``coil`` is not a valid coil object
        (naming the magnet id and field).
    """
    found = [c for c in design.get("components", []) if c.get("type") == "magnet"]
    if not found:
        raise DesignError(
            "the design has no magnet component: add one from the palette "
            "(it carries a cryogen/coil@1 'coil') before running a field map"
        )
    out = {}
    for m in found:
        try:
            out[m["id"]] = coil_from_dict(m.get("coil"))
        except DesignError as exc:
            raise DesignError(f"magnet {m['id']!r}, field 'coil': {exc}") from None
    return out


def design_field_map(
    design: dict, magnet_ids: Sequence[str] | None = None, *, max_points: int = DEFAULT_MAX_POINTS
) -> xr.Dataset:
    """Bx, By, Bz, |B| (T) of a design's magnets, summed, on an automatic grid around them.

    Parameters
    ----------
    design : dict
        A ``cryogen/design@1`` dict with at least one ``magnet`` component.
    magnet_ids : sequence of str, optional
        Map around these magnets only (their fields alone); default all of them.
    max_points : int
        Point budget of the grid (see :func:`field_axes`).

    Returns
    -------
    xarray.Dataset
        As :func:`solver.magnet.field_map`, with attrs ``magnets`` (the ids mapped),
        ``grid_step_m`` and the windings' box ``bounds_lo_m``/``bounds_hi_m``.
    """
    magnets = design_magnets(design)
    if magnet_ids is not None:
        unknown = [m for m in magnet_ids if m not in magnets]
        if unknown:
            raise DesignError(
                f"no magnet {unknown[0]!r} in the design; magnets: {', '.join(magnets)}"
            )
        magnets = {k: magnets[k] for k in magnet_ids}
    return magnets_field_map(magnets, max_points=max_points)


def magnets_field_map(
    magnets: dict[str, Magnet | FemMagnet | FemMagnet3D],
    *,
    max_points: int = DEFAULT_MAX_POINTS,
) -> xr.Dataset:
    """The field map of :func:`design_field_map` for magnets already built (by id).

    A magnet with iron is mapped alone: the iron responds to every source, so its field
    cannot be added to another magnet's. A 2-D one in its symmetry plane with flux lines
    and iron outlines (:func:`solver.magnet.fem.overview.iron_field_map`), a 3-D one on
    the grid around its windings like a magnet in air. Every map carries the 5-gauss level
    (attr ``fringe_level_T``), whose line the Fields view draws where it crosses the map.
    """
    iron = {k: m for k, m in magnets.items() if isinstance(m, FemMagnet | FemMagnet3D)}
    if iron and len(magnets) > 1:
        first = next(iter(iron))
        raise DesignError(
            f"magnet {first!r} has iron (finite elements) and is mapped alone; map it with "
            f"magnet_ids=[{first!r}] or put all sources into its coil file"
        )
    for magnet_id, magnet in iron.items():
        if isinstance(magnet, FemMagnet):
            ds = iron_field_map(magnet)
            ds.attrs["magnets"] = magnet_id
            return ds
    lo, hi = winding_bounds(list(magnets.values()))
    axes = field_axes(lo, hi, max_points=max_points)

    def total(points):
        return sum(m.field(points) for m in magnets.values())

    ds = field_map(total, *axes)
    ds.attrs.update(
        magnets=", ".join(magnets),
        grid_step_m=float(axes[0][1] - axes[0][0]),
        bounds_lo_m=lo.tolist(),
        bounds_hi_m=hi.tolist(),
        fringe_level_T=FRINGE_LEVEL_T,
    )
    return ds
