"""What the app shows of a magnet with iron: its field in the symmetry plane with flux lines
and iron outlines, and its summary (5-gauss extent, harmonics of a planar magnet).

Nothing new is computed here: B and the flux function come from the solved problem
(:class:`FemSolution`), the 5-gauss distances from :func:`fringe_extent_m`, the harmonics
from :func:`solver.magnet.harmonics`, the energy from :func:`stored_energy_J`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import xarray as xr

from solver.errors import DesignError
from solver.magnet.fem.geometry import extent_points
from solver.magnet.fem.magnet import FemMagnet, iron_outlines
from solver.magnet.fem.results import fringe_extent_m, stored_energy_J
from solver.magnet.field_quality import harmonics
from solver.magnet.fringe import FRINGE_LEVEL_T

if TYPE_CHECKING:
    from solver.magnet.summary import MagnetSummary

PLANE_POINTS = 161
"""Grid points along the longer side of a symmetry-plane map (about 26k points)."""
PLANE_MARGIN = 0.3
"""Margin around the iron and coils on each side, as a fraction of their larger side."""
FRINGE_VIEW_LIMIT = 3.0
"""The map grows to hold the 5-gauss line when it lies within this many times the
geometry's half size from its centre; a farther line is reported, not drawn."""
GRID_SHIFT = 0.1180339887
"""Fraction of a cell by which the grid is shifted, (√5 − 2)/2 (irrational, so no grid point
lands on a line current placed on round numbers)."""
REFERENCE_FRACTION = 2.0 / 3.0
"""Harmonics reference radius as a fraction of the free aperture radius about the origin
(a choice: accelerator dipoles quote 17 mm in the LHC's 28 mm aperture radius, 0.61)."""
N_HARMONICS = 6


def iron_field_map(magnet: FemMagnet, points: int = PLANE_POINTS) -> xr.Dataset:
    """B, the flux function and the iron outlines of a magnet with iron, on a grid that the
    Fields view slices like any field map.

    Planar problems are mapped on (x, y) (the field does not depend on z: five z planes
    repeat it); axisymmetric ones on the plane y = 0, with x = ±r.

    Returns
    -------
    xarray.Dataset
        ``Bx``, ``By``, ``Bz``, ``B`` (T) and ``flux_function`` (r·A_φ in T·m² or A_z in
        T·m; its contours in the plane ``attrs["flux_plane"]`` are field lines) on dims
        (x, y, z); ``iron_outline_m`` (outline points in that plane's axes, a NaN row
        between outlines) on (outline_point, plane_axis); attrs ``symmetry``,
        ``flux_plane``, ``fringe_level_T``, ``iron_ids``, ``grid_step_m``.
    """
    problem = magnet.problem
    axi = problem.symmetry == "axisymmetric"
    pts = extent_points(problem)
    if axi:  # revolved: mirror r to −r so the map shows the whole cross-section
        pts = np.vstack([pts, pts * [-1.0, 1.0]])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    size = float((hi - lo).max()) or 2.0 * magnet.solution.domain.radius_m
    centre = 0.5 * (lo + hi)
    half = 0.5 * np.maximum(hi - lo, 0.0) + PLANE_MARGIN * size
    fringe = fringe_extent_m(magnet.solution, FRINGE_LEVEL_T, (0.0, 0.0))["extent_m"].values
    reach = float(np.max(fringe[np.isfinite(fringe)], initial=0.0))
    if reach <= FRINGE_VIEW_LIMIT * 0.5 * size:
        half = np.maximum(half, 1.1 * reach + np.abs(centre))
    step = 2.0 * float(half.max()) / (points - 1)
    u, v = (
        centre[k] + GRID_SHIFT * step + np.arange(-half[k], half[k] + 0.5 * step, step)
        for k in range(2)
    )
    gu, gv = np.meshgrid(u, v, indexing="ij")
    plane = np.column_stack([gu.ravel(), gv.ravel()])
    if axi:
        b = magnet.field(np.column_stack([plane[:, 0], np.zeros(len(plane)), plane[:, 1]]))
        psi = magnet.solution.flux_function(np.column_stack([np.abs(plane[:, 0]), plane[:, 1]]))
        axes = {"x": u, "y": np.zeros(1), "z": v}
        shape = (len(u), 1, len(v))
        flux_plane, flux_units = "xz", "T·m²"
    else:
        b = magnet.field(np.column_stack([plane, np.zeros(len(plane))]))
        psi = magnet.solution.flux_function(plane)
        axes = {"x": u, "y": v, "z": 0.5 * size * np.linspace(-1.0, 1.0, 5)}
        shape = (len(u), len(v), 1)
        flux_plane, flux_units = "xy", "T·m"
    reps = (1, 1, 1) if axi else (1, 1, 5)

    def grid(values):
        return np.tile(values.reshape(shape), reps)

    dims = ("x", "y", "z")
    tesla = {"units": "T"}
    outlines = iron_outlines(problem)
    rows = []
    for ring in outlines.values():
        rows += [ring, np.full((1, 2), np.nan)]
        if axi:
            rows += [ring * [-1.0, 1.0], np.full((1, 2), np.nan)]
    outline = np.vstack(rows) if rows else np.zeros((0, 2))
    return xr.Dataset(
        {
            "Bx": (dims, grid(b[:, 0]), {**tesla, "long_name": "flux density, x component"}),
            "By": (dims, grid(b[:, 1]), {**tesla, "long_name": "flux density, y component"}),
            "Bz": (dims, grid(b[:, 2]), {**tesla, "long_name": "flux density, z component"}),
            "B": (
                dims,
                grid(np.linalg.norm(b, axis=1)),
                {**tesla, "long_name": "flux density magnitude |B|"},
            ),
            "flux_function": (
                dims,
                grid(psi),
                {
                    "units": flux_units,
                    "long_name": "r·A_phi (flux / 2π)" if axi else "A_z",
                    "flux_lines": 1,
                },
            ),
            "iron_outline_m": (("outline_point", "plane_axis"), outline, {"units": "m"}),
        },
        coords={
            **{k: (k, ax, {"units": "m"}) for k, ax in axes.items()},
            "plane_axis": list(flux_plane),
        },
        attrs={
            "title": f"magnetic flux density map ({problem.symmetry} FEM with iron)",
            "units": "SI (m, T)",
            "symmetry": problem.symmetry,
            "flux_plane": flux_plane,
            "fringe_level_T": FRINGE_LEVEL_T,
            "iron_ids": ", ".join(outlines),
            "grid_step_m": step,
        },
    )


