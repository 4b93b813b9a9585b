"""The designer's model: edits, undo/redo, copy/paste, rename, attachments, routing (no widgets drawn)."""

from __future__ import annotations

import itertools
import json

import pytest

from cryogen_widgets.designer.geometry import GRID, Rect, segment_hits_rect
from cryogen_widgets.designer.model import DesignerModel, attachment_id
from solver import design as solver_design


def _two_nodes(model: DesignerModel) -> tuple[str, str]:
    a = model.add_component("boundary", 100, 100)
    b = model.add_component("stage", 100, 300)
    return a, b


def test_new_items_are_valid_once_linked():
    m = DesignerModel()
    a, b = _two_nodes(m)
    link = m.connect("conductor", a, b)
    assert link == "conductor1"
    assert solver_design.validate(m.to_dict()) == []
    assert m.problems == {}


def test_every_drawn_link_type_starts_valid():
    from cryogen_widgets.designer import schema

    for kind in schema.DRAWN_LINK_TYPES:
        m = DesignerModel()
        a, b = _two_nodes(m)
        m.connect(kind, a, b)
        assert [str(p) for p in solver_design.validate(m.to_dict())] == [], kind


def test_positions_snap_to_the_grid_and_undo_restores_exactly():
    m = DesignerModel()
    a = m.add_component("stage", 103, 97)
    assert (m.position(a)["x"], m.position(a)["y"]) == (100, 100)
    before = json.dumps(m.to_dict(), sort_keys=True)
    m.begin_gesture()
    m.move({a}, 13, 27)
    m.move({a}, 13, 0)
    m.settle({a})
    m.end_gesture()
    assert (m.position(a)["x"], m.position(a)["y"]) == (
        100 + GRID,
        100 + GRID,
    )  # 126, 127 snap to 120
    assert m.undo()
    assert json.dumps(m.to_dict(), sort_keys=True) == before  # one gesture is one undo step
    assert m.redo()
    assert m.position(a)["x"] == 100 + GRID


def test_delete_node_removes_its_links_and_detaches_sources():
    m = DesignerModel()
    a, b = _two_nodes(m)
    m.connect("strap", a, b)
    load = m.add_component("heat_load", 300, 300)
    assert m.connect("conductor", load, b) == load  # a source is attached, not linked
    assert m.items[load]["stage"] == b
    assert attachment_id(load, b) in m.connections()
    m.delete({b})
    assert m.links == []
    assert m.items[load]["stage"] == ""
    assert load in m.problems  # the detached source is flagged live
    m.undo()
    assert m.items[load]["stage"] == b and len(m.links) == 1


def test_cryocooler_attaches_stages_in_order():
    m = DesignerModel()
    a, b = _two_nodes(m)
    pt = m.add_component("cryocooler", 400, 200)
    m.connect("conductor", pt, a)
    m.connect("conductor", b, pt)
    assert m.items[pt]["stages"] == {"first": a, "second": b}


def test_two_sources_cannot_be_joined():
    m = DesignerModel()
    s1 = m.add_component("heat_load", 0, 0)
    s2 = m.add_component("constant_cooler", 200, 0)
    assert m.connect("conductor", s1, s2) is None
    assert m.connect("conductor", s1, s1) is None


def test_copy_paste_renames_and_remaps():
    m = DesignerModel()
    a, b = _two_nodes(m)
    m.connect("conductor", a, b)
    m.select({a, b})
    m.copy()
    new = m.paste()
    assert len(new) == 3 and not new & {a, b, "conductor1"}
    pasted_link = next(lk for lk in m.links if lk["id"] in new)
    assert {pasted_link["from"], pasted_link["to"]} <= new
    assert solver_design.validate(m.to_dict()) == []
    ids = [it["id"] for it in m.components + m.links]
    assert len(ids) == len(set(ids))


def test_rename_updates_every_reference():
    m = DesignerModel()
    a, b = _two_nodes(m)
    m.connect("conductor", a, b)
    hl = m.add_component("heat_load", 300, 300)
    m.connect("conductor", hl, b)
    assert m.rename(b, "plate")
    d = m.to_dict()
    assert d["links"][0]["to"] == "plate"
    assert d["components"][-1]["stage"] == "plate"
    assert "plate" in d["layout"] and b not in d["layout"]
    assert not m.rename("plate", a)  # taken


def test_rotate_stands_the_box_upright():
    m = DesignerModel()
    a = m.add_component("stage", 200, 200)
    w, h = m.rect(a).w, m.rect(a).h
    m.rotate({a})
    assert (m.rect(a).w, m.rect(a).h) == (h, w)
    assert m.position(a)["rotation"] == 90


