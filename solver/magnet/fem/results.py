"""What engineers ask of a solved FEM problem: energy and inductance, forces on iron and
coils, fringe-field extent and shielding factor.

Units: axisymmetric results are for the whole revolved device (J, N, H); planar ones are
per metre of length along z (J/m, N/m, H/m).
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from solver.errors import DesignError
from solver.magnet._constants import MU0_H_PER_M
from solver.magnet.fem.geometry import IMAGE_RINGS
from solver.magnet.fem.solve import FemSolution, _ng
from solver.magnet.fringe import FRINGE_LEVEL_T, ray_extents

NU0 = 1.0 / MU0_H_PER_M


def _weight(sol: FemSolution):
    ng = _ng()
    return 2 * math.pi * ng.x if sol.problem.symmetry == "axisymmetric" else ng.CF(1.0)


def stored_energy_J(sol: FemSolution) -> float:
    """Magnetic energy W = ∫ ∫₀^B H dB' dV of an axisymmetric problem driven by its windings
    (air, windings, iron and the whole exterior through the Kelvin image), joules.

    Raises DesignError for a background field or line currents (their energy is infinite).
    """
    if sol.problem.line_currents or any(sol.problem.background_field_T):
        raise DesignError(
            "stored energy: infinite with a background field or line currents; only "
            "windings in an axisymmetric problem have a finite energy"
        )
    ng = _ng()
    forms = sol.forms
    tmp = sol.a.vec.CreateVector()
    tmp.data = forms.k.mat * sol.a.vec
    energy = 0.5 * ng.InnerProduct(sol.a.vec, tmp)
    if forms.nonlinear:
        forms.update(sol.a)
        energy += ng.Integrate(forms.g_w * forms.weight * forms.dxi, sol.mesh)
    return float(energy)


def inductance(sol: FemSolution) -> xr.Dataset:
    """Flux linkage of each winding and the inductance with iron (axisymmetric windings).

    Returns
    -------
    xarray.Dataset
        ``flux_linkage_Wb`` on dim ``coil`` (Λ = N/A ∫ 2πr A_φ dA over the winding),
        ``apparent_inductance_H`` = Λ/I per coil (all coils energised), ``energy_J`` and
        ``energy_inductance_H`` = 2W/I² when all windings carry the same current.
    """
    ng = _ng()
    if sol.problem.symmetry != "axisymmetric" or not sol.problem.windings:
        raise DesignError("inductance: needs an axisymmetric problem with windings")
    linkage = []
    for i, w in enumerate(sol.problem.windings):
        area = (w.r_outer_m - w.r_inner_m) * (w.z_max_m - w.z_min_m)
        flux = ng.Integrate(sol.a * 2 * math.pi * ng.x * ng.dx(f"coil{i}"), sol.mesh)
        linkage.append(w.turns / area * flux)
    currents = np.array([w.current_A for w in sol.problem.windings])
    energy = stored_energy_J(sol)
    ds = xr.Dataset(
        {
            "flux_linkage_Wb": ("coil", np.array(linkage), {"units": "Wb"}),
            "current_A": ("coil", currents, {"units": "A"}),
            "apparent_inductance_H": ("coil", np.array(linkage) / currents, {"units": "H"}),
            "energy_J": ((), energy, {"units": "J"}),
        },
        coords={"coil": [w.id for w in sol.problem.windings]},
    )
    if np.allclose(currents, currents[0]) and currents[0] != 0:
        ds["energy_inductance_H"] = ((), 2 * energy / currents[0] ** 2, {"units": "H"})
    return ds


def iron_force_N(sol: FemSolution, iron_ids: list[str] | None = None) -> np.ndarray:
    """Net force on a group of iron regions by virtual work (Coulomb's method), shape (2,).

    F = −∫ T : ∇g dV over the layer of non-iron elements around the group, with g = 1 on
    the group's vertices and 0 elsewhere (linear), T = ν0 (B⊗B − ½|B|² I) the vacuum
    Maxwell stress (J. L. Coulomb, IEEE Trans. Magn. 19, 2514 (1983)). Components (0,
    F_z) for axisymmetric problems (the net radial force of a revolved part is zero),
    (F_x, F_y) in N/m for planar ones. The group must not touch other iron.
    """
    ng = _ng()
    regions = sol.problem.iron
    ids = [r.id for r in regions] if iron_ids is None else list(iron_ids)
    index = {r.id: i for i, r in enumerate(regions)}
    unknown = [i for i in ids if i not in index]
    if unknown:
        raise DesignError(f"iron force: unknown iron id {unknown[0]!r}; iron ids: {list(index)}")
    names = "|".join(f"iron{index[i]}" for i in ids)
    others = [f"iron{j}" for j, r in enumerate(regions) if r.id not in ids]
    fes = ng.H1(sol.mesh, order=1)
    g = ng.GridFunction(fes)
    g.Set(1.0, definedon=sol.mesh.Materials(names))
    for lc in sol.problem.line_currents:
        if g(sol.mesh(*lc.position_m)) > 0:
            raise DesignError(
                f"iron force: line current {lc.id!r} lies in the layer of elements around "
                f"{ids}; refine mesh.max_size_m below half its distance to the iron"
            )
    bs = sol.forms.bs
    b = bs + sol.forms.curl(sol.a)
    gg = ng.grad(g)
    outside = "|".join(["air", *[f"coil{i}" for i in range(len(sol.problem.windings))]])
    dx = ng.dx(definedon=sol.mesh.Materials(outside))
    w = _weight(sol)
    force = []
    for k in range(2):
        if k == 0 and sol.problem.symmetry == "axisymmetric":
            force.append(0.0)  # the radial forces of a revolved part cancel
            continue
        tk = NU0 * (b[k] * b - 0.5 * (b * b) * ng.CF((1.0, 0.0) if k == 0 else (0.0, 1.0)))
        force.append(-ng.Integrate(tk * gg * w * dx, sol.mesh))
    if others:
        touching = ng.Integrate(g * ng.dx(definedon=sol.mesh.Materials("|".join(others))), sol.mesh)
        if touching > 0:
            raise DesignError(
                f"iron force: the group {ids} touches other iron; include it in the group"
            )
    return np.array(force)


def coil_forces(sol: FemSolution) -> xr.Dataset:
    """Lorentz force on each coil in the field of everything else (iron included).

    Axisymmetric windings: F_z = −∫ J_φ B_r 2πr dA (N; the radial hoop force has no net
    resultant). Planar line currents: F = I ẑ × B_others at the line (N/m), with B_others
    the total field minus the line's own.
    """
    ng = _ng()
    p = sol.problem
    forces = []
    if p.symmetry == "axisymmetric":
        br = sol.forms.bs[0] + sol.forms.curl(sol.a)[0]
        for i, w in enumerate(p.windings):
            fz = -ng.Integrate(
                w.current_density_A_per_m2 * br * 2 * math.pi * ng.x * ng.dx(f"coil{i}"), sol.mesh
            )
            forces.append([0.0, 0.0, fz])
    else:
        for lc in p.line_currents:
            pos = np.asarray([lc.position_m])
            b = (sol.reduced_field(pos) + _line_field_excluding(sol, lc.id, pos))[0]
            forces.append([-lc.current_A * b[1], lc.current_A * b[0], 0.0])
    ids = p.source_ids
    return xr.Dataset(
        {"force_N": (("coil", "component"), np.array(forces), {"units": "N or N/m"})},
        coords={"coil": ids, "component": ["x", "y", "z"]},
    )


def _line_field_excluding(sol: FemSolution, line_id: str, pos: np.ndarray) -> np.ndarray:
    """B_s at ``pos`` without the line ``line_id`` (finite at its own position)."""
    bg = np.asarray(sol.problem.background_field_T)
    out = np.tile(bg[:2], (len(pos), 1)).astype(float)
    for lc in sol.problem.line_currents:
        if lc.id == line_id:
            continue
        d = pos - np.asarray(lc.position_m)
        k = MU0_H_PER_M * lc.current_A / (2 * math.pi * np.sum(d * d, axis=1))
        out[:, 0] -= k * d[:, 1]
        out[:, 1] += k * d[:, 0]
    return out


def fringe_extent_m(
    sol: FemSolution, level_T: float = FRINGE_LEVEL_T, origin_m=(0.0, 0.0)
) -> xr.Dataset:
    """Farthest distance from ``origin_m`` along each axis direction at which |B| is still
    ``level_T`` (default 0.5 mT, the 5-gauss line), metres.

    Directions: +z, −z and r (axisymmetric, origin on the axis) or ±x, ±y (planar). Each
    ray is sampled at 600 geometrically spaced points out to 2^IMAGE_RINGS times the
    domain radius (resolved through the Kelvin image) and the outermost crossing is refined
    by Brent's method (:func:`solver.magnet.fringe.ray_extents`). ``extent_m`` is 0 when
    |B| < level everywhere on the ray and inf when it is still above the level at the far end.

    Accuracy, measured on the solenoid of ``iron_yoke_solenoid.coil.json`` with its pot at
    μr = 1 (tests/magnet/test_fem_axisym_accuracy.py), where the field beyond the inner
    disc (R = 0.4 m) comes through the Kelvin image: |B| on the axis within 3e-4 of the
    thick-solenoid closed form from 0.5 to 5 m, off the axis within about 2e-3 (the image
    is meshed at ρ/8, its axis at ρ/64; see :mod:`.geometry`). Since |B| falls as the
    inverse cube of the distance there, the distances are 3 times more accurate: 1e-4
    along the axis, 1e-3 radially (against the loop sums).
    """
    axi = sol.problem.symmetry == "axisymmetric"
    rays = (
        {"+z": (0.0, 1.0), "-z": (0.0, -1.0), "r": (1.0, 0.0)}
        if axi
        else {"+x": (1.0, 0.0), "-x": (-1.0, 0.0), "+y": (0.0, 1.0), "-y": (0.0, -1.0)}
    )
    radius = sol.domain.radius_m
    s = np.geomspace(1e-4 * radius, radius * 2**IMAGE_RINGS, 600)

    def magnitude(points: np.ndarray) -> np.ndarray:
        return np.linalg.norm(sol.plane_field(points), axis=1)

    return ray_extents(
        magnitude, origin_m, {k: np.asarray(v) for k, v in rays.items()}, s, level_T, 1e-9 * radius
    )


def shielding_factor(sol: FemSolution, point_m) -> float:
    """|B_applied| / |B(point)| for a problem with a background field (dimensionless)."""
    bg = np.asarray(sol.problem.background_field_T)
    if not np.any(bg):
        raise DesignError("shielding factor: the problem has no background_field_T")
    b = sol.field(np.atleast_2d(point_m))[0]
    return float(np.linalg.norm(bg) / np.linalg.norm(b))
