"""The CryoGen dashboard in a real browser: headless Debian chromium against Voilà on 127.0.0.1.

One Voilà server (started as ``make run`` starts it) serves both tests (a closed tab's
kernel is checked in ``test_app_walkthrough.py``). Screenshots
go to ``artifacts/`` (gitignored). Pixels are read back, not just elements counted.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cryogen_widgets.designer import schema
from tests.conftest import require

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# These must match cryogen_widgets.designer.editor (palette geometry in canvas pixels).
PALETTE_W, PALETTE_TOP, PALETTE_ITEM_H = 150, 34, 30
# the palette lists the component kinds in the designer's order
PALETTE = schema.COMPONENT_TYPES


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_voila(
    tmp: Path, *extra: str, notebook: Path | None = None, pool_size: int | None = None
):
    """Start the app as ``make run`` does (serve.py) on a free port; returns (process, url, log path).

    With ``notebook`` (a notebook, or a folder for Voilà's tree page), the same Voilà command
    line and kernel environment serve that instead of the app (the benchmarks' empty-notebook
    peer). ``pool_size`` overrides the number of preheated kernels.
    """
    from cryogen_widgets import serve

    port = _free_port()
    env = dict(os.environ, CRYOGEN_EXPORT_DIR=str(tmp / "exports"), JUPYTER_PLATFORM_DIRS="1")
    log_path = tmp / "voila.log"
    cmd = [
        sys.executable,
        "-m",
        "cryogen_widgets.serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        str(tmp / "store.sqlite"),
        *extra,
        *(["--pool-size", str(pool_size)] if pool_size is not None else []),
    ]
    if notebook is not None:
        env = serve.app_environment(tmp / "store.sqlite", env)
        pool = {} if pool_size is None else {"pool_size": pool_size}
        cmd = serve.voila_command("127.0.0.1", port, notebook, **pool)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    # wait for the port, then one page load: each GET of the page starts a dashboard
    # kernel, and short-timeout retries on a loaded machine used up the session limit
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            urllib.request.urlopen(url, timeout=120).close()
            return proc, url, log_path
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("voila did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.3)


def _stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require(
        os.path.exists(CHROMIUM), "Debian chromium (/usr/bin/chromium) is needed for browser tests"
    )
    proc, url, _ = _start_voila(
        tmp_path_factory.mktemp("voila"), "--cull-idle-timeout", "120", "--cull-interval", "30"
    )
    yield url
    _stop(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    require(
        os.path.exists(CHROMIUM), "Debian chromium (/usr/bin/chromium) is needed for browser tests"
    )
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


def _open_app(browser, url, timeout_ms: int = 60_000):
    """A new tab on the app, once the designer canvas is ready (``timeout_ms`` for a busy machine)."""
    page = browser.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.requested_hosts = set()
    page.on("request", lambda r: page.requested_hosts.add(_host(r.url)))
    page.goto(url, timeout=timeout_ms)
    page.wait_for_selector("canvas.cryogen-designer-canvas", timeout=timeout_ms)
    page.wait_for_function(
        "document.querySelector('.cryogen-designer-canvas') && "
        "document.body.innerText.includes('0 components')",
        timeout=30_000,
    )
    return page


def _host(url: str) -> str | None:
    """Host a request goes to over the network (None for data: and blob: URLs)."""
    parts = urlsplit(url)
    return parts.hostname if parts.scheme in ("http", "https", "ws", "wss") else None


def _pixel(png: bytes, x: int, y: int) -> tuple[int, int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((x, y))


def _wait_text(page, text: str, timeout_ms: int = 30_000) -> None:
    try:
        page.wait_for_function(f"document.body.innerText.includes({text!r})", timeout=timeout_ms)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "failure.png"), full_page=True)
        raise


def _run(page, analysis: str) -> None:
    """Click an analysis button and wait until it reports done or an error (then fail with it)."""
    page.get_by_role("button", name=analysis).click()
    page.wait_for_function(
        f"document.body.innerText.includes({analysis + ' done'!r}) || "
        f"document.body.innerText.includes({analysis + ':'!r})",
        timeout=60_000,
    )
    text = page.inner_text("body")
    assert f"{analysis} done" in text, text[text.find("Cancel") :][:600]


def test_place_link_solve_and_read_result(server, browser):
    page = _open_app(browser, server)
    canvas = page.locator("canvas.cryogen-designer-canvas")
    box = canvas.bounding_box()
    assert box["width"] == 900 and box["height"] == 560, "the canvas must keep its fixed pixel size"

    def at(x, y):
        return box["x"] + x, box["y"] + y

    def palette(kind):
        return at(PALETTE_W / 2, PALETTE_TOP + (PALETTE.index(kind) + 0.5) * PALETTE_ITEM_H)

    # place a boundary and a stage by clicking the palette, then the canvas
    page.mouse.click(*palette("boundary"))
    page.mouse.click(*at(400, 120))
    _wait_text(page, "1 components")
    page.mouse.click(*palette("stage"))
    page.mouse.click(*at(400, 340))
    _wait_text(page, "2 components")

    # the boxes were drawn where we clicked (click coordinates are not scaled)
    shot = canvas.screenshot()
    assert _pixel(shot, 440, 120) != (255, 255, 255), "no box drawn at the first click"
    assert _pixel(shot, 440, 340) != (255, 255, 255), "no box drawn at the second click"
    assert _pixel(shot, 600, 230) == (255, 255, 255) or sum(_pixel(shot, 600, 230)) > 700

    # draw a conductor from the boundary to the stage
    page.get_by_role("button", name="Link", exact=True).click()
    page.mouse.move(*at(400, 120))
    page.mouse.down()
    for k in range(1, 6):
        page.mouse.move(*at(400, 120 + k * 44))
    page.mouse.up()
    _wait_text(page, "1 links")

    _run(page, "Steady state")
    page.get_by_role("tab", name="Results").click()
    table = page.locator("table.cryogen-stage-loads")
    table.wait_for(timeout=10_000)
    row = table.locator("tr[data-node='stage1']")
    # a stage joined only to a 300 K boundary with no heat load settles at 300 K
    assert "300 K" in row.inner_text()
    page.get_by_role("tab", name="Designer").click()
    time.sleep(0.5)
    page.screenshot(path=str(ARTIFACTS / "designer_two_components.png"))
    _check_console(page, "designer")
    page.close()


def test_template_opens_with_3d_view(server, browser):
    page = _open_app(browser, server)
    page.get_by_role("tab", name="Templates").click()
    open_button = page.locator(".cryogen-template-open[title*='Two-stage']")
    open_button.wait_for(timeout=60_000)  # the cards are built when the tab first opens
    page.screenshot(path=str(ARTIFACTS / "gallery.png"), full_page=True)
    open_button.click()
    _wait_text(page, "project created")
    _wait_text(page, "4 components")

    _run(page, "Steady state")
    time.sleep(1.0)
    page.screenshot(path=str(ARTIFACTS / "designer_solved.png"))
    page.locator(".cryogen-designer-canvas").screenshot(
        path=str(ARTIFACTS / "designer_canvas_solved.png")
    )

    page.get_by_role("tab", name="3-D").click()
    view = page.locator(".cryogen-3d canvas").first
    view.wait_for(timeout=20_000)
    time.sleep(1.5)
    png = view.screenshot()
    (ARTIFACTS / "scene3d_template.png").write_bytes(png)
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    background = (0xF4, 0xF6, 0xF8)
    colours = image.getcolors(maxcolors=1 << 20) or []
    drawn = sum(
        n for n, c in colours if max(abs(a - b) for a, b in zip(c, background, strict=True)) > 12
    )
    assert drawn > 0.01 * image.width * image.height, "the 3-D view rendered (almost) nothing"
    _check_console(page, "template")
    page.close()


def _check_console(page, name: str) -> None:
    """No widget failed to set its state (the pythreejs pitfalls in DESIGN.md log this), and
    the page asked nothing of any host but 127.0.0.1 (no CDN: data: URLs have no host)."""
    outside = page.requested_hosts - {None, "127.0.0.1"}
    assert not outside, f"the page requested {sorted(outside)}"
    (ARTIFACTS / f"console_{name}.txt").write_text("\n".join(page.console_errors))
    bad = [m for m in page.console_errors if "Error setting state" in m or "is not a function" in m]
    assert not bad, bad
