"""A coil file with iron: the FEM counterpart of :class:`solver.magnet.Magnet`.

``FemMagnet`` answers ``field(points)`` and ``field_map(x, y, z)`` with the same shapes and
units as the Biot–Savart magnet, solving once on first use. :func:`fem_field_map` gives the
field on a grid of the symmetry plane and :func:`iron_outlines` the outlines of the iron,
for views that draw a field map over the geometry.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from solver.magnet.coils import as_points
from solver.magnet.fem.geometry import check_overlaps, extent_points
from solver.magnet.fem.problem import (
    FemProblem,
    LineCurrent,
    WindingSection,
    fem_problem_from_dict,
)
from solver.magnet.fem.solve import FemSolution, check_off_filaments, solve
from solver.magnet.magnet import field_map
from solver.magnet.superconductors import Conductor


class FemMagnet:
    """Windings (or line currents), iron and an applied field, solved by finite elements.

    Parameters
    ----------
    problem : FemProblem
        From :func:`solver.magnet.fem.fem_problem_from_dict`.
    name : str
        Shown in messages.

    ``conductor`` and ``operating_temperature_K`` (the coil file's, None when absent) are
    what margins and quench need, as on :class:`solver.magnet.Magnet`.
    """

    def __init__(self, problem: FemProblem, name: str = "coil file"):
        self.problem = problem
        self.name = name
        self.coils: tuple[WindingSection | LineCurrent, ...] = (
            *problem.windings,
            *problem.line_currents,
        )
        self.conductor: Conductor | None = None
        self.operating_temperature_K: float | None = None
        self._solution: FemSolution | None = None

    def __repr__(self) -> str:
        return (
            f"FemMagnet({self.problem.symmetry}, coils=[{', '.join(self.problem.source_ids)}], "
            f"iron=[{', '.join(r.id for r in self.problem.iron)}])"
        )

    @property
    def solution(self) -> FemSolution:
        """The solved FEM problem (solved on first access)."""
        if self._solution is None:
            self._solution = solve(self.problem, where=self.name)
        return self._solution

    def field(self, points) -> np.ndarray:
        """B (tesla) at points (n, 3) in metres, shape (n, 3); see FemSolution.field.

        A point on a planar line current is refused before anything is solved.
        """
        if self.problem.symmetry == "planar":
            check_off_filaments(self.problem, as_points(points)[:, :2])
        return self.solution.field(points)

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Global box (lo, hi), metres, of the coils and iron: axisymmetric parts revolved
        about z; planar ones in the plane z = 0."""
        p = extent_points(self.problem)
        if self.problem.symmetry == "axisymmetric":
            r = float(np.abs(p[:, 0]).max())
            return np.array([-r, -r, p[:, 1].min()]), np.array([r, r, p[:, 1].max()])
        lo, hi = p.min(axis=0), p.max(axis=0)
        return np.array([lo[0], lo[1], 0.0]), np.array([hi[0], hi[1], 0.0])

    def field_map(self, x_m, y_m, z_m) -> xr.Dataset:
        """Bx, By, Bz, B on a 3-D grid (dims x, y, z), as Magnet.field_map."""
        return field_map(self.field, x_m, y_m, z_m)


def fem_magnet_from_dict(d: dict, name: str = "coil file") -> FemMagnet:
    """Validate a coil-file dict with iron (overlaps included) and wrap it, unsolved."""
    problem = fem_problem_from_dict(d)
    check_overlaps(problem)
    return FemMagnet(problem, name=name)


def plane_field_map(magnet: FemMagnet, u_m, v_m) -> xr.Dataset:
    """B on a grid of the symmetry plane.

    Parameters
    ----------
    magnet : FemMagnet
    u_m, v_m : array_like
        Grid axes in metres: (r, z) for axisymmetric problems (r ≥ 0), (x, y) for planar.

    Returns
    -------
    xarray.Dataset
        ``B_u``, ``B_v`` (B_r, B_z or B_x, B_y) and ``B`` = |B| in tesla on dims (u, v);
        ``A`` the reduced potential (r·A_φ in T·m² for axisymmetric, A_z in T·m for
        planar), whose contours are flux lines; attrs ``symmetry``, ``u``/``v`` names.
    """
    sol = magnet.solution
    u = np.atleast_1d(np.asarray(u_m, dtype=float))
    v = np.atleast_1d(np.asarray(v_m, dtype=float))
    gu, gv = np.meshgrid(u, v, indexing="ij")
    pts = np.column_stack([gu.ravel(), gv.ravel()])
    b = sol.plane_field(pts).reshape((*gu.shape, 2))
    axi = magnet.problem.symmetry == "axisymmetric"
    names = ("r", "z") if axi else ("x", "y")
    tesla = {"units": "T"}
    return xr.Dataset(
        {
            "B_u": (("u", "v"), b[..., 0], {**tesla, "long_name": f"B_{names[0]}"}),
            "B_v": (("u", "v"), b[..., 1], {**tesla, "long_name": f"B_{names[1]}"}),
            "B": (("u", "v"), np.linalg.norm(b, axis=-1), {**tesla, "long_name": "|B|"}),
            "A": (
                ("u", "v"),
                sol.flux_function(pts).reshape(gu.shape),
                {"long_name": "flux function"},
            ),
        },
        coords={
            "u": ("u", u, {"units": "m", "name": names[0]}),
            "v": ("v", v, {"units": "m", "name": names[1]}),
        },
        attrs={"symmetry": magnet.problem.symmetry, "u": names[0], "v": names[1]},
    )


def fem_field_map(coil_file: dict, u_m, v_m) -> xr.Dataset:
    """Field map of a coil-file dict with iron in its symmetry plane (see plane_field_map)."""
    return plane_field_map(fem_magnet_from_dict(coil_file), u_m, v_m)


def iron_outlines(problem: FemProblem, points_per_circle: int = 96) -> dict[str, np.ndarray]:
    """Closed outline of each iron region in the symmetry plane, id -> (k, 2) metres.

    An annulus gives its outer circle followed by its inner circle (NaN row between);
    axisymmetric annuli are half circles r ≥ 0.
    """
    out = {}
    half = problem.symmetry == "axisymmetric"
    t = (
        np.linspace(-np.pi / 2, np.pi / 2, points_per_circle // 2)
        if half
        else np.linspace(0, 2 * np.pi, points_per_circle)
    )
    for r in problem.iron:
        if r.shape == "polygon":
            p = np.asarray(r.points_m)
            out[r.id] = np.vstack([p, p[:1]])
            continue
        c = np.asarray(r.centre_m)
        ring = [c + r.r_outer_m * np.column_stack([np.cos(t), np.sin(t)])]
        if r.r_inner_m > 0:
            ring += [
                np.full((1, 2), np.nan),
                c + r.r_inner_m * np.column_stack([np.cos(t), np.sin(t)]),
            ]
        out[r.id] = np.vstack(ring)
    return out
