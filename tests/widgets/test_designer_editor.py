"""The designer widget driven through its plain handler methods, as a browser would drive it."""

from __future__ import annotations

import pytest

from cryogen_widgets.designer import Designer, DesignerModel
from cryogen_widgets.designer.editor import PALETTE_W


@pytest.fixture
def editor() -> Designer:
    return Designer(DesignerModel())


def click(ed: Designer, x: float, y: float) -> None:
    ed._on_mouse_down(x, y)
    ed._on_mouse_up(x, y)


def drag(ed: Designer, start, end, steps: int = 4) -> None:
    ed._on_mouse_down(*start)
    for k in range(1, steps + 1):
        ed._on_mouse_move(
            start[0] + (end[0] - start[0]) * k / steps, start[1] + (end[1] - start[1]) * k / steps
        )
    ed._on_mouse_up(*end)


def place(ed: Designer, kind: str, x: float, y: float) -> str:
    click(ed, *ed.palette_slot(kind))
    assert ed.armed == kind
    click(ed, x, y)
    (new,) = ed.model.selection
    return new


def test_click_palette_then_canvas_places_at_the_click(editor):
    new = place(editor, "boundary", 400, 120)
    wx, wy = editor.to_world(400, 120)
    assert editor.model.rect(new).contains(wx, wy)
    assert editor.armed is None
    assert editor.properties.item_id == new


def test_drag_from_palette_to_canvas(editor):
    drag(editor, editor.palette_slot("stage"), (500, 300))
    (c,) = editor.model.components
    assert c["type"] == "stage"
    assert editor.model.rect(c["id"]).contains(*editor.to_world(500, 300))


def test_link_mode_draws_a_link_of_the_chosen_type(editor):
    a = place(editor, "boundary", 400, 120)
    b = place(editor, "stage", 400, 340)
    editor.set_mode("link")
    editor.set_link_type("radiation")
    drag(editor, (400, 120), (400, 340))
    (link,) = editor.model.links
    assert (link["type"], link["from"], link["to"]) == ("radiation", a, b)
    assert editor.model.selection == {link["id"]}
    # clicking on the link line selects it
    editor.set_mode("select")
    click(editor, 700, 500)
    route = editor.model.routes[link["id"]]
    mx, my = editor.to_screen(*route[0])
    click(editor, mx, my + 20 * editor.scale)
    assert editor.model.selection == {link["id"]}


def test_drag_moves_with_snap_and_redraws_only_the_overlay(editor):
    a = place(editor, "stage", 300, 200)
    for k in range(20):  # other boxes that must not be repainted during the drag
        editor.model.add_component("stage", 600, 40 + 25 * k)
    full_before = editor.redraw_count["full"]
    region_before = editor.redraw_count["region"]
    start = editor.to_screen(*editor.model.rect(a).center)
    drag(editor, start, (start[0] + 97, start[1] + 41), steps=10)
    assert editor.redraw_count["full"] == full_before  # never a full repaint for a drag
    assert editor.redraw_count["region"] - region_before <= 3  # lift, drop (and one settle)
    pos = editor.model.position(a)
    assert pos["x"] % 20 == 0 and pos["y"] % 20 == 0
    editor._on_key_down("z", False, True, False)
    assert editor.to_screen(*editor.model.rect(a).center) == pytest.approx(start)


def test_box_select_then_delete_and_undo(editor):
    place(editor, "boundary", 300, 100)
    place(editor, "stage", 300, 300)
    place(editor, "stage", 800, 500)
    drag(editor, (PALETTE_W + 5, 5), (450, 400))
    assert len(editor.model.selection) == 2
    editor._on_key_down("Delete", False, False, False)
    assert len(editor.model.components) == 1
    editor._on_key_down("z", False, True, False)
    assert len(editor.model.components) == 3
    editor._on_key_down("y", False, True, False)
    assert len(editor.model.components) == 1


def test_copy_paste_rotate_and_select_all_by_keyboard(editor):
    a = place(editor, "stage", 300, 200)
    editor._on_key_down("c", False, True, False)
    editor._on_key_down("v", False, True, False)
    assert len(editor.model.components) == 2 and a not in editor.model.selection
    editor._on_key_down("r", False, False, False)
    (pasted,) = editor.model.selection
    assert editor.model.position(pasted)["rotation"] == 90
    editor._on_key_down("a", False, True, False)
    assert editor.model.selection == {a, pasted}


def test_zoom_and_pan_keep_the_world_point_under_the_cursor(editor):
    before = editor.to_world(500, 300)
    editor.zoom(1.25, about=(500, 300))
    assert editor.to_world(500, 300) == pytest.approx(before)
    editor.pan(40, 0)
    assert editor.to_world(540, 300) == pytest.approx(before)
    editor._on_key_down("0", False, False, False)  # fit to design does not fail when empty


