"""Mutual inductance and axial force of two coaxial windings (loops, current sheets, thick
rectangular-section windings with uniform current density), overlapping or not.

Per turn pair and per μ0, the mutual inductance is Maxwell's coaxial-loop kernel
m(r1, r2, u) averaged over both cross-sections,

    M̄ = ⟨ ⟨ ∫ T(u) m(r1, r2, u) du / (4 h1 h2) ⟩_r2 ⟩_r1,

where winding 1 spans z1 ∈ [−h1, h1], winding 2 z2 ∈ [d − h2, d + h2], u = z2 − z1 and
T(u) is the length of the z1 interval for which z1 + u lies in winding 2 (the convolution
of the two boxes: a trapezoid, piecewise linear). Its derivative in d (the axial force per
I1 N1 I2 N2) is the same average of [∫_{d+h2−h1}^{d+h2+h1} m du − ∫_{d−h2−h1}^{d−h2+h1} m du]
/ (4 h1 h2). The only singularity is the logarithm of m at r1 = r2, u = 0 where the
windings overlap; every integral is split at it (u = 0, r2 = r1) and at every kink of T
and of the inner integrals (the breakpoints of T; r1 = the other winding's radii), and
each piece is integrated by the tanh-sinh (double-exponential) rule (axial pieces with an
error check, see AXIAL_LEVEL), which converges
exponentially for integrands analytic inside a piece even with logarithmic singularities
at its ends (H. Takahasi, M. Mori, Publ. RIMS Kyoto Univ. 9, 721 (1974); D. H. Bailey,
K. Jeyabalan, X. S. Li, Exp. Math. 14, 317 (2005)). A loop (h = 0) or a sheet
(inner = outer radius) is the limit of the same average.
"""

from __future__ import annotations

import math

import numpy as np

from solver._numba import jit
from solver.kernels.magnet_axisymmetric import coaxial_loops_mutual, coaxial_loops_mutual_gradient

RADIAL_LEVEL = 3
"""Radial rules (the singular radii are always piece ends): step 2^−3, 57 nodes."""
AXIAL_LEVEL = 4
"""Axial rules: step 2^−4 (113 nodes), checked against their level-3 subset."""
FINE_LEVEL = 6
"""Axial rule used where that check fails (m's singularity just outside the piece)."""
U_CHECK = 1e-7
"""Relative difference of the level-4 and level-3 sums above which the level-6 rule is
used: the tanh-sinh error roughly squares from one level to the next, so a level-3 error
below 1e-7 leaves the level-4 sum at ~1e-14."""
T_MAX = 3.5
"""tanh-sinh nodes run over t ∈ [−T_MAX, T_MAX]: at |t| = 3.5 the node lies 1e-30 of the
interval from its end and the weight is below 1e-28, beyond any contribution."""


def rules() -> tuple[tuple[np.ndarray, ...], ...]:
    """The (radial, axial, fine) rules :func:`coaxial_windings_mean` takes."""
    return tuple(tanh_sinh_rule(level) for level in (RADIAL_LEVEL, AXIAL_LEVEL, FINE_LEVEL))


