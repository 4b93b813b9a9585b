"""The fluid network on the designer canvas and in the Flow tab, driven without a browser.

Fluid points and exchangers are boxes, pipes, valves and circulators lines between
points, each pipe wall a line to the thermal node it exchanges with; the palette has a
fluid section; forms come from the ``flow`` models; the Flow tab shows the solver's
states and is marked out of date by a fluid edit.
"""

from __future__ import annotations

import copy
import json

import pytest

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.designer import Designer, DesignerModel, schema
from cryogen_widgets.designer.editor import PALETTE_TOP, PALETTE_W
from cryogen_widgets.designer.kinds import FLOW_KINDS
from cryogen_widgets.designer.model import wall_id
from cryogen_widgets.designer.paint import design_svg
from cryogen_widgets.designer.scene import SYMBOL
from solver import design
from solver.flow import model as flow_model

FORCED_FLOW = DESIGNS_DIR / "forced-flow-magnet.cryo.json"
F = schema.FLUID


def _forced_flow() -> dict:
    return json.loads(FORCED_FLOW.read_text())


def test_every_flow_type_has_a_palette_entry_that_validates_and_is_drawn():
    assert set(FLOW_KINDS) == {"junction", *flow_model.BOUNDARY_MODELS, *flow_model.ELEMENT_MODELS}
    base = {
        "schema": design.SCHEMA,
        "components": [schema.new_item("boundary", "warm"), schema.new_item("stage", "cold")],
        "links": [{**schema.new_item("conductor", "rod"), "from": "warm", "to": "cold"}],
    }
    for kind in schema.FLUID_LINES:  # an element between an inlet and an outlet
        d = copy.deepcopy(base)
        element = {**schema.new_item(kind, "e"), "from": "in", "to": "out"}
        d["flow"] = {
            "boundaries": [
                schema.new_item(F + "inlet", "in"),
                schema.new_item(F + "outlet", "out"),
            ],
            "elements": [element],
        }
        assert design.validate(d) == [], kind
    for kind in schema.FLUID_POINTS:  # each point type at an end of a pipe
        d = copy.deepcopy(base)
        source = kind in (F + "inlet", F + "mass_flow_inlet")
        other = schema.new_item(F + ("outlet" if source else "inlet"), "q")
        ends = ("p", "q") if source else ("q", "p")
        point = schema.new_item(kind, "p")
        d["flow"] = {
            "junctions": [point] if kind == F + "junction" else [],
            "boundaries": [other] + ([] if kind == F + "junction" else [point]),
            "elements": [{**schema.new_item(F + "pipe", "e"), "from": ends[0], "to": ends[1]}],
        }
        assert design.validate(d) == [], kind
    assert {SYMBOL[k] for k in schema.FLUID_BOXES} >= {"junction", "inlet", "outlet", "vessel"}
    assert SYMBOL[F + "counterflow_hx"] == "exchanger"


def test_a_fluid_template_is_drawn_with_its_walls_and_round_trips():
    d = _forced_flow()
    m = DesignerModel(d)
    assert m.problems == {}
    points = {"supply", "pump_out", "magnet_out", "return"}
    assert points <= set(m.boxes())
    assert all(m.kind(p) in schema.FLUID_POINTS for p in points)
    conns = m.connections()
    assert conns["circulator"] == (F + "circulator", "supply", "pump_out")
    assert conns["magnet_channel"] == (F + "pipe", "pump_out", "magnet_out")
    assert conns[wall_id("magnet_channel")] == (F + "wall", "magnet_channel", "cold_mass")
    assert conns[wall_id("bath_hx_coil")] == (F + "wall", "bath_hx_coil", "lhe_bath")
    for cid, (_, a, b) in conns.items():  # every line has a route, walls from their pipe
        assert m.route_of(cid, (a, b)), cid
    # the wall starts on its pipe's line and ends on the node's box
    wall = m.route_of(wall_id("magnet_channel"), ("magnet_channel", "cold_mass"))
    box = m.rect("cold_mass").inflate(0.5)
    assert box.contains(*wall[-1])
    out = m.to_dict()
    assert out["flow"] == d["flow"]  # the canvas adds only layout entries
    assert points <= set(out["layout"])
    svg = design_svg(m)
    for item in ("supply", "magnet_channel", "cold_mass"):
        assert item in svg or item == "magnet_channel"  # boxes are labelled with their ids
    assert "<polygon" in svg  # fluid outlines and symbols


