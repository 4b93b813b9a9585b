"""Reports: papermill templates run headless, converted to HTML (no code) and PDF.

``make_report(design, "out.pdf")`` runs the template that fits the design
(magnet -> magnet report, otherwise heat load; or ``kind=``), keeps the executed
notebook next to the output, writes HTML with nbconvert and prints it to PDF with
Debian Chromium through Playwright.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cryogen_widgets.reports.convert import to_html, to_pdf
from cryogen_widgets.reports.runner import TEMPLATES, ReportError, choose_kind, execute
from solver.errors import DesignError

FORMATS = (".html", ".pdf", ".ipynb")


def make_report(
    design_path: str | Path,
    output: str | Path,
    kind: str | None = None,
    parameters: dict | None = None,
) -> Path:
    """Write a report of a design to ``output`` (.html, .pdf or the executed .ipynb).

    Parameters
    ----------
    design_path : path
        The ``*.cryo.json`` design.
    output : path
        Report file; its suffix picks the format.
    kind : {"steady", "cooldown", "field"}, optional
        Template; default by the design (magnet component -> magnet report).
    parameters : dict, optional
        Further template parameters.
    """
    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in FORMATS:
        raise DesignError(f"report output {output.name!r}: use a .html, .pdf or .ipynb file name")
    with tempfile.TemporaryDirectory(prefix="cryogen-report-") as tmp:
        nb = execute(
            design_path,
            Path(tmp) / "report.ipynb" if suffix != ".ipynb" else output,
            kind=kind,
            parameters=parameters,
        )
        if suffix == ".ipynb":
            return output
        if suffix == ".html":
            return to_html(nb, output)
        html = to_html(nb, Path(tmp) / "report.html")
        return to_pdf(html, output)


__all__ = ["FORMATS", "TEMPLATES", "ReportError", "choose_kind", "make_report", "to_html", "to_pdf"]
