"""A magnet: a group of coils sharing one conductor and operating temperature."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import xarray as xr

from solver.errors import DesignError, UnknownNameError
from solver.magnet.coils import Coil, as_points
from solver.magnet.superconductors import Conductor


class Magnet:
    """Coils grouped into one magnet.

    Parameters
    ----------
    coils : sequence of Coil
        The windings; ids must be unique.
    conductor : Conductor, optional
        Strand shared by all coils (needed for margins and quench).
    operating_temperature_K : float, optional
        Bath / operating temperature in kelvin (needed for margins).
    """

    def __init__(
        self,
        coils: Sequence[Coil],
        conductor: Conductor | None = None,
        operating_temperature_K: float | None = None,
    ):
        coils = tuple(coils)
        if not coils:
            raise DesignError("a magnet needs at least one coil")
        seen: set[str] = set()
        for c in coils:
            if not isinstance(c, Coil):
                raise DesignError(f"magnet coils must be Coil objects, got {type(c).__name__}")
            if c.id in seen:
                raise DesignError(f"coil id {c.id!r} is used twice; every coil id must be unique")
            seen.add(c.id)
        if operating_temperature_K is not None and not (
            np.isfinite(operating_temperature_K) and operating_temperature_K > 0
        ):
            raise DesignError(
                f"operating_temperature_K must be a positive temperature in kelvin, got {operating_temperature_K!r}"
            )
        self.coils = coils
        self.conductor = conductor
        self.operating_temperature_K = operating_temperature_K

    def __repr__(self) -> str:
        ids = ", ".join(c.id for c in self.coils)
        return f"Magnet(coils=[{ids}], conductor={self.conductor!r}, T_op={self.operating_temperature_K})"

    def coil(self, coil_id: str) -> Coil:
        """The coil with this id (UnknownNameError lists the closest ids)."""
        for c in self.coils:
            if c.id == coil_id:
                return c
        raise UnknownNameError("coil", coil_id, [c.id for c in self.coils])

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Box holding every winding: (lo, hi), each shape (3,), metres (see ``Coil.bounds``)."""
        boxes = [c.bounds() for c in self.coils]
        return np.min([b[0] for b in boxes], axis=0), np.max([b[1] for b in boxes], axis=0)

    def field(self, points, coils: Iterable[str] | None = None) -> np.ndarray:
        """Flux density of all coils (or of the named ``coils``).

        Parameters
        ----------
        points : array_like, shape (n, 3) or (3,)
            Observer positions in metres.
        coils : iterable of str, optional
            Coil ids to include (default: all).

        Returns
        -------
        ndarray, shape (n, 3)
            B in tesla. A point on a current filament raises DesignError naming the coil.
        """
        p = as_points(points)
        out = np.zeros_like(p)
        chosen = self.coils if coils is None else [self.coil(c) for c in coils]
        for c in chosen:
            c.add_field(p, out)
        return out

    def field_map(self, x_m, y_m, z_m) -> xr.Dataset:
        """Field on a rectilinear grid.

        Parameters
        ----------
        x_m, y_m, z_m : array_like, shapes (nx,), (ny,), (nz,)
            Grid coordinates in metres.

        Returns
        -------
        xarray.Dataset
            Bx, By, Bz and B (= |B|) in tesla on dims (x, y, z), coordinates in metres.
        """
        return field_map(self.field, x_m, y_m, z_m)


def field_map(field_function, x_m, y_m, z_m) -> xr.Dataset:
    """Evaluate ``field_function(points (n, 3) m) -> (n, 3) T`` on a grid; see Magnet.field_map."""
    axes = [np.atleast_1d(np.asarray(v, dtype=float)) for v in (x_m, y_m, z_m)]
    for name, ax in zip("xyz", axes, strict=True):
        if ax.ndim != 1 or ax.size == 0 or not np.all(np.isfinite(ax)):
            raise DesignError(
                f"field map axis {name} must be a non-empty 1-D array of finite metres"
            )
    gx, gy, gz = np.meshgrid(*axes, indexing="ij")
    pts = np.stack([gx.ravel(), gy.ravel(), gz.ravel()], axis=1)
    b = field_function(pts).reshape((*gx.shape, 3))
    dims = ("x", "y", "z")
    tesla = {"units": "T"}
    ds = xr.Dataset(
        {
            "Bx": (dims, b[..., 0], {**tesla, "long_name": "flux density, x component"}),
            "By": (dims, b[..., 1], {**tesla, "long_name": "flux density, y component"}),
            "Bz": (dims, b[..., 2], {**tesla, "long_name": "flux density, z component"}),
            "B": (
                dims,
                np.linalg.norm(b, axis=-1),
                {**tesla, "long_name": "flux density magnitude |B|"},
            ),
        },
        coords={name: (name, ax, {"units": "m"}) for name, ax in zip(dims, axes, strict=True)},
        attrs={"title": "magnetic flux density map", "units": "SI (m, T)"},
    )
    return ds
