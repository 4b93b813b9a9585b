"""No request leaves 127.0.0.1 on the Voilà pages we serve besides the app (issue 16 item 9).

The app page itself is checked by ``_check_console`` in the other browser tests. Here the
same Voilà command line serves a folder, so its tree page, a sub-folder and a 404 page
(all built on the ``cryogen`` template's ``page.html``, which the hub's Voilà uses too)
are loaded in chromium and every request's host is recorded.
"""

from __future__ import annotations

import os
import shutil

import nbformat
import pytest

from tests.browser.test_app_browser import ARGS, ARTIFACTS, CHROMIUM, _host, _start_voila, _stop
from tests.conftest import require

pytestmark = pytest.mark.browser


def test_tree_and_error_pages_ask_only_127_0_0_1(tmp_path):
    require(os.path.exists(CHROMIUM), "Debian chromium is needed for browser tests")
    from playwright.sync_api import sync_playwright

    folder = tmp_path / "notebooks"
    (folder / "sub").mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), str(folder / "Empty.ipynb"))
    ARTIFACTS.mkdir(exist_ok=True)
    proc, url, _ = _start_voila(tmp_path, notebook=folder, pool_size=0)
    hosts: set[str | None] = set()
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS
            )
            page = context.new_page()
            page.on("request", lambda r: hosts.add(_host(r.url)))
            page.goto(url, wait_until="networkidle")
            page.get_by_text("Empty.ipynb").wait_for()
            page.screenshot(path=str(ARTIFACTS / "voila-tree.png"))
            page.goto(url + "voila/tree/sub", wait_until="networkidle")
            reply = page.goto(url + "voila/render/missing.ipynb", wait_until="networkidle")
            assert reply is not None and reply.status == 404
            context.close()
    finally:
        _stop(proc)
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    assert hosts - {None} == {"127.0.0.1"}, f"the pages requested {sorted(hosts - {None})}"
