"""cryogen report: papermill templates -> HTML without code -> PDF through Debian chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.cli import main
from cryogen_widgets.reports import choose_kind
from cryogen_widgets.reports.convert import CHROMIUM
from cryogen_widgets.reports.runner import kernel_name
from solver import design as design_io
from tests.conftest import require
from tests.thermal.test_mixture_charge import N3, N4, plate_held_by_constant_cooler

COPPER_ROD = DESIGNS_DIR / "copper-rod.cryo.json"
TWO_STAGE = DESIGNS_DIR / "two-stage-pt420.cryo.json"
CHARGED = plate_held_by_constant_cooler(charge_He3_mol=N3, charge_He4_mol=N4)


def test_html_report_shows_outputs_not_code(tmp_path, capsys):
    out = tmp_path / "rod.html"
    assert main(["report", str(COPPER_ROD), "-o", str(out)]) == 0
    html = out.read_text()
    # VALIDATION.md case 1: 73.663 W, printed to 4 significant figures in the link table
    assert ">73.66<" in html
    assert "solver.steady_state(" not in html  # code cells are left out
    assert "CryoGen 0.1.0" in html  # software version
    assert "NIST fit Cu_OFHC_RRR100_k" in html  # the material data source used
    # the rod's 77 K end is a temperature, not a declared bath: no boil-off is guessed
    assert "boil-off (L/day)" not in html
    assert "report written to" in capsys.readouterr().out


def test_pdf_report_pages(tmp_path):
    require(Path(CHROMIUM).exists(), f"PDF reports need Debian chromium at {CHROMIUM}")
    out = tmp_path / "r.pdf"
    assert main(["report", str(TWO_STAGE), "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 2  # tables, the heat-path figure and the provenance do not fit one A4 page
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Stage budget" in text and "Provenance" in text


def test_bad_design_exits_2_with_the_solver_message(tmp_path, capsys):
    bad = json.loads(COPPER_ROD.read_text())
    bad["links"][0]["material"] = "OFHC-Cu-RR100"
    path = tmp_path / "bad.cryo.json"
    path.write_text(json.dumps(bad))
    out = tmp_path / "bad.html"
    assert main(["report", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "rod" in err and "OFHC-Cu-RRR100" in err  # names the link and the closest material
    assert not out.exists()


def test_failing_cell_is_named_and_solver_errors_exit_3(tmp_path, capsys):
    isolated = {
        "schema": "cryogen/design@1",
        "name": "a plate with no path to a boundary or cooler",
        "components": [
            {"id": "vessel", "type": "boundary", "temperature_K": 300.0},
            {"id": "plate", "type": "stage", "material": "OFHC-Cu-RRR100", "mass_kg": 1.0},
        ],
        "links": [],
    }
    path = tmp_path / "isolated.cryo.json"
    path.write_text(json.dumps(isolated))
    assert main(["report", str(path), "-o", str(tmp_path / "r.html")]) == 3
    err = capsys.readouterr().err
    assert re.search(r"heat_load\.ipynb: cell \d+ failed with SolverError: .*plate", err)


def test_unknown_output_format_and_parameter(tmp_path, capsys):
    assert main(["report", str(COPPER_ROD), "-o", str(tmp_path / "r.docx")]) == 2
    assert "use a .html, .pdf or .ipynb" in capsys.readouterr().err
    assert main(["report", str(COPPER_ROD), "-o", str(tmp_path / "r.html"), "-p", "1x"]) == 2
    assert "must be NAME=VALUE" in capsys.readouterr().err


def test_template_chosen_by_the_design():
    magnet = design_io.load(DESIGNS_DIR / "nbti-magnet-cryostat.cryo.json").to_dict()
    assert choose_kind(magnet) == "field"
    assert choose_kind(design_io.load(TWO_STAGE).to_dict()) == "steady"


def test_kernel_runs_this_interpreter():
    from jupyter_client.kernelspec import KernelSpecManager

    argv0 = KernelSpecManager().get_kernel_spec(kernel_name()).argv[0]
    # jupyter_client runs a spec saying "python" with its own interpreter
    assert argv0 in ("python", "python3") or Path(argv0).resolve() == Path(sys.executable).resolve()


def test_cooldown_report_table_and_figure_of_the_mixture_charge():
    """The charge's start times and energy in the table are the Dataset's (the table only
    divides seconds by 3600); the figure gains the condensed-fraction panel."""
    from cryogen_widgets.reports import figures, sections
    from solver.thermal.cooldown import cooldown

    ds = cooldown(CHARGED, target_K=3.0, node="plate4")
    table = sections.mixture_charge(ds)
    row = table.loc["dr"]
    hours = [float(ds[v][0]) / 3600 for v in ("condensing_starts_s", "circulation_starts_s")]
    assert [row["condensing starts (h)"], row["circulation starts (h)"]] == hours
    assert row["charge energy (J)"] == float(ds.charge_energy_J[0])
    assert row["condensed at the end (%)"] == 100.0
    fig = figures.cooldown_curves(ds)
    assert [a.get_ylabel() for a in fig.axes] == ["temperature (K)", "charge condensed"]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "dr condensing starts" in legend and "dr circulation starts" in legend


@pytest.mark.slow
def test_cooldown_report_has_the_mixture_charge_section(tmp_path):
    path = tmp_path / "charged.cryo.json"
    path.write_text(json.dumps(CHARGED))
    out = tmp_path / "charged.html"
    args = ["report", str(path), "-o", str(out), "--kind", "cooldown"]
    assert main([*args, "-p", "target_K=3.0", "-p", "node=plate4"]) == 0
    html = out.read_text()
    assert "Mixture charge" in html and "circulation starts (h)" in html
