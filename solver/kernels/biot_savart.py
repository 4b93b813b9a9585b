"""Biot–Savart law for straight current filaments (exact finite-segment formula).

For a straight segment from A to B carrying current I (from A to B) and an observer
P, with a = A − P and b = B − P,

    B(P) = μ0 I / (4π) · (a × b) (|a| + |b|) / (|a| |b| (|a| |b| + a·b)),

which is exact for a finite straight filament (J. D. Hanson and S. P. Hirshman,
Phys. Plasmas 9, 4410 (2002), eq. 8). It vanishes on the segment's line outside
the segment and is singular on the segment: such observers get NaN, and the
numpy-facing layer raises a :class:`solver.errors.DesignError`.
"""

from __future__ import annotations

import math

import numpy as np

from solver._numba import jit, jit_parallel, prange

ON_SEGMENT_RELATIVE = 1e-15
"""|a||b| + a·b below this fraction of |a||b| means the observer is on the filament."""


@jit
def segment_field(px, py, pz, ax, ay, az, bx, by, bz):
    """Field of one unit-current segment per μ0·I/(4π): returns (Bx, By, Bz) in 1/m.

    px, py, pz : observer in metres; (ax, ay, az) → (bx, by, bz) : segment ends in metres.
    NaN on the segment.
    """
    a0 = ax - px
    a1 = ay - py
    a2 = az - pz
    b0 = bx - px
    b1 = by - py
    b2 = bz - pz
    na = math.sqrt(a0 * a0 + a1 * a1 + a2 * a2)
    nb = math.sqrt(b0 * b0 + b1 * b1 + b2 * b2)
    nab = na * nb
    den = nab * (nab + a0 * b0 + a1 * b1 + a2 * b2)
    if nab == 0.0 or den <= ON_SEGMENT_RELATIVE * nab * nab:
        return np.nan, np.nan, np.nan
    f = (na + nb) / den
    return (
        f * (a1 * b2 - a2 * b1),
        f * (a2 * b0 - a0 * b2),
        f * (a0 * b1 - a1 * b0),
    )


@jit_parallel
def add_segments_field(points, starts, ends, mu0_currents_4pi, out):
    """Add the field of straight current segments to ``out``.

    Parameters
    ----------
    points : ndarray, shape (n, 3)
        Observer positions in metres.
    starts, ends : ndarray, shape (m, 3)
        Segment end points in metres; current flows from ``starts`` to ``ends``.
    mu0_currents_4pi : ndarray, shape (m,)
        μ0·I/(4π) of each segment in T·m.
    out : ndarray, shape (n, 3)
        Field in tesla, updated in place (NaN where a point lies on a segment).

    Returns
    -------
    int
        Number of points on a segment.
    """
    m = starts.shape[0]
    bad = 0
    for i in prange(points.shape[0]):
        px = points[i, 0]
        py = points[i, 1]
        pz = points[i, 2]
        sx = 0.0
        sy = 0.0
        sz = 0.0
        for j in range(m):
            fx, fy, fz = segment_field(
                px,
                py,
                pz,
                starts[j, 0],
                starts[j, 1],
                starts[j, 2],
                ends[j, 0],
                ends[j, 1],
                ends[j, 2],
            )
            c = mu0_currents_4pi[j]
            sx += c * fx
            sy += c * fy
            sz += c * fz
        if math.isnan(sx):
            bad += 1
        out[i, 0] += sx
        out[i, 1] += sy
        out[i, 2] += sz
    return bad


@jit
def segment_vector_potential(px, py, pz, ax, ay, az, bx, by, bz):
    """Vector potential of a unit-current segment per μ0·I/(4π), dimensionless.

    A = t̂ · ln((|a| + |b| + L) / (|a| + |b| − L)) with t̂ the unit vector from A to B
    and L its length (exact for a finite straight filament; e.g. Hanson & Hirshman
    2002, eq. 6). NaN on the segment.
    """
    tx = bx - ax
    ty = by - ay
    tz = bz - az
    length = math.sqrt(tx * tx + ty * ty + tz * tz)
    na = math.sqrt((ax - px) ** 2 + (ay - py) ** 2 + (az - pz) ** 2)
    nb = math.sqrt((bx - px) ** 2 + (by - py) ** 2 + (bz - pz) ** 2)
    s = na + nb
    if s - length <= ON_SEGMENT_RELATIVE * s:
        return np.nan, np.nan, np.nan
    f = math.log((s + length) / (s - length)) / length
    return f * tx, f * ty, f * tz


@jit_parallel
def segments_flux_linkage(starts_a, ends_a, amps_a, points_b, dl_b):
    """Σ over source segments and target quadrature points of (μ0/4π)·I_a·A_a·dl_b, per μ0/(4π).

    Parameters
    ----------
    starts_a, ends_a : ndarray, shape (m, 3)
        Source segments in metres.
    amps_a : ndarray, shape (m,)
        Source ampere-turns per segment (weights).
    points_b : ndarray, shape (q, 3)
        Quadrature points on the target winding in metres.
    dl_b : ndarray, shape (q, 3)
        Weighted line elements at those points (metres × target weight).

    Returns
    -------
    float
        Σ_q Σ_j amps_a[j]·A_j(points_b[q])·dl_b[q] in metres (multiply by μ0/(4π)).
    """
    q = points_b.shape[0]
    partial = np.zeros(q)
    for i in prange(q):
        s = 0.0
        for j in range(starts_a.shape[0]):
            fx, fy, fz = segment_vector_potential(
                points_b[i, 0],
                points_b[i, 1],
                points_b[i, 2],
                starts_a[j, 0],
                starts_a[j, 1],
                starts_a[j, 2],
                ends_a[j, 0],
                ends_a[j, 1],
                ends_a[j, 2],
            )
            s += amps_a[j] * (fx * dl_b[i, 0] + fy * dl_b[i, 1] + fz * dl_b[i, 2])
        partial[i] = s
    return partial.sum()
