"""CryoGen physics core: thermal networks, cooldown, 3-D conduction, magnet fields.

Pure numerics (numpy, scipy, numba, xarray). Nothing here imports widgets,
a database or Jupyter; see ``tests/test_layering.py``.
"""

from solver.errors import (
    CryoGenError,
    DesignError,
    PropertyRangeError,
    SolverError,
    UnknownNameError,
)

__version__ = "0.1.0"


def steady_state(design, **kwargs):
    """Steady state of a design (see :func:`solver.thermal.steady.steady_state`)."""
    from solver.thermal.steady import steady_state as solve

    return solve(design, **kwargs)


def cooldown(design, **kwargs):
    """Cooldown of a design (see :func:`solver.thermal.cooldown.cooldown`)."""
    from solver.thermal.cooldown import cooldown as run

    return run(design, **kwargs)


def sweep(design, axes, analysis="steady", **kwargs):
    """Parameter sweep on Dask (see :func:`solver.sweep.sweep`)."""
    from solver.sweep import sweep as run

    return run(design, axes, analysis, **kwargs)


__all__ = [
    "CryoGenError",
    "DesignError",
    "PropertyRangeError",
    "SolverError",
    "UnknownNameError",
    "__version__",
    "cooldown",
    "steady_state",
    "sweep",
]
