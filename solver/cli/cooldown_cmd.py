"""``cryogen cooldown DESIGN.cryo.json [--target-K T] [--node ID] [--json]``."""

from __future__ import annotations

import argparse

import numpy as np

from solver.cli.network_report import print_network
from solver.design import load
from solver.errors import DesignError
from solver.flow.cooldown import cooldown as forced_flow_cooldown
from solver.thermal.cooldown import cooldown
from solver.thermal.mixture_charge import charge_summary

DEFAULT_MAX_SECONDS = 3600.0
"""Computing time a CLI cooldown may take before it stops (exit 3, saying where it got to)."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cooldown", help="transient cooldown from each stage's initial_K")
    p.add_argument("design", help="design file (*.cryo.json)")
    p.add_argument(
        "--target-K", type=float, default=None, help="stop when --node reaches this temperature"
    )
    p.add_argument(
        "--node", default=None, help="node the target applies to (default: coldest cooled stage)"
    )
    p.add_argument(
        "--max-seconds",
        type=float,
        default=DEFAULT_MAX_SECONDS,
        help=f"stop with exit 3 after this much computing time (default {DEFAULT_MAX_SECONDS:g} s)",
    )
    p.add_argument("--json", action="store_true", help="print JSON (DESIGN.md keys)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not 0 < args.max_seconds < float("inf"):
        raise DesignError(f"--max-seconds {args.max_seconds!r}: give a positive number of seconds")
    design = load(args.design)
    if design.flow is None:
        ds = cooldown(design, target_K=args.target_K, node=args.node, max_wall_s=args.max_seconds)
    elif args.target_K is None or args.node is None:
        raise DesignError(
            f"{args.design}: a design with a 'flow' section cools down by forced flow; give "
            "--target-K and --node (the stage to watch)"
        )
    else:
        ds = forced_flow_cooldown(design, target_K=args.target_K, node=args.node)
    extra = {
        "time_to_target_s": float(ds.attrs["time_to_target_s"]),
        "target_node": ds.attrs["target_node"],
    }
    if args.json:
        extra["times_s"] = [float(t) for t in ds.time.values]
        extra["history_K"] = {
            str(n): [float(v) for v in ds.temperature.sel(node=n).values] for n in ds.node.values
        }
        if "liquid_remaining" in ds:  # thermal networks with baths; not fluid circuits
            liquid = ds.liquid_remaining
            extra["liquid_remaining_L"] = {
                str(n): [float(v) for v in liquid.sel(node=n).values]
                for n in ds.node.values
                if np.isfinite(liquid.sel(node=n).values).all()
            }
    else:
        hours = extra["time_to_target_s"] / 3600.0
        extra["time_to_target"] = (
            f"{extra['time_to_target_s']:.6g} s ({hours:.3g} h), {ds.attrs['steps']} steps"
        )
        del extra["time_to_target_s"]
        for n in ds.node.values:
            left = ds.liquid_remaining.sel(node=n).values
            if np.isfinite(left).all():
                extra[f"liquid left in {n}"] = f"{left[-1]:.4g} L (of {left[0]:.4g} L)"
    extra.update(_charge_lines(ds, args.json))
    print_network(ds, args.json, extra)
    return 0


def _charge_lines(ds, as_json: bool) -> dict:
    """Each dilution refrigerator's mixture charge: when it condensed, when circulation started
    (None / "not reached" when it did not), the heat it gave, and (JSON) its condensed fraction."""
    out: dict = {}
    for c in charge_summary(ds):
        f, energy = c["fridge"], c["charge_energy_J"]
        starts = [c["condensing_starts_s"], c["circulation_starts_s"]]
        if as_json:
            out.setdefault("mixture_charge", {})[f] = {
                "condensing_starts_s": starts[0] if np.isfinite(starts[0]) else None,
                "circulation_starts_s": starts[1] if np.isfinite(starts[1]) else None,
                "charge_energy_J": energy,
                "condensed_fraction": [float(v) for v in c["condensed_fraction"]],
            }
            continue
        when = [
            f"{s:.6g} s ({s / 3600:.3g} h)" if np.isfinite(s) else "not reached" for s in starts
        ]
        out[f"{f} mixture charge"] = (
            f"condensing from {when[0]}, circulating from {when[1]}, "
            f"{c['condensed_fraction'][-1]:.1%} condensed, {energy:.4g} J to the stages"
        )
    return out
