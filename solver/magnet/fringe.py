"""Fringe-field extent: how far from a magnet |B| stays above a level (the 5-gauss line).

One ray-marching search serves every magnet: :func:`ray_extents` samples |B| along rays
from an origin, takes the outermost crossing of the level and refines it by Brent's
method. :func:`fringe_extent_m` applies it to coils in air (Biot–Savart,
:class:`solver.magnet.Magnet`); :func:`solver.magnet.fem.fringe_extent_m` to a
finite-element solution.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from solver.magnet.coils import Helmholtz, Loop, Solenoid
from solver.magnet.magnet import Magnet

FRINGE_LEVEL_T = 5e-4
"""The 5-gauss line, 0.5 mT (1 G = 1e-4 T): the boundary of controlled access around MRI
magnets in IEC 60601-2-33 (pacemakers and implants)."""

NEAR_FRACTION = 1e-3
"""First sample of a ray in air, as a fraction of the magnet's size (half the diagonal of
its winding box seen from the origin)."""
FAR_MULTIPLE = 1e3
"""Last sample of a ray in air, in magnet sizes L. Outside its windings a magnet's field
falls at least as 1/r³ (no closed current has a monopole), so at 1000 L it is below 1e-9
of its value at L: a field under 5e5 T at the windings' scale is below 0.5 mT there.
A ray still above the level at the end gives inf."""
SAMPLES = 400
"""Geometrically spaced samples per ray in air (3.5 % steps over six decades)."""


def ray_extents(
    magnitude: Callable[[np.ndarray], np.ndarray],
    origin,
    rays: dict[str, np.ndarray],
    distances_m: np.ndarray,
    level_T: float,
    xtol_m: float,
) -> xr.Dataset:
    """Outermost distance along each ray at which ``magnitude`` equals ``level_T``.

    Parameters
    ----------
    magnitude : callable
        |B| in tesla at points (n, d) in metres, returning shape (n,).
    origin : array_like, shape (d,)
        Start of every ray, metres.
    rays : dict of str to array_like, shape (d,)
        Name and unit direction of each ray.
    distances_m : ndarray, shape (k,)
        Increasing sample distances along the rays, metres.
    level_T : float
        The level of |B|, tesla.
    xtol_m : float
        Absolute tolerance of Brent's method, metres.

    Returns
    -------
    xarray.Dataset
        ``extent_m`` (dim ``direction``): 0 when |B| < level at every sample, inf when it
        is still above the level at the last sample; attrs ``level_T``, ``origin_m``.
    """
    o = np.asarray(origin, dtype=float)
    s = np.asarray(distances_m, dtype=float)
    out = []
    for ray in rays.values():
        d = np.asarray(ray, dtype=float)
        above = np.flatnonzero(magnitude(o + s[:, None] * d) > level_T)
        if above.size == 0:
            out.append(0.0)
        elif above[-1] == len(s) - 1:
            out.append(np.inf)
        else:
            i = above[-1]

            def excess(t, d=d):
                return float(magnitude((o + t * d)[None, :])[0]) - level_T

            out.append(brentq(excess, s[i], s[i + 1], xtol=xtol_m))
    return xr.Dataset(
        {"extent_m": ("direction", np.array(out), {"units": "m"})},
        coords={"direction": list(rays)},
        attrs={"level_T": level_T, "origin_m": [float(x) for x in o]},
    )


def common_axis(magnet: Magnet) -> tuple[np.ndarray, np.ndarray] | None:
    """(point, unit axis) of the line every coil of ``magnet`` is centred on and turns
    about, when all are loops, solenoids or Helmholtz pairs on one axis; else None."""
    if not all(isinstance(c, Loop | Solenoid | Helmholtz) for c in magnet.coils):
        return None
    first = magnet.coils[0].placement
    axis, point = np.asarray(first.axis), first.center
    lo, hi = magnet.bounds()
    tol = 1e-9 * max(float(np.linalg.norm(hi - lo)), 1e-300)
    for c in magnet.coils[1:]:
        p = c.placement
        off = p.center - point
        if (
            np.linalg.norm(np.cross(p.axis, axis)) > 1e-12
            or np.linalg.norm(off - np.dot(off, axis) * axis) > tol
        ):
            return None
    return point, axis


def fringe_extent_m(magnet: Magnet, level_T: float = FRINGE_LEVEL_T) -> xr.Dataset:
    """Farthest distance from a magnet in air at which |B| is still ``level_T`` (default
    0.5 mT, the 5-gauss line) along each axis direction, metres (Biot–Savart).

    Origin and directions: for coils on one axis (loops, solenoids, Helmholtz pairs), the
    point of the axis nearest the centre of the winding box, and +z, −z (along the axis,
    named ``+axis``/``-axis`` when it is not z) and ``r`` (radially, perpendicular to the
    axis: the first coil's local x); otherwise the centre of the winding box and ±x, ±y,
    ±z. Each ray is sampled at :data:`SAMPLES` geometric distances from
    :data:`NEAR_FRACTION` to :data:`FAR_MULTIPLE` magnet sizes L (half the box diagonal);
    the outermost crossing is refined by Brent's method to 1e-9 L. ``extent_m`` is 0
    when |B| < level on the whole ray and inf when it is still above the level at 1000 L.

    Returns
    -------
    xarray.Dataset
        ``extent_m`` (dim ``direction``), attrs ``level_T``, ``origin_m``, ``far_m``.
    """
    lo, hi = magnet.bounds()
    centre = 0.5 * (lo + hi)
    line = common_axis(magnet)
    if line is None:
        origin = centre
        eye = np.eye(3)
        rays = {
            f"{sign}{name}": s * eye[k]
            for k, name in enumerate("xyz")
            for sign, s in (("+", 1), ("-", -1))
        }
    else:
        point, axis = line
        origin = point + np.dot(centre - point, axis) * axis
        name = "z" if np.allclose(np.abs(axis), (0.0, 0.0, 1.0), atol=1e-12) else "axis"
        sign = 1.0 if name == "axis" or axis[2] > 0 else -1.0
        rays = {
            f"+{name}": sign * axis,
            f"-{name}": -sign * axis,
            "r": magnet.coils[0].placement.rotation[:, 0],
        }
    size = float(np.linalg.norm(np.maximum(np.abs(hi - origin), np.abs(lo - origin))))
    s = np.geomspace(NEAR_FRACTION * size, FAR_MULTIPLE * size, SAMPLES)

    def magnitude(points: np.ndarray) -> np.ndarray:
        return np.linalg.norm(magnet.field(points), axis=1)

    ds = ray_extents(magnitude, origin, rays, s, level_T, 1e-9 * size)
    ds.attrs["far_m"] = float(s[-1])
    return ds
