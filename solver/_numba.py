"""The one place for numba policy.

Every kernel is compiled with ``error_model="numpy"`` (division by zero gives inf/nan like
numpy instead of raising inside hot loops) and cached on disk, so a new kernel process or
Dask worker does not recompile. ``NUMBA_CACHE_DIR`` may point the cache at a shared
folder. On a hub that folder is prewarmed by the hub (``python -m solver.prewarm``) and
read-only to the users (DESIGN.md, Scale): a process that may not write it loads the
compiled kernels from it and keeps anything it compiles itself in memory, so no user can
plant compiled code that another user's kernel loads.
"""

from __future__ import annotations

import os

import numba
from numba.core import config
from numba.core.caching import CompileResultCacheImpl, FunctionCache, UserProvidedCacheLocator


class _ReadOnlyCacheLocator(UserProvidedCacheLocator):
    """``NUMBA_CACHE_DIR`` when this process may read but not write it."""

    def ensure_cache_path(self) -> None:
        """Nothing to create: the cache is read-only (numba's check writes a file)."""

    @classmethod
    def from_function(cls, py_func, py_file):
        if not config.CACHE_DIR or os.access(config.CACHE_DIR, os.W_OK):
            return None
        return cls(py_func, py_file) if os.path.exists(py_file) else None


class _SharedCacheImpl(CompileResultCacheImpl):
    _locator_classes = [_ReadOnlyCacheLocator, *CompileResultCacheImpl._locator_classes]  # noqa: RUF012


class _SharedCache(FunctionCache):
    """numba's function cache that reads a read-only ``NUMBA_CACHE_DIR`` and never writes it."""

    _impl_class = _SharedCacheImpl

    def save_overload(self, sig, data) -> None:
        if not isinstance(self._impl.locator, _ReadOnlyCacheLocator):
            super().save_overload(sig, data)


def _cached(dispatcher):
    dispatcher._cache = _SharedCache(dispatcher.py_func)
    return dispatcher


def jit(func):
    """Decorator for serial kernels: ``@jit``."""
    return _cached(numba.njit(error_model="numpy")(func))


def jit_parallel(func):
    """Decorator for kernels that use ``numba.prange`` over independent items."""
    return _cached(numba.njit(error_model="numpy", parallel=True)(func))


prange = numba.prange