def test_palette_fluid_section_places_points_and_draws_elements():
    ed = Designer(DesignerModel())
    assert ed.palette_kinds()[0] == "boundary"
    ed._on_mouse_down(PALETTE_W * 0.75, PALETTE_TOP / 2)  # the "Fluid" tab
    assert ed.palette_section == "fluid"
    assert ed.palette_kinds() == list(schema.FLUID_PALETTE)

    def place(kind, x, y):
        ed._on_mouse_down(*ed.palette_slot(kind))
        ed._on_mouse_up(*ed.palette_slot(kind))
        ed._on_mouse_down(x, y)
        return next(iter(ed.model.selection))

    inlet = place(F + "inlet", 300, 150)
    junction = place(F + "junction", 520, 150)
    outlet = place(F + "outlet", 740, 150)
    assert ed.model.design["flow"]["boundaries"][0] == {
        "id": inlet,
        "type": "inlet",
        **FLOW_KINDS["inlet"].starter,
    }
    assert ed.model.design["flow"]["junctions"] == [{"id": junction}]
    for kind, (a, b) in ((F + "valve", (300, 520)), (F + "pipe", (520, 740))):
        ed._on_mouse_down(*ed.palette_slot(kind))  # a fluid element arms link mode
        ed._on_mouse_up(*ed.palette_slot(kind))
        assert ed.mode == "link" and ed.link_type == kind
        ed._on_mouse_down(*ed.to_screen(*ed.model.rect({300: inlet, 520: junction}[a]).center))
        ed._on_mouse_up(*ed.to_screen(*ed.model.rect({520: junction, 740: outlet}[b]).center))
    elements = ed.model.design["flow"]["elements"]
    assert [(e["type"], e["from"], e["to"]) for e in elements] == [
        ("valve", inlet, junction),
        ("pipe", junction, outlet),
    ]
    assert ed.model.problems == {}
    assert "3 fluid items" not in ed.status.value and "5 fluid items" in ed.status.value
    # a thermal link cannot join fluid points, nor a pipe two thermal nodes
    with pytest.raises(ValueError, match="join them with a fluid element"):
        ed.model.connect("conductor", inlet, outlet)
    ed.model.add_component("stage", 300, 400, "plate")
    ed.model.add_component("boundary", 520, 400, "warm")
    with pytest.raises(ValueError, match="unknown link type"):
        ed.model.connect(F + "pipe", "plate", "warm")
    # the pipe's wall is a node field; its line is drawn to the node
    pipe = elements[1]["id"]
    ed.model.set_field(pipe, "wall", "plate")
    assert ed.model.connections()[wall_id(pipe)] == (F + "wall", pipe, "plate")
    assert ed.model.problems == {}
    # deleting a point takes the elements joined to it; the last fluid item removes the section
    ed.model.delete({junction})
    assert [e["id"] for e in ed.model.design["flow"]["elements"]] == []
    ed.model.delete({inlet, outlet})
    assert "flow" not in ed.model.design
    ed.model.undo()
    assert {b["id"] for b in ed.model.design["flow"]["boundaries"]} == {inlet, outlet}


def test_exchanger_ports_fill_in_order_and_types_change_in_place():
    m = DesignerModel()
    hx = m.add_component(F + "counterflow_hx", 400, 300)
    pts = [m.add_component(F + "junction", 200 + 150 * k, 100) for k in range(4)]
    assert m.connect(F + "pipe", pts[0], hx) == hx  # into the exchanger: hot, then cold
    assert m.connect(F + "pipe", hx, pts[1]) == hx  # out of it: hot, then cold
    assert m.connect(F + "pipe", pts[2], hx) == hx
    assert m.connect(F + "pipe", hx, pts[3]) == hx
    assert m.connect(F + "pipe", pts[0], hx) is None  # no free port left
    item = m.items[hx]
    assert (item["hot_from"], item["hot_to"], item["cold_from"], item["cold_to"]) == tuple(pts)
    assert m.connections()[f"{hx}:cold_to"] == (F + "hx_cold", hx, pts[3])
    pipe = m.connect(F + "pipe", pts[1], pts[2])
    m.add_component("stage", 600, 400, "plate")
    m.set_field(pipe, "wall", "plate")
    m.change_type(pipe, F + "jt_valve")
    assert m.items[pipe] == {
        "id": pipe,
        "type": "jt_valve",
        **FLOW_KINDS["jt_valve"].starter,
        "from": pts[1],
        "to": pts[2],
    }  # the wall belongs to pipes only
    m.rename(pts[0], "feed")
    assert m.items[hx]["hot_from"] == "feed"


