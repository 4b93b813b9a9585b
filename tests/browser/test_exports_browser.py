"""Exports and figure sizes in a real browser (issue 16, items 2 and 8).

The schematic sheet and the design drawings are downloaded from the Export tab as a user
does (button, then the download link) and read back; the drawings are opened in Chromium
to see that dashes, SI prefixes and the colour bar survive. The plots are checked at two
window widths: every figure follows its panel and none overflows or is clipped.
Screenshots go to docs/screens/ (16-19; 21-24 are the flow and iron tests).
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from tests.browser.test_app_browser import (  # noqa: F401 - browser and server are fixtures
    ARTIFACTS,
    _check_console,
    _open_app,
    _wait_text,
    browser,
    server,
)
from tests.browser.test_app_walkthrough import SCREENS, _tab

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NAME = "Two-stage pulse-tube cryostat: 50 K shield and 4 K plate (Cryomech PT420)"
OPEN_TIMEOUT_MS = 240_000  # Voilà runs the app notebook per page: minutes on a loaded machine
STEM = "Two-stage_pulse-tube_cryostat_50_K_shield_and_4_K_plate_Cryomech_PT420"


def _download(page, button: str, suffix: str, tmp_path: Path) -> Path:
    """Click an export button, then its download link; the downloaded file."""
    page.get_by_role("button", name=button).click()
    link = page.locator(f"a.cryogen-download[download$={suffix!r}]")
    link.wait_for(timeout=60_000)
    with page.expect_download(timeout=30_000) as info:
        link.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def _colours_in(png: bytes, box: tuple[int, int, int, int]) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").crop(box)
    return len(image.getcolors(1 << 20) or [])


def test_schematic_and_drawings_download_and_survive_in_chromium(server, browser, tmp_path):  # noqa: F811
    from pypdf import PdfReader

    page = _open_app(browser, server, OPEN_TIMEOUT_MS)
    _tab(page, "Templates")
    page.locator(".cryogen-template-open[title*='Two-stage']").click()
    _wait_text(page, "ready to run")
    page.get_by_role("button", name="Steady state").click()
    _wait_text(page, "Steady state done", 120_000)
    # the canvas's colour bar (drawn by the same painter code as the exports' bar)
    time.sleep(1.0)
    canvas = page.locator("canvas.cryogen-designer-canvas").screenshot()
    (ARTIFACTS / "designer_canvas_colour_bar.png").write_bytes(canvas)
    assert _colours_in(canvas, (900 - 16 - 48, 40, 900 - 52, 520)) > 30
    _tab(page, "Export")

    pdf = _download(page, "Schematic PDF", "_schematic_A3.pdf", tmp_path)
    assert pdf.name == f"{STEM}_schematic_A3.pdf"  # the whole design name
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (420, 297)
    text = reader.pages[0].extract_text()
    assert "steady state of this version" in text and "design version" in text

    page.get_by_role("button", name="A4", exact=True).click()
    svg = _download(page, "Schematic SVG", "_schematic_A4.svg", tmp_path)
    assert svg.name == f"{STEM}_schematic_A4.svg"
    assert 'width="297mm" height="210mm"' in svg.read_text()
    _tab(page, "Export")
    page.screenshot(path=str(SCREENS / "16-export-schematic.png"))
    _check_console(page, "exports")

    drawing_svg = _download(page, "Design SVG", ".svg", tmp_path)
    drawing_png = _download(page, "Design PNG", ".png", tmp_path)
    assert drawing_svg.name == f"{STEM}.svg" and drawing_png.name == f"{STEM}.png"
    page.close()

    # the sheet and the drawing as Chromium shows them
    view = browser.new_page()
    view.set_viewport_size({"width": 1123, "height": 794})  # A4 at 96 px/inch
    view.goto(svg.as_uri())
    time.sleep(0.5)
    view.screenshot(path=str(SCREENS / "17-schematic-sheet-a4.png"))
    texts = view.evaluate("() => document.documentElement.textContent")
    assert NAME in texts.replace("  ", " ") or all(w in texts for w in NAME.split())
    assert "Stage budget" in texts and "radiation" in texts

    view.goto(drawing_svg.as_uri())
    time.sleep(0.5)
    dashes = view.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('g[data-id]')].map(g => [
            g.dataset.id,
            [...g.querySelectorAll('polyline')].map(p => getComputedStyle(p).strokeDasharray)]))"""
    )
    assert dashes["rad"] != ["none"] and dashes["mli"] != ["none"] and dashes["legs"] == ["none"]
    texts = view.evaluate("() => document.documentElement.textContent")
    assert "µW" in texts and "e-0" not in texts  # SI prefixes, not exponents
    shot = view.screenshot()
    (ARTIFACTS / "design_svg_in_chromium.png").write_bytes(shot)
    size = view.evaluate(
        "() => { const r = document.documentElement.getBoundingClientRect(); return [r.width, r.height]; }"
    )
    # the colour bar: the strip at the drawing's right edge holds the inferno gradient
    w, h = int(size[0]), int(size[1])
    assert _colours_in(shot, (w - 56, 40, w - 44, min(h, 1123) - 40)) > 30
    view.close()


