"""The dilution-refrigerator part of the heat-load report: tables, answers and figures.

Everything is computed by ``solver.thermal.fridge_report`` and ``solver.thermal.wiring_lines``;
these functions only arrange the Datasets into DataFrames, Markdown and matplotlib figures.
Names and ids from the design are shown in tables (escaped by pandas/Styler) or in
Markdown through :func:`_code`, never as raw Markdown.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.figure import Figure

from solver.design import Design
from solver.thermal import fridge_report, wiring_lines


def _code(text: object) -> str:
    """``text`` as inline Markdown code (backticks removed), so a design's ids cannot inject Markdown."""
    return "`" + str(text).replace("`", "'") + "`"


def has_fridge(design: Design) -> bool:
    """True when the design has a ``dilution_refrigerator`` component."""
    return any(c.type == "dilution_refrigerator" for c in design.components)


def stage_budget(design: Design, ds: xr.Dataset) -> pd.DataFrame:
    """Per stage: T (K), cooling, link and own load, circulation load, margin at max_K (W)."""
    sb = fridge_report.stage_budget(design, ds)
    return pd.DataFrame(
        {
            "temperature (K)": sb.temperature_K.values,
            "cooling (W)": sb.cooling_W.values,
            "links + own load (W)": sb.load_W.values,
            "circulation load (W)": sb.circulation_W.values,
            "margin at max_K (W)": sb.margin_W.values,
        },
        index=pd.Index(sb.stage.values, name="stage"),
    )


def circulation_terms(design: Design, ds: xr.Dataset) -> pd.DataFrame:
    """Every heat term of the ³He circulation at the solution (W into the stage, cooling < 0)."""
    c = fridge_report.circulation_terms(design, ds)
    return pd.DataFrame(
        {"stage": c.stage.values, "term": c.name.values, "power (W)": c.power_W.values}
    )


def wiring_table(design: Design, ds: xr.Dataset) -> pd.DataFrame:
    """The wiring budget, one row per (line, stage): W per line by kind, count, more that fit."""
    b = wiring_lines.wiring_budget_of(design, ds)
    df = b[["passive_W", "active_W", "joule_W", "fixed_W", "per_line_W", "count", "more_lines"]]
    df = df.to_dataframe().reset_index()
    df = df[df["count"] > 0].drop(columns=["kind", "temperature_K"])
    return df.rename(
        columns={
            "passive_W": "passive (W/line)",
            "active_W": "active (W/line)",
            "joule_W": "Joule (W/line)",
            "fixed_W": "stated (W/line)",
            "per_line_W": "total (W/line)",
            "more_lines": "more that fit",
        }
    ).set_index(["line", "stage"])


def answers(design: Design, ds: xr.Dataset, T_mc_K: float, load_W: float) -> str:
    """Markdown: which stage limits, how many more lines of each type fit, the circulation needed
    for ``T_mc_K`` (K) at ``load_W`` (W)."""
    stage, frac = fridge_report.limiting_stage(design, ds)
    lines = [
        f"- **Which stage limits:** {_code(stage)}, margin {frac:.1%} of its capacity at max_K."
    ]
    for chain in wiring_lines.line_chains(design):
        more, where = fridge_report.more_lines(design, ds, chain.name)
        txt = "no limit (no load per line)" if not math.isfinite(more) else f"{more:.0f}"
        lines.append(
            f"- **More lines of {_code(chain.name)} that fit:** {txt}, limited by {_code(where)}."
        )
    try:
        flow = fridge_report.flow_needed(design, T_mc_K, load_W)
        lines.append(
            f"- **Circulation needed for {T_mc_K * 1e3:.3g} mK at {load_W * 1e6:.3g} µW:** "
            f"{flow * 1e6:.4g} µmol/s."
        )
    except ValueError as exc:
        lines.append(f"- **Circulation needed:** not reachable: {_code(exc)}")
    return "\n".join(lines)


def load_curve_figure(design: Design, max_load_W: float | None = None) -> Figure:
    """Mixing-chamber temperature against heat load for the design's circulation and exchanger."""
    fr = fridge_report.fridge_of(design)
    # default: up to the load that puts an ideal mixing chamber at 100 mK, 95 n (0.1 K)^2
    top = max_load_W if max_load_W is not None else 95.0 * fr.flow_mol_s * 0.1**2
    curve = fridge_report.load_curve_of(design, np.linspace(0.0, top, 200))
    fig = Figure(figsize=(6.0, 3.6), layout="constrained")
    ax = fig.subplots()
    ax.plot(curve.load_W.values * 1e6, curve.T_mc_K.values * 1e3, color="#3b75af")
    ax.set_xlabel("heat load on the mixing chamber (µW)")
    ax.set_ylabel("mixing-chamber temperature (mK)")
    ax.set_title(
        f"load curve at {fr.flow_mol_s * 1e6:.4g} µmol/s (Pobell eq. 7.30)", loc="left", fontsize=10
    )
    ax.grid(alpha=0.3)
    return fig


def wiring_figure(design: Design, ds: xr.Dataset) -> Figure:
    """Stacked bars: the wiring load of each line type on each stage as a share of its capacity."""
    b = wiring_lines.wiring_budget_of(design, ds)
    final = ds.isel(time=-1) if "time" in ds.dims else ds
    capacity = final.capacity.sel(node=b.stage.values).values
    load = b.line_load_W.values  # (line, stage)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(np.isfinite(capacity) & (capacity > 0), 100 * load / capacity, np.nan)
    fig = Figure(figsize=(7.0, 3.8), layout="constrained")
    ax = fig.subplots()
    x = np.arange(b.stage.size)
    bottom = np.zeros(b.stage.size)
    for i, line in enumerate(b.line.values):
        values = np.nan_to_num(share[i])
        ax.bar(x, values, bottom=bottom, label=str(line))
        bottom += values
    ax.set_xticks(x, [str(s) for s in b.stage.values])
    ax.set_ylabel("wiring load (% of capacity at max_K)")
    ax.legend(fontsize=8, ncols=3)
    ax.grid(axis="y", alpha=0.3)
    return fig
