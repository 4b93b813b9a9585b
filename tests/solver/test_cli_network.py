"""``cryogen solve`` / ``cryogen cooldown``: exit codes 0/2/3 and messages that name the fault."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy.integrate import quad

from materials_data import DATA_DIR
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
    # constant power, no links: t = m·∫cp dT / P exactly (the enthalpy-form steps telescope),
    # cp the NIST SS304 fit from its data file, by quad; 1e-9 is the stated accuracy of the
    # solver's cp tables (solver/materials/_property.py), the Newton steps are 1e-11
    fit = json.loads((DATA_DIR / "materials/SS304.json").read_text())["properties"]["cp"]
    a = fit["pieces"][0]["coefficients"]  # NIST a..i, 4-300 K
    enthalpy = quad(lambda T: 10 ** np.polyval(a[::-1], math.log10(T)), 50.0, 100.0, epsrel=1e-12)
    mass_kg, power_W = 1.0, 1.0
    got = json.loads(capsys.readouterr().out)["time_to_target_s"]
    assert got == pytest.approx(mass_kg * enthalpy[0] / power_W, rel=1e-9)


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
