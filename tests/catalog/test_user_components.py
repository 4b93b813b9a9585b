"""User components are validated like a design file: every error names the field."""

from __future__ import annotations

import pytest

from solver.catalog import UserComponentError, to_design_element, validate_user_component


def test_two_stage_map_and_rating_points():
    comp = validate_user_component(
        {
            "id": "lab-gm",
            "name": "Lab GM",
            "category": "cryocooler",
            "stages": ["first", "second"],
            "capacity_map": {
                "data": [[0, 0, 30, 3.0], [0, 1, 31, 4.5], [20, 0, 40, 3.1], [20, 1, 42, 4.7]]
            },
        },
        owner="alice",
    )
    assert comp.kind == "user" and comp.owner == "alice" and comp.parameters["has_map"]
    with pytest.raises(UserComponentError, match=r"capacity_map\.data.*must rise"):
        validate_user_component(
            {
                "id": "lab-gm",
                "name": "Lab GM",
                "category": "cryocooler",
                "stages": ["first", "second"],
                "capacity_map": {
                    "data": [[0, 0, 30, 3.0], [0, 1, 31, 2.5], [20, 0, 40, 3.1], [20, 1, 42, 4.7]]
                },
            },
            owner="alice",
        )
    with pytest.raises(UserComponentError, match="rating point stage 'third'"):
        validate_user_component(
            {
                "id": "x",
                "name": "x",
                "category": "cryocooler",
                "stages": ["first"],
                "rating_points": [{"stage": "third", "T_K": 4.2, "Q_W": 1}],
            },
            owner="alice",
        )


def test_own_jc_fit_is_checked_against_the_known_forms():
    base = {
        "id": "my-nbti",
        "name": "My NbTi",
        "category": "superconductor",
        "superconductor": "NbTi",
        "area_m2": 2e-7,
        "cu_to_sc": 1.5,
        "wire_radius_m": 2.5e-4,
    }
    comp = validate_user_component(base, owner="bob")
    assert to_design_element(comp) == {
        "superconductor": "NbTi",
        "area_m2": 2e-7,
        "cu_to_sc": 1.5,
        "wire_radius_m": 2.5e-4,
    }
    with pytest.raises(UserComponentError, match=r"jc_fit.*unknown form 'my_form'"):
        validate_user_component(
            {**base, "jc_fit": {"form": "my_form", "constants": {}}}, owner="bob"
        )
    with pytest.raises(UserComponentError, match=r"jc_fit.*missing"):
        validate_user_component(
            {**base, "jc_fit": {"form": "bottura_nbti", "constants": {"Tc0_K": 9.2}}}, owner="bob"
        )


def test_field_errors_and_owner():
    with pytest.raises(UserComponentError, match=r"length_m: must be above 0 m"):
        validate_user_component(
            {
                "id": "rod",
                "name": "rod",
                "category": "strap",
                "material": "SS304",
                "length_m": -1,
                "area_m2": 1e-5,
            },
            owner="a",
        )
    with pytest.raises(UserComponentError, match=r"category: 'teapot' is not allowed"):
        validate_user_component({"id": "t", "name": "t", "category": "teapot"}, owner="a")
    with pytest.raises(UserComponentError, match="owner"):
        validate_user_component(
            {
                "id": "rod",
                "name": "rod",
                "category": "strap",
                "material": "SS304",
                "length_m": 1,
                "area_m2": 1e-5,
            },
            owner="",
        )
    with pytest.raises(UserComponentError, match=r"colour: Extra inputs are not permitted"):
        validate_user_component(
            {
                "id": "rod",
                "name": "rod",
                "category": "strap",
                "material": "SS304",
                "length_m": 1,
                "area_m2": 1e-5,
                "colour": "red",
            },
            owner="a",
        )


def test_a_whole_strand_je_wire_needs_no_copper_split():
    base = {
        "id": "my-2212",
        "name": "My Bi-2212",
        "category": "superconductor",
        "superconductor": "Bi-2212",
        "area_m2": 7.85e-7,
        "wire_radius_m": 5e-4,
    }
    comp = validate_user_component(base, owner="bob")
    assert to_design_element(comp) == {
        "superconductor": "Bi-2212",
        "area_m2": 7.85e-7,
        "wire_radius_m": 5e-4,
    }
    with pytest.raises(UserComponentError, match="cu_to_sc is required for NbTi"):
        validate_user_component({**base, "superconductor": "NbTi"}, owner="bob")
    with pytest.raises(
        UserComponentError, match="unknown superconductor 'NbTX'; closest valid: NbTi"
    ):
        validate_user_component({**base, "superconductor": "NbTX"}, owner="bob")
