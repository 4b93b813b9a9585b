"""Printing helpers shared by the CLI commands."""

from __future__ import annotations

import json
import math
import sys
from typing import Any


def print_json(payload: dict[str, Any]) -> None:
    """Write ``payload`` to stdout as strict JSON (``allow_nan=False``)."""
    sys.stdout.write(json.dumps(payload, allow_nan=False, indent=2) + "\n")


def fmt_power(watts: float) -> str:
    """Human-readable power with an SI prefix (W, mW, µW, nW)."""
    if not math.isfinite(watts):
        return str(watts)
    a = abs(watts)
    if a == 0:
        return "0 W"
    for scale, unit in ((1.0, "W"), (1e-3, "mW"), (1e-6, "µW"), (1e-9, "nW")):
        if a >= scale or scale == 1e-9:
            return f"{watts / scale:.4g} {unit}"
    return f"{watts:.4g} W"
