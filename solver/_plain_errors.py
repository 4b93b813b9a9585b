"""Pydantic validation errors in the engineer's words ("must be at least 1e-06 m").

Pydantic's own messages ("Input should be greater than or equal to 0.000001") name
neither the unit nor the idea; every validator of a user file passes its errors
through :func:`in_plain_words`, which reads the unit from the field's SI suffix.
"""

from __future__ import annotations

from pydantic_core import ErrorDetails

_UNITS = (
    ("_W_per_K", "W/K"),
    ("_mol_s", "mol/s"),
    ("_kg_s", "kg/s"),
    ("_m2", "m²"),
    ("_m3", "m³"),
    ("_kg", "kg"),
    ("_Pa", "Pa"),
    ("_m", "m"),
    ("_K", "K"),
    ("_W", "W"),
    ("_A", "A"),
    ("_T", "T"),
    ("_s", "s"),
    ("_J", "J"),
    ("_H", "H"),
)

_KINDS = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "finite_number": "must be a finite number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "missing": "is required",
}


def unit_of(field: str) -> str:
    """The SI unit a field name carries in its suffix (``length_m`` → ``m``), or ``""``."""
    for suffix, unit in _UNITS:
        if field.endswith(suffix):
            return unit
    return ""


def in_plain_words(err: ErrorDetails) -> str:
    """One pydantic error as a short phrase naming the allowed values and their unit."""
    kind = err["type"]
    if kind in _KINDS:
        return _KINDS[kind]
    ctx = err.get("ctx") or {}
    field = next((str(p) for p in reversed(err["loc"]) if isinstance(p, str)), "")
    unit = unit_of(field)
    unit = f" {unit}" if unit else ""
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("above", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("below", "lt"),
    }
    if kind in bounds and bounds[kind][1] in ctx:
        words, key = bounds[kind]
        return f"must be {words} {_number(ctx[key])}{unit}"
    if kind == "literal_error" and "expected" in ctx:
        return f"must be one of {ctx['expected']}"
    if kind == "too_short" and "min_length" in ctx:
        return f"needs at least {ctx['min_length']} entries"
    if kind == "too_long" and "max_length" in ctx:
        return f"takes at most {ctx['max_length']} entries"
    return err["msg"].removeprefix("Value error, ")


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)
