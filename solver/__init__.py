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

# The subpackages, so that ``import solver`` then ``solver.design`` etc. work
# (as magpylib's ``__init__`` does). Order follows the one-way dependencies.
from solver import (
    catalog,
    design,
    magnet,
    materials,
    thermal,
)


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
