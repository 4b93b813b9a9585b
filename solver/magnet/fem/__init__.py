"""Finite-element magnetostatics with iron (NGSolve + Netgen): axisymmetric and planar,
nonlinear B–H by Newton, exact open boundary by Kelvin inversion, meshes cached by geometry.

For views: :func:`fem_field_map` (a coil-file dict → B and flux function on a grid of the
symmetry plane, xarray) and :func:`iron_outlines` (iron id → outline points)."""

from solver.magnet.fem.bh import BHCurve, bh_curve, bh_curve_ids
from solver.magnet.fem.magnet import (
    FemMagnet,
    fem_field_map,
    fem_magnet_from_dict,
    iron_outlines,
    plane_field_map,
)
from solver.magnet.fem.overview import (
    FRINGE_LEVEL_T,
    IronMagnetSummary,
    iron_field_map,
    summarise_iron_magnet,
)
from solver.magnet.fem.problem import FemProblem, fem_problem_from_dict, needs_fem
from solver.magnet.fem.results import (
    coil_forces,
    fringe_extent_m,
    inductance,
    iron_force_N,
    shielding_factor,
    stored_energy_J,
)
from solver.magnet.fem.solve import FemSolution, solve

__all__ = [
    "FRINGE_LEVEL_T",
    "BHCurve",
    "FemMagnet",
    "FemProblem",
    "FemSolution",
    "IronMagnetSummary",
    "bh_curve",
    "bh_curve_ids",
    "coil_forces",
    "fem_field_map",
    "fem_magnet_from_dict",
    "fem_problem_from_dict",
    "fringe_extent_m",
    "inductance",
    "iron_field_map",
    "iron_force_N",
    "iron_outlines",
    "needs_fem",
    "plane_field_map",
    "shielding_factor",
    "solve",
    "stored_energy_J",
    "summarise_iron_magnet",
]
