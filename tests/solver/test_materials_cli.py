"""``cryogen materials`` through solver.cli.main."""

from __future__ import annotations

import json

import pytest

from solver import materials
from solver.cli import main


def test_list_every_material(capsys):
    assert main(["materials"]) == 0
    out = capsys.readouterr().out
    for mid in materials.ids():
        assert mid in out
    assert "4-300 K" in out and "10-300 K" in out  # Cu k fit, G-10 normal k fit


def test_list_json(capsys):
    assert main(["materials", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["id"] for m in data["materials"]] == materials.ids()


def test_show_one_material_text(capsys):
    assert main(["materials", "SS304", "--T", "1,77,300"]) == 0
    out = capsys.readouterr().out
    assert "SS304" in out and "trc.nist.gov" in out and "Krinner" in out
    lines = [ln.split() for ln in out.splitlines() if ln.strip().startswith(("1 ", "77 ", "300 "))]
    assert [ln[0] for ln in lines] == ["1", "77", "300"]
    # 1 K lies inside the SS304 k fit (from 1 K) but below its cp fit (from 4 K)
    assert lines[0][2].endswith("*") and not lines[0][1].endswith("*")
    # VALIDATION.md: SS304 int_4^300 k dT = 3030.84 W/m, printed to 6 significant figures
    assert float(lines[2][3]) == pytest.approx(3030.84, rel=2e-6)


def test_show_json_matches_api(capsys):
    assert main(["materials", "OFHC-Cu-RRR100", "--T", "77,300", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    m = materials.get("OFHC-Cu-RRR100")
    assert data["integral_from_K"] == 4.0
    assert data["rows"][1]["k_integral_W_m"] == pytest.approx(194330.6, rel=1e-6)  # VALIDATION.md
    assert data["rows"][0]["cp_J_kgK"] == m.cp(77.0)
    assert data["sources"]["k"] == m.sources["k"]


def test_default_temperatures_skip_outside_range(capsys):
    assert main(["materials", "Brass"]) == 0
    out = capsys.readouterr().out
    assert "skipped 300 K" in out and "115.5 K" in out


def test_unknown_id_exit_2_with_closest_names(capsys):
    assert main(["materials", "SS-304"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown material 'SS-304'" in captured.err and "SS304" in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["materials", "SS304", "--T", "4,abc"], "--T expects"),
        (["materials", "SS304", "--T", "-3"], "--T expects"),
        (["materials", "SS304", "--T", "400"], "outside the supported range 0.001-315 K"),
        (["materials", "--T", "4"], "--T needs a material id"),
    ],
)
def test_bad_arguments_exit_2(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
