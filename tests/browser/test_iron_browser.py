"""A magnet with iron in a real browser: the gallery's yoked dipole opened, run, its field
map drawn with the iron outlines, flux lines and the 5-gauss line, the magnet panel's
harmonics, 5-gauss distances and FEM margins with their load line, and the 3-D view with
the iron extruded, translucent and labelled; screenshots in docs/screens/ (23-26)."""

from __future__ import annotations

import io

import pytest

from tests.browser.test_app_browser import _check_console, _open_app, _wait_text
from tests.browser.test_app_walkthrough import (  # noqa: F401 - module fixtures
    SCREENS,
    _open_template,
    _run,
    _shot,
    _tab,
    browser,
    server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _count(png: bytes, test) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(n for n, rgb in image.getcolors(maxcolors=1 << 20) or [] if test(*rgb))


def test_yoked_dipole_shows_iron_flux_lines_and_harmonics(server, browser):  # noqa: F811
    page = _open_app(browser, server)
    _open_template(page, "Yoked dipole")
    _run(page, "Magnet field", timeout_ms=600_000)
    _tab(page, "Fields")
    page.locator(".cryogen-field-legend").wait_for(timeout=30_000)
    legend = page.inner_text(".cryogen-field-legend")
    for text in ("iron (yoke_top, yoke_bottom)", "flux lines", "5 gauss", "xy plane"):
        assert text in legend, legend
    canvas = page.locator(".cryogen-field-slice").first
    _shot(page, "23-fields-yoked-dipole")
    png = canvas.screenshot()
    # iron outlines (#111111, 2 px), flux lines (#d9d9d9 over the colours), 5-gauss (#e8112d)
    assert _count(png, lambda r, g, b: r < 40 and g < 40 and b < 40) > 1500
    assert (
        _count(png, lambda r, g, b: abs(r - 217) < 12 and abs(g - 217) < 12 and abs(b - 217) < 12)
        > 600
    )
    # the 5-gauss line runs along the yoke's outer face, partly under its outline
    assert _count(png, lambda r, g, b: r > 200 and g < 60 and 20 < b < 80) > 100
    _tab(page, "Magnet")
    page.locator("table.cryogen-harmonics").wait_for(timeout=30_000)
    text = page.inner_text("body")
    for quantity in (
        "Field harmonics",
        "b",
        "5-gauss (500 µT) line from the origin, along +x",
        "Newton steps",
    ):
        assert quantity in text
    # margins from the FEM load line (the template's NbTi conductor)
    for quantity in (
        "short-sample current (left_upper)",
        "finite elements with the iron",
        "temperature margin",
        "no inductance, dump or hot spot",
    ):
        assert quantity in text, quantity
    _shot(page, "24-magnet-yoked-dipole")
    # the load line with its FEM samples, below the tables
    _shot(page, "26-magnet-yoked-dipole-load-line", page.locator(".bqplot.figure:visible").last)
    _wait_text(page, "unknowns")
    _tab(page, "3-D")
    view = page.locator(".cryogen-3d canvas").first
    view.wait_for(timeout=20_000)
    page.get_by_text("|B| cut plane").first.click()  # the iron, not the field, is shown here
    page.wait_for_timeout(2500)  # three.js draws after the widget appears
    _shot(page, "25-3d-yoked-dipole", view)
    png = view.screenshot()
    legend = page.inner_text("body")
    for text in (
        "iron (translucent slate grey, planar",
        "yoke_top (AISI-1010)",
        "left_upper (line current)",
    ):
        assert text in legend, text
    # translucent iron (#4f5b66 over the light background: grey-blue, r < g < b), copper
    # rods, dark label text
    assert _count(png, lambda r, g, b: 90 < r < 200 and r < g < b and b - r < 40) > 5000
    assert _count(png, lambda r, g, b: r > 120 and 70 < g < 150 and b < 110 and r - b > 60) > 100
    assert _count(png, lambda r, g, b: r < 60 and g < 70 and b < 80) > 200
    _check_console(page, "iron-dipole")
    page.close()
