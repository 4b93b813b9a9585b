"""3-D finite-volume conduction in bodies on Cartesian grids.

>>> from solver.thermal.grid import Box, ConductionBody, FixedTemperature, Patch
>>> body = ConductionBody(
...     [Box((0, 0, 0), (0.1, 0.02, 0.02), "OFHC-Cu-RRR100")], spacing_m=0.005,
...     patches=[Patch("warm", "x-", FixedTemperature(80.0)),
...              Patch("cold", "x+", FixedTemperature(4.0))])
>>> ds = body.solve_steady()           # xarray Dataset: T (x, y, z) in K, patch_heat_W
>>> ds.patch_heat_W.sel(patch="warm")  # W into the body through the warm face

Geometry: boxes take whole cells, cylinders exact cut cells (fractional cell volumes
and face areas, so a rod carries its nominal πr²; see ``geometry``).
Physics: nonlinear k(T) with the Kirchhoff transform inside one material and
harmonic-mean face conductances between materials; radiation with the face
temperature eliminated exactly; steady Newton (in Kirchhoff variables) with a
line search; transients by backward Euler in enthalpy form with an adaptive step.
A body whose patches link to network nodes offers ``terminals`` and
``terminal_response(T)`` to the network solver; ``body_from_dict`` builds one
from a design-file entry.
"""

from solver.thermal.grid.body import ConductionBody
from solver.thermal.grid.boundary import (
    FixedTemperature,
    HeatFlux,
    NodeLink,
    Patch,
    Radiation,
    VolumeSource,
)
from solver.thermal.grid.design import body_from_dict
from solver.thermal.grid.geometry import Box, Cylinder
from solver.thermal.grid.results import probe, profile, temperature_slice, to_netcdf, to_vtk
from solver.thermal.grid.transient import solve_transient

__all__ = [
    "Box",
    "ConductionBody",
    "Cylinder",
    "FixedTemperature",
    "HeatFlux",
    "NodeLink",
    "Patch",
    "Radiation",
    "VolumeSource",
    "body_from_dict",
    "probe",
    "profile",
    "solve_transient",
    "temperature_slice",
    "to_netcdf",
    "to_vtk",
]
