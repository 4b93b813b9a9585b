"""Catalog entries become valid design-file elements and coil conductors."""

from __future__ import annotations

import json
import math

import pytest

from materials_data import DATA_DIR
from solver import catalog, design
from solver.errors import DesignError, UnknownNameError


def _design(components, links):
    nodes = [
        {"id": "vessel", "type": "boundary", "temperature_K": 300.0},
        {"id": "shield", "type": "stage", "material": "Al6061-T6", "mass_kg": 8.0},
        {"id": "plate", "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 2.0},
    ]
    return {
        "schema": "cryogen/design@1",
        "name": "t",
        "components": nodes + components,
        "links": links,
    }


def test_every_link_category_validates_in_a_design():
    links = [
        catalog.to_design_element(
            "coaxco-sc-086-50-ss-ss", id="rf", from_="shield", to="plate", length_m=0.25, count=16
        ),
        catalog.to_design_element(
            "wire-line-ss304-awg36-twisted-pair",
            id="dc",
            **{"from": "vessel", "to": "shield"},
            length_m=0.4,
            count=12,
        ),
        catalog.to_design_element(
            "support-g10-normal-tube-12-7-x-0-8-mm-100mm",
            id="legs",
            from_="vessel",
            to="shield",
            count=4,
        ),
        catalog.to_design_element(
            "strap-ofhc-cu-rrr300-bar-25-x-3-mm-150mm", id="link", from_="shield", to="plate"
        ),
        catalog.to_design_element(
            "mli-30-layers-20-per-cm", id="mli", from_="vessel", to="shield", area_m2=1.2
        ),
    ]
    assert links[0] == {
        "id": "rf",
        "type": "wiring",
        "from": "shield",
        "to": "plate",
        "part": "coaxco-sc-086-50-ss-ss",
        "length_m": 0.25,
        "count": 16,
    }
    assert links[2]["material"] == "G10-normal" and links[2]["count"] == 4
    assert design.validate(_design([], links)) == []


def test_cryocooler_with_map_validates_and_rating_only_cooler_gives_constant_coolers():
    pt = catalog.to_design_element("cryomech-pt420", id="pt", first="shield", second="plate")
    assert pt == {
        "id": "pt",
        "type": "cryocooler",
        "model": "Cryomech PT420",
        "stages": {"first": "shield", "second": "plate"},
    }
    assert design.validate(_design([pt], [])) == []
    coolers = catalog.rated_constant_coolers(
        "shi-rdk-408d2", id="gm", first="shield", second="plate"
    )
    assert [(c["stage"], c["power_W"]) for c in coolers] == [("shield", 40.0), ("plate", 1.0)]
    assert design.validate(_design(coolers, [])) == []


def test_vessel_shield_and_dilution_unit():
    shield = catalog.to_design_element("shield-al6061-t6-d400-h500", id="s2", initial_K=300.0)
    assert shield["type"] == "stage" and shield["material"] == "Al6061-T6"
    # closed thin-walled cylinder D 0.4 m x H 0.5 m, 2 mm wall (vessels.json): ρ·(πDH + πD²/2)·t
    rho = json.loads((DATA_DIR / "materials/Al6061-T6.json").read_text())["density"]
    area = math.pi * 0.4 * 0.5 + math.pi * 0.4**2 / 2
    assert shield["mass_kg"] == pytest.approx(rho["value_kg_m3"] * area * 0.002, rel=1e-12)
    vessel = catalog.to_design_element("vessel-ss304-d450-h600", id="v2")
    assert vessel == {"id": "v2", "type": "boundary", "temperature_K": 300.0}
    du = catalog.to_design_element("dilution-unit-500-umol-s", id="du", stage="plate")
    assert du == {
        "id": "du",
        "type": "dilution_unit",
        "stage": "plate",
        "flow_mol_s": pytest.approx(5e-4),
    }
    assert design.validate(_design([shield, du], [])) == []


def test_conductor_for_the_coil_file():
    c = catalog.to_design_element("wire-nb3sn-0.8mm-cu1")
    assert c["superconductor"] == "Nb3Sn" and c["cu_to_sc"] == 1.0 and c["wire_radius_m"] == 4e-4
    with pytest.raises(DesignError, match="cu_to_sc is not published"):
        catalog.to_design_element("superpower-scs4050")
    tape = catalog.to_design_element("superpower-scs4050", cu_to_sc=20.0, wire_radius_m=3.5e-4)
    assert tape["superconductor"] == "REBCO" and tape["area_m2"] == pytest.approx(3.76e-7)


def test_errors_name_the_entry_and_key():
    with pytest.raises(DesignError, match=r"coaxco-sc-086-50-ss-ss: missing length_m"):
        catalog.to_design_element("coaxco-sc-086-50-ss-ss", id="rf", from_="a", to="b")
    with pytest.raises(DesignError, match=r"unexpected colour"):
        catalog.to_design_element(
            "mli-30-layers-20-per-cm", id="m", from_="a", to="b", area_m2=1, colour="red"
        )
    with pytest.raises(UnknownNameError, match="closest valid"):
        catalog.to_design_element("cryomech-pt42", id="x", first="a", second="b")


def test_coax_published_with_attenuation_only_says_so():
    # the RF Coax S086MMHF entry carries room-temperature attenuation and no diameters
    with pytest.raises(DesignError, match="rfcoax-s086mmhf: published with its attenuation only"):
        catalog.to_design_element("rfcoax-s086mmhf", id="rf", from_="a", to="b", length_m=0.2)
    with pytest.raises(DesignError, match="no layers with library materials"):
        catalog.wiring_layers("tekstock-ut-085-ss-ss")


def test_wiring_layers_for_the_solver():
    layers = catalog.wiring_layers("coaxco-sc-219-50-ss-ss")
    assert [lay["material"] for lay in layers] == ["SS304", "PTFE", "SS304"]
    with pytest.raises(DesignError):
        catalog.wiring_layers("mli-30-layers-20-per-cm")


def test_cables_published_as_stage_loads_become_heat_loads():
    loads = catalog.stage_heat_loads(
        "delft-circuits-crioflex-ag", id="flex", count=8, **{"50K": "shield", "4K": "plate"}
    )
    # 8 cables x 2.7 mW and 8 x 0.8 mW (Gupta et al. 2019, per-cable loads)
    assert [(h["stage"], h["power_W"]) for h in loads] == [
        ("shield", pytest.approx(0.0216)),
        ("plate", pytest.approx(0.0064)),
    ]
    assert design.validate(_design(loads, [])) == []
    with pytest.raises(DesignError, match="stage_heat_loads"):
        catalog.to_design_element(
            "delft-circuits-crioflex-ag", id="f", from_="a", to="b", length_m=1
        )
    with pytest.raises(DesignError, match="missing 4K"):
        catalog.stage_heat_loads("hypres-becu-coax", id="c")


def test_commercial_dilution_refrigerator_points_to_derived_units():
    with pytest.raises(DesignError, match="not a 3He flow"):
        catalog.to_design_element("bluefors-xld1000", id="du", stage="plate")


def test_commercial_entries_name_maker_and_rating():
    for comp in catalog.components():
        if comp.kind == "commercial":
            assert comp.maker and comp.model and not comp.source.startswith("derived"), comp.id
        else:
            assert comp.source.startswith("derived"), comp.id


def test_sensor_self_heating_becomes_a_heat_load():
    # DT-670 at 4.2 K: 10 uA x 1.57848 V (Curve DT-670) = 15.78 uW
    h = catalog.to_design_element("lakeshore-dt-670-sd", id="t", stage="plate", temperature_K=4.2)
    assert h == {
        "id": "t",
        "type": "heat_load",
        "stage": "plate",
        "power_W": pytest.approx(15.7848e-6, rel=1e-12),
    }
    assert design.validate(_design([h], [])) == []
    # Cernox: the published 1e-7 W at 4.2 K, exactly at a published point
    c = catalog.to_design_element(
        "lakeshore-cernox", id="c", stage="plate", temperature_K=4.2, count=3
    )
    assert c["power_W"] == pytest.approx(3e-7, rel=1e-12)
    with pytest.raises(DesignError, match="not at 600 K"):
        catalog.to_design_element("lakeshore-dt-670-sd", id="t", stage="plate", temperature_K=600.0)
    with pytest.raises(DesignError, match="no published dissipation"):
        catalog.to_design_element("lakeshore-dt-621-hr", id="t", stage="plate", temperature_K=4.2)


def test_conductor_without_published_area_says_so():
    with pytest.raises(DesignError, match="cross-section"):
        catalog.to_design_element("fujikura-fesc-4mm", cu_to_sc=20.0, wire_radius_m=3e-4)
