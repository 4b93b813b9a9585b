"""Which design a result belongs to: a fingerprint of the physics, and the "out of date" banner.

A result is shown with the fingerprint of the design it was computed from. Any edit
that changes the physics (components, links and the fluid network; not the layout, the name or the
selection) changes the fingerprint, and every view whose result was computed from
another fingerprint says "out of date — run again" until the next run.
"""

from __future__ import annotations

import json

import ipywidgets as w

OUT_OF_DATE = "out of date — run again"
BANNER_STYLE = (
    "background:#fff3cd;border:1px solid #e0a800;color:#664d03;padding:3px 8px;"
    "border-radius:3px;display:inline-block"
)


def fingerprint(design: dict) -> str:
    """What the solvers read of a design, as canonical JSON (layout, name and meta excluded)."""
    return json.dumps(
        [design.get("components", []), design.get("links", []), design.get("flow")],
        sort_keys=True,
        separators=(",", ":"),
    )


class StaleBanner(w.HTML):
    """Empty while the view's result matches the design; a yellow "out of date" note otherwise."""

    def __init__(self, what: str) -> None:
        super().__init__("")
        self.what = what
        self.add_class("cryogen-stale")
        self.stale = False

    def set_stale(self, stale: bool) -> None:
        self.stale = stale
        self.value = (
            f"<span style='{BANNER_STYLE}'>⚠ {OUT_OF_DATE}: the design changed after this "
            f"{self.what} was computed</span>"
            if stale
            else ""
        )