def test_property_panel_offers_nodes_for_walls_and_points_for_ports():
    m = DesignerModel(_forced_flow())
    ed = Designer(m)
    ed.select({"magnet_channel"})
    wall = ed.properties.fields["wall"]
    assert wall.value == "cold_mass"
    assert set(wall.options) == {"", "vessel", "shield", "lhe_bath", "cold_mass"}
    ed.properties.fields["acceleration"].value = True  # a check box, a JSON boolean in the file
    ed.properties.fields["rise_m"].value = "-0.5"
    assert m.items["magnet_channel"]["acceleration"] is True
    assert m.items["magnet_channel"]["rise_m"] == -0.5 and m.problems == {}
    ed.select({"supply"})
    kinds = [c for c in ed.properties.children if getattr(c, "description", "") == "type"]
    assert kinds and kinds[0].value == F + "inlet"
    ed.properties.fields["pressure_Pa"].value = "2.5e5"
    assert m.items["supply"]["pressure_Pa"] == 2.5e5
    ed.select(set())
    fluid = [c for c in ed.properties.children if "fluid" in getattr(c, "description", "")]
    assert fluid[0].value == "Helium"
    fluid[0].value = "Nitrogen"
    assert m.design["flow"]["fluid"] == "Nitrogen"


def test_flow_tab_shows_the_solver_states_and_goes_out_of_date(tmp_path):
    from cryogen_widgets import store as store_module
    from cryogen_widgets.app import TABS, CryoGen
    from solver.flow.steady import steady_state

    store = store_module.open(f"sqlite:///{tmp_path / 'store.sqlite'}", user="tester")
    app = CryoGen(_forced_flow(), store=store)
    ds = steady_state(_forced_flow())
    app._on_result("Steady state", ds, 1.0)
    view = app.flow_view
    assert "Flow" in TABS
    supply = float(ds.fluid_temperature.sel(fluid_node="supply"))
    assert f"<td>{supply:.4f}</td>" in view.states.value
    assert "magnet_channel" in view.streams.value
    assert view.line.options[0][0] == "supply → return (3 elements)"
    distance, pressure = view.profile.figure.marks[0].x, view.profile.figure.marks[0].y
    assert distance[-1] == pytest.approx(50.0)  # 40 m of channel and 10 m of coil
    assert pressure[0] == pytest.approx(float(ds.pressure.sel(fluid_node="supply")) / 1e3)
    assert app.designer.results.temperature_K["magnet_out"] == float(
        ds.fluid_temperature.sel(fluid_node="magnet_out")
    )
    assert not view.banner.stale
    app.model.set_field("supply", "temperature_K", 4.6)  # a fluid edit
    assert view.banner.stale and app.designer.stale


def test_a_separator_is_drawn_as_a_vessel_and_its_liquid_reported():
    from cryogen_widgets.designer.scene import summary
    from cryogen_widgets.views.flow_plots import FlowView
    from solver.flow.steady import steady_state
    from tests.validation.test_flow_liquefier import linde

    d = linde(1e4)
    m = DesignerModel(d)
    assert summary(m.items["separator"], m.kind("separator")) == "separator"
    assert "<polygon" in design_svg(m)
    ds = steady_state(d)
    view = FlowView()
    view.show(ds)
    liquid = ds.liquid_production.sel(fluid_node="separator").item()
    assert (
        f"separator <b>separator</b> draws off {liquid * 1e6:.4g} mg/s of liquid" in view.note.value
    )