@dataclass(frozen=True)
class IronMagnetSummary:
    """What the magnet panel shows of a magnet with iron (SI units).

    ``fringe``: :func:`fringe_extent_m` at 0.5 mT about the origin. ``harmonics``: b_n,
    a_n (units of 1e-4) at ``reference_radius_m`` about the z axis (planar only), or None
    with the reason in ``harmonics_note``. ``stored_energy_J``: None where it is infinite
    (background field, line currents). ``conductor``: margins, FEM load line and quench
    (:func:`solver.magnet.summarise`) when the coil file has a conductor and operating
    temperature, else None with the reason in ``conductor_note``.
    """

    symmetry: str
    unknowns: int
    newton_steps: int
    fringe: xr.Dataset
    harmonics: xr.Dataset | None
    reference_radius_m: float | None
    harmonics_note: str
    stored_energy_J: float | None
    energy_note: str = ""
    conductor: MagnetSummary | None = None
    conductor_note: str = ""


def free_aperture_radius_m(magnet: FemMagnet) -> float:
    """Radius of the largest circle about the origin of the plane free of iron and line
    currents (m); 0 when the origin is in iron or on a current."""
    problem = magnet.problem
    out = [float(np.hypot(*lc.position_m)) for lc in problem.line_currents]
    for region in problem.iron:
        if region.shape == "annulus":
            d = float(np.hypot(*region.centre_m))
            inside = region.r_inner_m <= d <= region.r_outer_m
            out.append(0.0 if inside else max(region.r_inner_m - d, d - region.r_outer_m))
        else:
            out.append(_distance_to_polygon(np.asarray(region.points_m, dtype=float)))
    return min(out, default=np.inf)


def _distance_to_polygon(p: np.ndarray) -> float:
    """Distance from the origin to a simple polygon (k, 2); 0 when the origin is inside."""
    a, b = p, np.roll(p, -1, axis=0)
    ab = b - a
    t = np.clip(-np.sum(a * ab, axis=1) / np.sum(ab * ab, axis=1), 0.0, 1.0)
    edge = float(np.min(np.linalg.norm(a + t[:, None] * ab, axis=1)))
    crosses = (a[:, 1] > 0) != (b[:, 1] > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_at = a[:, 0] - a[:, 1] * ab[:, 0] / ab[:, 1]
    inside = int(np.sum(crosses & (x_at > 0))) % 2 == 1
    return 0.0 if inside else edge


def summarise_iron_magnet(magnet: FemMagnet) -> IronMagnetSummary:
    """Solve (once) and gather the summary of a magnet with iron."""
    sol = magnet.solution
    fringe = fringe_extent_m(sol, FRINGE_LEVEL_T, (0.0, 0.0))
    ds, r_ref, note = None, None, ""
    if magnet.problem.symmetry != "planar":
        note = "harmonics are for planar (2-D) magnets"
    else:
        free = free_aperture_radius_m(magnet)
        if not 0 < free < np.inf:
            note = "no harmonics: no free aperture about the origin (iron or a current there)"
        else:
            r_ref = REFERENCE_FRACTION * free
            first = harmonics(magnet.field, r_ref, n_max=N_HARMONICS)
            main = int(np.argmax(np.hypot(first.B_n_T.values, first.A_n_T.values))) + 1
            ds = harmonics(magnet.field, r_ref, main_order=main, n_max=N_HARMONICS)
    energy_note = ""
    try:
        energy = stored_energy_J(sol)
    except DesignError as exc:
        # the row is labelled "stored energy" wherever it is shown: keep only the reason
        energy, energy_note = None, str(exc).removeprefix("stored energy: ")
    return IronMagnetSummary(
        magnet.problem.symmetry,
        sol.report.unknowns,
        sol.report.newton_steps,
        fringe,
        ds,
        r_ref,
        note,
        energy,
        energy_note,
    )
