"""Tables and text of the report notebooks, computed from solver Datasets (no widgets).

Every function takes a Dataset a solver returned and gives a pandas DataFrame or
Markdown text; the report templates display them. Numbers are the solver's, only
arranged (SI units: W, K).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr

import solver
from cryogen_widgets.reports.safe import code, md
from solver import materials
from solver.thermal.mixture_charge import charge_summary


def final(da: xr.DataArray) -> xr.DataArray:
    """The last time step of a cooldown variable; a steady-state variable as it is."""
    return da.isel(time=-1) if "time" in da.dims else da


def stage_budget(ds: xr.Dataset) -> pd.DataFrame:
    """Per node: type, temperature (K), load (W), capacity at max_K (load + margin, W), margin (W)."""
    return pd.DataFrame(
        {
            "type": ds.node_type.values,
            "temperature (K)": final(ds.temperature).values,
            "load (W)": ds.stage_load.values,
            "capacity at max_K (W)": ds.capacity.values,
            "margin (W)": ds.margin.values,
        },
        index=pd.Index(ds.node.values, name="node"),
    )


def link_flows(ds: xr.Dataset) -> pd.DataFrame:
    """Per link, largest |heat flow| first: type, from, to, heat flow (W), share of the
    heat arriving at the ``to`` node (%)."""
    q = final(ds.heat_flow).values
    df = pd.DataFrame(
        {
            "type": ds.link_type.values,
            "from": ds.link_from.values,
            "to": ds.link_to.values,
            "heat flow (W)": q,
        },
        index=pd.Index(ds.link.values, name="link"),
    )
    # heat arrives at 'to' when Q > 0 and at 'from' when Q < 0
    receiver = np.where(q >= 0, df["to"], df["from"])
    arriving = pd.Series(np.abs(q)).groupby(receiver).transform("sum").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        df["share at receiving node (%)"] = np.where(arriving > 0, 100 * np.abs(q) / arriving, 0.0)
    df["receiving node"] = receiver
    return df.reindex(df["heat flow (W)"].abs().sort_values(ascending=False).index)


def mixture_charge(ds: xr.Dataset) -> pd.DataFrame:
    """Per dilution refrigerator with a mixture charge: when its charge starts condensing and
    when circulation starts (h; undefined when not reached), the heat the charge gave the stages
    (J) and the fraction condensed at the end. Empty when no fridge has a charge."""
    rows = {
        c["fridge"]: {
            "condensing starts (h)": c["condensing_starts_s"] / 3600.0,
            "circulation starts (h)": c["circulation_starts_s"] / 3600.0,
            "charge energy (J)": c["charge_energy_J"],
            "condensed at the end (%)": 100.0 * float(c["condensed_fraction"][-1]),
        }
        for c in charge_summary(ds)
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("dilution refrigerator")


def boil_off(ds: xr.Dataset) -> pd.DataFrame:
    """Boil-off of every declared ``bath`` node, from the solver's ``boil_off`` (L/day).

    Only baths the design declares are listed (a boundary at 77 K is a temperature,
    not a bath). Empty when the design has no bath.
    """
    rows = {}
    for node, kind, T, load, litres in zip(
        ds.node.values,
        ds.node_type.values,
        final(ds.temperature).values,
        ds.stage_load.values,
        ds.boil_off.values,
        strict=True,
    ):
        if kind != "bath" or not math.isfinite(litres):
            continue
        rows[node] = {
            "temperature (K)": float(T),
            "load (W)": float(load),
            "boil-off (L/day)": float(litres),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("bath")


def provenance(ds: xr.Dataset) -> str:
    """Markdown: software version, the material data sources used, and every flag
    (extrapolated properties, cooler maps left) of the run."""
    flags = [f for f in str(ds.attrs.get("flags", "")).split("; ") if f]
    lines = [
        (
            f"**Software:** CryoGen {solver.__version__} (`solver.__version__`); "
            f"analysis `{ds.attrs.get('analysis', '')}`."
        ),
        "",
        "**Flags (extrapolated properties, cooler maps left):**",
        "",
    ]
    lines += [f"- {md(f)}" for f in flags] or [
        "- none: every property was evaluated inside its fit range"
    ]
    lines += ["", "**Material data used:**", ""]
    ids = [m.strip() for m in str(ds.attrs.get("materials", "")).split(",") if m.strip()]
    if not ids:
        lines.append("- none (no material-dependent link or stage)")
    for mid in ids:
        mat = materials.get(mid)
        lines.append(f"- {code(mid)} — {md(mat.name)}")
        lines += [f"    - {md(prop)}: {md(source)}" for prop, source in mat.sources.items()]
    return "\n".join(lines)


def flag_note(ds: xr.Dataset) -> str:
    """One Markdown line: how many results rest on extrapolated properties or map extensions."""
    flags = [f for f in str(ds.attrs.get("flags", "")).split("; ") if f]
    if not flags:
        return "All material properties were evaluated inside their fit ranges."
    return (
        f"**{len(flags)} flag(s):** some properties were extrapolated outside their fits "
        "or a cooler ran outside its published map; see *Provenance* at the end."
    )


def styled(df: pd.DataFrame, digits: int = 4):
    """A table for the report: numbers to ``digits`` significant figures, "—" where undefined,
    and every cell, row and column label HTML-escaped (ids and names are user text)."""
    numeric = list(df.select_dtypes("number").columns)
    return (
        df.style.format(escape="html", na_rep="—")
        .format(f"{{:.{digits}g}}", subset=numeric, na_rep="—", escape="html")
        .format_index(escape="html", axis=0)
        .format_index(escape="html", axis=1)
    )
