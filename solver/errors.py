"""Error types shared by the solvers, the design loader and the CLI.

Each error carries the exit status the CLI returns for it (DESIGN.md: 2 for a
design error, 3 when a solver cannot converge or a target is unreachable).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


class CryoGenError(Exception):
    """Base class of every error CryoGen raises on purpose."""

    exit_code = 1


class DesignError(CryoGenError, ValueError):
    """The input (design, coil file, argument) is invalid; names the id and field."""

    exit_code = 2


class UnknownNameError(DesignError):
    """A material, model or id that does not exist; lists the closest valid names."""

    def __init__(self, kind: str, name: str, valid: Iterable[str], where: str = ""):
        self.kind = kind
        self.name = name
        self.valid = sorted(valid)
        self.closest = closest_names(name, self.valid)
        prefix = f"{where}: " if where else ""
        if not self.valid:
            hint = f"; there is no {kind} to choose from yet"
        elif self.closest and name:
            hint = f"; closest valid: {', '.join(self.closest)}"
        else:
            hint = f"; valid: {', '.join(self.valid[:12])}"
        said = f"no {kind} given" if not str(name).strip() else f"unknown {kind} {name!r}"
        super().__init__(f"{prefix}{said}{hint}")


class PropertyRangeError(DesignError):
    """A property was asked for outside the temperature span it is supported on."""

    def __init__(
        self, material: str, prop: str, temperature_K: float, valid_K: tuple[float, float]
    ):
        self.material = material
        self.prop = prop
        self.temperature_K = float(temperature_K)
        self.valid_K = valid_K
        super().__init__(
            f"{material}: {prop} requested at {self.temperature_K:g} K, outside the "
            f"supported range {valid_K[0]:g}-{valid_K[1]:g} K"
        )


class SolverError(CryoGenError):
    """The solver could not converge, or a target cannot be reached; says where and what to try."""

    exit_code = 3

    temperatures: np.ndarray | None = None
    """Node temperatures (K) where the solver stopped, when it got that far."""


def closest_names(name: str, valid: Iterable[str], n: int = 3) -> list[str]:
    """Closest valid names to ``name`` (case-insensitive, punctuation-tolerant)."""
    valid = list(valid)

    def norm(s: str) -> str:
        return "".join(ch for ch in s.lower() if ch.isalnum())

    by_norm: dict[str, str] = {}
    for v in valid:
        by_norm.setdefault(norm(v), v)
    hits = difflib.get_close_matches(norm(name), list(by_norm), n=n, cutoff=0.4)
    return [by_norm[h] for h in hits]
