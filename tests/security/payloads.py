"""Script payloads and a design whose every free string field holds them (issue 13 item 1).

Each payload either opens a dialog or marks the page (``document.body.dataset.pwned``)
when it runs; a browser test loads a page and asserts neither happened.
"""

from __future__ import annotations

import json

from cryogen_templates import DESIGNS_DIR

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(2)>",
    "<script>alert(3)</script>",
    '"><img src=x onerror=alert(4)>',
    "'><iframe srcdoc='<script>parent.alert(5)</script>'>",
    "[click](javascript:alert(6))",
    '<a href="javascript:alert(7)">x</a>',
    "<details open ontoggle=alert(8)>",
    "`<img src=x onerror=alert(9)>`",
    "<img src=x onerror=\"document.body.dataset.pwned='10'\">",
    "$<img src=x onerror=alert(11)>$",
    "<style>body{display:none}</style>",
)
"""Twelve ways user text has become markup: raw HTML, a broken attribute, Markdown links
and code spans, mathtext dollars, a style sheet."""

WATCH_PAGE_JS = """
() => {
  window.__fired = [];
  for (const name of ['alert', 'confirm', 'prompt', 'print'])
    window[name] = (...a) => window.__fired.push(name + ':' + a.join(','));
}
"""
"""Replaces the dialogs by a recorder (belt and braces beside Playwright's dialog event)."""


def payload(k: int, suffix: str = "") -> str:
    return PAYLOADS[k % len(PAYLOADS)] + suffix


def payload_design() -> dict:
    """The two-stage PT420 template with its name, every id (and so every reference),
    the layout keys and ``meta`` replaced by payloads; still a valid design."""
    d = json.loads((DESIGNS_DIR / "two-stage-pt420.cryo.json").read_text())
    items = d["components"] + d["links"]
    rename = {item["id"]: payload(k, f" #{k}") for k, item in enumerate(items)}
    for item in items:
        item["id"] = rename[item["id"]]
        for key in ("from", "to", "stage"):
            if key in item:
                item[key] = rename[item[key]]
        if "stages" in item:
            item["stages"] = {name: rename[node] for name, node in item["stages"].items()}
    d["name"] = " ".join(PAYLOADS)
    d["layout"] = {rename[k]: v for k, v in d.get("layout", {}).items()}
    d["meta"] = {"description": " ".join(PAYLOADS), PAYLOADS[0]: PAYLOADS[1]}
    return d


def launch(playwright, tmp_path):
    """Headless Debian chromium as the reports and browser tests run it."""
    from cryogen_widgets.reports.convert import CHROMIUM, CHROMIUM_ARGS

    return playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )


def assert_nothing_ran(page, dialogs: list) -> None:
    """No dialog, no recorded call, no page mark, no javascript: link left to click."""
    page.wait_for_timeout(500)  # onerror of a broken image fires after load
    assert dialogs == []
    assert page.evaluate("window.__fired || []") == []
    assert page.evaluate("document.body && document.body.dataset.pwned") is None
    for a in page.query_selector_all("a[href]"):
        assert not a.get_attribute("href").strip().lower().startswith("javascript"), a
