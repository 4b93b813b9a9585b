"""Issue 16 walked in a real browser, with a screenshot of every view in docs/screens/.

One Voilà server (as ``make run`` starts it) serves the whole module. Each test walks
one numbered point of the issue: the first screen, results that are never stale,
plots whose axes reset, the magnet views (a Helmholtz pair, a racetrack and a CCT from
templates/designs/coils), and a closed tab that shuts its kernel.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest

from tests.browser.test_app_browser import (
    ARTIFACTS,
    CHROMIUM,
    PALETTE,
    PALETTE_ITEM_H,
    PALETTE_TOP,
    PALETTE_W,
    _check_console,
    _open_app,
    _start_voila,
    _stop,
    _wait_text,
    browser,  # noqa: F401 - the module's browser fixture
)
from tests.conftest import require

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "docs" / "screens"
SERVER: dict = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import os

    require(os.path.exists(CHROMIUM), "Debian chromium is needed for browser tests")
    # a long cull: a kernel that goes away within the test went because its tab closed
    proc, url, log = _start_voila(
        tmp_path_factory.mktemp("voila"), "--cull-idle-timeout", "600", "--cull-interval", "60"
    )
    SERVER["log"] = log
    yield url
    _stop(proc)


def _shot(page, name: str, locator=None) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    time.sleep(0.8)  # let bqplot and three.js finish their transitions
    target = locator if locator is not None else page
    target.screenshot(path=str(SCREENS / f"{name}.png"))


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).first.click()
    time.sleep(0.5)


def _run(page, analysis: str, timeout_ms: int = 180_000) -> str:
    page.get_by_role("button", name=analysis).click()
    page.wait_for_function(
        f"document.querySelector('.cryogen-run-status').innerText.includes({analysis + ' done'!r})"
        f" || document.querySelector('.cryogen-run-status').innerText.includes({analysis + ':'!r})",
        timeout=timeout_ms,
    )
    status = page.inner_text(".cryogen-run-status")
    assert f"{analysis} done" in status, status
    return status


def _open_template(page, title_part: str) -> None:
    _tab(page, "Templates")
    button = page.locator(f".cryogen-template-open[title*={title_part!r}]")
    button.wait_for(timeout=60_000)  # the cards are built when the tab first opens
    button.click()
    _wait_text(page, "ready to run")


def test_first_screen_leads_and_a_palette_cooler_is_valid(server, browser):  # noqa: F811
    page = _open_app(browser, server)
    text = page.inner_text("body")
    assert text.count("CryoGen — cryostat") == 1 and "Links:" in text  # one header, a legend
    canvas = page.locator("canvas.cryogen-designer-canvas")
    _shot(page, "01-first-screen")
    from PIL import Image

    png = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    hint = [png.getpixel((x, 256)) for x in range(300, 760)]  # the hint's first line
    assert any(sum(p) < 600 for p in hint), "no hint drawn on the empty canvas"
    box = canvas.bounding_box()
    slot = PALETTE.index("cryocooler")
    page.mouse.click(
        box["x"] + PALETTE_W / 2, box["y"] + PALETTE_TOP + (slot + 0.5) * PALETTE_ITEM_H
    )
    page.mouse.click(box["x"] + 500, box["y"] + 200)
    _wait_text(page, "1 components")
    _wait_text(page, "first stage cools")  # the stage mapping is a form, not JSON
    panel = page.inner_text("body")
    inputs = page.evaluate("() => [...document.querySelectorAll('input')].map(i => i.value)")
    assert "Cryomech PT420" in inputs
    assert "unknown cryocooler model" not in panel  # the starter model is in the catalog
    _shot(page, "02-palette-cryocooler-form")
    _check_console(page, "walk-first-screen")
    page.close()


def _cooldown_axis_top(page) -> float:
    """Largest tick of the cooldown plot's time axis, in hours."""
    ticks = page.evaluate(
        """() => {
        const fig = [...document.querySelectorAll('.bqplot')].find(
            f => f.textContent.includes('Cooldown'));
        const axis = fig.querySelectorAll('g.axis')[0];
        return [...axis.querySelectorAll('.tick text')].map(t => t.textContent);
    }"""
    )
    return max(float(t.replace("−", "-")) for t in ticks if t.strip())


