"""Closed-form fields of axisymmetric current sources: loops, thin and thick solenoids.

Kernels on plain arrays. Each ``add_*`` kernel takes observer points in the global
frame, the source's centre and its rotation matrix (columns: the source's local
x, y, z axes in global coordinates; local z is the source axis), *adds* the
field in tesla to ``out`` and returns the number of points on a filament. A point on a current filament (a loop wire, the edge or
the surface of a current sheet) gets NaN; the numpy-facing layer turns that into
a :class:`solver.errors.DesignError`.

Formulas
--------
All fields use Bulirsch's general complete elliptic integral ``cel(kc, p, c, s)``
(R. Bulirsch, Numer. Math. 13, 305 (1969); algorithm as given by N. Derby and
S. Olbert, Am. J. Phys. 78, 229 (2010), appendix), which contains K, E and Π as
special cases and converges quadratically.

* Loop of radius ``a`` (Smythe, *Static and Dynamic Electricity*, 3rd ed., §7.10):
  Bz = μ0I/(2π√D+)·[K + (a²−ρ²−z²)/D− · E],
  Bρ = μ0I z/(2πρ√D+)·[−K + (a²+ρ²+z²)/D− · E], D± = (a±ρ)² + z².
  The brackets are linear in (K, E), so they are written as one ``cel`` each:
  Bz = μ0I a/(π√D+)·cel(kc, 1, (a−ρ)/D−, (a+ρ)/D+),
  Bρ = μ0I a z/(π√D+)·cel(kc, 1, 1/D−, −1/D+), kc² = D−/D+,
  which removes the 1/ρ cancellation of the textbook form near the axis.
* Thin solenoid (current sheet) of radius ``a``, half-length ``b``, surface
  current n·I (Derby & Olbert 2010, eqs. 5–6, B0 = μ0nI/π):
  Bρ = B0[α+ cel(k+, 1, 1, −1) − α− cel(k−, 1, 1, −1)],
  Bz = B0 a/(a+ρ)·[β+ cel(k+, γ², 1, γ) − β− cel(k−, γ², 1, γ)],
  z± = z ± b, α± = a/√(z±² + (a+ρ)²), β± = z±/√(z±² + (a+ρ)²),
  γ = (a−ρ)/(a+ρ), k±² = (z±² + (a−ρ)²)/(z±² + (a+ρ)²) (complementary moduli).
* Near the axis (ρ < 1e-5·a) Bρ is taken from the paraxial series
  Bρ = −(ρ/2)·∂Bz(0, z)/∂z, whose next term is (ρ/a)² ≈ 1e-10 relative, while
  the elliptic form would lose digits as ``1 − kc`` cancels.
* Thick solenoid with uniform current density J between radii r1 and r2:
  B = ∫ B_sheet(r; K = J dr) dr by Gauss–Legendre, split at the observer's
  radius (clipped to the winding) with a cubic node clustering there.
"""

from __future__ import annotations

import math

import numpy as np

from solver._numba import jit, jit_parallel, prange

ON_FILAMENT_RELATIVE = 1e-12
"""A point closer than this fraction of the radius to a filament counts as on it."""

SERIES_RADIUS_FRACTION = 1e-5
"""Below ρ = this·a the paraxial series gives Bρ (truncation error (ρ/a)² ≈ 1e-10)."""

_CEL_ERRTOL = 1e-8
"""Bulirsch's stopping test; convergence is quadratic, so the result is good to ~1e-16."""


