"""Grid result Datasets: layout, slices/probes/profiles, NetCDF round trip, VTK file."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from solver.errors import DesignError
from solver.thermal.grid import (
    Box,
    ConductionBody,
    Cylinder,
    FixedTemperature,
    Patch,
    probe,
    profile,
    temperature_slice,
    to_netcdf,
    to_vtk,
)
from tests.thermal.grid_cases import LinearK


@pytest.fixture(scope="module")
def body():
    cu, ss = LinearK(a=50.0, b=1.0, id="cu-like"), LinearK(id="ss-like")
    return ConductionBody(
        [
            Box((0, 0, 0), (0.04, 0.02, 0.01), cu),
            Cylinder((0.03, 0.01, 0.005), 0.004, 0.01, "z", ss),
            Box((0.0, 0.0, 0.0), (0.01, 0.01, 0.01), None),  # a notch
        ],
        0.002,
        [Patch("warm", "x+", FixedTemperature(77.0)), Patch("cold", "y-", FixedTemperature(4.0))],
    )


@pytest.fixture(scope="module")
def steady(body):
    return body.solve_steady()


def test_dataset_layout_units_and_empty_cells(body, steady):
    ds = steady
    assert ds["T"].dims == ("x", "y", "z")
    assert ds["T"].attrs["units"] == "K"
    assert ds["x"].attrs["units"] == "m"
    assert ds.sizes == {"x": 20, "y": 10, "z": 5, "patch": 2, "cylinder": 1}
    np.testing.assert_allclose(ds["x"].values, 0.001 + 0.002 * np.arange(20))
    assert np.all(np.isnan(ds["T"].values[:5, :5, :]))  # the notch
    assert ds["material"].attrs["flag_meanings"] == "empty cu-like ss-like"
    # the cylinder's material holds the cells it fills at least half of: counted here on
    # 100 x 100 sample points per cell (no cell of this layout lies within 1 % of half)
    s = (np.arange(100) + 0.5) / 100 * 0.002 - 0.001
    X = (ds.x.values[:, None] + s[None, :])[:, None, :, None]
    Y = (ds.y.values[:, None] + s[None, :])[None, :, None, :]
    share = np.mean((X - 0.03) ** 2 + (Y - 0.01) ** 2 <= 0.004**2, axis=(2, 3))
    assert np.all(np.abs(share - 0.5) > 0.01)
    assert np.array_equal(ds["material"].values[:, :, 0] == 1, share >= 0.5)
    solid = ds["T"].values[~np.isnan(ds["T"].values)]
    assert solid.min() >= 4.0 and solid.max() <= 77.0  # maximum principle, no sources


def test_slice_probe_and_profile_read_the_cells(steady):
    T = steady["T"]
    sl = temperature_slice(steady, "z", 0.005)
    assert sl.dims == ("x", "y")
    np.testing.assert_array_equal(sl.values, T.values[:, :, 2])
    p = probe(steady, [[0.039, 0.019, 0.0001], [0.021, 0.005, 0.009]])
    np.testing.assert_array_equal(p.values, [T.values[19, 9, 0], T.values[10, 2, 4]])
    line = profile(steady, (0.001, 0.019, 0.005), (0.039, 0.019, 0.005), samples=20)
    assert line.dims == ("distance",)
    assert line["distance"].values[-1] == pytest.approx(0.038)
    np.testing.assert_array_equal(line.values, T.values[:, 9, 2])
    with pytest.raises(DesignError, match="outside the grid"):
        probe(steady, [[1.0, 0.0, 0.0]])


def test_netcdf_round_trip_is_exact(steady, tmp_path):
    path = tmp_path / "body.nc"
    to_netcdf(steady, path)
    with xr.open_dataset(path, engine="h5netcdf") as back:
        xr.testing.assert_identical(back.load(), steady)


def test_transient_netcdf_round_trip_is_exact(body, tmp_path):
    ds = body.solve_transient(2.0, 50.0, output_times_s=[0.0, 1.0], tolerance_K=1.0)
    assert ds["T"].dims == ("time", "x", "y", "z")
    path = tmp_path / "transient.nc"
    to_netcdf(ds, path)
    with xr.open_dataset(path, engine="h5netcdf") as back:
        xr.testing.assert_identical(back.load(), ds)


def _read_legacy_vtk(path):
    raw = path.read_bytes()
    head, rest = raw.split(b"LOOKUP_TABLE default\n", 1)
    lines = head.decode().splitlines()
    dims = [int(v) for v in lines[4].split()[1:]]
    origin = [float(v) for v in lines[5].split()[1:]]
    spacing = [float(v) for v in lines[6].split()[1:]]
    n = (dims[0] - 1) * (dims[1] - 1) * (dims[2] - 1)
    T = np.frombuffer(rest[: 8 * n], dtype=">f8")
    _, tail = rest[8 * n :].split(b"LOOKUP_TABLE default\n", 1)
    mat = np.frombuffer(tail[: 4 * n], dtype=">i4")
    shape = tuple(d - 1 for d in dims)
    return lines, origin, spacing, T.reshape(shape, order="F"), mat.reshape(shape, order="F")


def test_vtk_file_holds_the_cells_in_vtk_order(steady, tmp_path):
    path = tmp_path / "body.vtk"
    to_vtk(steady, path)
    lines, origin, spacing, T, mat = _read_legacy_vtk(path)
    assert lines[0] == "# vtk DataFile Version 3.0"
    assert lines[2:4] == ["BINARY", "DATASET STRUCTURED_POINTS"]
    assert lines[4] == "DIMENSIONS 21 11 6"
    np.testing.assert_allclose(origin, [0, 0, 0], atol=1e-15)
    assert spacing == [0.002] * 3
    np.testing.assert_array_equal(T, steady["T"].values)  # NaN in the same (empty) cells
    np.testing.assert_array_equal(mat, steady["material"].values)
