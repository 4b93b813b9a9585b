"""A peer solution of TEAM problem 13 by a different finite-element formulation.

CryoGen's 3-D solver (:mod:`solver.magnet.fem.solve3d`) leaves the coil out of the mesh:
its field B_s comes from Biot–Savart on filaments and the unknown is the reduced potential
a, B = B_s + curl a. This peer shares none of that: the coil is a meshed solid carrying a
uniform current density J (its direction the tangent of the rounded square), the unknown
is the total vector potential A, B = curl A, and the energy ∫ w(|curl A|) dV − ∫ J·A dV is
minimised by Newton's method with NGSolve's symbolic energy (``Variation``), its own
linearisation and a direct sparse Cholesky preconditioner, on a mesh of its own. It is the
classical formulation of the NGSolve TEAM-problems solution by V. Hanser (TU Wien,
NGSolve/TEAM-problems@a7c64338: TEAM-13/solution_of_team13_problem.ipynb), written anew
here; run on that notebook's own mesh (team13_mesh.vol, not copied here), the same
formulation gave its published 1000 AT values (centre plate 1.355 T at point 1 against
the notebook's 1.353 T, air point 26 34.7 mT against 35 mT).

The B–H law is the catalog's TEAM-13 table (the problem's Fig. 3 and its Eq. (1) rows)
interpolated piecewise linearly in H(B), with B = μ0 H + J_s beyond the last row; the
geometry is that of :mod:`tests.validation.test_team13` (half model z ≥ 0, B normal on
z = 0, B·n = 0 on an air box 0.5 m beyond the device).

``python -m tests.validation.team13_peer`` prints the air line at 3000 AT at order 2
(400k unknowns, about 10 min and 4.6 GB on two cores; the test runs order 1, about 1 min):

    x (mm)      10     20     30     40     50     60     70     80     90    100    110
    peer (mT) 62.26  43.12  36.93  33.35  31.13  28.93  25.91  20.24  12.92   6.85   4.60
    measured  59.30  40.00  33.60  30.40  28.30  26.00  23.10  18.20  11.60   6.10   4.06

(mean +10.4 %; CryoGen at order 2: 62.66 42.84 36.40 33.34 31.15 28.99 25.94 20.30 12.87
6.92 4.64).
"""

from __future__ import annotations

import numpy as np

from solver.magnet.fem.bh import bh_curve

MM = 1e-3
MU0 = 4e-7 * np.pi  # vacuum permeability, H/m (to 1e-10 after the 2019 SI redefinition)
COIL_AREA_M2 = 25 * MM * 100 * MM  # the winding's cross-section, 25 × 100 mm
AIR_MARGIN_M = 0.5
PLATE_SIZE_M = 4 * MM  # largest element in the plates (3.2 mm thick)
LINE_SIZE_M = 2 * MM  # largest element around the air line


def _rounded_square(occ, half_straight: float, radius: float, z0: float, z1: float):
    """Solid rounded square about z: straights 2·half_straight, corner radius ``radius``."""
    s, r, h = half_straight, radius, z1 - z0
    solid = occ.Box(occ.Pnt(-s - r, -s, z0), occ.Pnt(s + r, s, z1))
    solid = solid + occ.Box(occ.Pnt(-s, -s - r, z0), occ.Pnt(s, s + r, z1))
    for cx in (-s, s):
        for cy in (-s, s):
            solid = solid + occ.Cylinder(occ.Pnt(cx, cy, z0), occ.Z, r=r, h=h)
    return solid


def _mesh(iron_boxes):
    from netgen import occ
    from ngsolve import Mesh

    outer = _rounded_square(occ, 50 * MM, 50 * MM, 0.0, 50 * MM)
    inner = _rounded_square(occ, 50 * MM, 25 * MM, 0.0, 50 * MM)
    coil = outer - inner
    coil.mat("coil")
    plates = []
    for lo, hi in iron_boxes:
        if hi[2] <= 0:
            continue  # the half model keeps z ≥ 0
        box = occ.Box(occ.Pnt(lo[0], lo[1], max(lo[2], 0.0)), occ.Pnt(*hi))
        box.mat("iron")
        box.maxh = PLATE_SIZE_M
        plates.append(box)
    extent = 125.3 * MM + AIR_MARGIN_M
    air = occ.Box(occ.Pnt(-extent, -extent, 0.0), occ.Pnt(extent, extent, 63.2 * MM + AIR_MARGIN_M))
    # 2 mm elements around the line of points 26-36 (y = 20 mm, z = 55 mm, x = 10..110 mm)
    line = occ.Box(occ.Pnt(5 * MM, 15 * MM, 51 * MM), occ.Pnt(115 * MM, 25 * MM, 59 * MM))
    line.maxh = LINE_SIZE_M
    air = air - coil - line
    for p in plates:
        air = air - p
    air.mat("air")
    line.mat("air")
    shape = occ.Glue([air, line, coil, *plates])
    for face in shape.faces:
        c = face.center
        on_box = max(abs(c.x), abs(c.y)) > extent - 1e-9 or c.z > 63.2 * MM + AIR_MARGIN_M - 1e-9
        if on_box:
            face.name = "outer"  # z = 0 (the mirror plane) stays natural: B normal there
    return Mesh(occ.OCCGeometry(shape).GenerateMesh(maxh=0.1, grading=0.4))


