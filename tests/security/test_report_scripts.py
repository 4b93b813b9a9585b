"""Reports cannot carry script (issue 13 item 1): a design whose every free string holds
script payloads gives an HTML report and a PDF in which Chromium opens no dialog and runs
no handler, and the payloads are printed as text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cryogen_widgets.reports import make_report
from cryogen_widgets.reports.convert import CHROMIUM, to_html, to_pdf
from cryogen_widgets.reports.safe import CSP, clean_html, md
from tests.conftest import require
from tests.security.payloads import (
    PAYLOADS,
    WATCH_PAGE_JS,
    assert_nothing_ran,
    launch,
    payload_design,
)

pytestmark = pytest.mark.slow


def test_md_renders_a_payload_as_its_own_text():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    for p in PAYLOADS:
        html = markdown2html_mistune(f"# Report: {md(p)}")
        for tag in ("<img", "<script", "<svg", "<iframe", "<details", "<style", '<a href="java'):
            assert tag not in html, html
        assert clean_html(html).count("<a ") == 1  # the heading's own anchor link


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("xss")
    design = tmp / "payloads.cryo.json"
    design.write_text(json.dumps(payload_design()))
    return make_report(design, tmp / "report.ipynb"), tmp


def test_html_report_runs_no_payload_and_shows_them_as_text(executed):
    require(Path(CHROMIUM).exists(), f"Debian chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    notebook, tmp = executed
    html = to_html(notebook, tmp / "report.html")
    source = html.read_text()
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in source
    with sync_playwright() as p:
        browser = launch(p, tmp)
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.add_init_script(f"({WATCH_PAGE_JS})()")
            page.goto(html.as_uri(), wait_until="load")
            assert_nothing_ran(page, dialogs)
            text = page.inner_text("body")
        finally:
            browser.close()
    for p in PAYLOADS:  # printed as text: the design name in the title, ids in the tables
        assert p in text, p
    assert "Stage budget" in text and "Provenance" in text


def test_pdf_report_prints_the_payloads_as_text(executed):
    require(Path(CHROMIUM).exists(), f"Debian chromium at {CHROMIUM}")
    from pypdf import PdfReader

    notebook, tmp = executed
    pdf = to_pdf(to_html(notebook, tmp / "for-pdf.html"), tmp / "report.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    text = " ".join(text.split())
    assert "Stage budget" in text  # the page was not emptied by a style sheet or a script
    assert "<img src=x onerror=alert(1)>" in text
