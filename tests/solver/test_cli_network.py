"""``cryogen solve`` / ``cryogen cooldown``: exit codes 0/2/3 and messages that name the fault."""

from __future__ import annotations

import json
import subprocess
import sys

from solver.cli import main as cli


def write(tmp_path, d, name="d.cryo.json"):
    path = tmp_path / name
    path.write_text(json.dumps(d))
    return str(path)


ROD = {
    "schema": "cryogen/design@1",
    "components": [
        {"id": "warm", "type": "boundary", "temperature_K": 300.0},
        {"id": "plate", "type": "stage", "material": "SS304", "mass_kg": 1.0},
    ],
    "links": [
        {
            "id": "rod",
            "type": "conductor",
            "from": "warm",
            "to": "plate",
            "material": "SS304",
            "length_m": 0.1,
            "area_m2": 1e-5,
        }
    ],
}


def test_design_error_exits_2_naming_id_field_and_closest(tmp_path, capsys):
    bad = json.loads(json.dumps(ROD))
    bad["links"][0]["material"] = "SS-304"
    assert cli(["solve", write(tmp_path, bad), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # nothing written on a design error
    assert "'rod'" in err and "'material'" in err and "SS304" in err


def test_missing_file_exits_2(tmp_path, capsys):
    assert cli(["solve", str(tmp_path / "nope.cryo.json")]) == 2
    assert "cannot read design file" in capsys.readouterr().err


def test_unsolvable_exits_3_naming_the_stage(tmp_path, capsys):
    # 'plate' has no path to a boundary or cooler that fixes its temperature...
    lonely = json.loads(json.dumps(ROD))
    lonely["links"] = []
    assert cli(["solve", write(tmp_path, lonely)]) == 3
    assert "'plate'" in capsys.readouterr().err
    # ...but a cooldown of it with a constant cooler and a target is fine
    lonely["components"].append(
        {"id": "c", "type": "constant_cooler", "stage": "plate", "power_W": 1.0}
    )
    lonely["components"][1]["initial_K"] = 100.0
    assert cli(["cooldown", write(tmp_path, lonely), "--target-K", "50", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["time_to_target_s"] > 0


def test_unreachable_target_exits_3(tmp_path, capsys):
    assert cli(["cooldown", write(tmp_path, ROD), "--target-K", "4"]) == 3
    assert "no stage has a cooling source" in capsys.readouterr().err
    assert cli(["cooldown", write(tmp_path, ROD), "--target-K", "4", "--node", "plate"]) == 3
    assert "'plate' is unreachable: it settles at 300 K" in capsys.readouterr().err


def test_text_output_and_console_script(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "cryogen_widgets.cli", "solve", write(tmp_path, ROD)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "rod" in proc.stdout and "warm -> plate" in proc.stdout
