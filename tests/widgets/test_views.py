"""Result views, field slice, exports, gallery, project bar, serve command and the whole app (no browser)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import xarray as xr

from cryogen_widgets.views import exports
from cryogen_widgets.views.field_slice import FieldSlice
from cryogen_widgets.views.results import stage_table_html


def _steady_like() -> xr.Dataset:
    """A Dataset with the steady-state layout; the numbers are arbitrary display inputs."""
    return xr.Dataset(
        {
            "temperature": ("node", [300.0, 45.0, 4.2], {"units": "K"}),
            "stage_load": ("node", [np.nan, 30.0, 1.5], {"units": "W"}),
            "capacity": ("node", [np.nan, 40.0, 1.0], {"units": "W"}),
            "margin": ("node", [np.nan, 10.0, -0.5], {"units": "W"}),
            "heat_flow": ("link", [30.0, 1.5], {"units": "W"}),
            "link_from": ("link", ["vessel", "shield"]),
            "link_to": ("link", ["shield", "plate"]),
        },
        coords={"node": ["vessel", "shield", "plate"], "link": ["legs", "struts"]},
        attrs={"analysis": "steady_state", "converged": True, "flags": ["a", "b"]},
    )


def test_stage_table_marks_overloaded_stages_red():
    html = stage_table_html(_steady_like())
    rows = {r.split("'")[0]: r for r in html.split("data-node='")[1:]}
    assert "#fbd5d5" in rows["plate"]  # load 1.5 W over capacity 1.0 W
    assert "#fbd5d5" not in rows["shield"]
    assert "4.2 K" in rows["plate"] and "—" in rows["vessel"]


def test_netcdf_and_csv_exports_round_trip(tmp_path):
    ds = _steady_like()
    path = exports.write_netcdf(ds, tmp_path / "r.nc")
    back = xr.load_dataset(path, engine="h5netcdf")
    xr.testing.assert_allclose(back, exports.netcdf_ready(ds))
    assert back.attrs["converged"] == 1 and json.loads(back.attrs["flags"]) == ["a", "b"]
    files = exports.write_csv(ds, tmp_path / "r")
    assert sorted(p.name for p in files) == ["r_link.csv", "r_node.csv"]
    node_csv = (tmp_path / "r_node.csv").read_text().splitlines()
    assert node_csv[0].startswith("node,temperature [K]")
    assert node_csv[3].split(",")[:2] == ["plate", "4.2"]


def _field(nx=100, ny=100, nz=50) -> xr.Dataset:
    x, y, z = np.linspace(-1, 1, nx), np.linspace(-2, 2, ny), np.linspace(0, 1, nz)
    X, Y, Z = np.meshgrid(x, y, z, indexing="ij")
    return xr.Dataset(
        {"T": (("x", "y", "z"), 10 + X + 10 * Y + 100 * Z, {"units": "K"})},
        coords={"x": x, "y": y, "z": z},
    )


def test_field_slice_probe_reads_the_value_under_the_cursor():
    view = FieldSlice()
    ds = _field()
    view.show(ds, "T")
    assert view.position.max == 49 and view.position.value == 25
    x0, y0, pw, ph, _hx, _vy, _values, at = view._geometry
    assert at == pytest.approx(float(ds.z[25]))
    value, (px, py) = view.value_at(x0 + 1, y0 + 1)  # top-left pixel: smallest x, largest y
    assert (px, py) == (pytest.approx(-1.0), pytest.approx(2.0))
    assert value == pytest.approx(float(ds["T"].sel(x=px, y=py).isel(z=25)))
    assert view.value_at(x0 - 5, y0) is None
    view.plane.value = "yz"
    x0, y0, pw, ph = view._geometry[:4]
    value, (py2, pz2) = view.value_at(x0 + pw - 1, y0 + ph - 1)
    assert value == pytest.approx(float(ds["T"].sel(y=py2, z=pz2).isel(x=view.position.value)))
    view._on_mouse_move(x0 + 10, y0 + 10)
    assert "T =" in view.probe.value
    for name in ("viridis", "inferno", "cool-warm"):
        view.cmap.value = name
    with pytest.raises(ValueError, match="choose one of"):
        view.show(ds, "B")


def test_gallery_thumbnails_are_drawn_from_every_template():
    from cryogen_templates import DESIGNS_DIR
    from cryogen_widgets.views.gallery import Gallery, template_designs

    templates = template_designs()
    assert len(templates) == len(list(DESIGNS_DIR.glob("*.cryo.json"))) > 0
    opened = []
    gallery = Gallery(templates, on_open=lambda name, d: opened.append((name, d)))
    first = templates[0][0]
    gallery.buttons[first].click()
    assert opened[0][0] == first and opened[0][1]["schema"] == "cryogen/design@1"
    svg = gallery.children[1].children[0].children[0].value
    assert "<svg" in svg and "<rect" in svg


def test_serve_command_culls_kernels_and_binds_localhost(tmp_path):
    from cryogen_widgets.serve import NOTEBOOK, app_environment, voila_command

    cmd = voila_command("127.0.0.1", 8866)
    assert str(NOTEBOOK) in cmd and NOTEBOOK.exists()
    assert "--no-browser" in cmd and "--Voila.ip=127.0.0.1" in cmd and "--port=8866" in cmd
    assert any(a.startswith("--MappingKernelManager.cull_idle_timeout=") for a in cmd)
    assert any(a.startswith("--MappingKernelManager.cull_interval=") for a in cmd)
    # a preheated kernel waits for the page; none when the pool is empty
    assert "--VoilaConfiguration.preheat_kernel=True" in cmd
    assert "--VoilaConfiguration.default_pool_size=1" in cmd
    assert "--VoilaConfiguration.preheat_kernel=False" in voila_command("h", 1, pool_size=0)
    env = app_environment(tmp_path / "db" / "s.sqlite", base={})
    assert env["CRYOGEN_DB_URL"] == f"sqlite:///{tmp_path / 'db' / 's.sqlite'}"


def test_app_notebook_is_committed_without_outputs():
    import nbformat

    from cryogen_widgets.serve import NOTEBOOK

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(
        not c.get("outputs") and c.get("execution_count") is None
        for c in nb.cells
        if c.cell_type == "code"
    )
    assert any("CryoGen()" in c.source for c in nb.cells)


@pytest.mark.parametrize("axis", [(0, 0, 1), (1, 0, 0), (0, -1, 0), (0, 1, 0), (1, 2, -3)])
def test_coil_orientation_turns_the_cylinder_axis_onto_the_coil_axis(axis):
    from cryogen_widgets.views.scene3d import _euler_y_to

    rx, ry, rz, order = _euler_y_to(axis)
    assert order == "XYZ"
    cx, sx, cy, sy, cz, sz = np.cos(rx), np.sin(rx), np.cos(ry), np.sin(ry), np.cos(rz), np.sin(rz)
    Rx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    Ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    Rz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    # three.js composes an XYZ Euler as Rx @ Ry @ Rz (Object3D.rotation docs)
    turned = Rx @ Ry @ Rz @ np.array([0.0, 1.0, 0.0])
    assert turned == pytest.approx(np.asarray(axis, float) / np.linalg.norm(axis), abs=1e-12)


def test_app_notebook_runs_in_a_kernel_and_shows_the_widget(tmp_path, monkeypatch):
    """What JupyterLab and Voila do first: run the notebook; the app is one widget view."""
    import nbclient
    import nbformat

    from cryogen_widgets.serve import NOTEBOOK

    monkeypatch.setenv("CRYOGEN_DB_URL", f"sqlite:///{tmp_path / 'store.sqlite'}")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
