"""Thermal solvers: the lumped network (steady state, cooldown) and the 3-D conduction grid (``solver.thermal.grid``).

Names are imported on first use so that the design validator can use the
cryocooler and gas data modules without loading the solvers.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "Network": "solver.thermal.network",
    "build_network": "solver.thermal.network",
    "cooldown": "solver.thermal.cooldown",
    "steady_state": "solver.thermal.steady",
}

__all__ = ["Network", "build_network", "cooldown", "steady_state"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