def _hours(page) -> float:
    note = page.inner_text("body")
    found = re.search(r"time to reach .*?: ([0-9.]+) h", note)
    assert found, note[-800:]
    return float(found.group(1))


def test_results_are_never_stale_and_axes_reset(server, browser):  # noqa: F811
    page = _open_app(browser, server)
    _open_template(page, "Two-stage")
    _run(page, "Steady state")
    _shot(page, "03-designer-solved")
    _tab(page, "Results")
    assert page.locator("table.cryogen-stage-loads tr[data-node='plate']").count() == 1
    _shot(page, "04-results")
    _run(page, "Cooldown")
    _tab(page, "Plots")
    page.locator(".bqplot").first.wait_for(timeout=20_000)
    hours_a = _hours(page)
    _shot(page, "05-plots-cooldown")
    assert _cooldown_axis_top(page) <= 1.15 * hours_a
    page.get_by_role("tab", name="Load map").click()
    time.sleep(1.0)
    _shot(page, "06-plots-load-map")
    page.get_by_role("tab", name="Materials").click()
    time.sleep(1.0)
    _shot(page, "07-plots-materials")

    # an edit: a heat load placed on the canvas marks every result out of date
    _tab(page, "Designer")
    canvas = page.locator("canvas.cryogen-designer-canvas")
    box = canvas.bounding_box()
    slot = PALETTE.index("heat_load")
    page.mouse.click(
        box["x"] + PALETTE_W / 2, box["y"] + PALETTE_TOP + (slot + 0.5) * PALETTE_ITEM_H
    )
    page.mouse.click(box["x"] + 680, box["y"] + 470)
    _wait_text(page, "5 components")
    page.wait_for_function(
        "document.querySelector('.cryogen-run-status').innerText.includes('out of date')",
        timeout=10_000,
    )
    _shot(page, "08-designer-out-of-date")
    _tab(page, "Results")
    assert "out of date — run again" in page.inner_text("body")
    _shot(page, "09-results-out-of-date")

    # open B: nothing of A is left anywhere
    _open_template(page, "Cryomech PT415")
    body = page.inner_text("body")
    assert "out of date" not in body
    assert "time to reach" not in body
    _tab(page, "Results")
    assert page.locator("table.cryogen-stage-loads").count() == 0
    assert "Run a steady state" in page.inner_text("body")
    _run(page, "Cooldown")
    _tab(page, "Plots")
    page.get_by_role("tab", name="Cooldown").click()
    hours_b = _hours(page)
    assert hours_b != hours_a
    assert _cooldown_axis_top(page) <= 1.15 * hours_b, "the time axis kept the longer run's range"
    _shot(page, "10-plots-cooldown-after-another-design")
    # a fridge's wiring budget after its steady state (Plots → Wiring)
    _open_template(page, "50-qubit")
    _run(page, "Steady state")
    _tab(page, "Plots")
    page.get_by_role("tab", name="Wiring").click()
    page.locator("table.cryogen-wiring-budget").wait_for(timeout=20_000)
    budget = page.inner_text("table.cryogen-wiring-budget")
    assert "drive" in budget and "more that fit" in budget, budget
    _shot(page, "20-plots-wiring-budget")
    _check_console(page, "walk-stale")
    page.close()


