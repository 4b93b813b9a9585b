"""``cryogen solve DESIGN.cryo.json [--json]``: steady state of a design."""

from __future__ import annotations

import argparse

from solver.cli.fridge_tables import fridge_json, has_fridge_tables, print_fridge
from solver.cli.network_report import print_network
from solver.design import load
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
    ds = steady_state(design)
    fridge = has_fridge_tables(design)
    print_network(ds, args.json, fridge_json(design, ds) if fridge and args.json else None)
    if fridge and not args.json:
        print_fridge(design, ds)
    return 0
