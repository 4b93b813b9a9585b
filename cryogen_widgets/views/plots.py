"""bqplot figures that read well: axes fitted to each new result, decade ticks on log axes,
SI-prefixed tick labels, titles and legends clear of the data, sized to their panel.

A figure only lays itself out while its tab is visible (bqplot measures the DOM and
logs "negative width" errors in a hidden tab): :class:`ShownWhenVisible` holds a
figure out of the page until its tab is opened.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import bqplot as bq
import ipywidgets as w
import numpy as np

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
FIG_LAYOUT = {
    "width": "100%",
    "height": "48vh",  # follows the window, within the limits below
    "min_height": "320px",
    "max_height": "540px",
    "min_width": "340px",
}
"""A figure as wide as its panel; its height follows the window between 320 and 540 px."""
SIDE_BY_SIDE = {**FIG_LAYOUT, "width": "auto", "flex": "1 1 0%"}
"""A figure sharing a row (:func:`row`) with others: equal shares of the panel width."""
#: d3 formats of tick labels: an SI prefix ("10m", "100", "2k") on log axes and on linear
#: ones reaching tens of thousands (load-line currents); otherwise plain with trailing zeros
#: trimmed ("0.5", "12", "1500").
LOG_TICK_FORMAT = "~s"
LINEAR_TICK_FORMAT = "~g"
MARGIN = {"top": 50, "bottom": 55, "left": 75, "right": 25}


def figure(
    x_name: str,
    x_unit: str,
    y_name: str,
    y_unit: str,
    *,
    x_log: bool = False,
    y_log: bool = False,
    title: str = "",
    layout: dict[str, str] = FIG_LAYOUT,
):
    """(Figure, x scale, y scale) with labelled axes ``"name [unit]"`` and pan/zoom, as wide
    as its panel (``layout``: :data:`FIG_LAYOUT`, or :data:`SIDE_BY_SIDE` in a :func:`row`)."""
    sx = bq.LogScale() if x_log else bq.LinearScale()
    sy = bq.LogScale() if y_log else bq.LinearScale()
    ax = bq.Axis(
        scale=sx,
        label=f"{x_name} [{x_unit}]",
        grid_lines="dashed",
        tick_format=LOG_TICK_FORMAT if x_log else LINEAR_TICK_FORMAT,
    )
    ay = bq.Axis(
        scale=sy,
        label=f"{y_name} [{y_unit}]",
        orientation="vertical",
        grid_lines="dashed",
        tick_format=LOG_TICK_FORMAT if y_log else LINEAR_TICK_FORMAT,
        label_offset="55px",
    )
    fig = bq.Figure(
        axes=[ax, ay],
        marks=[],
        title=title,
        layout=w.Layout(**layout),
        fig_margin=dict(MARGIN),
        legend_location="top-right",
        legend_style={"fill": "white", "opacity": 0.85},
    )
    fig.interaction = bq.interacts.PanZoom(scales={"x": [sx], "y": [sy]})
    return fig, sx, sy


def row(children: list[w.Widget]) -> w.HBox:
    """Figures (and tables) side by side, sharing the panel width; they wrap below each
    other when the panel is narrower than their minimum widths."""
    return w.HBox(
        children, layout=w.Layout(width="100%", flex_flow="row wrap", align_items="flex-start")
    )


def decade_ticks(lo: float, hi: float) -> list[float]:
    """1–10–100 ticks covering ``lo``…``hi`` (> 0); 1-2-5 within a single decade."""
    if not (lo > 0 and hi > lo):
        return [lo] if lo > 0 else []
    d0, d1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    ticks = [10.0**d for d in range(d0, d1 + 1) if lo * (1 - 1e-9) <= 10.0**d <= hi * (1 + 1e-9)]
    if len(ticks) < 2:
        ticks = [
            m * 10.0**d
            for d in range(d0, d1 + 1)
            for m in (1, 2, 5)
            if lo * (1 - 1e-9) <= m * 10.0**d <= hi * (1 + 1e-9)
        ]
    return ticks


def set_domain(scale, values, *, pad: float = 0.04) -> None:
    """Fit ``scale`` to the finite ``values`` (a new result resets any earlier zoom).

    Linear scales get ``pad`` of the span on each side; log scales snap outwards to
    1-2-5 values and get decade ticks on the axes that use them.
    """
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v)]
    if isinstance(scale, bq.LogScale):
        v = v[v > 0]
    if v.size == 0:
        scale.min, scale.max = None, None
        return
    lo, hi = float(v.min()), float(v.max())
    if isinstance(scale, bq.LogScale):
        if hi <= lo * 1.0001:
            lo, hi = lo / 2, hi * 2
        lo, hi = _nice_down(lo), _nice_up(hi)
    else:
        span = hi - lo or abs(hi) or 1.0
        lo, hi = lo - pad * span, hi + pad * span
    scale.min, scale.max = lo, hi


def log_axis_ticks(fig, scale) -> None:
    """Set decade tick values on the axes of ``fig`` drawn with log ``scale``."""
    for axis in fig.axes:
        if axis.scale is scale and scale.min is not None:
            axis.tick_values = np.asarray(decade_ticks(scale.min, scale.max))


def _nice_down(x: float) -> float:
    d = 10.0 ** math.floor(math.log10(x))
    return max(m * d for m in (1, 2, 5) if m * d <= x * (1 + 1e-12))


def _nice_up(x: float) -> float:
    d = 10.0 ** math.floor(math.log10(x))
    return min(m * d for m in (1, 2, 5, 10) if m * d >= x * (1 - 1e-12))


class ShownWhenVisible(w.VBox):
    """A box that puts its content in the page only once its tab has been opened.

    Call :meth:`visible` from the tab's ``selected_index`` observer; until then the box
    holds only ``placeholder``, so bqplot never lays out a figure of width zero.
    """

    def __init__(
        self,
        content: list[w.Widget],
        placeholder: w.Widget | None = None,
        when_shown: Callable[[], None] | None = None,
    ) -> None:
        self.content = content
        self.placeholder = placeholder or w.HTML("")
        self.when_shown = when_shown  # called once, as the content first goes in the page
        self.shown = False
        super().__init__([self.placeholder])

    def visible(self) -> None:
        if not self.shown:
            self.shown = True
            self.children = self.content
            if self.when_shown is not None:
                self.when_shown()
