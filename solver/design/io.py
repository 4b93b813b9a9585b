"""Reading and writing design files (``*.cryo.json``)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from solver._jsonfile import read_json
from solver.design.model import Design
from solver.design.validate import from_dict
from solver.errors import DesignError


def load(path: str | os.PathLike) -> Design:
    """Read and validate a design file; errors name the file, item id and field."""
    data = read_json(path, "design")
    try:
        return from_dict(data)
    except DesignError as exc:
        raise DesignError(f"{path}: {exc}") from exc


def save(design: Design | dict, path: str | os.PathLike) -> None:
    """Validate and write a design atomically (a crash mid-write leaves the old file intact)."""
    data = design.to_dict() if isinstance(design, Design) else from_dict(design).to_dict()
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, allow_nan=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
