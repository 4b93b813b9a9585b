"""Finite-element magnetostatics with iron (NGSolve + Netgen): axisymmetric and planar,
nonlinear B–H by Newton, exact open boundary by Kelvin inversion, meshes cached by geometry."""

from solver.magnet.fem.bh import BHCurve, bh_curve, bh_curve_ids
from solver.magnet.fem.problem import FemProblem, fem_problem_from_dict, needs_fem
from solver.magnet.fem.solve import FemSolution, solve

__all__ = [
    "BHCurve",
    "FemProblem",
    "FemSolution",
    "bh_curve",
    "bh_curve_ids",
    "fem_problem_from_dict",
    "needs_fem",
    "solve",
]
