"""``cryogen report DESIGN -o report.html|report.pdf``: a papermill report of a design."""

from __future__ import annotations

import json

from cryogen_widgets.reports.runner import TEMPLATES


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="run a report notebook on a design and write HTML or PDF",
        description="Run a report template (papermill) on a design and convert it: .html "
        "(nbconvert, outputs only), .pdf (Debian chromium via Playwright) or the executed .ipynb.",
    )
    parser.add_argument("design", help="the *.cryo.json design file")
    parser.add_argument(
        "-o", "--output", required=True, help="report.html, report.pdf or report.ipynb"
    )
    parser.add_argument(
        "--kind",
        choices=tuple(TEMPLATES),
        help="report template (default: field when the design has a magnet, else steady)",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="template parameter, VALUE as JSON (e.g. -p target_K=4.5); repeatable",
    )
    parser.set_defaults(run=run)


def _parameters(pairs: list[str]) -> dict:
    from solver.errors import DesignError

    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.isidentifier():
            raise DesignError(f"report parameter {pair!r} must be NAME=VALUE (e.g. target_K=4.5)")
        try:
            out[name] = json.loads(value)
        except json.JSONDecodeError:
            out[name] = value
    return out


def run(args) -> int:
    from cryogen_widgets.reports import make_report

    path = make_report(
        args.design, args.output, kind=args.kind, parameters=_parameters(args.parameter)
    )
    print(f"report written to {path}")
    return 0
