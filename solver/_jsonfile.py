"""Reading JSON files (design and coil files, every data file) with errors that say which file and where."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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


Schema = TypeVar("Schema", bound=BaseModel)


def read_validated(path: str | os.PathLike, schema: type[Schema], kind: str = "data") -> Schema:
    """Read a JSON file and validate it against the pydantic ``schema``.

    The one loader for the files in ``materials_data/``: a DesignError names the
    file, the entry (by its ``id`` when the file has ``entries``) and the field.
    """
    path = Path(path)
    data = read_json(path, kind)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise DesignError(_validation_message(path, data, exc)) from exc


def _validation_message(path: Path, data: Any, exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "entries" and isinstance(loc[1], int):
            try:
                entry_id = data["entries"][loc[1]].get("id", loc[1])
            except (KeyError, IndexError, TypeError, AttributeError):
                entry_id = loc[1]
            where = f"entry {entry_id!r} " + ".".join(str(p) for p in loc[2:])
        lines.append(f"{path.name}: {where}: {err['msg']}")
    return "\n".join(lines)
