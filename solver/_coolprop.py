"""CoolProp, imported on first use.

Importing ``CoolProp.CoolProp`` loads every fluid's equation of state, seconds of a new
kernel's start that a design without fluids never needs. ``CP`` stands for the module
and imports it when an attribute is first read.
"""

from __future__ import annotations

import importlib
from typing import Any


class _LazyCoolProp:
    """``CoolProp.CoolProp``, imported when an attribute is first read (then kept)."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(importlib.import_module("CoolProp.CoolProp"), name)
        setattr(self, name, value)
        return value


CP: Any = _LazyCoolProp()
"""Use as ``CP.PropsSI(...)``, ``CP.AbstractState(...)``, ``CP.iphase_liquid``."""
