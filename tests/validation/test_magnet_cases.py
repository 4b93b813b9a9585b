"""VALIDATION.md cases 4 and 5 (../shared/reference/VALIDATION.md), through the public API and the CLI."""

from __future__ import annotations

import json

import pytest

from solver.cli import main as cli
from solver.magnet import coil_from_dict, get_superconductor

CASE4_CENTRE_T = 56.19851787891891e-3  # μ0 N I / sqrt(L² + 4R²), μ0 = 1.25663706212e-6
CASE4_END_T = 30.47792553050953e-3  # on axis at the end, z = L/2: μ0 N I / (2 sqrt(L² + R²))
CASE5_JC_A_MM2 = 2931.2  # Bottura form, VALIDATION.md constants, 4.2 K, 5 T

SOLENOID = {
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


def test_case4_thin_solenoid_on_axis():
    B = coil_from_dict(SOLENOID).field([[0, 0, 0], [0, 0, 0.1]])
    # tolerance 1e-9 relative: VALIDATION.md's tolerance (closed form)
    assert B[0][2] == pytest.approx(CASE4_CENTRE_T, rel=1e-9)
    assert B[1][2] == pytest.approx(CASE4_END_T, rel=1e-9)


def test_case4_through_cryogen_field(tmp_path, capsys):
    path = tmp_path / "solenoid.coil.json"
    path.write_text(json.dumps(SOLENOID))
    assert cli(["field", str(path), "--points=0,0,0;0,0,0.1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["B_T"][0][2] == pytest.approx(CASE4_CENTRE_T, rel=1e-9)
    assert out["B_T"][1][2] == pytest.approx(CASE4_END_T, rel=1e-9)
    assert out["B_T"][0][:2] == [0.0, 0.0]


def test_case5_nbti_bottura_jc():
    jc = get_superconductor("NbTi").jc(5.0, 4.2)  # A/m² at 5 T, 4.2 K
    # tolerance 1e-4 relative: VALIDATION.md's tolerance (same constants)
    assert jc / 1e6 == pytest.approx(CASE5_JC_A_MM2, rel=1e-4)
    # operating fraction of case 5: 100 A in 0.1 mm² -> J_op/Jc = 1000/2931.2 = 0.341
    assert (100.0 / 0.1) / (jc / 1e6) == pytest.approx(0.341, abs=5e-4)