@jit
def cel(kc, p, c, s):
    """Bulirsch's complete elliptic integral.

    cel(kc, p, c, s) = ∫₀^{π/2} (c cos²φ + s sin²φ) / ((cos²φ + p sin²φ) √(cos²φ + kc² sin²φ)) dφ.
    K(k) = cel(kc, 1, 1, 1), E(k) = cel(kc, 1, 1, kc²), kc = √(1 − k²). Returns NaN
    for kc = 0 (the integral diverges).
    """
    if kc == 0.0:
        return np.nan
    k = abs(kc)
    pp = p
    cc = c
    ss = s
    em = 1.0
    if p > 0.0:
        pp = math.sqrt(p)
        ss = s / pp
    else:
        f = kc * kc
        q = 1.0 - f
        g = 1.0 - pp
        f = f - pp
        q = q * (ss - c * pp)
        pp = math.sqrt(f / g)
        cc = (c - ss) / g
        ss = -q / (g * g * pp) + cc * pp
    f = cc
    cc = cc + ss / pp
    g = k / pp
    ss = 2.0 * (ss + f * g)
    pp = g + pp
    g = em
    em = k + em
    kk = k
    for _ in range(60):
        if abs(g - k) <= g * _CEL_ERRTOL:
            break
        k = 2.0 * math.sqrt(kk)
        kk = k * em
        f = cc
        cc = cc + ss / pp
        g = kk / pp
        ss = 2.0 * (ss + f * g)
        pp = g + pp
        g = em
        em = k + em
    return (math.pi / 2.0) * (ss + cc * em) / (em * (em + pp))


@jit
def cel_pair(kc, p, c, s, c1, s1):
    """(cel(kc, p, c, s), cel(kc, 1, c1, s1)) in one pass for p > 0.

    Bulirsch's iteration for k and em depends on kc only, so both integrals share it;
    only the (cc, ss, pp) updates are done twice. Falls back to two calls for p ≤ 0.
    """
    if kc == 0.0:
        return np.nan, np.nan
    if p <= 0.0:
        return cel(kc, p, c, s), cel(kc, 1.0, c1, s1)
    k = abs(kc)
    em = 1.0
    pp = math.sqrt(p)
    ss = s / pp
    cc = c
    pq = 1.0
    sq = s1
    cq = c1
    f = cc
    cc = cc + ss / pp
    g = k / pp
    ss = 2.0 * (ss + f * g)
    pp = g + pp
    f = cq
    cq = cq + sq / pq
    g = k / pq
    sq = 2.0 * (sq + f * g)
    pq = g + pq
    g = em
    em = k + em
    kk = k
    for _ in range(60):
        if abs(g - k) <= g * _CEL_ERRTOL:
            break
        k = 2.0 * math.sqrt(kk)
        kk = k * em
        f = cc
        cc = cc + ss / pp
        g = kk / pp
        ss = 2.0 * (ss + f * g)
        pp = g + pp
        f = cq
        cq = cq + sq / pq
        g = kk / pq
        sq = 2.0 * (sq + f * g)
        pq = g + pq
        g = em
        em = k + em
    half_pi = math.pi / 2.0
    return half_pi * (ss + cc * em) / (em * (em + pp)), half_pi * (sq + cq * em) / (em * (em + pq))


@jit
def loop_field_rz(rho, z, a):
    """Field of a unit loop per μ0·I: returns (Bρ, Bz) in 1/m (multiply by μ0·I for tesla).

    rho, z : observer cylinder coordinates in metres (ρ ≥ 0); a : loop radius in metres.
    NaN on the wire (within ``ON_FILAMENT_RELATIVE``·a).
    """
    dp = (a + rho) ** 2 + z * z
    dm = (a - rho) ** 2 + z * z
    if dm <= (ON_FILAMENT_RELATIVE * a) ** 2:
        return np.nan, np.nan
    kc = math.sqrt(dm / dp)
    pref = a / (math.pi * math.sqrt(dp))
    bz = pref * cel(kc, 1.0, (a - rho) / dm, (a + rho) / dp)
    if rho < SERIES_RADIUS_FRACTION * a:
        s = a * a + z * z
        br = 0.75 * a * a * z * rho / (s * s * math.sqrt(s))
    else:
        br = pref * z * cel(kc, 1.0, 1.0 / dm, -1.0 / dp)
    return br, bz


@jit
def sheet_field_rz(rho, z, a, b):
    """Field of a thin solenoid per unit μ0·n·I: returns (Bρ, Bz), dimensionless.

    rho, z : observer cylinder coordinates in metres relative to the sheet's midpoint;
    a : sheet radius in metres; b : half-length in metres. NaN on the sheet.
    """
    tol = ON_FILAMENT_RELATIVE * a
    if abs(rho - a) <= tol and abs(z) <= b + tol:
        return np.nan, np.nan
    return _sheet_field_rz(rho, z, a, b)


