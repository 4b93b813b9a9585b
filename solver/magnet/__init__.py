"""Magnet physics: coil fields, field maps and quality, superconductors, margins,
inductance and forces, quench. Objects on top of the numba kernels in ``solver.kernels``."""

from solver.magnet._constants import MU0_H_PER_M
from solver.magnet.coilfile import SCHEMA, coil_from_dict, load_coil_file, magnet_to_dict
from solver.magnet.coils import (
    CCT,
    COIL_TYPES,
    Coil,
    Helmholtz,
    Loop,
    Path,
    Racetrack,
    Saddle,
    Solenoid,
)
from solver.magnet.field_grid import (
    design_field_map,
    design_magnets,
    field_axes,
    magnets_field_map,
    winding_bounds,
)
from solver.magnet.field_quality import harmonics, homogeneity
from solver.magnet.fringe import fringe_extent_m
from solver.magnet.inductance import (
    coil_forces,
    inductance_matrix,
    mutual_inductance,
    mutual_inductance_coaxial_loops,
    self_inductance,
)
from solver.magnet.magnet import Magnet, field_map
from solver.magnet.margins import margins, peak_field, short_sample_current_A
from solver.magnet.quench import (
    copper_resistivity,
    dump_discharge,
    hot_spot_temperature,
    miits,
    normal_zone_velocity,
)
from solver.magnet.summary import FringeSummary, MagnetSummary, ic_curve, summarise
from solver.magnet.superconductors import (
    Conductor,
    Superconductor,
    get_superconductor,
    superconductor_names,
)

__all__ = [
    "CCT",
    "COIL_TYPES",
    "MU0_H_PER_M",
    "SCHEMA",
    "Coil",
    "Conductor",
    "FringeSummary",
    "Helmholtz",
    "Loop",
    "Magnet",
    "MagnetSummary",
    "Path",
    "Racetrack",
    "Saddle",
    "Solenoid",
    "Superconductor",
    "coil_forces",
    "coil_from_dict",
    "copper_resistivity",
    "design_field_map",
    "design_magnets",
    "dump_discharge",
    "field_axes",
    "field_map",
    "fringe_extent_m",
    "get_superconductor",
    "harmonics",
    "homogeneity",
    "hot_spot_temperature",
    "ic_curve",
    "inductance_matrix",
    "load_coil_file",
    "magnet_to_dict",
    "magnets_field_map",
    "margins",
    "miits",
    "mutual_inductance",
    "mutual_inductance_coaxial_loops",
    "normal_zone_velocity",
    "peak_field",
    "self_inductance",
    "short_sample_current_A",
    "summarise",
    "superconductor_names",
    "winding_bounds",
]
