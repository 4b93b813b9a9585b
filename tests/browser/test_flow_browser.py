"""Issue 19 in a real browser: a fluid template on the canvas, solved, and its Flow tab.

The forced-flow magnet template is opened from the gallery, solved, and the Flow tab
must show the profile plot, the p–h diagram and the solver's fluid states. Screenshots
go to docs/screens/ (21-flow-canvas.png, 22-flow-tab.png); the page may ask nothing of
any host but 127.0.0.1.
"""

from __future__ import annotations

import io
import json

import pytest

from cryogen_templates import DESIGNS_DIR
from tests.browser.test_app_browser import (
    _check_console,
    _open_app,
    _wait_text,
    browser,  # noqa: F401 - the module's browser fixture
)
from tests.browser.test_app_walkthrough import _open_template, _run, _shot, _tab, server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _fluid_blue(r: int, g: int, b: int) -> bool:
    """The fluid lines' #1f5fa8, anti-aliased."""
    return b > 140 and r < 90 and 60 < g < 130


def test_forced_flow_template_solves_and_shows_its_flow_tab(server, browser):  # noqa: F811
    page = _open_app(browser, server)
    _open_template(page, "Forced-flow")
    _wait_text(page, "fluid items")
    canvas = page.locator("canvas.cryogen-designer-canvas")
    _run(page, "Steady state")
    _shot(page, "21-flow-canvas", canvas)
    from PIL import Image

    png = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    blue = sum(1 for x in range(160, 900) for y in range(560) if _fluid_blue(*png.getpixel((x, y))))
    assert blue > 50, "no fluid line drawn on the canvas"

    _tab(page, "Flow")
    page.locator(".cryogen-flow-view .bqplot").first.wait_for(timeout=20_000)
    _wait_text(page, "supply → return")
    text = page.inner_text(".cryogen-flow-view")
    assert "pressure [kPa]" in text and "temperature [K]" in text
    assert "p–h diagram" in text and "specific enthalpy [kJ/kg]" in text
    # the fluid states are the solver's: the supply is the inlet's fixed 3 bar, 4.4 K
    design = json.loads((DESIGNS_DIR / "forced-flow-magnet.cryo.json").read_text())
    supply = design["flow"]["boundaries"][0]
    row = page.inner_text(".cryogen-fluid-states tr[data-point='supply']")
    assert f"{supply['pressure_Pa'] / 1e5:g}" in row and f"{supply['temperature_K']:.4f}" in row
    assert "g/s" in page.inner_text(".cryogen-fluid-streams")
    lines = page.locator(".cryogen-flow-view .bqplot path.line").count()
    assert lines >= 3, "profile lines and dome not drawn"
    _shot(page, "22-flow-tab", page.locator(".cryogen-flow-view"))
    _check_console(page, "flow")
    page.close()
