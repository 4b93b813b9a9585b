"""``cryogen solve DESIGN.cryo.json [--json]``: steady state of a design (and its fluid network)."""

from __future__ import annotations

import argparse

from solver import flow
from solver.cli.network_report import print_flow, print_network
from solver.thermal.steady import steady_state


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "solve", help="steady-state temperatures, heat flows, stage loads and margins"
    )
    p.add_argument("design", help="design file (*.cryo.json)")
    p.add_argument("--json", action="store_true", help="print JSON (DESIGN.md keys)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    design, fluid_network = flow.load(args.design)
    if fluid_network is None:
        print_network(steady_state(design), args.json)
        return 0
    ds = flow.steady_state(design, fluid_network)
    print_network(ds, args.json, {"flow": flow.flow_summary(ds)})
    if not args.json:
        print_flow(ds)
    return 0
