"""The cryogen/coil@1 contract and ``cryogen field``: parsing, errors, exit codes."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.cli import main
from solver.errors import DesignError
from solver.magnet import Magnet, coil_from_dict, load_coil_file

DESIGN_EXAMPLE = {
    "schema": "cryogen/coil@1",
    "coils": [
        {
            "id": "main",
            "type": "solenoid",
            "radius_m": 0.05,
            "length_m": 0.2,
            "turns": 1000,
            "current_A": 10.0,
            "center_m": [0, 0, 0],
            "axis": [0, 0, 1],
        },
        {
            "id": "thick",
            "type": "solenoid",
            "inner_radius_m": 0.05,
            "outer_radius_m": 0.06,
            "length_m": 0.2,
            "turns": 1000,
            "current_A": 10.0,
        },
        {
            "id": "a",
            "type": "loop",
            "radius_m": 0.1,
            "turns": 100,
            "current_A": 1.0,
            "center_m": [0, 0, -0.05],
        },
        {"id": "p", "type": "path", "points_m": [[0, 0, 0], [0.1, 0, 0]], "current_A": 1.0},
    ],
    "conductor": {
        "superconductor": "NbTi",
        "cu_to_sc": 1.5,
        "area_m2": 1e-6,
        "wire_radius_m": 4e-4,
    },
    "operating_temperature_K": 4.2,
}

CASE4 = {
    "schema": "cryogen/coil@1",
    "coils": [
        {
            "id": "main",
            "type": "solenoid",
            "radius_m": 0.05,
            "length_m": 0.2,
            "turns": 1000,
            "current_A": 10.0,
        }
    ],
}


def _with(coil_changes=None, index=0, **top):
    d = json.loads(json.dumps(DESIGN_EXAMPLE))
    if coil_changes:
        d["coils"][index].update(coil_changes)
    d.update(top)
    return d


def test_design_example_parses():
    mag = coil_from_dict(DESIGN_EXAMPLE)
    assert isinstance(mag, Magnet)
    assert [c.id for c in mag.coils] == ["main", "thick", "a", "p"]
    assert mag.conductor.superconductor == "NbTi"
    assert mag.operating_temperature_K == 4.2


@pytest.mark.parametrize(
    "changes,index,needles",
    [
        ({"type": "lop"}, 2, ["coil 'a'", "'type'", "loop"]),
        ({"colour": "red"}, 0, ["coil 'main'", "'colour'", "unknown"]),
        ({"turns": -1}, 2, ["coil 'a'", "'turns'"]),
        ({"length_m": "long"}, 0, ["coil 'main'", "'length_m'"]),
        ({"radius_m": 0.05}, 1, ["coil 'thick'", "radius_m", "inner_radius_m"]),
        ({"outer_radius_m": 0.04}, 1, ["coil 'thick'", "outer_radius_m"]),
        ({"points_m": [[0, 0, 0], [0, 0, 0]]}, 3, ["coil 'p'", "zero-length"]),
        ({"axis": [0, 0, 0]}, 0, ["coil 'main'", "axis"]),
        ({"current_A": float("nan")}, 0, ["coil 'main'", "current_A"]),
    ],
)
def test_bad_coil_names_id_and_field(changes, index, needles):
    with pytest.raises(DesignError) as exc:
        coil_from_dict(_with(changes, index))
    for n in needles:
        assert n in str(exc.value)


def test_unknown_type_lists_valid_types():
    d = _with({"type": "toroid"}, 0)
    with pytest.raises(DesignError, match="coil 'main': field 'type': unknown coil type 'toroid'"):
        coil_from_dict(d)
    d = _with({"type": None}, 0)
    del d["coils"][0]["type"]
    with pytest.raises(
        DesignError, match="valid types: loop, solenoid, helmholtz, racetrack, saddle, cct, path"
    ):
        coil_from_dict(d)


@pytest.mark.parametrize(
    "top,needle",
    [
        ({"schema": "cryogen/coil@2"}, "schema"),
        ({"coils": []}, "coils"),
        ({"extra": 1}, "extra"),
        ({"operating_temperature_K": -4}, "operating_temperature_K"),
        (
            {"conductor": {"superconductor": "NbTl", "cu_to_sc": 1.5, "area_m2": 1e-6}},
            "closest valid: NbTi",
        ),
        ({"conductor": {"superconductor": "NbTi", "cu_to_sc": 1.5}}, "area_m2"),
        (
            {"conductor": {"superconductor": "NbTi", "cu_to_sc": 1.5, "area_m2": 1e-6, "rr": 3}},
            "'rr'",
        ),
    ],
)
def test_bad_top_level_fields(top, needle):
    with pytest.raises(DesignError, match=needle):
        coil_from_dict(_with(**top))


def test_duplicate_ids_rejected():
    d = _with({"id": "main"}, 2)
    with pytest.raises(DesignError, match="coil 'main': field 'id' is used twice"):
        coil_from_dict(d)


def test_load_coil_file_errors(tmp_path):
    with pytest.raises(DesignError, match="cannot read coil file"):
        load_coil_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(DesignError, match="not valid JSON"):
        load_coil_file(bad)


def _write(tmp_path, d, name="coil.json"):
    p = tmp_path / name
    p.write_text(json.dumps(d))
    return str(p)


def test_cli_field_json_case4(tmp_path, capsys):
    path = _write(tmp_path, CASE4)
    assert main(["field", path, "--points", "0,0,0;0,0,0.1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    b = np.array(out["B_T"])
    assert b.shape == (2, 3)
    # VALIDATION.md case 4 through the CLI (JSON float round trip is exact)
    assert b[0, 2] == pytest.approx(56.19851787891891e-3, rel=1e-9)
    assert b[1, 2] == pytest.approx(30.47792553050953e-3, rel=1e-9)


def test_cli_points_file_and_order(tmp_path, capsys):
    path = _write(tmp_path, DESIGN_EXAMPLE)
    pts = tmp_path / "pts.csv"
    pts.write_text("x,y,z\n0.01,0.02,0.03\n0,0,0.02\n-0.02,0.01,-0.01\n")
    assert main(["field", path, "--points-file", str(pts), "--json"]) == 0
    b = np.array(json.loads(capsys.readouterr().out)["B_T"])
    expected = load_coil_file(path).field([[0.01, 0.02, 0.03], [0, 0, 0.02], [-0.02, 0.01, -0.01]])
    np.testing.assert_array_equal(b, expected)
    assert main(["field", path, "--points", "0.01,0.02,0.03"]) == 0
    assert "Bx_T" in capsys.readouterr().out


@pytest.mark.parametrize(
    "points,needle",
    [
        ("0.05,0,0.01", "lies on the current sheet of coil 'main'"),
        ("0.1,0,-0.05", "lies on the wire of coil 'a'"),
        ("0.05,0,0", "lies on"),
        ("0.03,0,0", "lies on a current filament of coil 'p'"),
        ("1,2", "expected three coordinates"),
        ("a,b,c", "must be numbers"),
    ],
)
def test_cli_bad_points_exit_2(tmp_path, capsys, points, needle):
    path = _write(tmp_path, DESIGN_EXAMPLE)
    assert main(["field", path, "--points", points, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert needle in captured.err


def test_cli_bad_coil_file_exit_2(tmp_path, capsys):
    path = _write(tmp_path, _with({"radius_m": -1.0}, 2))
    assert main(["field", path, "--points", "0,0,0", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "coil 'a'" in captured.err and "radius_m" in captured.err


def test_cli_points_with_leading_minus(tmp_path, capsys):
    path = _write(tmp_path, CASE4)
    assert main(["field", path, "--points", "-0.01,0.0,-0.02;0,0,-1e-3", "--json"]) == 0
    b = np.array(json.loads(capsys.readouterr().out)["B_T"])
    expected = coil_from_dict(CASE4).field([[-0.01, 0.0, -0.02], [0, 0, -1e-3]])
    np.testing.assert_array_equal(b, expected)


def test_round_trip_of_the_design_example_and_templates():
    from cryogen_templates import DESIGNS_DIR
    from solver.magnet import magnet_to_dict

    for d in [
        DESIGN_EXAMPLE,
        *[json.loads(p.read_text()) for p in (DESIGNS_DIR / "coils").glob("*.coil.json")],
    ]:
        d = {k: v for k, v in d.items() if k != "name"}
        m1 = coil_from_dict(d)
        again = magnet_to_dict(m1)
        m2 = coil_from_dict(json.loads(json.dumps(again)))
        assert m1.coils == m2.coils and m1.conductor == m2.conductor
        assert magnet_to_dict(m2) == again


@settings(max_examples=40, deadline=None)
@given(
    radius=st.floats(1e-3, 10.0),
    length=st.floats(1e-3, 10.0),
    turns=st.floats(1.0, 1e5),
    current=st.floats(-1e4, 1e4),
    center=st.tuples(*[st.floats(-1.0, 1.0)] * 3),
)
def test_round_trip_solenoid_exact(radius, length, turns, current, center):
    from solver.magnet import magnet_to_dict

    d = {
        "schema": "cryogen/coil@1",
        "coils": [
            {
                "id": "s",
                "type": "solenoid",
                "radius_m": radius,
                "length_m": length,
                "turns": turns,
                "current_A": current,
                "center_m": list(center),
            }
        ],
    }
    m = coil_from_dict(d)
    again = coil_from_dict(json.loads(json.dumps(magnet_to_dict(m))))
    assert again.coils == m.coils