def test_box_selection_takes_inner_components_and_their_links():
    m = DesignerModel()
    a, b = _two_nodes(m)
    far = m.add_component("stage", 800, 800)
    m.connect("conductor", a, b)
    m.connect("conductor", b, far)
    picked = m.in_box(Rect(0, 0, 300, 400))
    assert picked == {a, b, "conductor1"}


def test_field_edit_with_bad_value_is_flagged_with_id_and_field():
    m = DesignerModel()
    a, b = _two_nodes(m)
    m.connect("conductor", a, b)
    m.set_field(b, "mass_kg", -1.0)
    assert b in m.problems and any("mass [kg]" in msg for msg in m.problems[b])
    m.undo()
    assert b not in m.problems


@pytest.mark.parametrize("blocker_x", [100, 130])
def test_routes_are_orthogonal_and_avoid_other_boxes(blocker_x):
    m = DesignerModel()
    a, b = _two_nodes(m)
    blocker = m.add_component("stage", blocker_x, 200)  # sits between a and b
    link = m.connect("conductor", a, b)
    path = m.route_of(link, (a, b))
    for p, q in itertools.pairwise(path):
        assert p[0] == q[0] or p[1] == q[1], path
        assert not segment_hits_rect(p, q, m.rect(blocker)), path


def test_parallel_links_get_separate_lanes():
    m = DesignerModel()
    a, b = _two_nodes(m)
    l1 = m.connect("conductor", a, b)
    l2 = m.connect("radiation", a, b)
    assert m.route_of(l1, (a, b)) != m.route_of(l2, (a, b))


def test_auto_layout_places_items_without_positions():
    d = {
        "schema": "cryogen/design@1",
        "name": "x",
        "components": [
            {"id": "v", "type": "boundary", "temperature_K": 300.0},
            {"id": "p", "type": "stage", "material": "SS304", "mass_kg": 1.0},
            {"id": "q", "type": "heat_load", "stage": "p", "power_W": 0.1},
        ],
        "links": [],
        "layout": {},
        "meta": {},
    }
    m = DesignerModel(d)
    assert set(m.design["layout"]) == {"v", "p", "q"}
    rects = [m.rect(i) for i in ("v", "p", "q")]
    assert not any(r1.intersects(r2) for r1, r2 in itertools.combinations(rects, 2))


def _state(m: DesignerModel) -> tuple:
    """What the view draws from: the design, the box index, the connections and problems."""
    boxes = {i: m.rect(i) for i in m.index.ids()}
    return (json.dumps(m.design, sort_keys=True), boxes, dict(m.connections()), m.problems)


def test_undo_and_redo_touch_only_what_differs_and_match_a_fresh_load():
    """Undo/redo apply the difference between two states (no whole reload); every state
    they reach is what loading that design from scratch gives."""
    m = DesignerModel()
    a, b = _two_nodes(m)
    states = [_state(m)]
    edits = [
        lambda: m.connect("conductor", a, b),
        lambda: m.connect("radiation", a, b),  # a parallel link: both get lanes
        lambda: m.add_component("heat_load", 300, 300),
        lambda: m.connect("conductor", "heat_load1", b),  # attach the source
        lambda: m.set_field(b, "mass_kg", 3.0),
        lambda: (m.move({b}, 40, 0), m.settle({b})),
        lambda: m.rename(a, "vessel"),
        lambda: m.delete({b}),
    ]
    for edit in edits:
        edit()
        states.append(_state(m))
    changes = []
    m.subscribe(changes.append)
    for expected in reversed(states[:-1]):
        assert m.undo()
        assert _state(m) == expected
        fresh = DesignerModel(m.to_dict())
        assert _state(fresh) == expected
    for expected in states[1:]:
        assert m.redo()
        assert _state(m) == expected
    assert not any(c.full for c in changes)  # a rename too is undone as a difference


def test_undo_of_one_delete_in_a_large_design_touches_its_neighbourhood():
    from tests.benchmarks.bench_designer import _grid_design

    m = DesignerModel(_grid_design())
    m.delete({"s10_12"})
    changes = []
    m.subscribe(changes.append)
    assert m.undo()
    (change,) = changes
    assert not change.full
    # the box, its two links, and the other links of its two neighbours (lanes are recounted)
    assert change.ids == {"s10_12", "h10_12", "h10_13", "h10_11", "h10_14"}
