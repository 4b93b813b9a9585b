"""Grid results as xarray Datasets: construction, slices, probes, profiles and exports.

Variables: ``T`` (x, y, z) in K (NaN in empty cells), ``material`` (x, y, z) as CF flag
values (-1 empty), ``patch_heat_W`` (patch) heat INTO the body through each patch;
coordinates are cell centres in m. A transient adds a leading ``time`` axis in s.
attrs give the body's ``solid_volume_m3``; a body with cylinders adds, over a
``cylinder`` axis (its index among the shapes), each one's cut-cell cross-section and
volume beside the nominal πr² and πr²L (``cylinder_section_m2``,
``cylinder_nominal_section_m2``, ``cylinder_volume_m3``, ``cylinder_nominal_volume_m3``).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from solver.errors import DesignError


def _grid_field(body, values: np.ndarray, fill=np.nan) -> np.ndarray:
    out = np.full(body.grid.material_index.size, fill, dtype=np.asarray(values).dtype)
    out[body.flat] = values
    return out.reshape(body.grid.shape)


def _base(body) -> xr.Dataset:
    coords: dict[str, tuple] = {
        axis: (axis, body.grid.centres(a), {"units": "m", "long_name": f"cell centre {axis}"})
        for a, axis in enumerate("xyz")
    }
    coords["patch"] = ("patch", np.asarray(body.patch_ids(), dtype=str))
    ds = xr.Dataset(coords=coords)
    ds["material"] = (
        ("x", "y", "z"),
        body.grid.material_index.astype(np.int16),
        {
            "long_name": "material of each cell",
            "flag_values": np.arange(-1, len(body.material_names), dtype=np.int16),
            "flag_meanings": " ".join(["empty", *body.material_names]),
        },
    )
    ds["source_W"] = (
        (),
        float(np.sum(body.cell_power)),
        {"units": "W", "long_name": "volume sources"},
    )
    ds.attrs.update(
        {
            "body": body.name,
            "spacing_m": body.h,
            "cells": int(body.n),
            "solid_volume_m3": float(np.sum(body.cell_volume())),
            "geometry_notes": "; ".join(body.geometry_notes),
        }
    )
    sizes = body.grid.cylinders
    if sizes:
        ds = ds.assign_coords(
            cylinder=(
                "cylinder",
                [c.shape for c in sizes],
                {"long_name": "index of the cylinder among the shapes"},
            )
        )
        for name, units, what in _CYLINDER_SIZES:
            values = [getattr(c, name) for c in sizes]
            ds[f"cylinder_{name}"] = ("cylinder", values, {"units": units, "long_name": what})
    return ds


_CYLINDER_SIZES = (
    ("section_m2", "m2", "cut-cell cross-section"),
    ("nominal_section_m2", "m2", "nominal cross-section πr²"),
    ("volume_m3", "m3", "cut-cell volume"),
    ("nominal_volume_m3", "m3", "nominal volume πr²L"),
)


def _T_attrs() -> dict:
    return {"units": "K", "long_name": "temperature"}


def _Q_attrs() -> dict:
    return {"units": "W", "long_name": "heat into the body through the patch"}


def steady_dataset(body, state, iterations: int) -> xr.Dataset:
    """Dataset of a converged steady state (see module docstring).

    attrs: ``energy_balance_W`` = Σ patch heat + sources (zero up to the convergence
    tolerance), ``relative_residual``, ``newton_iterations``.
    """
    ds = _base(body)
    ds["T"] = (("x", "y", "z"), _grid_field(body, state.T), _T_attrs())
    ds["patch_heat_W"] = ("patch", state.patch_heat.copy(), _Q_attrs())
    ds.attrs.update(
        {
            "energy_balance_W": float(np.sum(state.patch_heat) + np.sum(body.cell_power)),
            "relative_residual": state.relative_residual,
            "newton_iterations": int(iterations),
        }
    )
    return ds


def transient_dataset(body, times, temperatures, patch_heat, energy) -> xr.Dataset:
    """Dataset of a transient run.

    Parameters
    ----------
    times : sequence of float, length n_t — s.
    temperatures : list of ndarray (n_cells,) — K at each time.
    patch_heat : list of ndarray (n_patches,) — W at each time (end of the step reaching it).
    energy : dict — ``stored_J`` (H_end - H_0), ``supplied_J`` (∫ heat in dt), and step counts.
    """
    ds = _base(body)
    ds = ds.assign_coords(time=("time", np.asarray(times, dtype=float), {"units": "s"}))
    ds["T"] = (
        ("time", "x", "y", "z"),
        np.stack([_grid_field(body, T) for T in temperatures]),
        _T_attrs(),
    )
    ds["patch_heat_W"] = (("time", "patch"), np.stack(patch_heat), _Q_attrs())
    ds.attrs.update(
        {
            "stored_energy_J": float(energy["stored_J"]),
            "supplied_energy_J": float(energy["supplied_J"]),
            "energy_balance_J": float(energy["stored_J"] - energy["supplied_J"]),
            "steps_accepted": int(energy["accepted"]),
            "steps_rejected": int(energy["rejected"]),
        }
    )
    return ds


# ---------------------------------------------------------------------- views
def temperature_slice(ds: xr.Dataset, axis: str, position_m: float) -> xr.DataArray:
    """T on the plane of cells that holds ``axis = position_m`` (axis "x", "y" or "z")."""
    _inside(ds, {axis: position_m})
    return ds["T"].sel({axis: position_m}, method="nearest")


def probe(ds: xr.Dataset, points_m) -> xr.DataArray:
    """T of the cell holding each point.

    Parameters
    ----------
    points_m : array_like, shape (n, 3) — metres.

    Returns
    -------
    DataArray over ``point`` (plus ``time`` for a transient), K; NaN in empty cells.
    """
    p = np.atleast_2d(np.asarray(points_m, dtype=float))
    if p.shape[1:] != (3,):
        raise DesignError(f"probe points must have shape (n, 3) in metres, got {p.shape}")
    _inside(ds, {"x": p[:, 0], "y": p[:, 1], "z": p[:, 2]})
    idx = {a: xr.DataArray(p[:, i], dims="point") for i, a in enumerate("xyz")}
    return ds["T"].sel(idx, method="nearest")


def profile(ds: xr.Dataset, start_m, end_m, samples: int = 100) -> xr.DataArray:
    """T of the cells along the straight line from ``start_m`` to ``end_m`` (m).

    Returns a DataArray over ``distance`` (m from start).
    """
    a, b = np.asarray(start_m, float), np.asarray(end_m, float)
    s = np.linspace(0.0, 1.0, int(samples))
    out = probe(ds, a + s[:, None] * (b - a)).rename(point="distance")
    return out.assign_coords(distance=("distance", s * np.linalg.norm(b - a), {"units": "m"}))


def _inside(ds: xr.Dataset, where: dict) -> None:
    h = float(ds.attrs["spacing_m"])
    for axis, value in where.items():
        if axis not in ("x", "y", "z"):
            raise DesignError(f"axis must be x, y or z, got {axis!r}")
        c = ds[axis].values
        v = np.atleast_1d(value)
        if np.any(v < c[0] - 0.5 * h) or np.any(v > c[-1] + 0.5 * h):
            raise DesignError(
                f"{axis} = {v.min():g}..{v.max():g} m lies outside the grid "
                f"{c[0] - 0.5 * h:g}..{c[-1] + 0.5 * h:g} m"
            )


# ---------------------------------------------------------------------- export
def to_netcdf(ds: xr.Dataset, path) -> None:
    """Write a grid Dataset to NetCDF-4 (h5netcdf engine)."""
    ds.to_netcdf(path, engine="h5netcdf")


def to_vtk(ds: xr.Dataset, path, time_index: int = -1) -> None:
    """Write T and material as cell data of a binary legacy-VTK STRUCTURED_POINTS file.

    ParaView and VisIt read it. Empty cells hold NaN in ``T_K`` and -1 in ``material``.

    Parameters
    ----------
    time_index : int — which time of a transient to write (default the last).
    """
    T = ds["T"].isel(time=time_index) if "time" in ds["T"].dims else ds["T"]
    nx, ny, nz = T.shape
    h = float(ds.attrs["spacing_m"])
    origin = [float(ds[a].values[0]) - 0.5 * h for a in "xyz"]
    header = "\n".join(
        [
            "# vtk DataFile Version 3.0",
            f"CryoGen grid body {ds.attrs.get('body', '')}".strip(),
            "BINARY",
            "DATASET STRUCTURED_POINTS",
            f"DIMENSIONS {nx + 1} {ny + 1} {nz + 1}",
            "ORIGIN {:.17g} {:.17g} {:.17g}".format(*origin),
            f"SPACING {h:.17g} {h:.17g} {h:.17g}",
            f"CELL_DATA {nx * ny * nz}",
            "SCALARS T_K double 1",
            "LOOKUP_TABLE default",
            "",
        ]
    )
    # legacy VTK binary is big-endian, cells with x fastest: Fortran order of (x, y, z)
    with open(path, "wb") as f:
        f.write(header.encode("ascii"))
        f.write(np.asarray(T.values, dtype=">f8").ravel(order="F").tobytes())
        f.write(b"\nSCALARS material int 1\nLOOKUP_TABLE default\n")
        f.write(np.asarray(ds["material"].values, dtype=">i4").ravel(order="F").tobytes())
        f.write(b"\n")
