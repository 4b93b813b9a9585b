"""Wiring-budget view: the table and a stacked bar chart of a design's line types per stage.

It renders the Dataset of ``solver.thermal.wiring_lines.wiring_budget_of(design, result)``
(dims ``line`` × ``stage``; W per line, counts, lines that still fit) and the stage
capacities of the solve; nothing here computes a result. Not yet placed in the app
(the app's results panel can add ``WiringBudget()`` and call ``show(budget, result)``).
"""

from __future__ import annotations

import math
from html import escape

import bqplot as bq
import ipywidgets as w
import numpy as np

from cryogen_widgets.views.units import power as format_power

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


class WiringBudget(w.VBox):
    """The wiring-budget table and a stacked bar chart (W on each stage by line type)."""

    def __init__(self) -> None:
        self.table = w.HTML("<i>Solve a design with line types to see its wiring budget.</i>")
        self.x = bq.OrdinalScale()
        self.y = bq.LinearScale()
        self.bars = bq.Bars(
            x=[], y=[], scales={"x": self.x, "y": self.y}, type="stacked", colors=PALETTE
        )
        self.figure = bq.Figure(
            marks=[self.bars],
            axes=[
                bq.Axis(scale=self.x, label="stage"),
                bq.Axis(scale=self.y, label="wiring load (W)", orientation="vertical"),
            ],
            layout=w.Layout(width="640px", height="360px"),
            fig_margin={"top": 30, "bottom": 50, "left": 80, "right": 20},
        )
        super().__init__([w.HTML("<b>Wiring budget</b>"), self.table, self.figure])

    def show(self, budget) -> None:
        """Render a wiring-budget Dataset (``wiring_budget_of``)."""
        self.table.value = budget_table_html(budget)
        self.bars.x = [str(s) for s in budget["stage"].values]
        self.bars.y = np.asarray(budget["line_load_W"].values, dtype=float)
        self.bars.labels = [str(line) for line in budget["line"].values]
        self.bars.display_legend = True
