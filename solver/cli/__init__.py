"""The ``cryogen`` command line: one module per sub-command, same engine as the widgets.

Each command module exposes ``register(subparsers)``, which adds its parser and
sets ``run=function(args) -> int``. Exit status (DESIGN.md): 0 success, 2 design
error (message on stderr, nothing written), 3 no convergence / unreachable target.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from solver.errors import CryoGenError

COMMAND_MODULES = (
    "solver.cli.solve_cmd",
    "solver.cli.cooldown_cmd",
    "solver.cli.field_cmd",
    "solver.cli.materials_cmd",
)


def build_parser(extra_modules: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cryogen",
        description="CryoGen: cryostat heat loads, cooldown, magnet fields.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in (*COMMAND_MODULES, *extra_modules):
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None, extra_modules: Sequence[str] = ()) -> int:
    parser = build_parser(extra_modules)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except CryoGenError as exc:
        print(f"cryogen {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
