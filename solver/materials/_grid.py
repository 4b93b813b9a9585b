"""The common temperature grid and the Kirchhoff tables built on it.

One log-uniform grid serves every material, so a kernel indexes any table by
O(1) arithmetic on ln T: ``u = (ln T - log_t0) * inv_dlog``, node ``floor(u)``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

T_FLOOR_K = 1e-3
"""Lowest temperature CryoGen evaluates a property at (1 mK, DESIGN.md)."""

GRID_TOP_K = 400.0
GRID_DLOG10 = 1e-3
_GL_ORDER = 8
_GL_X, _GL_W = np.polynomial.legendre.leggauss(_GL_ORDER)


class TemperatureGrid(NamedTuple):
    """Log-uniform temperature grid shared by all property tables.

    Attributes
    ----------
    log_t0 : float
        Natural logarithm of the first node temperature (ln 1e-3).
    inv_dlog : float
        1 / (spacing in ln T); node j is at ``exp(log_t0 + j / inv_dlog)``.
    T : ndarray, shape (n,)
        Node temperatures in kelvin, 1 mK to just above 400 K.
    """

    log_t0: float
    inv_dlog: float
    T: np.ndarray


class PropertyTable(NamedTuple):
    """A property tabulated on ``GRID.T``.

    Attributes
    ----------
    F : ndarray, shape (n,)
        Integral of the property from 1 mK to each node (W/m for k, J/kg for cp).
    f : ndarray, shape (n,)
        Property value at each node (W/(m K) for k, J/(kg K) for cp).
    """

    F: np.ndarray
    f: np.ndarray


def _make_grid() -> TemperatureGrid:
    n_steps = int(np.ceil(np.log10(GRID_TOP_K / T_FLOOR_K) / GRID_DLOG10))
    dlog = GRID_DLOG10 * np.log(10.0)
    log_t0 = float(np.log(T_FLOOR_K))
    T = np.exp(log_t0 + dlog * np.arange(n_steps + 1))
    T[0] = T_FLOOR_K
    T.setflags(write=False)
    return TemperatureGrid(log_t0, 1.0 / dlog, T)


GRID = _make_grid()


def integrate_pieces(func, edges: np.ndarray) -> np.ndarray:
    """Gauss-Legendre (order 8) integral of ``func`` over each interval of ``edges``.

    Parameters
    ----------
    func : callable
        Vectorised ``f(T)``; smooth inside every interval.
    edges : ndarray, shape (m,)
        Increasing temperatures in kelvin.

    Returns
    -------
    ndarray, shape (m - 1,)
        Integral over each interval.
    """
    a, b = edges[:-1], edges[1:]
    half = 0.5 * (b - a)
    T = (0.5 * (a + b))[:, None] + half[:, None] * _GL_X
    return half * (func(T) @ _GL_W)


def build_table(func, breakpoints, top_K: float) -> PropertyTable:
    """Tabulate ``func`` and its running integral on ``GRID.T``.

    The integral is exact to round-off (~1e-14 relative): intervals are split
    at every breakpoint (where ``func`` has a kink), so Gauss-Legendre sees
    only smooth pieces. Above ``top_K`` (the end of the supported range) the
    table holds the value at ``top_K`` so kernels stay finite; the Python API
    refuses those temperatures instead.

    Parameters
    ----------
    func : callable
        Vectorised property ``f(T)`` valid on [1 mK, top_K].
    breakpoints : sequence of float
        Temperatures (K) where ``func`` changes formula.
    top_K : float
        Upper end of the supported range, K.
    """
    T_nodes = GRID.T

    def held(T):
        return func(np.minimum(T, top_K))

    extra = np.asarray([b for b in (*breakpoints, top_K) if T_nodes[0] < b < T_nodes[-1]], float)
    edges = np.union1d(T_nodes, extra)
    cumulative = np.concatenate(([0.0], np.cumsum(integrate_pieces(held, edges))))
    node_index = np.searchsorted(edges, T_nodes)
    F = cumulative[node_index]
    f = held(T_nodes)
    F.setflags(write=False)
    f.setflags(write=False)
    return PropertyTable(F, f)


def grid_node_at_or_below(T_K: float) -> float:
    """The largest ``GRID.T`` node <= T_K (a node within 1e-9 of the grid step above counts as equal)."""
    u = (np.log(T_K) - GRID.log_t0) * GRID.inv_dlog
    j = int(np.clip(np.floor(u + 1e-9), 0, GRID.T.size - 1))
    return float(GRID.T[j])


def grid_node_above(T_K: float, inclusive: bool = False) -> float:
    """The smallest ``GRID.T`` node > T_K (>= T_K with ``inclusive``), capped at the last node."""
    j = int(np.searchsorted(GRID.T, T_K, side="left" if inclusive else "right"))
    return float(GRID.T[min(j, GRID.T.size - 1)])
