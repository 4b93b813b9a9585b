"""The 3-D grid solver beside FiPy on a small truly 3-D case (accuracy; timing is make bench).

A unit cube of k(T) = 1 + 0.05·T: 300 K on one quarter of the x = 0 face, 20 K on x = 1,
a heated block inside, every other face adiabatic. Inside one material the Kirchhoff
potential Θ(T) = ∫k dT obeys the linear ∇²Θ + q = 0 with the same boundary values, so
FiPy solves that linear problem on the same 8³ finite-volume mesh and T = Θ⁻¹ follows in
closed form. Our solver runs Newton on the nonlinear problem in T.
"""

from __future__ import annotations

import numpy as np
from fipy import CellVariable, DiffusionTerm, Grid3D
from fipy.solvers.scipy import LinearLUSolver

from solver.thermal.grid import Box, ConductionBody, FixedTemperature, Patch, VolumeSource
from tests.thermal.grid_cases import LinearK

N, T_HOT, T_COLD, POWER_W = 8, 300.0, 20.0, 2000.0
HOT = {"min_m": (-1.0, 0.0, 0.0), "max_m": (1.0, 0.5, 0.5)}  # a quarter of the x = 0 face
BLOCK = {"min_m": (0.25, 0.25, 0.25), "max_m": (0.75, 0.75, 0.75)}  # 4³ heated cells


def test_grid_solver_matches_fipy_on_a_3d_kirchhoff_problem():
    k = LinearK()
    body = ConductionBody(
        [Box((0, 0, 0), (1, 1, 1), k)],
        1.0 / N,
        [Patch("hot", "x-", FixedTemperature(T_HOT), **HOT),
         Patch("cold", "x+", FixedTemperature(T_COLD))],
        [VolumeSource("block", power_W=POWER_W, **BLOCK)],
    )  # fmt: skip
    ours = body.solve_steady(rtol=1e-12).T.values

    mesh = Grid3D(nx=N, ny=N, nz=N, dx=1.0 / N, dy=1.0 / N, dz=1.0 / N)
    theta = CellVariable(mesh=mesh, value=float(k.theta(T_COLD)))
    _, y, z = mesh.faceCenters
    theta.constrain(float(k.theta(T_HOT)), mesh.facesLeft & (y < 0.5) & (z < 0.5))
    theta.constrain(float(k.theta(T_COLD)), mesh.facesRight)
    cx, cy, cz = mesh.cellCenters
    heated = (cx > 0.25) & (cx < 0.75) & (cy > 0.25) & (cy < 0.75) & (cz > 0.25) & (cz < 0.75)
    q = CellVariable(mesh=mesh, value=np.where(heated, POWER_W / 0.5**3, 0.0))  # W/m³
    (DiffusionTerm(coeff=1.0) + q).solve(var=theta, solver=LinearLUSolver())
    # FiPy numbers cells x fastest: (z, y, x) -> (x, y, z)
    peer = k.theta_inverse(np.asarray(theta.value).reshape(N, N, N).transpose(2, 1, 0))

    # Newton to 1e-12 of the gross flows against an LU solve of the same linear system, and the
    # solver's piecewise-linear k tables hold this linear k exactly: round-off (seen: 1e-11 K)
    assert np.abs(ours - peer).max() < 1e-9 * T_HOT
