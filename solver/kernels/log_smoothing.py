"""numba kernel of the steady solver's starting guess: log-temperature smoothing."""

from __future__ import annotations

from solver._numba import jit


@jit
def smooth_log_temperatures(logT, anchored, start, neighbours, sweeps):
    """Gauss–Seidel sweeps setting each free node's log T to the mean over its neighbours.

    Parameters
    ----------
    logT : ndarray, shape (n,) — log temperatures, updated in place (node order).
    anchored : ndarray of bool, shape (n,) — nodes whose value is kept.
    start : ndarray of int, shape (n + 1,) — node k's neighbours are
        ``neighbours[start[k]:start[k + 1]]`` (a node listed once per link).
    neighbours : ndarray of int — concatenated neighbour lists.
    sweeps : int — number of sweeps over the nodes in order.
    """
    n = logT.shape[0]
    for _ in range(sweeps):
        for k in range(n):
            a, b = start[k], start[k + 1]
            if anchored[k] or a == b:
                continue
            s = 0.0
            for m in range(a, b):
                s += logT[neighbours[m]]
            logT[k] = s / (b - a)