def _figures_fit(page) -> list[dict]:
    """Each visible bqplot figure's box, its drawing's box and its panel's box (px)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.bqplot.figure')]
            .filter(f => f.offsetParent !== null)
            .map(f => {
                const panel = f.closest('.lm-TabPanel-stackedPanel, .widget-tab-contents')
                    .getBoundingClientRect();
                const fig = f.getBoundingClientRect();
                const svg = f.querySelector('svg').getBoundingClientRect();
                return {title: f.textContent.slice(0, 40), fig: [fig.left, fig.right, fig.height],
                        svg: [svg.left, svg.right, svg.width], panel: [panel.left, panel.right]};
            })"""
    )


def _check_figures(page, width: int) -> None:
    """Every figure of Plots and Magnet inside its panel, drawn whole, filling the panel."""
    for tab, sub in (
        ("Plots", "Cooldown"),
        ("Plots", "Load map"),
        ("Plots", "Materials"),
        ("Magnet", None),
    ):
        _tab(page, tab)
        if sub:
            page.get_by_role("tab", name=sub, exact=True).click()
            time.sleep(1.0)
        figures = _figures_fit(page)
        assert figures, f"no figure shown in {tab}/{sub}"
        for f in figures:
            left, right, height = f["fig"]
            assert f["panel"][0] - 1 <= left and right <= f["panel"][1] + 1, (width, tab, sub, f)
            # the drawing (svg) spans the figure: not clipped, not left at an old width
            assert f["svg"][1] <= right + 1 and f["svg"][2] >= 0.95 * (right - left), (
                width,
                tab,
                sub,
                f,
            )
            assert 319 <= height <= 541, (width, tab, sub, f)
        panel = figures[0]["panel"][1] - figures[0]["panel"][0]
        if tab == "Plots":
            total = sum(f["fig"][1] - f["fig"][0] for f in figures)
            assert total >= 0.85 * panel, f"{tab}/{sub}: figures fill {total:.0f} of {panel:.0f} px"
        else:  # the load line beside the magnet's table takes the rest of the row
            table = page.locator("table.cryogen-magnet-summary").bounding_box()
            assert figures[0]["fig"][1] - table["x"] >= 0.85 * panel
            # its legend sits above every curve (in the headroom), not over them
            legend_bottom, curves_top = page.evaluate(
                """() => {
                const f = [...document.querySelectorAll('.bqplot.figure')].find(
                    f => f.offsetParent !== null && f.textContent.includes('Load line'));
                const tops = [...f.querySelectorAll('path.line')].filter(
                    p => !p.closest('.g_legend')).map(
                    p => p.getBoundingClientRect()).filter(r => r.height > 0).map(r => r.top);
                return [f.querySelector('.g_legend').getBoundingClientRect().bottom,
                        Math.min(...tops)];
            }"""
            )
            assert legend_bottom <= curves_top + 1, (width, legend_bottom, curves_top)
        if sub == "Materials" or tab == "Magnet":
            name = "18-plots-materials" if tab == "Plots" else "19-magnet-panel"
            page.screenshot(path=str(SCREENS / f"{name}-{width}.png"))
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways at {width} px: {scroll} px wide"


def test_figures_follow_their_panel_at_1280_and_1920_px(server, browser):  # noqa: F811
    page = _open_app(browser, server, OPEN_TIMEOUT_MS)
    page.set_viewport_size({"width": 1280, "height": 1000})
    _tab(page, "Templates")
    page.locator(".cryogen-template-open[title*='NbTi solenoid in a pulse-tube']").click()
    _wait_text(page, "ready to run")
    page.get_by_role("button", name="Magnet field").click()
    _wait_text(page, "Magnet field done", 300_000)
    _check_figures(page, 1280)
    page.set_viewport_size({"width": 1920, "height": 1000})  # the same page, window widened
    time.sleep(1.0)
    _check_figures(page, 1920)
    _check_console(page, "figures")
    bad = [m for m in page.console_errors if "negative" in m]
    assert not bad, bad
    page.close()
