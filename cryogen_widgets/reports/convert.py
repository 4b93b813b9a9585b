"""Executed report notebook -> HTML (outputs only) -> PDF (Debian Chromium via Playwright)."""

from __future__ import annotations

from pathlib import Path

from cryogen_widgets.reports.runner import ReportError
from cryogen_widgets.reports.safe import sanitize_outputs, with_csp

CHROMIUM = "/usr/bin/chromium"
"""Debian's chromium; Playwright never downloads a browser here."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

PRINT_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-size: 11px; }
.jp-OutputArea-output img, .jp-OutputArea-output svg, table { break-inside: avoid; }
h2 { break-after: avoid; }
.jp-CodeCell:has(.jp-RenderedSVG) { break-inside: avoid; }
.jp-OutputArea-output svg, .jp-OutputArea-output img { max-width: 100%; height: auto; }
.jp-OutputArea-output table { font-size: 11px; }
a, li, p { overflow-wrap: anywhere; }
"""


def to_html(notebook: str | Path, html_path: str | Path) -> Path:
    """Write the notebook's outputs and Markdown as a standalone HTML page (no code cells).

    Every HTML and Markdown output is sanitised and the page carries a
    Content-Security-Policy that lets no script run (:mod:`cryogen_widgets.reports.safe`).
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = sanitize_outputs(nbformat.read(str(notebook), as_version=4))
    exporter = HTMLExporter(
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": _title(nb)}})
    body = with_csp(body.replace("</head>", f"<style>{PRINT_CSS}</style></head>", 1))
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)


def _title(nb) -> str:
    return nb.metadata.get("cryogen", {}).get("title") or "CryoGen report"


def to_pdf(html_path: str | Path, pdf_path: str | Path, timeout_s: float = 60) -> Path:
    """Print an HTML report to PDF with headless Debian Chromium (Playwright ``page.pdf``).

    Requests that leave the machine (the notebook template's CDN scripts) are refused,
    so the PDF never waits on the network.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise ReportError(
            f"PDF reports need Debian chromium at {CHROMIUM} (apt-get install chromium); "
            "an HTML report (-o report.html) needs no browser"
        )
    url = Path(html_path).resolve().as_uri()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith(("file:", "data:"))
                        else route.abort()
                    ),
                )
                page.goto(url, wait_until="load", timeout=timeout_s * 1000)
                page.emulate_media(media="print")
                page.pdf(
                    path=str(pdf_path),
                    format="A4",
                    print_background=True,
                    margin={"top": "14mm", "bottom": "14mm", "left": "12mm", "right": "12mm"},
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ReportError(f"PDF rendering with {CHROMIUM} failed: {exc}") from None
    return Path(pdf_path)
