"""Widgets render user text as text (issue 13 item 1): the app opened on a design whose
every free string holds script payloads, run, inspected item by item and fed failing
edits; every HTML widget's value is then set as ``innerHTML`` in Chromium (what the
ipywidgets HTML view does) and nothing may run."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget import _instances

from cryogen_widgets.app import CryoGen
from cryogen_widgets.reports.convert import CHROMIUM
from tests.conftest import require
from tests.security.payloads import (
    PAYLOADS,
    WATCH_PAGE_JS,
    assert_nothing_ran,
    launch,
    payload_design,
)

pytestmark = pytest.mark.slow


def _html_values() -> list[str]:
    return [v.value for v in list(_instances.values()) if isinstance(v, w.HTML | w.HTMLMath)]


def test_no_widget_runs_a_payload(tmp_path):
    require(Path(CHROMIUM).exists(), f"Debian chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    from cryogen_widgets import store as store_module

    store = store_module.open(f"sqlite:///{tmp_path / 'store.sqlite'}", user=PAYLOADS[0])
    design = payload_design()
    app = CryoGen(design, store=store)
    app.runs.run("Steady state")
    app.runs.wait(60)
    assert app.runs.last_error is None
    app.projects.save()
    values = _html_values()  # each step's HTML, before a later step replaces it
    panel = app.designer.properties
    for item in design["components"] + design["links"]:
        panel.show(item["id"])
        values += _html_values()
        panel._on_rename({"new": design["components"][0]["id"]})  # taken: the error names it
        values += _html_values()
    panel.show(None)
    broken = payload_design()
    broken["components"][1]["material"] = PAYLOADS[0]  # an unknown name the error repeats
    failing = CryoGen(broken, store=store)
    failing.runs.run("Steady state")
    failing.runs.wait(60)
    assert PAYLOADS[0] in failing.runs.last_error
    values = sorted(set(values + _html_values()))
    assert any("&lt;img src=x onerror=alert(1)&gt;" in v for v in values)

    with sync_playwright() as p:
        browser = launch(p, tmp_path)
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.add_init_script(f"({WATCH_PAGE_JS})()")
            blank = tmp_path / "blank.html"  # a real base URL: src=x must resolve and fail
            blank.write_text("<!doctype html><body></body>")
            page.goto(blank.as_uri())
            page.evaluate(
                """values => { for (const v of values) {
                     const div = document.createElement('div');
                     div.innerHTML = v;
                     document.body.appendChild(div); } }""",
                values,
            )
            assert_nothing_ran(page, dialogs)
            text = page.inner_text("body")
        finally:
            browser.close()
    assert PAYLOADS[2] in text  # shown as text