def test_magnet_views_of_helmholtz_racetrack_and_cct(server, browser):  # noqa: F811
    page = _open_app(browser, server)
    _open_template(page, "Coil types")
    _run(page, "Magnet field", timeout_ms=300_000)
    _tab(page, "Fields")
    page.locator("text=grid step").first.wait_for(timeout=20_000)
    _shot(page, "11-fields-coil-types")
    page.screenshot(path=str(ROOT / "docs" / "magnet-coil-types-field.png"))
    _tab(page, "3-D")
    view = page.locator(".cryogen-3d canvas").first
    view.wait_for(timeout=20_000)
    time.sleep(2.0)
    png = view.screenshot()
    (SCREENS / "12-3d-coil-types.png").write_bytes(png)
    page.screenshot(path=str(ROOT / "docs" / "magnet-coil-types-3d.png"))
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    copper = sum(
        n
        for n, (r, g, b) in image.getcolors(maxcolors=1 << 20) or []
        if r > 120 and 70 < g < 150 and b < 110 and r - b > 60
    )
    assert copper > 200, "no copper-coloured coils drawn"
    legend = page.inner_text("body")
    for coil in ("pair (helmholtz)", "racetrack (racetrack)", "cct (cct)"):
        assert coil in legend
    _check_console(page, "walk-magnet")

    _open_template(page, "NbTi solenoid in a pulse-tube")
    _run(page, "Magnet field", timeout_ms=300_000)
    _tab(page, "Magnet")
    page.locator("table.cryogen-magnet-summary").wait_for(timeout=20_000)
    text = page.inner_text("table.cryogen-magnet-summary")
    for quantity in ("peak field on the conductor", "temperature margin", "stored energy"):
        assert quantity in text
    _shot(page, "13-magnet-panel")
    _tab(page, "Templates")
    _shot(page, "14-templates")
    _tab(page, "Export")
    _shot(page, "15-export")
    page.close()


def _kernels(log: Path) -> tuple[int, int, int]:
    """Kernels running (started less shut down), shut down, and pool refills, from the log."""
    text = log.read_text()
    started, shut = text.count("Kernel started:"), text.count("Kernel shutdown:")
    return started - shut, shut, text.count("is filled with")


def test_a_closed_tab_shuts_its_kernel(server, browser):  # noqa: F811
    # The page takes a preheated kernel from Voilà's pool and Voilà starts a replacement:
    # once the tab is closed, its kernel is shut down and, the refill done, as many kernels
    # run as before the page was opened (the pool did not grow).
    log = SERVER["log"]
    running, shut, fills = _kernels(log)
    page = _open_app(browser, server)
    page.close(run_before_unload=True)
    deadline = time.monotonic() + 30
    while not (_kernels(log)[1] > shut and _kernels(log)[2] > fills):
        text = log.read_text()
        assert "_xsrf" not in text[-3000:], "the shutdown beacon was refused: " + text[-1500:]
        assert time.monotonic() < deadline, (
            "no kernel shut down (or the pool not refilled) 30 s after its tab closed"
        )
        time.sleep(0.5)
    now_running, now_shut, now_fills = _kernels(log)
    assert now_shut == shut + 1 and now_fills == fills + 1
    assert now_running == running, f"{now_running} kernels run, {running} before the page"
    assert ARTIFACTS.exists()


def _project_options(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelector('.widget-dropdown select').options].map(o => o.text)"
    )


def test_a_preheated_page_lists_the_projects_as_they_are_when_it_opens(server, browser):  # noqa: F811
    # The next page's kernel runs the notebook while this page is open, before the project
    # below exists; the project list is filled when that page is requested.
    log = SERVER["log"]
    fills = _kernels(log)[2]
    page = _open_app(browser, server)
    deadline = time.monotonic() + 60
    while _kernels(log)[2] <= fills:
        assert time.monotonic() < deadline, "the pool was not refilled"
        time.sleep(0.5)
    time.sleep(8.0)  # the replacement kernel runs the notebook up to wait_for_page
    _open_template(page, "Two-stage")
    _wait_text(page, "4 components")
    listed = _project_options(page)
    assert any("Two-stage" in name for name in listed), listed
    page.close(run_before_unload=True)
    page = _open_app(browser, server)
    assert "Using pre-heated kernel" in log.read_text()
    assert _project_options(page) == listed
    page.close(run_before_unload=True)
