"""``cryogen components search TEXT``: find catalog parts (typo- and spacing-tolerant) with their sources."""

from __future__ import annotations

import argparse

from solver.catalog import CATEGORIES
from solver.cli.output import print_json


def _pair(text: str, n: int, what: str) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != n:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
    return values


def register(subparsers) -> None:
    parser = subparsers.add_parser("components", help="search the component catalog")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    s = verbs.add_parser("search", help="search by text, category, maker and parameters")
    s.add_argument("text", nargs="?", default="", help='free text, e.g. "pt 420" or "g10 tube"')
    s.add_argument("--category", choices=CATEGORIES)
    s.add_argument("--maker", help="maker contains this text (case-insensitive)")
    s.add_argument(
        "--capacity-at",
        metavar="T,W",
        type=lambda t: _pair(t, 2, "T_K,min_W"),
        help="cryocooler rated at T_K with at least min_W (e.g. 4.2,1.0)",
    )
    s.add_argument(
        "--ic-at",
        metavar="T,B,A",
        type=lambda t: _pair(t, 3, "T_K,B_T,min_A"),
        help="critical current at T_K, B_T of at least min_A (e.g. 77,0,100)",
    )
    s.add_argument(
        "--temperature", metavar="K", type=float, help="operating range contains this temperature"
    )
    s.add_argument("--limit", type=int, default=20)
    s.add_argument(
        "--db", help="database URL (default: CRYOGEN_DB_URL or ~/.cryogen/cryogen.sqlite)"
    )
    s.add_argument("--json", action="store_true", help="print results as JSON")
    s.set_defaults(run=run_search)


def run_search(args) -> int:
    from cryogen_widgets import catalog

    cat = catalog.open(args.db)
    filters = catalog.Filters(
        capacity_at=args.capacity_at, ic_at=args.ic_at, temperature_K=args.temperature
    )
    hits = cat.search(
        args.text, category=args.category, maker=args.maker, filters=filters, limit=args.limit
    )
    if args.json:
        print_json({"query": args.text, "results": [h.to_dict() for h in hits]})
        return 0
    if not hits:
        print(
            f"no component matches {args.text!r}"
            + (f" in {args.category}" if args.category else "")
        )
        return 0
    for h in hits:
        label = f"{h.maker} {h.model}".strip() if h.maker else h.model
        print(f"{h.id}  [{h.category}, {h.kind}]  {label}")
        print(f"    {h.name}")
        print(f"    source: {h.source}")
    return 0
