"""Text and JSON of a dilution refrigerator's stage budget and wiring budget (``cryogen solve``)."""

from __future__ import annotations

import math
from typing import Any

import xarray as xr

from solver.cli.output import fmt_power
from solver.design import Design
from solver.thermal import fridge_report, wiring_lines


def has_fridge_tables(design: Design) -> bool:
    """True when the design has a dilution refrigerator or line types to tabulate."""
    return any(c.type == "dilution_refrigerator" for c in design.components) or bool(
        wiring_lines.line_chains(design)
    )


def fridge_json(design: Design, ds: xr.Dataset) -> dict[str, Any]:
    """Extra ``--json`` keys: ``circulation_W`` {stage: {term: W}} and ``wiring_budget``
    {line: {stage: {passive_W, active_W, joule_W, fixed_W, count, more_lines}}} (finite only)."""
    out: dict[str, Any] = {}
    if any(c.type == "dilution_refrigerator" for c in design.components):
        circ = fridge_report.circulation_terms(design, ds)
        table: dict[str, dict[str, float]] = {}
        for stage, name, w in zip(
            circ.stage.values, circ.name.values, circ.power_W.values, strict=True
        ):
            table.setdefault(str(stage), {})[str(name)] = float(w)
        out["circulation_W"] = table
    if wiring_lines.line_chains(design):
        b = wiring_lines.wiring_budget_of(design, ds)
        keys = ("passive_W", "active_W", "joule_W", "fixed_W", "count", "more_lines")
        out["wiring_budget"] = {
            str(line): {
                str(stage): {
                    k: float(b[k].sel(line=line, stage=stage))
                    for k in keys
                    if math.isfinite(float(b[k].sel(line=line, stage=stage)))
                }
                for stage in b.stage.values
            }
            for line in b.line.values
        }
    return out


def print_fridge(design: Design, ds: xr.Dataset) -> None:
    """Stage budget with the circulation loads, circulation terms, and the wiring-budget table."""
    if any(c.type == "dilution_refrigerator" for c in design.components):
        sb = fridge_report.stage_budget(design, ds)
        print("Fridge stage budget (cooling = what the stage's coolers remove at the solution)")
        print(
            f"  {'stage':<14}{'T':>11}{'cooling':>13}{'links+own':>13}{'circulation':>13}{'margin':>13}"
        )
        for s in sb.stage.values:
            row = sb.sel(stage=s)
            margin = float(row.margin_W)
            print(
                f"  {s:<14}{float(row.temperature_K):>9.4g} K{fmt_power(float(row.cooling_W)):>13}"
                f"{fmt_power(float(row.load_W)):>13}{fmt_power(float(row.circulation_W)):>13}"
                f"{fmt_power(margin) if math.isfinite(margin) else '-':>13}"
            )
        circ = fridge_report.circulation_terms(design, ds)
        print("Circulation terms (heat into the stage; cooling < 0)")
        for stage, name, w in zip(
            circ.stage.values, circ.name.values, circ.power_W.values, strict=True
        ):
            print(f"  {stage:<14}{name:<36}{fmt_power(float(w)):>13}")
        name, frac = fridge_report.limiting_stage(design, ds)
        print(f"Limiting stage: {name} (margin {frac:.1%} of its capacity at max_K)")
        for line in fridge_report.overloads(design, ds):
            print(f"Over capacity: {line}")
        for line in fridge_report.still_heater_check(design, ds):
            print(f"Still heater: {line}")
    if wiring_lines.line_chains(design):
        b = wiring_lines.wiring_budget_of(design, ds)
        print(
            "Wiring budget per line (passive + active + Joule + stated = per line; count; more that fit)"
        )
        for line in b.line.values:
            print(f"  {line} ({b.kind.sel(line=line).values!s})")
            for stage in b.stage.values:
                cell = b.sel(line=line, stage=stage)
                if float(cell["count"]) == 0:
                    continue
                more = float(cell.more_lines)
                more_txt = "-" if not math.isfinite(more) else f"{more:.0f}"
                print(
                    f"    {stage:<14}{fmt_power(float(cell.passive_W)):>12}{fmt_power(float(cell.active_W)):>12}"
                    f"{fmt_power(float(cell.joule_W)):>12}{fmt_power(float(cell.fixed_W)):>12}"
                    f"  = {fmt_power(float(cell.per_line_W)):>11} x {float(cell['count']):.0f}"
                    f"  more: {more_txt}"
                )
        for flag in b.attrs.get("flags", []):
            print(f"Wiring flag: {flag}")