def _winding_direction():
    """Unit tangent of the rounded-square winding, anticlockwise about +z (a CoefficientFunction)."""
    from ngsolve import CF, IfPos, sqrt, x, y

    s = 50 * MM
    sx, sy = IfPos(x, 1, -1), IfPos(y, 1, -1)
    dx, dy = x - sx * s, y - sy * s
    r = sqrt(dx * dx + dy * dy) + 1e-12
    in_corner = IfPos(x * sx - s, IfPos(y * sy - s, 1, 0), 0)
    x_side = IfPos(x * sx - y * sy, 1, 0)
    tx = in_corner * (-dy / r) + (1 - in_corner) * (1 - x_side) * (-sy)
    ty = in_corner * (dx / r) + (1 - in_corner) * x_side * sx
    return CF((tx, ty, 0))


def peer_field_T(ampere_turns: float, iron_boxes, points_m, order: int = 2) -> np.ndarray:
    """|B| (T) at ``points_m`` (n, 3; z ≥ 0) from the peer formulation.

    ``iron_boxes`` are the plates' (lo, hi) corners in metres (as in the coil file).
    """
    from ngsolve import (
        BilinearForm,
        BSpline,
        CGSolver,
        GridFunction,
        HCurl,
        InnerProduct,
        LinearForm,
        Norm,
        Preconditioner,
        TaskManager,
        Variation,
        curl,
        dx,
        sqrt,
    )

    mesh = _mesh(iron_boxes)
    mesh.Curve(order)  # the coil's rounded corners curved (flat facets lose 0.9 % of its volume)
    curve = bh_curve("TEAM-13-steel")
    b = np.asarray(curve.b_T)
    h = np.asarray(curve.h_A_per_m)
    j_s = b[-1] - MU0 * h[-1]
    b = np.append(b, [3.0, 10.0])  # the saturation line B = μ0 H + J_s, far beyond reach
    h = np.append(h, (b[-2:] - j_s) / MU0)
    energy_density = BSpline(2, [0.0, *b.tolist()], h.tolist()).Integrate()

    fes = HCurl(mesh, order=order, dirichlet="outer", nograds=True)
    u, v = fes.TnT()
    a = BilinearForm(fes, symmetric=True)
    a += 1 / MU0 * curl(u) * curl(v) * dx(definedon=mesh.Materials("air|coil"))
    a += Variation(energy_density(sqrt(1e-12 + curl(u) * curl(u))) * dx("iron"))
    a += 1e-1 * u * v * dx  # gauge regularisation, ~1e-9 of the curl–curl term at 0.1 m
    pre = Preconditioner(a, type="direct", inverse="sparsecholesky")
    f = LinearForm(fes)
    f += ampere_turns / COIL_AREA_M2 * _winding_direction() * v * dx("coil")
    sol = GridFunction(fes)
    with TaskManager():
        f.Assemble()
        applied, res, step, trial = (sol.vec.CreateVector() for _ in range(4))
        for _ in range(30):
            e0 = a.Energy(sol.vec) - InnerProduct(f.vec, sol.vec)
            a.AssembleLinearization(sol.vec)
            a.Apply(sol.vec, applied)
            res.data = f.vec - applied
            step.data = CGSolver(mat=a.mat, pre=pre.mat, tol=1e-12, maxiter=1000) * res
            decrement = InnerProduct(step, res)
            tau = 1.0
            while True:
                trial.data = sol.vec + tau * step
                if a.Energy(trial) - InnerProduct(f.vec, trial) <= e0 or tau < 1e-3:
                    break
                tau *= 0.5
            sol.vec.data = trial
            if decrement < 1e-10 * abs(e0):
                break
        else:
            raise RuntimeError("peer Newton did not converge in 30 steps")
    field = Norm(curl(sol))
    return np.array([field(mesh(*p)) for p in np.asarray(points_m, dtype=float)])


if __name__ == "__main__":
    from tests.validation.test_team13 import CENTRE, CHANNEL, MEASURED_AIR_3000AT, turned

    x_mm, measured = np.array(MEASURED_AIR_3000AT).T
    pts = np.column_stack([x_mm * MM, np.full_like(x_mm, 20 * MM), np.full_like(x_mm, 55 * MM)])
    boxes = CENTRE + CHANNEL + [turned(b) for b in CHANNEL]
    peer = peer_field_T(3000, boxes, pts)
    for xm, p, m in zip(x_mm, peer, measured, strict=True):
        print(f"x = {xm:5.0f} mm  peer {p * 1e3:7.2f} mT  measured {m * 1e3:6.2f} mT  {p / m:.3f}")
    print(f"mean ratio {np.mean(peer / measured):.3f}")
