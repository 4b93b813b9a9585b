"""Entry point of the ``cryogen`` console script.

The physics commands live in ``solver.cli``; the application adds the commands
that need the application layer (reports, the component catalog).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from solver.cli import main as solver_main

APP_COMMAND_MODULES: tuple[str, ...] = (
    "cryogen_widgets.cli_components",
    "cryogen_widgets.cli_report",
    "cryogen_widgets.cli_schematic",
)


def main(argv: Sequence[str] | None = None) -> int:
    return solver_main(argv, extra_modules=APP_COMMAND_MODULES)


if __name__ == "__main__":
    sys.exit(main())
