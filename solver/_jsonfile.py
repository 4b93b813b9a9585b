"""Reading a JSON input file (design, coil file) with errors that say which file and where."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from solver.errors import DesignError


def read_json(path: str | os.PathLike, kind: str) -> Any:
    """Parse the JSON file at ``path``; DesignError names the file, and the line and column of a syntax error.

    ``kind`` says what the file is in the message ("design", "coil").
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DesignError(f"{path}: cannot read {kind} file ({exc.strerror or exc})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DesignError(
            f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
