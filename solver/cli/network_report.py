"""Text and JSON output of network results, shared by ``cryogen solve`` and ``cryogen cooldown``."""

from __future__ import annotations

import math

import xarray as xr

from solver.cli.output import fmt_power, print_json
from solver.thermal.results import summary_dict


def columns(ds: xr.Dataset, *names: str):
    """The values of several variables of one dimension, row by row."""
    return zip(*(ds[name].values for name in names), strict=True)


def print_network(ds: xr.Dataset, as_json: bool, extra: dict | None = None) -> None:
    """Print a network Dataset (final state) as the DESIGN.md JSON or as a text table."""
    final = ds.isel(time=-1) if "time" in ds.dims else ds
    if as_json:
        print_json({**summary_dict(final), **(extra or {})})
        return
    print(f"Design: {ds.attrs.get('design') or '(unnamed)'}  [{ds.attrs.get('analysis')}]")
    print("Temperatures")
    for node, T, kind in zip(
        final.node.values, final.temperature.values, final.node_type.values, strict=True
    ):
        print(f"  {node:<24} {T:12.6g} K   ({kind})")
    print("Heat flows (from -> to)")
    for link, Q, a, b in zip(
        final.link.values,
        final.heat_flow.values,
        final.link_from.values,
        final.link_to.values,
        strict=True,
    ):
        Q_from = float(final.heat_flow_from.sel(link=link))
        ends = "" if Q_from == float(Q) else f"   (leaves {a}: {fmt_power(Q_from)})"
        print(f"  {link:<24} {a + ' -> ' + b:<30} {fmt_power(float(Q))}{ends}")
    print(
        "Stage loads (heat its cooling sources must remove; margin = extra heat the stage "
        "takes until it reaches max_K)"
    )
    for node, load, margin in zip(
        final.node.values, final.stage_load.values, final.margin.values, strict=True
    ):
        if math.isfinite(load):
            note = f"   margin {fmt_power(float(margin))}" if math.isfinite(margin) else ""
            print(f"  {node:<24} {fmt_power(float(load)):>12}{note}")
    baths = [(n, v) for n, v in zip(final.node.values, final.boil_off.values, strict=True)]
    baths = [(n, float(v)) for n, v in baths if math.isfinite(v)]
    if baths:
        print("Boil-off (liquid lost per day)")
        for node, litres in baths:
            print(f"  {node:<24} {litres:12.4g} L/day")
    for key, value in (extra or {}).items():
        if not isinstance(value, (list, dict)):
            print(f"{key}: {value}")
    if ds.attrs.get("flags"):
        print("Notes: " + ds.attrs["flags"])


def print_flow(ds: xr.Dataset) -> None:
    """The fluid states, flows and heats of a coupled solve, as text."""
    print(f"Fluid network ({ds.attrs.get('fluid')})")
    print(f"  {'point':<24} {'p [bar]':>10} {'T [K]':>10} {'quality':>8}")
    for node, p, T, x in columns(ds, "fluid_node", "pressure", "fluid_temperature", "quality"):
        quality = f"{x:8.4f}" if math.isfinite(x) else f"{'-':>8}"
        print(f"  {node:<24} {p / 1e5:10.5g} {T:10.5g} {quality}")
    print("Flows (from -> to)")
    for s, a, b, m, q, dp in columns(
        ds, "stream", "stream_from", "stream_to", "mass_flow", "heat_to_fluid", "pressure_drop"
    ):
        print(
            f"  {s:<24} {a + ' -> ' + b:<30} {m * 1e3:10.5g} g/s  dp {dp:10.4g} Pa  heat {fmt_power(float(q))}"
        )
    if ds.attrs.get("two_phase_regimes"):
        print("Two-phase regimes (Mandhane et al. 1974): " + ds.attrs["two_phase_regimes"])
    if "liquid_production" in ds:
        for node, q in columns(ds, "fluid_node", "liquid_production"):
            if math.isfinite(q):
                print(f"Liquid drawn off at separator {node}: {q * 1e3:.5g} g/s")
