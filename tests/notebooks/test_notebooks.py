"""Every notebook in notebooks/ runs under nbval; every report template runs under papermill
and checks a physical number; every committed notebook has its outputs stripped."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from cryogen_templates import DESIGNS_DIR, REPORTS_DIR
from cryogen_widgets.reports.runner import TEMPLATES, kernel_name
from solver import materials

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MU0 = 4e-7 * math.pi  # H/m; CODATA 2018 gives 1.00000000055 × this, far below the tolerances here


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_under_nbval(notebook):
    """nbval --nbval-lax: every cell runs; assert cells inside the notebook do the checking."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            str(notebook),
        ],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def template_kind(case: str) -> str:
    """The report kind a case runs: ``field-bi2212`` runs the ``field`` (magnet) template."""
    return case.split("-")[0]


def test_every_template_is_covered():
    assert {template_kind(case) for case in TEMPLATE_CASES} == set(TEMPLATES)
    assert {p.name for p in REPORTS_DIR.glob("*.ipynb")} == set(TEMPLATES.values())


def copper_block_cooled_at_constant_power(tmp_path) -> Path:
    """1 kg of OFHC copper, no links, a 10 W constant cooler: the time from 300 K to
    77 K is m·[H(300 K) − H(77 K)]/P (energy balance, closed form)."""
    design = {
        "schema": "cryogen/design@1",
        "name": "copper block on a 10 W constant cooler",
        "components": [
            {"id": "vessel", "type": "boundary", "temperature_K": 300.0},
            {
                "id": "block",
                "type": "stage",
                "material": "OFHC-Cu-RRR100",
                "mass_kg": 1.0,
                "initial_K": 300.0,
            },
            {"id": "cooler", "type": "constant_cooler", "stage": "block", "power_W": 10.0},
        ],
        "links": [],
    }
    path = tmp_path / "block.cryo.json"
    path.write_text(json.dumps(design))
    return path


def thick_solenoid_centre_field_T(coil: dict) -> float:
    """B at the centre of a uniformly wound thick solenoid (closed form, e.g. Montgomery,
    Solenoid Magnet Design (1969), eq. 1.5): μ0 N I / (2 (b − a)) ·
    ln[(b + √(b² + l²)) / (a + √(a² + l²))], with l the half length."""
    a, b, half = coil["inner_radius_m"], coil["outer_radius_m"], coil["length_m"] / 2
    return (
        MU0
        * coil["turns"]
        * coil["current_A"]
        / (2 * (b - a))
        * math.log((b + math.hypot(b, half)) / (a + math.hypot(a, half)))
    )


def magnet_case(tmp_path):
    spec = json.loads((DESIGNS_DIR / "nbti-magnet-cryostat.cryo.json").read_text())
    magnet = next(c for c in spec["components"] if c["type"] == "magnet")
    magnet["coil"]["conductor"]["rrr"] = 100  # so the quench section runs too
    path = tmp_path / "magnet.cryo.json"
    path.write_text(json.dumps(spec))
    expected = thick_solenoid_centre_field_T(magnet["coil"]["coils"][0])
    # 1e-6: the Gauss-Legendre radial integral of a smooth integrand converges far below this
    check = (
        f"assert abs(float(homog.B0_T) - {expected!r}) <= 1e-6 * {expected!r}, homog.B0_T\n"
        'assert "hot-spot temperature (adiabatic)" in dict(rows), rows'
    )
    return path, {"grid_points": 15}, check


def bi2212_magnet_case(tmp_path):
    """The same cryostat with a Bi-2212 strand at about 1.3 T: below the Je fit's 6 T, so
    the report must flag the range, label J per whole strand and decline the hot spot
    (no sourced silver-matrix or Bi-2212 heat capacity) instead of failing."""
    spec = json.loads((DESIGNS_DIR / "nbti-magnet-cryostat.cryo.json").read_text())
    magnet = next(c for c in spec["components"] if c["type"] == "magnet")
    magnet["coil"]["conductor"] = {"superconductor": "Bi-2212", "area_m2": 7.85e-7, "wire_radius_m": 5e-4}
    path = tmp_path / "bi2212.cryo.json"
    path.write_text(json.dumps(spec))
    check = (
        'assert any("outside its range 6-104 T" in f for f in m_op.attrs["flags"]), m_op.attrs\n'
        'assert "J in the whole strand (A/m²)" in mag.margin_table(m_op).index\n'
        'assert "not computed" in dict(rows)["hot spot"], rows'
    )
    return path, {"grid_points": 15}, check


def copper_rod_case(tmp_path):
    # VALIDATION.md case 1: 73.663 W; 1e-4 relative is that table's tolerance (same fit)
    check = (
        'assert abs(float(ds.heat_flow.sel(link="rod")) - 73.663) <= 1e-4 * 73.663, ds.heat_flow'
    )
    return DESIGNS_DIR / "copper-rod.cryo.json", {}, check


def cooldown_case(tmp_path):
    cu = materials.get("OFHC-Cu-RRR100")
    expected_s = 1.0 * cu.enthalpy_change(77.0, 300.0) / 10.0
    # 1e-9: the enthalpy-form step conserves energy to round-off and the last step lands
    # on the target, so only the enthalpy table's round-off remains
    check = (
        f'assert abs(ds.attrs["time_to_target_s"] - {float(expected_s)!r}) '
        f'<= 1e-9 * {float(expected_s)!r}, ds.attrs["time_to_target_s"]'
    )
    return (
        copper_block_cooled_at_constant_power(tmp_path),
        {"target_K": 77.0, "node": "block"},
        check,
    )


TEMPLATE_CASES = {  # keyed by the analysis names (DESIGN.md, Plans): steady, cooldown, field
    "steady": copper_rod_case,
    "cooldown": cooldown_case,
    "field": magnet_case,
    "field-bi2212": bi2212_magnet_case,
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(TEMPLATE_CASES))
def test_report_template_runs_and_checks_physics(kind, tmp_path):
    import papermill

    design_path, params, check = TEMPLATE_CASES[kind](tmp_path)
    nb = nbformat.read(str(REPORTS_DIR / TEMPLATES[template_kind(kind)]), as_version=4)
    nb.cells.append(new_code_cell(check))
    src = tmp_path / f"{kind}.ipynb"
    nbformat.write(nb, str(src))
    papermill.execute_notebook(
        str(src),
        str(tmp_path / f"{kind}.out.ipynb"),
        parameters={"design_path": str(design_path), **params},
        kernel_name=kernel_name(),
        progress_bar=False,
        cwd=str(tmp_path),
    )


def committed_notebooks() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / p for p in out]


def test_committed_notebooks_have_no_outputs():
    dirty = []
    for path in committed_notebooks():
        if not path.exists():  # deleted in the work tree, not yet committed
            continue
        nb = json.loads(path.read_text())
        for k, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
                dirty.append(f"{path.relative_to(ROOT)} cell {k}")
    assert not dirty, "strip outputs (jupyter nbconvert --clear-output --inplace): " + ", ".join(
        dirty
    )
