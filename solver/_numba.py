"""The one place for numba policy.

Every kernel is compiled with ``cache=True`` (so a new kernel process or Dask
worker does not recompile; ``NUMBA_CACHE_DIR`` may point the cache at a shared
folder) and ``error_model="numpy"`` (division by zero gives inf/nan like numpy
instead of raising inside hot loops).
"""

from __future__ import annotations

import numba

jit = numba.njit(cache=True, error_model="numpy")
"""Decorator for serial kernels: ``@jit``."""


def jit_parallel(func):
    """Decorator for kernels that use ``numba.prange`` over independent items."""
    return numba.njit(cache=True, error_model="numpy", parallel=True)(func)


prange = numba.prange
