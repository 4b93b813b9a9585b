"""Self and mutual inductance, stored energy and forces between coils.

* Coaxial loops: Maxwell's closed form (:func:`mutual_inductance_coaxial_loops`).
* Round-wire loop: L = μ0 N² a (ln(8a/r) − 7/4) (uniform current; E. B. Rosa,
  Bull. Bur. Stand. 4, 301 (1908); F. W. Grover, *Inductance Calculations* (1946)).
* Coaxial loops and solenoids (thin or thick, apart, overlapping or identical, so the
  self inductance of a solenoid too): Maxwell's M averaged over both cross-sections,
  split at its logarithmic singularity and integrated by the tanh-sinh rule
  (:mod:`solver.kernels.coaxial_windings`; ~1e-11, checked against Nagaoka's closed form
  and Grover's Brooks coil).
* Two loops in any position: N_b ∮_b A_a·dl with the exact vector potential of loop a
  (Maxwell's kernel) by the trapezoid rule on the true circle of b, which converges
  geometrically for a smooth periodic integrand; their force N_b I_b ∮ dl × B_a likewise.
* Coaxial loops and solenoids: the axial force from Maxwell's M differentiated in closed
  form and averaged the same way (:func:`coaxial_axial_force`).
* Any other pair: Neumann's formula M = (μ0/4π) ∮∮ dl·dl'/|r − r'|, evaluated as the
  flux linkage ∮ A·dl' with the exact vector potential of each straight filament of
  one coil at two Gauss points per segment of the other. A filament coil's self
  inductance uses the same integral with the second path displaced (both ways,
  averaged) by the geometric mean distance of the round wire, r·e^(−1/4) (Grover, ch. 2).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from solver.errors import DesignError, SolverError
from solver.kernels import biot_savart, coaxial_windings, magnet_axisymmetric
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


_COAXIAL_RULES = coaxial_windings.rules()


def _coaxial_windings(coil: Coil) -> tuple[float, float, float, float] | None:
    """(inner radius, outer radius, half length, turns), metres, of a loop (h = 0), a thin
    solenoid (inner = outer) or a thick one; None for any other coil."""
    if isinstance(coil, Loop):
        return coil.radius_m, coil.radius_m, 0.0, coil.turns
    if isinstance(coil, Solenoid):
        r1, r2 = (coil.radius_m, coil.radius_m) if coil.is_thin else coil.winding_radii_m
        return float(r1 or 0.0), float(r2 or 0.0), 0.5 * coil.length_m, coil.turns
    return None


def _coaxial_pair(a: Coil, b: Coil, force: bool) -> float | None:
    """μ0·N_a·N_b·M̄ (the mutual inductance, H) or its derivative in the distance (N/A²,
    the axial force on b per I_a·I_b) of two coaxial loops or solenoids, signed by their
    current directions; None when they are not both coaxial loops or solenoids."""
    wa, wb = _coaxial_windings(a), _coaxial_windings(b)
    if wa is None or wb is None or not _coaxial(a, b):
        return None
    ax = np.asarray(a.placement.axis)
    sign = float(np.sign(ax @ np.asarray(b.placement.axis)))
    d = float((b.placement.center - a.placement.center) @ ax)
    if wa[2] == 0 and wb[2] == 0 and wa[0] == wb[0] and d == 0:
        raise DesignError(
            f"coils {a.id!r} and {b.id!r} are coincident loops: the mutual inductance and "
            "force of a filament with itself diverge"
        )
    value = coaxial_windings.coaxial_windings_mean(
        wa[0], wa[1], wa[2], wb[0], wb[1], wb[2], d, force, *_COAXIAL_RULES
    )
    return sign * MU0_H_PER_M * wa[3] * wb[3] * value


def coaxial_axial_force(a: Coil, b: Coil) -> float | None:
    """Exact axial force on coil b from coil a (N), along a's axis, when both are coaxial
    loops or solenoids (apart, overlapping or nested); None otherwise.

    Maxwell's ∂M/∂z in closed form, averaged over both windings
    (:func:`solver.kernels.coaxial_windings.coaxial_windings_mean`).
    """
    per_ampere2 = _coaxial_pair(a, b, force=True)
    if per_ampere2 is None:
        return None
    return a.current_A * b.current_A * per_ampere2


CIRCLE_RTOL = 1e-13
"""Trapezoid points on a loop's true circle are doubled until the result changes less."""


def _true_circle(loop: Loop, n: int):
    """n equally spaced points on a loop's circle and the weighted tangents dl, (n, 3) m."""
    phi = 2 * np.pi * np.arange(n) / n
    r = loop.radius_m
    local = np.column_stack([r * np.cos(phi), r * np.sin(phi), np.zeros(n)])
    tangent = np.column_stack([-np.sin(phi), np.cos(phi), np.zeros(n)]) * (2 * np.pi * r / n)
    return loop.placement.to_global(local), tangent @ loop.placement.rotation.T


