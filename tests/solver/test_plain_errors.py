"""Validation messages in the engineer's words: bound, unit and kind, never pydantic's phrasing."""

from __future__ import annotations

import pytest

from solver.design.validate import validate
from solver.errors import DesignError
from solver.magnet.coilfile import load_coil_file


def _design(**stage) -> dict:
    return {
        "schema": "cryogen/design@1",
        "components": [
            {"id": "warm", "type": "boundary", "temperature_K": 300.0},
            {"id": "plate", "type": "stage", "material": "OFHC-Cu-RRR100", **stage},
        ],
        "links": [
            {
                "id": "rod",
                "type": "conductor",
                "from": "warm",
                "to": "plate",
                "material": "SS304",
                "length_m": 0,
                "area_m2": "abc",
            }
        ],
    }


def test_design_messages_name_bound_unit_and_kind():
    text = "; ".join(str(p) for p in validate(_design(mass_kg=-1, heat_load_W=True)))
    assert "'plate', field 'mass_kg': must be at least 1e-09 kg (got -1)" in text
    assert "'rod', field 'length_m': must be at least 1e-06 m (got 0)" in text
    assert "'rod', field 'area_m2': must be a number (got 'abc')" in text
    assert "Input should" not in text and "Value error" not in text


def test_every_validator_speaks_the_same_words(tmp_path):
    path = tmp_path / "bad.coil.json"
    path.write_text(
        '{"schema": "cryogen/coil@1", "coils": [{"id": "s", "type": "solenoid", '
        '"radius_m": -0.1, "length_m": 0.2, "turns": 10, "current_A": 100}]}'
    )
    with pytest.raises(DesignError) as err:
        load_coil_file(path)
    message = str(err.value)
    assert "coil 's': field 'radius_m': must be above 0 m" in message, message
