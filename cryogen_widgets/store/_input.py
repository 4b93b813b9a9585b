"""Text that enters the store: checked at the API boundary, the same on SQLite and
PostgreSQL (which refuses a NUL character and a string longer than its column with a
driver ``DataError``; SQLite would store both silently)."""

from __future__ import annotations

from typing import Any

from cryogen_widgets.store._errors import StoreInputError

LONG_TEXT = 10_000
"""Longest free text (a save note, a search), characters: bounds the work of a search."""


def checked(value: Any, what: str, column: Any = None) -> str:
    """``value`` when it is a string without NUL that fits ``column`` (a model column, e.g.
    ``Project.name``; None: :data:`LONG_TEXT`), else StoreInputError naming ``what``."""
    if not isinstance(value, str):
        raise StoreInputError(f"{what} must be text, got {type(value).__name__}")
    if "\x00" in value:
        raise StoreInputError(f"{what} contains a NUL character (\\x00), which cannot be stored")
    longest = getattr(getattr(column, "type", None), "length", None) or LONG_TEXT
    if len(value) > longest:
        raise StoreInputError(
            f"{what} is {len(value)} characters long; at most {longest} are allowed"
        )
    return value


def checked_optional(value: Any, what: str, column: Any = None) -> str | None:
    """:func:`checked` for a value that may be None."""
    return None if value is None else checked(value, what, column)
