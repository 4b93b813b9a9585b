"""Shipped example coil files parse and give sane fields."""

import numpy as np
import pytest

from cryogen_templates import DESIGNS_DIR
from solver.magnet import load_coil_file

COIL_FILES = sorted((DESIGNS_DIR / "coils").glob("*.coil.json"))


def test_there_are_coil_templates():
    assert len(COIL_FILES) >= 4


@pytest.mark.parametrize("path", COIL_FILES, ids=lambda p: p.name)
def test_coil_template_parses_and_has_finite_field(path):
    magnet = load_coil_file(path)
    b = magnet.field([[0.001, 0.002, 0.003], [1.0, 1.0, 1.0]])
    assert np.all(np.isfinite(b))


def test_validation_template_is_case_4():
    b = load_coil_file(DESIGNS_DIR / "coils" / "validation_solenoid.coil.json").field([0, 0, 0])
    assert b[0, 2] == pytest.approx(56.19851787891891e-3, rel=1e-9)  # VALIDATION.md case 4
