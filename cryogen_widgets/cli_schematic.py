"""``cryogen schematic DESIGN -o sheet.svg|sheet.pdf``: the schematic drawing of a design."""

from __future__ import annotations

from pathlib import Path

PAPERS = ("A3", "A4")  # the sheets of cryogen_widgets.views.schematic.PAPER_MM


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "schematic",
        help="draw the design on an A3/A4 sheet with title block, link key and stage budget",
        description="Write the design's schematic drawing (the network as the canvas draws "
        "it, a title block, the key to the link styles and the stage budget table) as SVG "
        "or PDF. Without --solve the title block says 'not solved'.",
    )
    parser.add_argument("design", help="the *.cryo.json design file")
    parser.add_argument("-o", "--output", required=True, help="sheet.svg or sheet.pdf")
    parser.add_argument("--paper", choices=PAPERS, default="A3", help="landscape sheet (A3)")
    parser.add_argument(
        "--solve",
        action="store_true",
        help="solve the steady state first: node colours, heat flows and the stage budget",
    )
    parser.add_argument(
        "--design-version",
        default=None,
        help="version shown in the title block (default: the design file's name)",
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    from cryogen_widgets.views.schematic import write_schematic
    from solver import jobs
    from solver.design import load
    from solver.errors import DesignError

    if Path(args.output).suffix.lower() not in (".svg", ".pdf"):
        raise DesignError(f"--output {args.output!r}: give a .svg or .pdf file name")
    design = load(args.design).to_dict()  # validated: a bad file exits 2 naming id and field
    steady = jobs.solve(design, "steady", where="kernel") if args.solve else None
    path = write_schematic(
        args.output,
        design,
        steady,
        paper=args.paper,
        version=args.design_version or f"file {Path(args.design).name}",
    )
    print(f"schematic written to {path}")
    return 0