def tanh_sinh_rule(level: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes and weights of the tanh-sinh rule on [0, 1] with step h = 2^−level.

    Returns
    -------
    from_left, from_right, weights : ndarray, shape (n,)
        Each node's distance from 0 and from 1 (both kept, so that a node close to either
        end is placed without cancellation) and its weight; Σ weights = 1.
    """
    h = 2.0**-level
    t = h * np.arange(-math.ceil(T_MAX / h), math.ceil(T_MAX / h) + 1)
    s = 0.5 * np.pi * np.sinh(t)
    from_left = 1.0 / (1.0 + np.exp(-2.0 * s))
    from_right = 1.0 / (1.0 + np.exp(2.0 * s))
    weights = 0.5 * h * 0.5 * np.pi * np.cosh(t) / np.cosh(s) ** 2
    return from_left, from_right, weights


@jit
def _node(a, b, fl, fr):
    """The node of [a, b] at fractions fl from a, fr from b (the nearer end is exact)."""
    return a + (b - a) * fl if fl <= 0.5 else b - (b - a) * fr


@jit
def _overlap(u, h1, h2, d):
    """T(u): length of z1 ∈ [−h1, h1] with z1 + u ∈ [d − h2, d + h2]."""
    return max(0.0, min(h1, d + h2 - u) - max(-h1, d - h2 - u))


@jit
def _rule_sums(r1, r2, a, b, h1, h2, d, weighted, rule):
    """Σ w·[T(u)]·m(r1, r2, u) over the nodes of ``rule`` on [a, b] (per unit length), and
    the same over every other node with the weights doubled (the rule one level coarser)."""
    fl, fr, w = rule
    full = 0.0
    coarse = 0.0
    for k in range(fl.shape[0]):
        u = _node(a, b, fl[k], fr[k])
        v = w[k] * coaxial_loops_mutual(r1, r2, u)
        if weighted:
            v *= _overlap(u, h1, h2, d)
        full += v
        if k % 2 == 0:
            coarse += 2.0 * v
    return full, coarse


@jit
def _u_piece(r1, r2, a, b, h1, h2, d, weighted, rule, fine):
    """∫_a^b [T(u)] m(r1, r2, u) du (T when ``weighted``) by the tanh-sinh ``rule`` (level
    4), checked against its own level-3 subset; when they differ by more than U_CHECK the
    singularity of m lies close outside [a, b] (r1 ≈ r2) and the ``fine`` rule (level 6)
    is used."""
    s4, s3 = _rule_sums(r1, r2, a, b, h1, h2, d, weighted, rule)
    if abs(s4 - s3) <= U_CHECK * abs(s4):
        return (b - a) * s4
    return (b - a) * _rule_sums(r1, r2, a, b, h1, h2, d, weighted, fine)[0]


@jit
def _interval_integral(r1, r2, lo, hi, rule, fine):
    """∫_lo^hi m(r1, r2, u) du, split at u = 0 when it lies inside."""
    if lo < 0.0 < hi:
        return _u_piece(r1, r2, lo, 0.0, 0.0, 0.0, 0.0, False, rule, fine) + _u_piece(
            r1, r2, 0.0, hi, 0.0, 0.0, 0.0, False, rule, fine
        )
    return _u_piece(r1, r2, lo, hi, 0.0, 0.0, 0.0, False, rule, fine)


@jit
def _axial_mean(r1, r2, h1, h2, d, force, rule, fine):
    """Mean of m (or of ∂m/∂d when ``force``) over z1 ∈ [−h1, h1], z2 ∈ [d − h2, d + h2]."""
    if h1 == 0.0 and h2 == 0.0:
        return (
            coaxial_loops_mutual_gradient(r1, r2, d) if force else coaxial_loops_mutual(r1, r2, d)
        )
    if h1 == 0.0 or h2 == 0.0:
        h = h1 + h2
        if force:  # mean over one length of ∂m/∂z: the difference of m at its ends
            return (coaxial_loops_mutual(r1, r2, d + h) - coaxial_loops_mutual(r1, r2, d - h)) / (
                2.0 * h
            )
        return _interval_integral(r1, r2, d - h, d + h, rule, fine) / (2.0 * h)
    if force:
        upper = _interval_integral(r1, r2, d + h2 - h1, d + h2 + h1, rule, fine)
        lower = _interval_integral(r1, r2, d - h2 - h1, d - h2 + h1, rule, fine)
        return (upper - lower) / (4.0 * h1 * h2)
    # T(u) is a trapezoid with kinks at d ± (h1 + h2) and d ± |h1 − h2|; m is singular at 0
    cuts = np.empty(5)
    cuts[0] = d - h1 - h2
    cuts[1] = d - abs(h1 - h2)
    cuts[2] = d + abs(h1 - h2)
    cuts[3] = d + h1 + h2
    cuts[4] = 0.0  # outside the trapezoid it only adds a piece where T = 0
    cuts = np.sort(cuts)
    total = 0.0
    for p in range(4):
        if cuts[p + 1] > cuts[p]:
            total += _u_piece(r1, r2, cuts[p], cuts[p + 1], h1, h2, d, True, rule, fine)
    return total / (4.0 * h1 * h2)


@jit
def _radial_cuts(lo, hi, c1, c2, out):
    """[lo, hi] split at c1 and c2 where they lie strictly inside; returns the count of cuts."""
    out[0] = lo
    n = 1
    first, second = min(c1, c2), max(c1, c2)
    for c in (first, second):
        if lo < c < hi and c > out[n - 1]:
            out[n] = c
            n += 1
    out[n] = hi
    return n + 1


@jit
def coaxial_windings_mean(r1a, r1b, h1, r2a, r2b, h2, d, force, radial, rule, fine):
    """M̄ (or ∂M̄/∂d when ``force``) per turn pair per μ0 of two coaxial windings.

    Parameters
    ----------
    r1a, r1b, r2a, r2b : float
        Inner and outer radii of windings 1 and 2, metres (equal for a sheet or loop).
    h1, h2 : float
        Half lengths, metres (0 for a loop).
    d : float
        Axial distance from the centre of winding 1 to that of winding 2, metres.
    force : bool
        Return ∂M̄/∂d (dimensionless) instead of M̄ (metres).
    radial, rule, fine : tuple of ndarray
        :func:`tanh_sinh_rule` at levels RADIAL_LEVEL, AXIAL_LEVEL and FINE_LEVEL
        (:func:`rules`).

    Returns
    -------
    float
        Multiply by μ0·N1·N2 for the mutual inductance (H), by μ0·N1·I1·N2·I2 for the
        axial force on winding 2 (N).
    """
    fl, fr, w = radial
    outer = np.empty(4)
    inner = np.empty(4)
    n_out = _radial_cuts(r1a, r1b, r2a, r2b, outer) if r1b > r1a else 0
    total = 0.0
    for po in range(max(n_out - 1, 1)):
        a1, b1 = (outer[po], outer[po + 1]) if n_out else (r1a, r1a)
        n1 = fl.shape[0] if n_out else 1
        for i in range(n1):
            r1 = _node(a1, b1, fl[i], fr[i]) if n_out else r1a
            wi = (b1 - a1) * w[i] / (r1b - r1a) if n_out else 1.0
            if r2b > r2a:
                n_in = _radial_cuts(r2a, r2b, r1, r1, inner)
                for pi in range(n_in - 1):
                    a2, b2 = inner[pi], inner[pi + 1]
                    for j in range(fl.shape[0]):
                        r2 = _node(a2, b2, fl[j], fr[j])
                        wj = (b2 - a2) * w[j] / (r2b - r2a)
                        total += wi * wj * _axial_mean(r1, r2, h1, h2, d, force, rule, fine)
            else:
                total += wi * _axial_mean(r1, r2a, h1, h2, d, force, rule, fine)
    return total