@jit
def _sheet_field_rz(rho, z, a, b):
    """sheet_field_rz without the on-sheet test (for sheets inside a thick winding)."""
    zp = z + b
    zm = z - b
    apr = a + rho
    amr = a - rho
    dpp = zp * zp + apr * apr
    dpm = zm * zm + apr * apr
    sp = math.sqrt(dpp)
    sm = math.sqrt(dpm)
    kp = math.sqrt((zp * zp + amr * amr) / dpp)
    km = math.sqrt((zm * zm + amr * amr) / dpm)
    gam = amr / apr
    g2 = gam * gam
    czp, crp = cel_pair(kp, g2, 1.0, gam, 1.0, -1.0)
    czm, crm = cel_pair(km, g2, 1.0, gam, 1.0, -1.0)
    bz = a / (math.pi * apr) * (zp / sp * czp - zm / sm * czm)
    if rho < SERIES_RADIUS_FRACTION * a:
        a2 = a * a
        up = zp * zp + a2
        um = zm * zm + a2
        dbp = a2 / (up * math.sqrt(up))
        dbm = a2 / (um * math.sqrt(um))
        br = -0.25 * rho * (dbp - dbm)
    else:
        br = (a / sp * crp - a / sm * crm) / math.pi
    return br, bz


@jit
def thick_field_rz(rho, z, r1, r2, b, nodes, weights):
    """Field of a thick solenoid per unit μ0·J (J in A/m²): returns (Bρ, Bz) in metres.

    The radial integral over thin sheets between r1 and r2 (metres) is split at
    c = clip(ρ, r1, r2) and each part is mapped by r = c ± h·u³ (u in [0, 1]), which
    clusters nodes where the integrand has a kink (inside the winding) or a log
    singularity (on the winding's end faces) and keeps it analytic elsewhere.
    nodes, weights : Gauss–Legendre rule on [−1, 1], shape (m,).
    """
    c = min(max(rho, r1), r2)
    br = 0.0
    bz = 0.0
    for part in range(2):
        h = (c - r1) if part == 0 else (r2 - c)
        if h <= 0.0:
            continue
        sgn = -1.0 if part == 0 else 1.0
        for j in range(nodes.shape[0]):
            u = 0.5 * (nodes[j] + 1.0)
            r = c + sgn * h * u * u * u
            w = 0.5 * weights[j] * 3.0 * h * u * u
            sbr, sbz = _sheet_field_rz(rho, z, r, b)
            if math.isnan(sbr) or math.isnan(sbz):
                # r rounds to ρ on an end face (the sheet's edge): an integrable log
                # singularity at a node of weight ~h·u², which is negligible there
                continue
            br += w * sbr
            bz += w * sbz
    return br, bz


@jit
def _to_local(points, i, center, rot):
    dx = points[i, 0] - center[0]
    dy = points[i, 1] - center[1]
    dz = points[i, 2] - center[2]
    xl = rot[0, 0] * dx + rot[1, 0] * dy + rot[2, 0] * dz
    yl = rot[0, 1] * dx + rot[1, 1] * dy + rot[2, 1] * dz
    zl = rot[0, 2] * dx + rot[1, 2] * dy + rot[2, 2] * dz
    return xl, yl, zl


@jit
def _add_global(out, i, rot, xl, yl, br, bz, scale):
    rho = math.sqrt(xl * xl + yl * yl)
    if rho > 0.0:
        bxl = br * xl / rho
        byl = br * yl / rho
    else:
        bxl = 0.0
        byl = 0.0
    for k in range(3):
        out[i, k] += scale * (rot[k, 0] * bxl + rot[k, 1] * byl + rot[k, 2] * bz)


@jit_parallel
def add_loop_field(points, center, rot, radius, mu0_current, out):
    """Add the field of a loop to ``out``.

    points : (n, 3) m; center : (3,) m; rot : (3, 3) local→global rotation;
    radius : m; mu0_current : μ0·turns·I in T·m; out : (n, 3) T, updated in place.
    """
    bad = 0
    for i in prange(points.shape[0]):
        xl, yl, zl = _to_local(points, i, center, rot)
        br, bz = loop_field_rz(math.sqrt(xl * xl + yl * yl), zl, radius)
        if math.isnan(br):
            bad += 1
        _add_global(out, i, rot, xl, yl, br, bz, mu0_current)
    return bad


