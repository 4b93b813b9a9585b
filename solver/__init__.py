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

__all__ = [
    "CryoGenError",
    "DesignError",
    "PropertyRangeError",
    "SolverError",
    "UnknownNameError",
    "__version__",
]
