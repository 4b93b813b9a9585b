"""The Fields view and magnet panel draw what a magnet with iron brings: flux lines, iron
outlines, the 5-gauss line, harmonics and fringe distances (synthetic inputs, no solve)."""

import numpy as np
import xarray as xr

from cryogen_widgets.views.field_slice import FieldSlice
from cryogen_widgets.views.magnet import MagnetPanel
from solver.magnet.fem import IronMagnet3DSummary, IronMagnetSummary


def _iron_map() -> xr.Dataset:
    """The layout of solver.magnet.fem.iron_field_map for a planar map (5 z planes)."""
    x, y, z = np.linspace(-1, 1, 21), np.linspace(-1, 1, 21), np.linspace(-0.5, 0.5, 5)
    gx, gy, _ = np.meshgrid(x, y, z, indexing="ij")
    dims = ("x", "y", "z")
    b = 1e-3 / (0.1 + gx**2 + gy**2)
    return xr.Dataset(
        {
            "Bx": (dims, b, {"units": "T"}),
            "By": (dims, 0 * b, {"units": "T"}),
            "Bz": (dims, 0 * b, {"units": "T"}),
            "B": (dims, b, {"units": "T"}),
            "flux_function": (
                dims,
                gy.copy(),
                {"units": "T·m", "long_name": "A_z", "flux_lines": 1},
            ),
            "iron_outline_m": (
                ("outline_point", "plane_axis"),
                np.array([[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2], [np.nan, np.nan]]),
            ),
        },
        coords={"x": x, "y": y, "z": z, "plane_axis": ["x", "y"]},
        attrs={
            "symmetry": "planar",
            "flux_plane": "xy",
            "fringe_level_T": 5e-4,
            "iron_ids": "yoke",
        },
    )


def test_field_slice_keys_the_iron_overlays_and_hides_the_flux_function():
    view = FieldSlice()
    view.show(_iron_map(), "B", plane="xy")
    assert "flux_function" not in view.variable.options
    assert view.plane.value == "xy"
    for text in ("iron (yoke)", "flux lines", "5 gauss"):
        assert text in view.legend.value
    view.plane.value = "xz"  # no flux lines out of the flux plane; the 5-gauss line still
    view.clear()
    assert view.legend.value == ""


def test_field_slice_offers_only_planes_across_the_map():
    ds = _iron_map().isel(z=[2])
    view = FieldSlice()
    view.show(ds, "B", plane="xz")  # a single z: only the xy plane has an area
    assert list(view.plane.options) == ["xy"] and view.plane.value == "xy"


def test_magnet_panel_shows_harmonics_and_5_gauss_distances():
    fringe = xr.Dataset(
        {"extent_m": ("direction", np.array([0.25, 0.25, 0.2, np.inf]))},
        coords={"direction": ["+x", "-x", "+y", "-y"]},
        attrs={"level_T": 5e-4},
    )
    harmonics = xr.Dataset(
        {"b": ("n", [1e4, 0.5, -1.2]), "a": ("n", [0.0, 0.1, 0.2]), "B_ref_T": ((), 0.5)},
        coords={"n": [1, 2, 3]},
    )
    s = IronMagnetSummary("planar", 14200, 5, fringe, harmonics, 0.0333, "", None)
    panel = MagnetPanel()
    panel.show({"dipole": s})
    text = panel.table.value
    assert "14200 unknowns, 5 Newton steps" in text
    assert "5-gauss (500 µT) line from the origin, along +x" in text and "250 mm" in text
    assert "along −y" in text and "beyond the far end" in text
    assert "cryogen-harmonics" in text and "33.3 mm" in text and "500 mT" in text
    assert "<td>10000</td>" in text and "<td>-1.2</td>" in text
    assert panel.figure.layout.display == "none"


def test_magnet_panel_shows_forces_and_inductance_of_a_3d_magnet():
    forces = xr.Dataset(
        {"force_N": (("coil", "component"), [[1e-19, 0.0, -0.666], [0.0, 2e-3, 0.5]])},
        coords={"coil": ["a", "b"], "component": ["x", "y", "z"]},
    )
    inductance = xr.Dataset(
        {
            "flux_linkage_Wb": ("coil", [3.52e-4, 1.0e-4]),
            "apparent_inductance_H": ("coil", [3.52e-7, 1.0e-7]),
            "series_apparent_inductance_H": ((), 4.5e-7),
            "energy_J": ((), 0.176),
            "energy_inductance_H": ((), 3.52e-7),
        },
        coords={"coil": ["a", "b"]},
    )
    iron = {"low": np.array([0.0, 0.0, 1.12]), "high": "touches another iron region"}
    s = IronMagnet3DSummary(15487, 2, forces, iron, inductance)
    panel = MagnetPanel()
    panel.show({"pair": s})
    text = panel.table.value
    assert "3-D, 15487 unknowns, 2 Newton steps" in text
    # the 1e-19 N round-off of a mirror-symmetric sum is shown as 0
    assert "force on coil a (x, y, z)</td><td><b>(0 N, 0 N, -666 mN)" in text
    assert "force on coil b (x, y, z)</td><td><b>(0 N, 2 mN, 500 mN)" in text
    assert "(0 N, 0 N, 1.12 N)" in text and "touches another iron region" in text
    assert "flux linkage of coil a</td><td><b>352 µWb" in text
    assert "inductance Ψ/I of coil b</td><td><b>100 nH" in text
    assert "coils in series</td><td><b>450 nH" in text and "176 mJ" in text
    assert "margins, load line and quench" in text
    assert panel.figure.layout.display == "none"
