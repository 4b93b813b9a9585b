"""Vector kernels for the grid's Krylov loops.

Plain loops on purpose: numpy's ``dot`` hands 1-D products to a multithreaded BLAS,
which on a shared 2-core machine spent more time waiting for its threads than
computing (5 ms for a 125k-element product under load, against ~0.1 ms here).
"""

from __future__ import annotations

import math

from solver._numba import jit


@jit
def dot(a, b):
    """Σ a_i·b_i of two vectors of equal length (serial)."""
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


@jit
def norm(a):
    """Euclidean norm of a vector (serial)."""
    return math.sqrt(dot(a, a))
