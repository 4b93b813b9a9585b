"""Forms instead of JSON: the cooler stage mapping, the coil geometry, refused input reverts."""

from cryogen_widgets.designer import DesignerModel
from cryogen_widgets.designer.forms import CoilForm, StageMapForm
from cryogen_widgets.designer.properties import PropertyPanel


def _panel_with(kind):
    m = DesignerModel()
    plate = m.add_component("stage", 0, 0)
    item = m.add_component(kind, 200, 0)
    panel = PropertyPanel(m)
    panel.show(item)
    return m, panel, plate, item


def test_a_number_that_does_not_parse_reverts_with_the_field_label():
    m = DesignerModel()
    plate = m.add_component("stage", 0, 0)
    panel = PropertyPanel(m)
    panel.show(plate)
    panel.fields["mass_kg"].value = "abc"
    assert panel.fields["mass_kg"].value == "1"  # the model's value is back
    assert "mass [kg]: &#x27;abc&#x27; is not a number" in panel.problems.value
    assert "could not convert" not in panel.problems.value
    assert m.items[plate]["mass_kg"] == 1.0


def test_cooler_stage_mapping_is_a_form_of_drop_downs():
    m, panel, plate, cooler = _panel_with("cryocooler")
    form = next(c for c in panel.children if isinstance(c, StageMapForm))
    assert set(form.pickers) == {"first", "second"}
    form.pickers["second"].value = plate
    assert m.items[cooler]["stages"] == {"second": plate}


def test_coil_form_edits_geometry_and_refuses_what_the_solver_refuses():
    m, panel, _plate, magnet = _panel_with("magnet")
    form = next(c for c in panel.children if isinstance(c, CoilForm))
    form.widgets[("coils", 0, "radius_m")].value = "0.08"
    assert m.items[magnet]["coil"]["coils"][0]["radius_m"] == 0.08
    form.widgets[("coils", 0, "length_m")].value = "-1"
    assert m.items[magnet]["coil"]["coils"][0]["length_m"] == 0.2  # refused, unchanged
    assert form.widgets[("coils", 0, "length_m")].value == "0.2"
    assert "length_m" in form.message.value and "kept 0.2" in form.message.value
    form.widgets[("coils", 0, "center_m")].value = "0, 0, 0.1"
    assert m.items[magnet]["coil"]["coils"][0]["center_m"] == [0.0, 0.0, 0.1]
