"""The app in a real browser, beside the Voilà stack's own empty-notebook time.

Starts the app's Voilà server as ``make run`` does (a preheated kernel waits for the
page) and, as the peers, the same Voilà command line and kernel environment serving a
notebook whose one cell shows an ``ipywidgets.Label`` (``tests/browser`` harness): once
with the same kernel pool, once with a kernel started per page (Voilà's default), then
drives headless Debian chromium through Playwright (``/usr/bin/chromium``; no browser is
downloaded).

Measured, each the median of ``REPEATS`` runs:

- page open to first widget: navigation start to the first rendered widget
  (``.jupyter-widgets``) in the page, for the app and for the empty notebooks; each page
  is opened ``SETTLE_S`` after the previous one closed, so the pool's replacement kernel
  has run its notebook (the server at rest, as the next user finds it);
- first steady state in a fresh kernel: click on "Steady state" (the two-stage
  template, just opened in a new page) to "Steady state done" on the status line;
- undo at 500 components (a 25 x 20 grid of stages, whole design in view): click on
  the undo button, after deleting one box, to the box's pixels back on the canvas;
- click-select at 500 components: mouse down on a box to its pixels changing
  (the selection outline).

Times are taken inside the page (``performance.now()``, the event's ``timeStamp`` as the
start); a canvas change is seen by polling the canvas pixels every millisecond, so the
compositor's next frame (at most one frame) is not included. No asserts on time.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

REPEATS = 3
SETTLE_S = 12.0  # a loaded 2-core machine runs the app notebook in ~10 s (~2.5 s when quiet)
TIMEOUT_MS = 180_000
GOALS_S = {"page": 3.0, "steady": 2.0, "undo": 0.100, "select": 0.050}
PEER_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "trivial",
            "metadata": {},
            "outputs": [],
            "source": ["import ipywidgets\n", "\n", 'ipywidgets.Label("ready")'],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}
BIG_PROJECT = "bench 500 components"
TARGET = "s10_12"  # a box in the middle of the grid
MARKS_SCRIPT = """
(() => {
  const marks = {};
  window.__marks = marks;
  const check = () => {
    const now = performance.now();
    if (marks.widget === undefined && document.querySelector('.jupyter-widgets')) marks.widget = now;
    if (marks.canvas === undefined && document.querySelector('canvas.cryogen-designer-canvas'))
      marks.canvas = now;
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true});
})();
"""
WATCH_SCRIPT = """
([kind, arg, event]) => {
  const st = {t0: null, t1: null};
  window.__watch = st;
  document.addEventListener(event, (e) => { if (st.t0 === null) st.t0 = e.timeStamp; },
                            {capture: true, once: true});
  let done;
  if (kind === 'patch') {
    const [x, y, w, h] = arg;
    const ctx = document.querySelector('canvas.cryogen-designer-canvas').getContext('2d');
    const base = ctx.getImageData(x, y, w, h).data.slice();
    done = () => {
      const d = ctx.getImageData(x, y, w, h).data;
      let diff = 0;
      for (let i = 0; i < d.length; i++) diff += Math.abs(d[i] - base[i]);
      return diff > 3 * 255;
    };
  } else {
    done = () => {
      const el = document.querySelector('.cryogen-run-status');
      return el !== null && el.innerText.includes(arg);
    };
  }
  const poll = () => {
    if (st.t0 !== null && done()) { st.t1 = performance.now(); return; }
    setTimeout(poll, 1);
  };
  poll();
}
"""


def _watch(page, kind: str, arg, event: str) -> None:
    page.evaluate(WATCH_SCRIPT, [kind, arg, event])


def _watched_s(page) -> float:
    page.wait_for_function("window.__watch.t1 !== null", timeout=TIMEOUT_MS)
    st = page.evaluate("window.__watch")
    return (st["t1"] - st["t0"]) / 1e3


def _open(context, url: str, until: str = "widget"):
    """A new page at ``url``; returns it and the seconds from navigation start to each mark."""
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_function(f"window.__marks.{until} !== undefined", timeout=TIMEOUT_MS)
    return page, page.evaluate("window.__marks")


def _wait_text(page, text: str) -> None:
    page.wait_for_function(f"document.body.innerText.includes({text!r})", timeout=TIMEOUT_MS)


def _close(page) -> None:
    page.close(run_before_unload=True)  # the unload beacon shuts the page's kernel
    time.sleep(1.0)


def _first_steady(page) -> float:
    """Open the two-stage template and time its first steady state (a fresh kernel)."""
    _wait_text(page, "0 components")
    page.get_by_role("tab", name="Templates", exact=True).first.click()
    page.locator(".cryogen-template-open[title*='Two-stage']").click(timeout=TIMEOUT_MS)
    _wait_text(page, "4 components")
    time.sleep(0.5)
    _watch(page, "text", "Steady state done", "click")
    page.get_by_role("button", name="Steady state").click()
    return _watched_s(page)


def _target_patch(design: dict) -> list[int]:
    """Screen rectangle (canvas pixels) of the target box once the app has fitted the design."""
    from cryogen_widgets.designer import Designer, DesignerModel

    model = DesignerModel(design)
    editor = Designer(model, width=900, height=560)  # the app's canvas
    editor.fit()  # what opening a project does
    r = model.rect(TARGET)
    (x0, y0), (x1, y1) = editor.to_screen(r.x, r.y), editor.to_screen(r.x2, r.y2)
    return [int(x0) - 1, int(y0) - 1, int(x1 - x0) + 3, int(y1 - y0) + 3]


def _undo_and_select(page, patch: list[int]) -> tuple[list[float], list[float]]:
    """Open the 500-component project; per repeat, click-select the target box, delete it,
    and undo the delete. Returns the select and undo times."""
    page.locator(".widget-dropdown select").first.select_option(label=f"{BIG_PROJECT} (v1)")
    page.get_by_role("button", name="Open").click()
    _wait_text(page, "500 components")
    canvas = page.locator("canvas.cryogen-designer-canvas")
    box = canvas.bounding_box()
    x, y, w, h = patch
    at = (box["x"] + x + w / 2, box["y"] + y + h / 2)
    undo = page.get_by_role("button", name="↶")
    selects, undos = [], []
    for _ in range(REPEATS):
        time.sleep(1.0)
        _watch(page, "patch", patch, "mousedown")
        page.mouse.click(*at)
        selects.append(_watched_s(page))
        _wait_text(page, "1 selected")
        page.keyboard.press("Delete")
        _wait_text(page, "499 components")
        time.sleep(1.0)
        _watch(page, "patch", patch, "click")
        undo.click()
        undos.append(_watched_s(page))
        _wait_text(page, "500 components")
    return selects, undos


def _line(label: str, values: list[float], peer: float, goal: float | None, unit: str) -> None:
    scale = 1e3 if unit == "ms" else 1.0
    med = statistics.median(values)
    runs = ", ".join(f"{v * scale:.0f}" if unit == "ms" else f"{v:.2f}" for v in values)
    goal_text = (
        f"goal < {goal * scale:g} {unit} {'met' if med < goal else 'NOT met'}; " if goal else ""
    )
    print(
        f"{label:<46} {med * scale:8.{0 if unit == 'ms' else 2}f} {unit:<2} "
        f"({goal_text}{med / peer:6.3f} x empty notebook; runs {runs})",
        flush=True,
    )


def bench_browser() -> None:
    from playwright.sync_api import sync_playwright

    from cryogen_widgets import store as store_module
    from tests.benchmarks.bench_designer import _grid_design
    from tests.browser.test_app_browser import ARGS, CHROMIUM, _start_voila, _stop

    if not os.path.exists(CHROMIUM):
        print(f"skipped: Debian chromium ({CHROMIUM}) is not installed")
        return
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="cryogen-bench-browser-"))
    (tmp / "app").mkdir()
    (tmp / "peer").mkdir()
    design = _grid_design()
    store = store_module.open(f"sqlite:///{tmp / 'app' / 'store.sqlite'}")
    store.projects.create(BIG_PROJECT, {**design, "name": BIG_PROJECT})
    peer_nb = tmp / "peer" / "Empty.ipynb"
    peer_nb.write_text(json.dumps(PEER_NOTEBOOK))
    (tmp / "cold").mkdir()
    servers = []
    try:
        app_proc, app_url, _ = _start_voila(tmp / "app", "--cull-idle-timeout", "120")
        servers.append(app_proc)
        peer_proc, peer_url, _ = _start_voila(tmp / "peer", notebook=peer_nb)
        servers.append(peer_proc)
        cold_proc, cold_url, _ = _start_voila(tmp / "cold", notebook=peer_nb, pool_size=0)
        servers.append(cold_proc)
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(tmp / "profile"),
                executable_path=CHROMIUM,
                headless=True,
                args=ARGS,
                viewport={"width": 1400, "height": 1000},
            )
            context.add_init_script(MARKS_SCRIPT)
            # one unmeasured load of each warms the server and the OS file cache
            for url in (peer_url, cold_url, app_url):
                _close(_open(context, url)[0])
            peer, cold, app_widget, app_canvas, steady = [], [], [], [], []
            for k in range(REPEATS):
                for url, times in ((peer_url, peer), (cold_url, cold)):
                    time.sleep(SETTLE_S)
                    page, marks = _open(context, url)
                    times.append(marks["widget"] / 1e3)
                    _close(page)
                time.sleep(SETTLE_S)
                page, marks = _open(context, app_url, "canvas")
                app_widget.append(marks["widget"] / 1e3)
                app_canvas.append(marks["canvas"] / 1e3)
                steady.append(_first_steady(page))
                if k < REPEATS - 1:
                    _close(page)
            selects, undos = _undo_and_select(page, _target_patch(design))
            _close(page)
            context.close()
        base = statistics.median(peer)
        _line("empty notebook: page open -> first widget", peer, base, None, "s")
        _line("empty notebook, kernel per page (no pool)", cold, base, None, "s")
        _line("app: page open -> first widget", app_widget, base, GOALS_S["page"], "s")
        _line("app: page open -> designer canvas", app_canvas, base, None, "s")
        _line("first steady state, fresh kernel (two-stage)", steady, base, GOALS_S["steady"], "s")
        _line("undo at 500 components (click -> repainted)", undos, base, GOALS_S["undo"], "ms")
        _line("click-select at 500 components", selects, base, GOALS_S["select"], "ms")
    finally:
        for proc in servers:
            _stop(proc)
        print(f"load average after:  {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    bench_browser()


if __name__ == "__main__":
    main()