def test_property_panel_edits_the_model_and_shows_problems(editor):
    a = place(editor, "boundary", 300, 100)
    b = place(editor, "stage", 300, 300)
    editor.set_mode("link")
    drag(
        editor,
        editor.to_screen(*editor.model.rect(a).center),
        editor.to_screen(*editor.model.rect(b).center),
    )
    editor.set_mode("select")
    click(editor, *editor.to_screen(*editor.model.rect(b).center))
    panel = editor.properties
    assert panel.item_id == b
    labels = [w.description for w in panel.fields.values()]
    assert "mass [kg]" in labels and "initial [K] (opt.)" in labels
    panel.fields["mass_kg"].value = "2.5"
    assert editor.model.items[b]["mass_kg"] == 2.5
    panel.fields["mass_kg"].value = "-3"
    assert b in editor.model.problems
    assert "mass [kg]" in panel.problems.value
    panel.fields["mass_kg"].value = "abc"
    assert "mass [kg]" in panel.problems.value and editor.model.items[b]["mass_kg"] == -3
    assert panel.fields["mass_kg"].value == "-3"  # refused input reverts to the model's value
    editor._on_key_down("z", False, True, False)
    assert editor.model.items[b]["mass_kg"] == 2.5


def test_palette_search_filters_kinds(editor):
    editor.search.value = "cool"
    assert editor.palette_entries() == ["constant_cooler", "cryocooler"]


class _Hit:
    def __init__(self, part_id: str):
        from solver import catalog

        entry = catalog.get(part_id)
        self.id, self.name, self.category = entry.id, entry.name, entry.category


def test_catalog_parts_in_the_palette_place_components_and_links():
    parts = [
        _Hit("cryomech-pt420"),
        _Hit("strap-al1100-bar-10-x-2-mm-100mm"),
        _Hit("lakeshore-cernox"),
    ]
    ed = Designer(DesignerModel(), catalog_search=lambda text: parts)
    a = place(ed, "boundary", 300, 100)
    b = place(ed, "stage", 300, 320)
    ed.search.value = "pt420"
    assert ed.palette_kinds() == []
    assert "part:cryomech-pt420" in ed.palette_entries()
    assert "part:lakeshore-cernox" not in ed.palette_entries()  # a sensor is not placeable
    cooler = place(ed, "part:cryomech-pt420", 600, 200)
    assert ed.model.items[cooler]["model"] == "Cryomech PT420"
    ed.set_mode("link")
    drag(ed, ed.to_screen(*ed.model.rect(cooler).center), ed.to_screen(*ed.model.rect(b).center))
    assert ed.model.items[cooler]["stages"] == {"first": b}
    click(ed, *ed.palette_slot("part:strap-al1100-bar-10-x-2-mm-100mm"))  # arms the next link
    assert ed.mode == "link" and ed.link_part == "strap-al1100-bar-10-x-2-mm-100mm"
    drag(ed, ed.to_screen(*ed.model.rect(a).center), ed.to_screen(*ed.model.rect(b).center))
    (strap,) = ed.model.links
    assert (strap["type"], strap["material"], strap["from"], strap["to"]) == (
        "strap",
        "Al1100",
        a,
        b,
    )


def test_an_item_made_invalid_by_another_edit_is_repainted(editor):
    a = place(editor, "stage", 300, 300)
    load = place(editor, "heat_load", 600, 300)
    editor.set_mode("link")
    drag(
        editor,
        editor.to_screen(*editor.model.rect(load).center),
        editor.to_screen(*editor.model.rect(a).center),
    )
    editor.set_mode("select")
    painted = []
    original = editor._redraw_ids
    editor._redraw_ids = lambda ids: painted.append(set(ids)) or original(ids)
    editor.model.delete({a})  # the heat load loses its stage
    assert load in editor.model.problems
    assert any(load in ids for ids in painted)


def test_a_heat_switch_from_the_palette_is_drawn_open():
    part = "heat-switch-gas-gap-200um-10cm2-1000pa-tube-12-7-x-0-1-mm-20mm"
    ed = Designer(DesignerModel(), catalog_search=lambda text: [_Hit(part)])
    a = place(ed, "stage", 300, 100)
    b = place(ed, "stage", 300, 320)
    ed.search.value = "heat switch"
    click(ed, *ed.palette_slot(f"part:{part}"))
    assert ed.mode == "link" and ed.link_part == part
    drag(ed, ed.to_screen(*ed.model.rect(a).center), ed.to_screen(*ed.model.rect(b).center))
    (switch,) = ed.model.links
    # open: only the SS304 shell conducts, a support link the solver takes as it is
    assert (switch["type"], switch["material"], switch["from"], switch["to"]) == (
        "support",
        "SS304",
        a,
        b,
    )
    assert switch["id"] not in ed.model.problems
