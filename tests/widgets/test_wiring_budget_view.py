"""The wiring-budget view renders the solver's Dataset (no computation in the widget)."""

from __future__ import annotations

import pytest

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.views.units import power as format_power
from cryogen_widgets.views.wiring_budget import WiringBudget, budget_table_html
from solver.design import load
from solver.thermal.steady import steady_state
from solver.thermal.wiring_lines import wiring_budget_of


def test_view_shows_every_line_and_escapes_names():
    d = load(DESIGNS_DIR / "dilution-fridge-50-qubits.cryo.json")
    budget = wiring_budget_of(d, steady_state(d))
    budget = budget.assign_coords(line=["<b>drive</b>", *budget.line.values[1:]])
    html = budget_table_html(budget)
    assert "&lt;b&gt;drive&lt;/b&gt;" in html and "<b>drive</b>" not in html
    view = WiringBudget()
    view.show(budget)
    assert view.bars.y.shape == (budget.sizes["line"], budget.sizes["stage"])
    # each bar is the shares of its stage's wiring load (the loads span decades), and
    # its label carries the stage's total in SI-prefixed watts
    assert view.bars.y.sum(axis=0) == pytest.approx(100.0, rel=1e-12)
    total = budget.line_load_W.sum("line").values
    assert list(view.bars.x) == [
        f"{s} · {format_power(float(t))}" for s, t in zip(budget.stage.values, total, strict=True)
    ]
