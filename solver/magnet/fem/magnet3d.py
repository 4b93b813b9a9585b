"""A 3-D coil file with iron (``"symmetry": "none"``): the counterpart of
:class:`solver.magnet.fem.FemMagnet` with the same ``field``/``field_map``."""

from __future__ import annotations

import copy

import numpy as np
import xarray as xr

from solver.magnet.coils import Coil
from solver.magnet.fem.problem3d import Problem3D, problem3d_from_dict
from solver.magnet.fem.solve3d import FemSolution3D, solve3d
from solver.magnet.magnet import field_map
from solver.magnet.superconductors import Conductor


class FemMagnet3D:
    """Biot–Savart coils and iron boxes, solved by 3-D finite elements on first use.

    Parameters
    ----------
    problem : Problem3D
    description : dict
        The coil-file dict it was read from (returned by ``magnet_to_dict``).
    name : str
        Shown in messages.
    """

    def __init__(self, problem: Problem3D, description: dict, name: str = "coil file"):
        self.problem = problem
        self.name = name
        self.coils = problem.coils
        self.conductor: Conductor | None = None
        """The coil file's strand: its ``wire_radius_m`` sets the coils' self inductance."""
        self.operating_temperature_K: float | None = None
        self.description = copy.deepcopy(description)
        self._solution: FemSolution3D | None = None

    def __repr__(self) -> str:
        coils = ", ".join(c.id for c in self.problem.coils)
        iron = ", ".join(r.id for r in self.problem.iron)
        return f"FemMagnet3D(coils=[{coils}], iron=[{iron}])"

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Box around the windings and the iron (m)."""
        return self.problem.bounds()

    @property
    def solution(self) -> FemSolution3D:
        """The solved problem (solved on first access)."""
        if self._solution is None:
            self._solution = solve3d(self.problem, where=self.name)
        return self._solution

    def field(self, points) -> np.ndarray:
        """B (tesla) at points (n, 3) in metres, shape (n, 3)."""
        return self.solution.field(points)

    def field_map(self, x_m, y_m, z_m) -> xr.Dataset:
        """Bx, By, Bz, B on a 3-D grid (dims x, y, z), as Magnet.field_map."""
        return field_map(self.field, x_m, y_m, z_m)


def fem_magnet3d_from_dict(d: dict, coils: list[Coil], name: str = "coil file") -> FemMagnet3D:
    """Validate the 3-D parts of a coil-file dict (coils already built) and wrap it, unsolved."""
    return FemMagnet3D(problem3d_from_dict(d, coils), d, name=name)