def loop_vector_potential_per_A(loop: Loop, points: np.ndarray) -> np.ndarray:
    """Exact vector potential of a loop per ampere of its current (all turns), T·m/A.

    A_φ = μ0 N M̃(a, ρ, z)/(2πρ) with M̃ Maxwell's mutual-inductance kernel (the flux of
    the loop through the coaxial circle of radius ρ at height z, per μ0), along φ̂ about
    the loop's axis; zero on the axis.
    """
    local = loop.placement.to_local(points)
    rho = np.hypot(local[:, 0], local[:, 1])
    kernel = np.zeros(len(points))
    on_axis = rho == 0
    magnet_axisymmetric.coaxial_loops_mutual_array(
        np.full(len(points), loop.radius_m), np.where(on_axis, 1.0, rho), local[:, 2].copy(), kernel
    )
    a_phi = np.where(
        on_axis, 0.0, MU0_H_PER_M * loop.turns * kernel / (2 * np.pi * np.where(on_axis, 1.0, rho))
    )
    safe = np.where(on_axis, 1.0, rho)
    phi_hat_local = np.column_stack(
        [-local[:, 1] / safe, local[:, 0] / safe, np.zeros(len(points))]
    )
    return (a_phi[:, None] * phi_hat_local) @ loop.placement.rotation.T


def _on_true_circle(loop: Loop, integrand) -> float | np.ndarray:
    """Trapezoid rule of ``integrand(points, dl)`` summed over the circle of ``loop``,
    doubling the points (geometric convergence for a smooth periodic integrand)."""
    n, previous = 64, None
    while True:
        value = integrand(*_true_circle(loop, n))
        if previous is not None and np.all(
            np.abs(value - previous) <= CIRCLE_RTOL * np.max(np.abs(value))
        ):
            return value
        if n >= 2**16:
            raise SolverError(
                f"loop {loop.id!r}: the circle integral did not converge; the loops nearly touch"
            )
        previous, n = value, 2 * n


def mutual_inductance_loops(a: Loop, b: Loop) -> float:
    """Mutual inductance of any two loops (H): N_b ∮_b A_a·dl with the exact loop vector
    potential, trapezoid rule on the true circle of b."""
    return float(
        _on_true_circle(b, lambda p, dl: b.turns * np.sum(loop_vector_potential_per_A(a, p) * dl))
    )


def loop_force_on(b: Loop, a: Loop) -> np.ndarray:
    """Force on loop b from loop a (N): N_b I_b ∮_b dl × B_a with the exact loop field,
    trapezoid rule on the true circle of b."""
    return np.asarray(
        _on_true_circle(
            b,
            lambda p, dl: b.turns * b.current_A * np.cross(dl, a.field(p)).sum(axis=0),
        )
    )


def self_inductance_loop(radius_m: float, wire_radius_m: float, turns: float = 1.0) -> float:
    """Round-wire loop (bundle of ``turns``): μ0 N² a (ln(8a/r) − 7/4), henry (valid for r ≪ a)."""
    if not 0 < wire_radius_m < radius_m:
        raise DesignError("self inductance of a loop needs 0 < wire_radius_m < radius_m")
    return MU0_H_PER_M * turns**2 * radius_m * (np.log(8 * radius_m / wire_radius_m) - 1.75)


def self_inductance_solenoid(sol: Solenoid) -> float:
    """Self inductance of a thin or thick solenoid (uniform current density), henry:
    μ0 N² times Maxwell's M averaged over the winding with itself."""
    value = _coaxial_pair(sol, sol, force=False)
    assert value is not None  # a solenoid is its own coaxial partner
    return value


def filament_quadrature(coil: Coil, offset_m: float = 0.0):
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
    pts, dl = filament_quadrature(coil_b, offset_m)
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
    return bool(np.linalg.norm(d - (d @ ax) * ax) <= 1e-12 * max(1.0, float(np.linalg.norm(d))))


def mutual_inductance(a: Coil, b: Coil) -> float:
    """Mutual inductance between two different coils, henry (Maxwell's M averaged over the
    windings for coaxial loops and solenoids, the exact loop potential on the true circle
    for other loop pairs, Neumann on filaments otherwise; sign follows the coils' current
    directions)."""
    coaxial = _coaxial_pair(a, b, force=False)
    if coaxial is not None:
        return coaxial
    if isinstance(a, Loop) and isinstance(b, Loop):
        return mutual_inductance_loops(a, b)
    return neumann_mutual_inductance(a, b)


def coil_inductance_matrix_H(coils, wire_radius_m: float | None) -> np.ndarray:
    """Self (diagonal) and mutual inductances of coils in air, henry, shape (n, n);
    ``wire_radius_m`` is needed by loops and filament coils (:func:`self_inductance`)."""
    n = len(coils)
    m = np.zeros((n, n))
    for i, ci in enumerate(coils):
        m[i, i] = self_inductance(ci, wire_radius_m)
        for j in range(i + 1, n):
            m[i, j] = m[j, i] = mutual_inductance(ci, coils[j])
    return m


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
    m = coil_inductance_matrix_H(magnet.coils, wire)
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

    Pairs of coaxial loops and solenoids use :func:`coaxial_axial_force` (exact, Maxwell's
    ∂M/∂z averaged over both windings); other loop pairs the exact loop field on the true
    circle; every other pair sums
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
            if exact is not None:
                total += exact * np.asarray(other.placement.axis)
            elif isinstance(coil, Loop) and isinstance(other, Loop):
                total += loop_force_on(coil, other)
            else:
                rest.append(other.id)
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
