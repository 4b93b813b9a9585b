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
from cryogen_widgets.views.plots import FIG_LAYOUT, PALETTE
from cryogen_widgets.views.units import power as format_power
from solver.design.validate import from_dict


def budget_table_html(budget) -> str:
    """HTML table, one row per (line, stage) with lines: W per line by kind, count, more that fit."""
    head = (
        "<tr><th>line</th><th>stage</th><th>passive / line</th><th>active / line</th>"
        "<th>Joule / line</th><th>stated / line</th><th>total / line</th><th>lines</th>"
        "<th>more that fit</th></tr>"
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
    """The wiring budget of a steady-state ``result`` of ``design`` (a dict), or None without lines.

    The design is validated again only when a link names a ``line``: every steady state
    in the app passes through here, and most designs have no line types.
    """
    if not any(isinstance(lk, dict) and lk.get("line") for lk in design.get("links", [])):
        return None
    from solver.thermal import wiring_lines  # with the first budget, not with the app

    return wiring_lines.wiring_budget_of(from_dict(design), result)


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
            layout=w.Layout(**FIG_LAYOUT),
            fig_margin={"top": 30, "bottom": 50, "left": 80, "right": 20},
        )
        # the chart first: the table has a row per line type and stage, and scrolls
        self.table.layout = w.Layout(max_height="320px", overflow="auto")
        self.key = w.HTML()  # line colours, outside the bars (bqplot's legend sits on them)
        super().__init__(
            [self.banner, w.HTML("<b>Wiring budget</b>"), self.key, self.figure, self.table]
        )

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
        self.key.value = " ".join(
            f"<span style='white-space:nowrap;margin-right:14px'><span style='display:inline-block;"
            f"width:12px;height:12px;background:{PALETTE[k % len(PALETTE)]};"
            f"vertical-align:middle;margin-right:4px'></span>{escape(str(line))}</span>"
            for k, line in enumerate(budget["line"].values)
        )

    def clear(self) -> None:
        """Forget the shown budget (another design was opened)."""
        self.table.value = self.EMPTY
        self.key.value = ""
        self.bars.x, self.bars.y, self.bars.labels = [], [], []
