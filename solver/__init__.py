"""CryoGen physics core: thermal networks, cooldown, 3-D conduction, magnet fields.

Pure numerics (numpy, scipy, numba, xarray). Nothing here imports widgets,
a database or Jupyter; see ``tests/test_layering.py``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from solver.errors import (
    CryoGenError,
    DesignError,
    PropertyRangeError,
    SolverError,
    UnknownNameError,
)

__version__ = "0.1.0"

SUBPACKAGES = ("catalog", "design", "magnet", "materials", "thermal")
"""``import solver`` then ``solver.design`` etc. work (as after magpylib's ``__init__``), but
each subpackage is imported on first use (PEP 562): ``import solver`` stays cheap, and a
program that needs only the design model (the app's first screen, the hub's store
service) does not load the catalog, the material fits or the magnet code."""

if TYPE_CHECKING:  # the names as type checkers and editors see them
    from solver import catalog, design, magnet, materials, thermal


def __getattr__(name: str):
    if name in SUBPACKAGES:
        return importlib.import_module(f"solver.{name}")  # binds solver.<name> as well
    raise AttributeError(f"module 'solver' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *SUBPACKAGES})


def steady_state(design, **kwargs):
    """Steady state of a design (see :func:`solver.thermal.steady.steady_state`); with a
    ``flow`` section, fluid and thermal networks together (:func:`solver.flow.steady.steady_state`)."""
    from solver.design import Design, from_dict

    if isinstance(design, dict) and "flow" in design:
        design = from_dict(design)
    if isinstance(design, Design) and design.flow is not None:
        from solver.flow.steady import steady_state as solve_coupled

        return solve_coupled(design, **kwargs)
    from solver.thermal.steady import steady_state as solve

    return solve(design, **kwargs)


def cooldown(design, **kwargs):
    """Cooldown of a design (see :func:`solver.thermal.cooldown.cooldown`); with a ``flow``
    section, the forced-flow cooldown (:func:`solver.flow.cooldown.cooldown`, ``target_K`` and
    ``node`` required)."""
    from solver.design import Design, from_dict

    if isinstance(design, dict) and "flow" in design:
        design = from_dict(design)
    if isinstance(design, Design) and design.flow is not None:
        from solver.flow.cooldown import cooldown as forced_flow

        return forced_flow(design, **kwargs)
    from solver.thermal.cooldown import cooldown as run

    return run(design, **kwargs)


def sweep(design, axes, analysis="steady", **kwargs):
    """Parameter sweep on Dask (see :func:`solver.sweeps.sweep`)."""
    from solver.sweeps import sweep as run

    return run(design, axes, analysis, **kwargs)


__all__ = [
    "CryoGenError",
    "DesignError",
    "PropertyRangeError",
    "SolverError",
    "UnknownNameError",
    "__version__",
    "catalog",
    "cooldown",
    "design",
    "magnet",
    "materials",
    "steady_state",
    "sweep",
    "thermal",
]
