"""Reading JSON files (design and coil files, every data file) with errors that say which file and where."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from solver._plain_errors import in_plain_words
from solver.errors import DesignError

MAX_DEPTH = 64
"""Deepest nesting of objects and arrays in a design or coil file (DESIGN.md input rule)."""

MAX_INTEGER_DIGITS = 309
"""An integer with more digits than this is beyond double range (1.8e308)."""


def read_json(path: str | os.PathLike, kind: str) -> Any:
    """Parse the JSON file at ``path`` under DESIGN.md's input rule.

    The file is UTF-8 JSON nested at most :data:`MAX_DEPTH` levels, with every number
    finite and within double range (no ``NaN``/``Infinity`` tokens, no 400-digit
    integers). Anything else is a DesignError naming the file, and the line and
    column of a syntax error. ``kind`` says what the file is ("design", "coil").
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DesignError(f"{path}: cannot read {kind} file ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError(
            f"{path.name}: a {kind} file must be UTF-8 text; byte {exc.start} is not"
        ) from None
    return parse_json(text, f"{path.name}")


def parse_json(text: str, where: str) -> Any:
    """JSON text under DESIGN.md's input rule (see :func:`read_json`); errors start with
    ``where``."""
    try:
        data = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        raise DesignError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise DesignError(f"{where}: nested more than {MAX_DEPTH} levels deep") from None
    except _NumberError as exc:
        raise DesignError(f"{where}: {exc}") from None
    if _depth(data) > MAX_DEPTH:
        raise DesignError(f"{where}: nested more than {MAX_DEPTH} levels deep")
    return data


class _NumberError(ValueError):
    """A JSON number token outside the input rule."""


def _refuse_constant(token: str):
    raise _NumberError(f"{token} is not a number here: numbers must be finite")


def _bounded_int(token: str) -> int:
    if len(token.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _NumberError(f"the integer {token[:20]}… is beyond double range")
    return int(token)


def _finite_float(token: str) -> float:
    value = float(token)
    if value in (float("inf"), float("-inf")):
        raise _NumberError(f"the number {token[:30]} is beyond double range (max 1.8e308)")
    return value


def _depth(data: Any) -> int:
    """Nesting depth of objects and arrays (a scalar is 0), without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in children)
    return deepest


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
        lines.append(f"{path.name}: {where}: {in_plain_words(err)}")
    return "\n".join(lines)
