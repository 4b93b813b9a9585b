"""Wiring-budget view: the table and a stacked bar chart of a design's line types per stage.

It renders the Dataset of ``solver.thermal.wiring_lines.wiring_budget_of(design, result)``
(dims ``line`` × ``stage``; W per line, counts, lines that still fit) and the stage
capacities of the solve; nothing here computes a result. The app shows it under
Plots → Wiring after a steady state of a design whose wiring links name a ``line``.
"""

from __future__ import annotations

import math
from html import escape

import bqplot as bq
import ipywidgets as w
import numpy as np

from cryogen_widgets.views.freshness import StaleBanner
from cryogen_widgets.views.units import power as format_power
from solver.design.validate import from_dict
from solver.thermal import wiring_lines

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def budget_table_html(budget) -> str:
    """HTML table, one row per (line, stage) with lines: W per line by kind, count, more that fit."""
    head = (
        "<tr><th>line</th><th>stage</th><th>passive</th><th>active</th><th>Joule</th>"
        "<th>stated</th><th>per line</th><th>count</th><th>more that fit</th></tr>"
    )
    rows = []
    for line in budget["line"].values:
        for stage in budget["stage"].values:
            cell = budget.sel(line=line, stage=stage)
            count = float(cell["count"])
            if count == 0:
                continue
            more = float(cell["more_lines"])
            more_txt = "—" if not math.isfinite(more) else f"{more:.0f}"
            rows.append(
                f"<tr><td>{escape(str(line))}</td><td>{escape(str(stage))}</td>"
                + "".join(
                    f"<td>{format_power(float(cell[k]))}</td>"
                    for k in ("passive_W", "active_W", "joule_W", "fixed_W", "per_line_W")
                )
                + f"<td>{count:.0f}</td><td>{more_txt}</td></tr>"
            )
    return (
        "<table class='cryogen-wiring-budget' style='border-collapse:collapse' border='1' "
        f"cellpadding='4'>{head}{''.join(rows)}</table>"
    )


def budget_of(design: dict, result) -> object | None:
    """The wiring budget of a steady-state ``result`` of ``design`` (a dict), or None without lines."""
    model = from_dict(design)
    if not wiring_lines.line_chains(model):
        return None
    return wiring_lines.wiring_budget_of(model, result)


class WiringBudget(w.VBox):
    """The wiring-budget table and a stacked bar chart (W on each stage by line type)."""

    EMPTY = (
        "<i>Run a steady state of a design whose wiring links name a <code>line</code> "
        "(e.g. the 50-qubit dilution fridge template) to see its wiring budget.</i>"
    )

    def __init__(self) -> None:
        self.banner = StaleBanner("steady state")
        self.table = w.HTML(self.EMPTY)
        self.x = bq.OrdinalScale()
        self.y = bq.LinearScale()
        self.bars = bq.Bars(
            x=[], y=[], scales={"x": self.x, "y": self.y}, type="stacked", colors=PALETTE
        )
        self.figure = bq.Figure(
            marks=[self.bars],
            axes=[
                bq.Axis(scale=self.x, label="stage"),
                bq.Axis(
                    scale=self.y,
                    label="share of the stage's wiring load (%)",
                    orientation="vertical",
                ),
            ],
            layout=w.Layout(width="640px", height="360px"),
            fig_margin={"top": 30, "bottom": 50, "left": 80, "right": 20},
        )
        super().__init__([self.banner, w.HTML("<b>Wiring budget</b>"), self.table, self.figure])

    def show(self, budget) -> None:
        """Render a wiring-budget Dataset (``wiring_budget_of``), or the hint when None."""
        if budget is None:
            self.clear()
            return
        self.table.value = budget_table_html(budget)
        # Stage loads span decades (W on the 50 K plate, µW at the mixing chamber), so
        # each bar shows shares of its stage's total, and the label carries the total.
        load = np.asarray(budget["line_load_W"].values, dtype=float)
        total = load.sum(axis=0)
        self.bars.x = [
            f"{s} · {format_power(float(t))}"
            for s, t in zip(budget["stage"].values, total, strict=True)
        ]
        self.bars.y = 100.0 * load / np.where(total > 0, total, 1.0)
        self.bars.labels = [str(line) for line in budget["line"].values]
        self.bars.display_legend = True

    def clear(self) -> None:
        """Forget the shown budget (another design was opened)."""
        self.table.value = self.EMPTY
        self.bars.x, self.bars.y, self.bars.labels = [], [], []
