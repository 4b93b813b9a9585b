"""Self and mutual inductance, stored energy and forces between coils.

* Coaxial loops: Maxwell's closed form (:func:`mutual_inductance_coaxial_loops`).
* Round-wire loop: L = μ0 N² a (ln(8a/r) − 7/4) (uniform current; E. B. Rosa,
  Bull. Bur. Stand. 4, 301 (1908); F. W. Grover, *Inductance Calculations* (1946)).
* Thin solenoid: L = 2 (N/ℓ)² ∫₀^ℓ (ℓ − u) M(R, R, u) du (sheet as a stack of loops,
  Maxwell's M; the log singularity at u = 0 is left to adaptive quadrature).
* Thick solenoid: the same over radii with Gauss–Legendre in r and r'.
* Any other pair: Neumann's formula M = (μ0/4π) ∮∮ dl·dl'/|r − r'|, evaluated as the
  flux linkage ∮ A·dl' with the exact vector potential of each straight filament of
  one coil at two Gauss points per segment of the other. A filament coil's self
  inductance uses the same integral with the second path displaced (both ways,
  averaged) by the geometric mean distance of the round wire, r·e^(−1/4) (Grover, ch. 2).
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy import integrate

from solver.errors import DesignError
from solver.kernels import biot_savart, magnet_axisymmetric
from solver.magnet._constants import MU0_H_PER_M
from solver.magnet.coils import Coil, FilamentCoil, Helmholtz, Loop, Solenoid
from solver.magnet.magnet import Magnet

GMD_ROUND_WIRE = np.exp(-0.25)
"""Geometric mean distance of a circular area from itself, in units of its radius (Grover)."""


def mutual_inductance_coaxial_loops(a1_m: float, a2_m: float, distance_m: float) -> float:
    """Maxwell's mutual inductance of two coaxial circular filaments, in henry.

    a1_m, a2_m : radii in metres; distance_m : axial separation in metres.
    """
    if not (a1_m > 0 and a2_m > 0):
        raise DesignError("loop radii must be positive")
    if a1_m == a2_m and distance_m == 0:
        raise DesignError(
            "coincident loops: the mutual inductance of a filament with itself diverges"
        )
    return MU0_H_PER_M * magnet_axisymmetric.coaxial_loops_mutual(a1_m, a2_m, distance_m)


def coaxial_loops_force_gradient(a1_m: float, a2_m: float, distance_m: float) -> float:
    """∂M/∂d of two coaxial circular filaments (H/m): Maxwell's formula differentiated in
    closed form (complete elliptic integrals). The axial force on loop 2 is I1·I2·∂M/∂d."""
    if not (a1_m > 0 and a2_m > 0):
        raise DesignError("loop radii must be positive")
    if a1_m == a2_m and distance_m == 0:
        raise DesignError("coincident loops: the force between a filament and itself diverges")
    return MU0_H_PER_M * magnet_axisymmetric.coaxial_loops_mutual_gradient(a1_m, a2_m, distance_m)


def _coaxial_windings(coil: Coil):
    """(radius nodes, weights in turns, z-extent half length) of a loop or solenoid; else None.

    A loop is N turns at one radius and height; a solenoid a uniform sheet (thin) or a
    uniform current density (thick: Gauss–Legendre radii, weights summing to the turns).
    """
    if isinstance(coil, Loop):
        return np.array([coil.radius_m]), np.array([coil.turns]), 0.0
    if isinstance(coil, Solenoid):
        if coil.is_thin:
            return np.array([coil.radius_m]), np.array([coil.turns]), 0.5 * coil.length_m
        x, w = np.polynomial.legendre.leggauss(COAXIAL_RADIAL_NODES)
        r1, r2 = float(coil.inner_radius_m or 0.0), float(coil.outer_radius_m or 0.0)
        return r1 + 0.5 * (r2 - r1) * (x + 1), 0.5 * w * coil.turns, 0.5 * coil.length_m
    return None


COAXIAL_RADIAL_NODES = 24
"""Gauss–Legendre radii across a thick winding for coaxial forces (smooth integrand:
converges geometrically; 24 nodes reach ~1e-12 for windings that do not overlap axially)."""


def _axial_pair_force_per_turn2(r1, r2, h1, h2, d):
    """F_z/(I1 N1 I2 N2) between two coaxial sheets (or loops, h = 0) of half lengths h1, h2
    whose centres are d apart: the mean over both windings of ∂M/∂z (N/A² per turn²)."""
    grad = magnet_axisymmetric.coaxial_loops_mutual_gradient
    mut = magnet_axisymmetric.coaxial_loops_mutual
    if h1 == 0 and h2 == 0:
        return MU0_H_PER_M * grad(r1, r2, d)
    if h1 == 0 or h2 == 0:
        h = h1 + h2
        # mean over the one winding's length of ∂M/∂z = [M(d + h) − M(d − h)] / 2h
        return MU0_H_PER_M * (mut(r1, r2, d + h) - mut(r1, r2, d - h)) / (2 * h)

    def f(z1):
        return mut(r1, r2, d + h2 - z1) - mut(r1, r2, d - h2 - z1)

    val, _ = integrate.quad(f, -h1, h1, epsabs=0.0, epsrel=1e-13, limit=400)
    return MU0_H_PER_M * val / (4 * h1 * h2)


def coaxial_axial_force(a: Coil, b: Coil) -> float | None:
    """Exact axial force on coil b from coil a (N) when both are coaxial loops or solenoids
    with the same axis direction or opposite; None otherwise.

    Maxwell's ∂M/∂z in closed form for loops; for windings its mean over both lengths
    (the difference of M at the winding ends, integrated once by adaptive quadrature),
    Gauss–Legendre over thick radii.
    """
    wa, wb = _coaxial_windings(a), _coaxial_windings(b)
    if wa is None or wb is None or not _coaxial(a, b):
        return None
    ax = np.asarray(a.placement.axis)
    sign = float(np.sign(ax @ np.asarray(b.placement.axis)))
    d = float((b.placement.center - a.placement.center) @ ax)
    (ra, na, ha), (rb, nb, hb) = wa, wb
    if abs(d) < ha + hb and (ha or hb):
        return None  # windings overlapping along the axis: leave to the filament sum
    total = 0.0
    for r1, n1 in zip(ra, na, strict=True):
        for r2, n2 in zip(rb, nb, strict=True):
            total += n1 * n2 * _axial_pair_force_per_turn2(r1, r2, ha, hb, d)
    return sign * a.current_A * b.current_A * total


def self_inductance_loop(radius_m: float, wire_radius_m: float, turns: float = 1.0) -> float:
    """Round-wire loop (bundle of ``turns``): μ0 N² a (ln(8a/r) − 7/4), henry (valid for r ≪ a)."""
    if not 0 < wire_radius_m < radius_m:
        raise DesignError("self inductance of a loop needs 0 < wire_radius_m < radius_m")
    return MU0_H_PER_M * turns**2 * radius_m * (np.log(8 * radius_m / wire_radius_m) - 1.75)


def _coaxial_sheet_pair(r1, r2, length, n_per_m_sq):
    """2 (N/ℓ)² ∫₀^ℓ (ℓ − u) M(r1, r2, u) du for two coaxial, coincident-length sheets."""

    def f(u):
        return (length - u) * magnet_axisymmetric.coaxial_loops_mutual(r1, r2, u)

    val, _ = integrate.quad(f, 0.0, length, epsabs=0.0, epsrel=1e-11, limit=200)
    return 2.0 * n_per_m_sq * MU0_H_PER_M * val


def self_inductance_solenoid(sol: Solenoid, radial_nodes: int = 12) -> float:
    """Self inductance of a thin or thick solenoid, henry.

    Thin: 2 (N/ℓ)² ∫₀^ℓ (ℓ − u) M(R, R, u) du. Thick (uniform J): the same averaged over
    pairs of radii by Gauss–Legendre with ``radial_nodes`` nodes (≈1e-4 relative).
    """
    n_sq = (sol.turns / sol.length_m) ** 2
    if sol.is_thin:
        return _coaxial_sheet_pair(sol.radius_m, sol.radius_m, sol.length_m, n_sq)
    x, w = np.polynomial.legendre.leggauss(radial_nodes)
    h = 0.5 * (sol.outer_radius_m - sol.inner_radius_m)
    rs = sol.inner_radius_m + h * (x + 1)
    ws = 0.5 * w  # weights of the mean over [r1, r2]
    total = 0.0
    for i in range(radial_nodes):
        for j in range(i, radial_nodes):
            val = _coaxial_sheet_pair(rs[i], rs[j], sol.length_m, n_sq)
            total += ws[i] * ws[j] * val * (1 if i == j else 2)
    return total


def _quadrature_points(coil: Coil, offset_m: float = 0.0):
    """Two Gauss points per filament segment: points (q, 3), weighted dl (q, 3) in turns·m."""
    starts, ends, amps = coil.filaments()
    turns = amps / coil.current_A
    d = ends - starts
    if offset_m:
        t = d / np.linalg.norm(d, axis=1, keepdims=True)
        helper = np.where(np.abs(t[:, [2]]) < 0.9, [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])
        u = np.cross(t, helper)
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        starts = starts + offset_m * u
    g = 0.5 / np.sqrt(3.0)
    pts = np.concatenate([starts + (0.5 - g) * d, starts + (0.5 + g) * d])
    dl = np.concatenate([0.5 * d * turns[:, None], 0.5 * d * turns[:, None]])
    return np.ascontiguousarray(pts), np.ascontiguousarray(dl)


def neumann_mutual_inductance(coil_a: Coil, coil_b: Coil, offset_m: float = 0.0) -> float:
    """Mutual inductance by Neumann's formula on the coils' filaments, henry.

    ``offset_m`` displaces the quadrature path of ``coil_b`` sideways (used for self
    inductance with the wire's geometric mean distance).
    """
    for c in (coil_a, coil_b):
        if c.current_A == 0:
            raise DesignError(
                f"coil {c.id!r}: field 'current_A' is zero; inductance uses the turn weights I·N / I"
            )
    starts, ends, amps = coil_a.filaments()
    pts, dl = _quadrature_points(coil_b, offset_m)
    linkage = biot_savart.segments_flux_linkage(starts, ends, amps / coil_a.current_A, pts, dl)
    return MU0_H_PER_M / (4 * np.pi) * linkage


def self_inductance(coil: Coil, wire_radius_m: float | None = None) -> float:
    """Self inductance of any coil, henry (filament coils and loops need ``wire_radius_m``)."""
    if isinstance(coil, Solenoid):
        return self_inductance_solenoid(coil)
    if wire_radius_m is None or not wire_radius_m > 0:
        raise DesignError(
            f"coil {coil.id!r}: the self inductance of a filament winding needs conductor.wire_radius_m"
        )
    if isinstance(coil, Loop):
        return self_inductance_loop(coil.radius_m, wire_radius_m, coil.turns)
    if isinstance(coil, Helmholtz):
        a, b = coil.loops()
        own = self_inductance_loop(coil.radius_m, wire_radius_m, coil.turns)
        return 2 * own + 2 * coil.turns**2 * mutual_inductance_coaxial_loops(
            coil.radius_m, coil.radius_m, float(np.linalg.norm(np.subtract(a.center_m, b.center_m)))
        )
    if isinstance(coil, FilamentCoil):
        # the mean of two opposite displacements cancels the first-order change of the
        # enclosed area, leaving the GMD term
        gmd = wire_radius_m * GMD_ROUND_WIRE
        return 0.5 * (
            neumann_mutual_inductance(coil, coil, gmd) + neumann_mutual_inductance(coil, coil, -gmd)
        )
    raise DesignError(f"coil {coil.id!r}: no self-inductance method for type {coil.type!r}")


def _coaxial(a: Coil, b: Coil) -> bool:
    ax = np.asarray(a.placement.axis)
    if abs(abs(ax @ np.asarray(b.placement.axis)) - 1) > 1e-12:
        return False
    d = b.placement.center - a.placement.center
    return bool(np.linalg.norm(d - (d @ ax) * ax) <= 1e-12 * max(1.0, np.linalg.norm(d)))


def mutual_inductance(a: Coil, b: Coil) -> float:
    """Mutual inductance between two different coils, henry (Maxwell for coaxial loops,
    Neumann on filaments otherwise; sign follows the coils' current directions)."""
    if isinstance(a, Loop) and isinstance(b, Loop) and _coaxial(a, b):
        ax = np.asarray(a.placement.axis)
        sign = float(np.sign(ax @ np.asarray(b.placement.axis)))
        d = float((b.placement.center - a.placement.center) @ ax)
        return sign * a.turns * b.turns * mutual_inductance_coaxial_loops(a.radius_m, b.radius_m, d)
    return neumann_mutual_inductance(a, b)


def inductance_matrix(magnet: Magnet) -> xr.Dataset:
    """Inductance matrix of a magnet's coils, stored energy and series inductance.

    Returns
    -------
    xarray.Dataset
        ``M_H`` on dims (coil, coil_b) in henry; ``energy_J`` = ½ Σ I_i I_j M_ij;
        ``series_inductance_H`` = 2·energy/I² for coils in series at one current
        (present when all coils carry the same |current|).
    """
    wire = magnet.conductor.wire_radius_m if magnet.conductor is not None else None
    n = len(magnet.coils)
    m = np.zeros((n, n))
    for i, ci in enumerate(magnet.coils):
        m[i, i] = self_inductance(ci, wire)
        for j in range(i + 1, n):
            m[i, j] = m[j, i] = mutual_inductance(ci, magnet.coils[j])
    currents = np.array([c.current_A for c in magnet.coils])
    energy = 0.5 * currents @ m @ currents
    ids = [c.id for c in magnet.coils]
    ds = xr.Dataset(
        {
            "M_H": (("coil", "coil_b"), m, {"units": "H"}),
            "current_A": ("coil", currents, {"units": "A"}),
            "energy_J": ((), energy, {"units": "J", "long_name": "stored magnetic energy"}),
        },
        coords={"coil": ids, "coil_b": ids},
    )
    if np.allclose(np.abs(currents), abs(currents[0])) and currents[0] != 0:
        ds["series_inductance_H"] = ((), 2 * energy / currents[0] ** 2, {"units": "H"})
    return ds


def coil_forces(magnet: Magnet) -> xr.Dataset:
    """Net Lorentz force on each coil from the other coils, newton.

    Pairs of coaxial loops and solenoids that do not overlap along the axis use
    :func:`coaxial_axial_force` (exact, Maxwell's ∂M/∂z); every other pair sums
    I·dl × B(midpoint) over coil k's filaments (the coil's own field exerts no net force
    on it). Returns ``force_N`` on dims (coil, component).
    """
    forces = []
    for k, coil in enumerate(magnet.coils):
        total = np.zeros(3)
        rest = []
        for i, other in enumerate(magnet.coils):
            if i == k:
                continue
            exact = coaxial_axial_force(other, coil)
            if exact is None:
                rest.append(other.id)
            else:
                total += exact * np.asarray(other.placement.axis)
        if rest:
            starts, ends, amps = coil.filaments()
            mid = 0.5 * (starts + ends)
            b = magnet.field(mid, coils=rest)
            total += (amps[:, None] * np.cross(ends - starts, b)).sum(axis=0)
        forces.append(total)
    return xr.Dataset(
        {"force_N": (("coil", "component"), np.array(forces), {"units": "N"})},
        coords={"coil": [c.id for c in magnet.coils], "component": ["x", "y", "z"]},
    )
