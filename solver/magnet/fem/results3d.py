"""Results of a 3-D solve: force on an iron part, mean flux density over a cross-section."""

from __future__ import annotations

import numpy as np

from solver.errors import DesignError
from solver.magnet.fem.problem3d import AXES
from solver.magnet.fem.solve import NU0
from solver.magnet.fem.solve3d import FemSolution3D

# degree-2 rule on the tetrahedron (Keast): barycentric a, b with weights 1/4 each
_A, _B = 0.5854101966249685, 0.1381966011250105
_TET_RULE = np.array([[_A, _B, _B, _B], [_B, _A, _B, _B], [_B, _B, _A, _B], [_B, _B, _B, _A]])


def iron_force_3d_N(solution: FemSolution3D, iron_id: str) -> np.ndarray:
    """Force (N) on one iron part of the whole device (mirror images included), shape (3,).

    Virtual work with Coulomb's element layer: φ is 1 on the part's mesh vertices and
    falls linearly to 0 across the one layer of air elements around it, and
    F = −∫ T·∇φ dV with the air's Maxwell stress T = ν0 (B⊗B − ½|B|² I), which equals
    the stress integrated over any surface in air enclosing the part. Each mirror plane
    doubles the components along it and cancels the one across it.

    Raises
    ------
    DesignError
        If no iron region has that id, the part touches another iron part (the stress
        of air is then not defined on all of its surface), or a coil passes through the
        element layer (the stress there is not that of a current-free region).
    """
    problem = solution.problem
    ids = [r.id for r in problem.iron]
    if iron_id not in ids:
        raise DesignError(f"iron {iron_id!r}: no such iron region; regions: {', '.join(ids)}")
    ngmesh = solution.mesh.ngmesh
    elements = ngmesh.Elements3D().NumPy()
    nodes = np.asarray(elements["nodes"])[:, :4].astype(np.int64) - 1
    names = np.array([ngmesh.GetMaterial(int(i)) for i in elements["index"]])
    xyz = np.asarray(ngmesh.Coordinates())
    part = f"iron{ids.index(iron_id)}"
    on_part = np.zeros(len(xyz), dtype=bool)
    on_part[nodes[names == part].ravel()] = True
    touching = on_part[nodes].any(axis=1) & (names != part)
    if np.any(touching & (names != "air")):
        raise DesignError(
            f"iron {iron_id!r}: touches another iron region, so its force is not defined "
            "by the stress in air; leave an air gap"
        )
    _check_no_coil_in(solution, np.flatnonzero(touching), iron_id)
    tets = nodes[touching]
    corners = xyz[tets]  # (m, 4, 3)
    edges = corners[:, 1:] - corners[:, :1]  # (m, 3, 3)
    volume = np.abs(np.linalg.det(edges)) / 6.0
    # ∇ of the barycentric coordinates 1..3 are the rows of inv(edges)ᵀ; φ = Σ on-part λ
    grads = np.linalg.inv(edges).transpose(0, 2, 1)
    grads = np.concatenate([-grads.sum(axis=1, keepdims=True), grads], axis=1)
    grad_phi = np.einsum("mk,mkd->md", on_part[tets].astype(float), grads)
    points = np.einsum("qk,mkd->mqd", _TET_RULE, corners).reshape(-1, 3)
    b = solution.field(points).reshape(len(tets), 4, 3)
    g = grad_phi[:, None, :]
    stress_dot_grad = NU0 * (
        b * np.sum(b * g, axis=2, keepdims=True) - 0.5 * np.sum(b * b, axis=2, keepdims=True) * g
    )
    force = -np.einsum("m,mqd->d", volume / 4.0, stress_dot_grad)
    for axis, _ in problem.mirror_planes:
        force *= 2.0
        force[axis] = 0.0
    return force


def _check_no_coil_in(solution: FemSolution3D, elements: np.ndarray, iron_id: str) -> None:
    """DesignError when a coil's filaments (their ends and Gauss points, folded into the
    meshed part) lie in one of the mesh ``elements``."""
    problem = solution.problem
    layer = np.zeros(solution.mesh.ne, dtype=bool)
    layer[elements] = True
    for coil in problem.coils:
        starts, ends, _ = coil.filaments()
        mid = 0.5 * (starts + ends)
        q, _ = problem.mirror(np.concatenate([starts, mid]))
        found = solution.mesh(q[:, 0], q[:, 1], q[:, 2])["nr"]
        if np.any(layer[found[found >= 0]]):
            raise DesignError(
                f"iron {iron_id!r}: coil {coil.id!r} passes through the layer of elements "
                "around it, where its force is taken from the stress of current-free air; "
                "make the elements there smaller than half the coil's distance to the iron "
                "(mesh.refine or the iron's max_size_m)"
            )


def mean_flux_density_T(
    solution: FemSolution3D, axis: str, at_m: float, lo_m, hi_m, n: int = 24
) -> float:
    """Mean normal flux density (T) over a rectangle of the plane ``axis`` = ``at_m``.

    The rectangle spans ``lo_m``..``hi_m`` (two coordinates each, in the order of the other
    two axes, m), sampled by the n × n midpoint rule: the flux through it over its area.
    """
    k = AXES.index(axis)
    others = [i for i in range(3) if i != k]
    u = lo_m[0] + (np.arange(n) + 0.5) * (hi_m[0] - lo_m[0]) / n
    v = lo_m[1] + (np.arange(n) + 0.5) * (hi_m[1] - lo_m[1]) / n
    uu, vv = np.meshgrid(u, v, indexing="ij")
    p = np.empty((n * n, 3))
    p[:, k] = at_m
    p[:, others[0]], p[:, others[1]] = uu.ravel(), vv.ravel()
    return float(np.mean(solution.field(p)[:, k]))
