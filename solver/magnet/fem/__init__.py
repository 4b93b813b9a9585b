"""Finite-element magnetostatics with iron (NGSolve + Netgen): axisymmetric and planar,
nonlinear B–H by Newton, exact open boundary by Kelvin inversion, meshes cached by geometry;
and 3-D (H(curl) reduced vector potential with Biot–Savart coils, :func:`solve3d`).

For views: :func:`fem_field_map` (a coil-file dict → B and flux function on a grid of the
symmetry plane, xarray) and :func:`iron_outlines` (iron id → outline points)."""

from solver.magnet.fem.bh import BHCurve, bh_curve, bh_curve_ids
from solver.magnet.fem.coils3d import (
    coil_forces_3d,
    flux_linkage_through_Wb,
    inductance_3d,
    stored_energy_3d_J,
)
from solver.magnet.fem.magnet import (
    FemMagnet,
    fem_field_map,
    fem_magnet_from_dict,
    iron_outlines,
    plane_field_map,
)
from solver.magnet.fem.magnet3d import FemMagnet3D, fem_magnet3d_from_dict
from solver.magnet.fem.overview import (
    FRINGE_LEVEL_T,
    IronMagnetSummary,
    iron_field_map,
    summarise_iron_magnet,
)
from solver.magnet.fem.overview3d import (
    IronMagnet3DSummary,
    iron_plane_map3d,
    summarise_iron_magnet3d,
)
from solver.magnet.fem.problem import FemProblem, fem_problem_from_dict, needs_fem
from solver.magnet.fem.problem3d import Problem3D, problem3d_from_dict
from solver.magnet.fem.results import (
    coil_forces,
    fringe_extent_m,
    inductance,
    iron_force_N,
    shielding_factor,
    stored_energy_J,
)
from solver.magnet.fem.results3d import iron_force_3d_N, mean_flux_density_T
from solver.magnet.fem.solve import FemSolution, solve
from solver.magnet.fem.solve3d import FemSolution3D, solve3d

__all__ = [
    "FRINGE_LEVEL_T",
    "BHCurve",
    "FemMagnet",
    "FemMagnet3D",
    "FemProblem",
    "FemSolution",
    "FemSolution3D",
    "IronMagnet3DSummary",
    "IronMagnetSummary",
    "Problem3D",
    "bh_curve",
    "bh_curve_ids",
    "coil_forces",
    "coil_forces_3d",
    "fem_field_map",
    "fem_magnet3d_from_dict",
    "fem_magnet_from_dict",
    "fem_problem_from_dict",
    "flux_linkage_through_Wb",
    "fringe_extent_m",
    "inductance",
    "inductance_3d",
    "iron_field_map",
    "iron_force_3d_N",
    "iron_force_N",
    "iron_outlines",
    "iron_plane_map3d",
    "mean_flux_density_T",
    "needs_fem",
    "plane_field_map",
    "problem3d_from_dict",
    "shielding_factor",
    "solve",
    "solve3d",
    "stored_energy_3d_J",
    "stored_energy_J",
    "summarise_iron_magnet",
    "summarise_iron_magnet3d",
]
