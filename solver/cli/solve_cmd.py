"""``cryogen solve DESIGN.cryo.json [--json]``: steady state of a design (and its fluid network)."""

from __future__ import annotations

import argparse

from solver.cli.fridge_tables import fridge_json, has_fridge_tables, print_fridge
from solver.cli.network_report import print_flow, print_network
from solver.design import load
from solver.flow.results import flow_summary
from solver.flow.steady import steady_state as flow_steady_state
from solver.thermal.steady import steady_state


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "solve", help="steady-state temperatures, heat flows, stage loads and margins"
    )
    p.add_argument("design", help="design file (*.cryo.json)")
    p.add_argument("--json", action="store_true", help="print JSON (DESIGN.md keys)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    design = load(args.design)
    if design.flow is not None:
        ds = flow_steady_state(design)
        print_network(ds, args.json, {"flow": flow_summary(ds)})
        if not args.json:
            print_flow(ds)
        return 0
    ds = steady_state(design)
    fridge = has_fridge_tables(design)
    print_network(ds, args.json, fridge_json(design, ds) if fridge and args.json else None)
    if fridge and not args.json:
        print_fridge(design, ds)
    return 0
