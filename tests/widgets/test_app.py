"""The whole CryoGen app without a browser: runs in threads, results wiring, store, exports, magnets."""

from __future__ import annotations

import json
import threading
import time

import numpy as np
import pytest

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.app import TABS, CryoGen
from cryogen_widgets.store.accounts import Accounts
from cryogen_widgets.views.runner import RunPanel
from solver.errors import SolverError
from solver.magnet import MU0_H_PER_M

TWO_STAGE = DESIGNS_DIR / "two-stage-pt420.cryo.json"


@pytest.fixture
def store(tmp_path):
    from cryogen_widgets import store as store_module

    return store_module.open(f"sqlite:///{tmp_path / 'store.sqlite'}", user="tester")


def _design() -> dict:
    return json.loads(TWO_STAGE.read_text())


def _wait_until(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_steady_state_colours_the_drawing_and_fills_the_tables(store):
    import solver

    app = CryoGen(_design(), store=store)
    app.runs.run("Steady state")
    app.runs.wait(60)
    assert app.runs.last_error is None
    expected = solver.steady_state(_design())  # the view shows exactly the solver's numbers
    shown = app.designer.results.temperature_K
    assert shown == {
        str(n): float(t)
        for n, t in zip(expected.node.values, expected.temperature.values, strict=True)
    }
    assert "data-node='plate'" in app.stage_loads.nodes.value
    assert "legs" in app.stage_loads.links.value
    assert app.load_map.picker.options == ("pt",)
    assert len(app.load_map.figure.marks) > 1  # published map plus the operating point


def test_a_solver_error_is_shown_not_raised(store):
    d = _design()
    d["components"][1]["material"] = "Unobtainium"
    app = CryoGen(d, store=store)
    assert "shield" in app.model.problems  # live validation outlines it before any run
    app.runs.run("Steady state")
    app.runs.wait(60)
    assert "Unobtainium" in app.runs.last_error
    assert "Unobtainium" in app.runs.status.value
    assert app.runs.cancel_button.disabled and not app.runs.buttons["Steady state"].disabled


def test_run_panel_cancel_stops_a_running_analysis():
    started = threading.Event()

    def slow(design, progress, should_stop):
        started.set()
        for k in range(1000):
            if should_stop():
                raise SolverError("cancelled by the user")
            progress(k / 1000)
            time.sleep(0.01)
        return "finished"

    results = []
    panel = RunPanel({"Slow": slow}, get_design=dict, on_result=lambda *a: results.append(a))
    panel.run("Slow")
    started.wait(5)
    assert panel.buttons["Slow"].disabled and not panel.cancel_button.disabled
    _wait_until(lambda: panel.progress.value > 0)
    panel.cancel()
    panel.wait(10)
    assert results == [] and "cancelled" in panel.last_error
    assert not panel.buttons["Slow"].disabled


def test_save_autosave_and_reopen_through_the_store(store):
    app = CryoGen(_design(), store=store)
    bar = app.projects
    bar.autosave_delay_s = 0.05
    assert bar.save()
    assert bar.version == 1
    app.model.set_field("plate", "mass_kg", 3.0)
    _wait_until(lambda: bar.version == 2)
    loaded = store.projects.load(bar.project_id)
    assert loaded.design["components"][2]["mass_kg"] == 3.0
    # an invalid design waits instead of being refused by the store
    app.model.set_field("plate", "mass_kg", -1.0)
    _wait_until(lambda: "waits" in bar.status.value)
    assert store.projects.load(bar.project_id).version == 2
    app.model.undo()
    # reopen in a fresh app
    other = CryoGen(store=store)
    other.projects.refresh()
    other.projects.open_project(bar.project_id)
    assert other.model.items["plate"]["mass_kg"] == 3.0


def test_template_click_creates_a_project_and_opens_it(store):
    app = CryoGen(store=store)
    name, design = next((n, d) for n, d in app.gallery.templates if "Two-stage" in n)
    app.gallery.buttons[name].click()
    assert app.projects.project_id is not None
    assert [p.name for p in store.projects.list()] == [name]
    assert {c["id"] for c in app.model.components} == {c["id"] for c in design["components"]}


def test_exports_write_design_drawings_and_results(tmp_path, store):
    app = CryoGen(_design(), store=store)
    app.exporter.folder = tmp_path
    app.runs.run("Steady state")
    app.runs.wait(60)
    app.exporter.refresh()
    assert not app.exporter.buttons["Results CSV"].disabled
    for label in ("Design SVG", "Design PNG", "Design JSON", "Results CSV", "Results NetCDF"):
        app.exporter.buttons[label].click()
    names = {p.suffix for p in tmp_path.iterdir()}
    assert {".svg", ".png", ".json", ".csv", ".nc"} <= names
    png = next(tmp_path.glob("*.png")).read_bytes()
    assert png.startswith(b"\x89PNG")
    assert "cryogen-download" in app.exporter.links.value
    assert app.exporter.buttons["Field VTK"].disabled  # no grid-solver result shown


def test_magnet_field_map_feeds_the_slice_and_3d_views(store):
    app = CryoGen(store=store)
    m = app.model
    plate = m.add_component("stage", 200, 200)
    magnet = m.add_component("magnet", 400, 200)
    m.connect("conductor", magnet, plate)
    app.runs.run("Magnet field")
    app.runs.wait(120)
    assert app.runs.last_error is None
    ds = app.field_slice.ds
    assert set(ds.dims) == {"x", "y", "z"} and app.field_slice.var == "B"
    # a thin solenoid is a cylinder magnetised uniformly with polarization μ0·N·I/L along its
    # axis: magpylib's closed form (elliptic integrals) at every grid point; 1e-12 of the
    # peak, both closed forms being at round-off off the sheet (make bench: 1e-14)
    import magpylib

    (coil,) = next(c for c in m.components if c["id"] == magnet)["coil"]["coils"]
    cylinder = magpylib.magnet.Cylinder(
        polarization=(0, 0, MU0_H_PER_M * coil["turns"] * coil["current_A"] / coil["length_m"]),
        dimension=(2 * coil["radius_m"], coil["length_m"]),
    )
    grid = np.stack(np.meshgrid(ds.x, ds.y, ds.z, indexing="ij"), axis=-1)
    expected = magpylib.getB(cylinder, grid.reshape(-1, 3)).reshape(grid.shape)
    got = ds[["Bx", "By", "Bz"]].to_array("c").transpose("x", "y", "z", "c").values
    assert np.abs(got - expected).max() <= 1e-12 * np.abs(expected).max()
    app.tabs.selected_index = TABS.index("3-D")  # the 3-D view is built when its tab opens
    kinds = {type(o).__name__ for o in app.scene3d.content.children}
    assert {"Mesh", "LineSegments"} <= kinds  # coil and cut plane meshes, field arrows


def test_palette_search_reaches_the_component_catalog(store):
    app = CryoGen(store=store)
    app.designer.search.value = "PT420"
    assert "part:cryomech-pt420" in app.designer.palette_entries()


def test_cooldown_curves_one_line_per_node(store):
    app = CryoGen(_design(), store=store)
    app.runs.run("Cooldown")
    app.runs.wait(120)
    assert app.runs.last_error is None
    ds = app.last["Cooldown"]
    assert [m.labels[0] for m in app.cooldown_plot.figure.marks] == [str(n) for n in ds.node.values]


def test_grid_solver_body_in_the_field_views_and_vtk_export(tmp_path, store):
    from solver.thermal.grid import Box, ConductionBody, FixedTemperature, Patch

    body = ConductionBody(
        [Box((0, 0, 0), (0.1, 0.02, 0.02), "OFHC-Cu-RRR100")],
        spacing_m=0.005,
        patches=[
            Patch("warm", "x-", FixedTemperature(80.0)),
            Patch("cold", "x+", FixedTemperature(4.0)),
        ],
    )
    ds = body.solve_steady()
    app = CryoGen(store=store)
    app.exporter.folder = tmp_path
    app.show_field(ds, "T")
    assert app.field_slice.var == "T"
    assert not app.exporter.buttons["Field VTK"].disabled
    # VTK export is a Pro feature (DESIGN.md, Plans): the default Academic user is refused,
    # told which plan includes it, with the billing page as a link, and nothing is written
    app.exporter.buttons["Field VTK"].click()
    assert not list(tmp_path.glob("*.vtk"))
    assert "The pro plan lifts this" in app.exporter.message.value
    assert '<a href="/services/billing/"' in app.exporter.message.value
    assert app.exporter.buttons["Field VTK"].description == "Field VTK (pro)"
    Accounts(store.url).set_plan(store.user, "pro")
    app.exporter.buttons["Field VTK"].click()
    vtk = next(tmp_path.glob("*.vtk")).read_bytes()
    assert vtk.startswith(b"# vtk DataFile")
    app.tabs.selected_index = TABS.index("3-D")
    kinds = {type(o).__name__ for o in app.scene3d.content.children}
    assert "Mesh" in kinds


def test_every_template_opens_and_the_magnet_template_maps_its_field(store):
    app = CryoGen(store=store)
    for name, design in app.gallery.templates:
        app.open_design(design)
        assert app.model.problems == {}, name  # templates are valid designs
    name, design = next(
        (n, d)
        for n, d in app.gallery.templates
        if any(c["type"] == "magnet" for c in d["components"])
    )
    app.open_design(design)
    app.runs.run("Magnet field")
    app.runs.wait(120)
    assert app.runs.last_error is None, app.runs.last_error
    assert app.field_slice.var == "B"


def test_results_belong_to_one_design_version(store):
    """Open A, solve, edit (out of date), open B (nothing of A left), solve B (fresh)."""
    app = CryoGen(_design(), store=store)
    app.runs.run("Steady state")
    app.runs.wait(60)
    assert "data-node='plate'" in app.stage_loads.nodes.value
    assert not app.stage_loads.banner.stale and not app.designer.stale
    app.model.move({"plate"}, 40, 0)  # layout only: still fresh
    assert not app.stage_loads.banner.stale
    app.model.set_field("plate", "mass_kg", 3.0)
    assert app.stage_loads.banner.stale and app.designer.stale and app.scene3d.banner.stale
    assert "out of date" in app.runs.status.value
    app.model.undo()  # back to the solved design: fresh again
    assert not app.stage_loads.banner.stale
    other = json.loads((DESIGNS_DIR / "lhe-dewar.cryo.json").read_text())
    app.open_design(other)
    assert app.last == {} and app.designer.results is None
    assert "data-node" not in app.stage_loads.nodes.value
    assert app.cooldown_plot.figure.marks == [] and app.field_slice.ds is None
    assert "Steady state done" not in app.runs.status.value
    app.runs.run("Steady state")
    app.runs.wait(60)
    assert not app.stage_loads.banner.stale
    assert set(app.designer.results.temperature_K) == {
        c["id"] for c in other["components"] if c["type"] in ("boundary", "stage")
    }


def test_wiring_budget_tab_follows_the_design(store):
    """Plots → Wiring: a fridge's line budget after its steady state, gone with another design."""
    fridge = json.loads((DESIGNS_DIR / "dilution-fridge-50-qubits.cryo.json").read_text())
    app = CryoGen(fridge, store=store)
    assert "Run a steady state" in app.wiring.table.value
    app.runs.run("Steady state")
    app.runs.wait(120)
    assert app.runs.last_error is None, app.runs.last_error
    lines = {lk["line"] for lk in fridge["links"] if lk.get("line")}
    assert lines and all(f"<td>{line}</td>" in app.wiring.table.value for line in lines)
    assert not app.wiring.banner.stale
    app.model.set_field(fridge["links"][0]["id"], "length_m", 0.3)
    assert app.wiring.banner.stale
    app.open_design(_design())  # no wiring lines: the hint again, no bars
    assert "Run a steady state" in app.wiring.table.value and len(app.wiring.bars.x) == 0


def test_empty_design_and_bad_cooldown_target_say_what_to_do(store):
    app = CryoGen(store=store)
    app.runs.run("Steady state")
    app.runs.wait(60)
    assert "the design is empty" in app.runs.last_error
    app.open_design(_design())
    app.cooldown_target.value = "abc"
    app.runs.run("Cooldown")
    app.runs.wait(60)
    assert "cooldown target: 'abc' is not a number: give a temperature" in app.runs.last_error