@jit_parallel
def add_sheet_field(points, center, rot, radius, half_length, mu0_n_current, out):
    """Add the field of a thin solenoid (current sheet) to ``out``.

    points : (n, 3) m; center : (3,) m (winding midpoint); rot : (3, 3);
    radius, half_length : m; mu0_n_current : μ0·(N/L)·I in tesla; out : (n, 3) T.
    """
    bad = 0
    for i in prange(points.shape[0]):
        xl, yl, zl = _to_local(points, i, center, rot)
        br, bz = sheet_field_rz(math.sqrt(xl * xl + yl * yl), zl, radius, half_length)
        if math.isnan(br):
            bad += 1
        _add_global(out, i, rot, xl, yl, br, bz, mu0_n_current)
    return bad


@jit_parallel
def add_thick_field(points, center, rot, r1, r2, half_length, mu0_j, nodes, weights, out):
    """Add the field of a thick solenoid with uniform current density to ``out``.

    points : (n, 3) m; center : (3,) m; rot : (3, 3); r1, r2, half_length : m;
    mu0_j : μ0·N·I/(L·(r2 − r1)) in T/m; nodes, weights : (m,) Gauss–Legendre rule
    on [−1, 1]; out : (n, 3) T.
    """
    bad = 0
    for i in prange(points.shape[0]):
        xl, yl, zl = _to_local(points, i, center, rot)
        br, bz = thick_field_rz(
            math.sqrt(xl * xl + yl * yl), zl, r1, r2, half_length, nodes, weights
        )
        if math.isnan(br):
            bad += 1
        _add_global(out, i, rot, xl, yl, br, bz, mu0_j)
    return bad


@jit
def coaxial_loops_mutual(a1, a2, d):
    """Mutual inductance of two coaxial loops per μ0, in metres (Maxwell's formula).

    M = μ0 √(a1 a2) [(2/k − k) K(k) − (2/k) E(k)], k² = 4 a1 a2 / ((a1 + a2)² + d²)
    (J. C. Maxwell, *Treatise* vol. 2, §701; Smythe §8.05). Since
    (1 − k²/2) K − E = (k²/2)·cel(kc, 1, −1, 1), this is M = μ0 √(a1 a2)·k·cel(kc, 1, −1, 1),
    free of the cancellation of the textbook form for distant loops (small k).
    a1, a2 : loop radii in metres; d : axial distance in metres. NaN for coincident loops.
    """
    s = (a1 + a2) ** 2 + d * d
    k = math.sqrt(4.0 * a1 * a2 / s)
    kc = math.sqrt(((a1 - a2) ** 2 + d * d) / s)
    return math.sqrt(a1 * a2) * k * cel(kc, 1.0, -1.0, 1.0)


@jit
def coaxial_loops_mutual_gradient(a1, a2, d):
    """∂M/∂d of two coaxial loops per μ0 (dimensionless): Maxwell's formula differentiated.

    With dM/dk = μ0 √(a1 a2)/k² [(2 − k²) E/kc² − 2K] and dk/dd = −k³ d/(4 a1 a2),
    ∂M/∂d = −μ0 k³ d/(4√(a1 a2)) [(2 − k²) E/kc² − 2K], and the bracket is
    k² cel(kc, 1, 1/kc², −1) (linear combination of K and E written as one cel).
    Negative for d > 0 (loops with parallel currents attract). NaN for coincident loops.
    """
    s = (a1 + a2) ** 2 + d * d
    k2 = 4.0 * a1 * a2 / s
    kc2 = ((a1 - a2) ** 2 + d * d) / s
    kc = math.sqrt(kc2)
    if kc == 0.0:
        return np.nan
    return -k2 * math.sqrt(k2) * d / (4.0 * math.sqrt(a1 * a2)) * cel(kc, 1.0, 1.0 / kc2, -1.0)


@jit_parallel
def coaxial_loops_mutual_array(a1, a2, d, out):
    """Vectorised :func:`coaxial_loops_mutual`: a1, a2, d, out of shape (n,) (metres)."""
    for i in prange(a1.shape[0]):
        out[i] = coaxial_loops_mutual(a1[i], a2[i], d[i])
