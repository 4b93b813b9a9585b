"""The cooldown plot of a dilution refrigerator with a mixture charge, in chromium: the curves, the
two event markers with their names, and the condensed-fraction figure below (screenshot in
``artifacts/``)."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_app_browser import ARTIFACTS, ROOT, _start_voila, _stop, browser  # noqa: F401

pytestmark = pytest.mark.browser

CELL = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})

from cryogen_widgets.views.results import CooldownPlot
from solver.thermal.cooldown import cooldown
from tests.thermal.test_mixture_charge import N3, N4, plate_held_by_constant_cooler

plot = CooldownPlot()
design = plate_held_by_constant_cooler(charge_He3_mol=N3, charge_He4_mol=N4)
plot.show(cooldown(design, target_K=3.0, node="plate4"))
plot
"""


def test_charge_markers_and_fraction_figure_drawn(tmp_path, browser):  # noqa: F811
    nb = tmp_path / "charge.ipynb"
    nb.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "id": "plot",
                        "metadata": {},
                        "source": CELL,
                        "outputs": [],
                    }
                ],
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    proc, url, _ = _start_voila(tmp_path, notebook=nb, pool_size=0)
    try:
        page = browser.new_page()
        page.goto(url, timeout=120_000)
        page.wait_for_function(
            "document.body.innerText.includes('circulation starts')", timeout=120_000
        )
        page.wait_for_timeout(1500)  # bqplot's transitions
        text = page.inner_text("body")
        assert "dr condensing starts" in text and "Mixture charge condensed" in text
        page.screenshot(path=str(ARTIFACTS / "cooldown-mixture-charge.png"), full_page=True)
        page.close()
    finally:
        _stop(proc)
