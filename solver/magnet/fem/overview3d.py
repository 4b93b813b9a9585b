"""What the app and the report show of a 3-D magnet with iron (``"symmetry": "none"``): the
solve, the force on each coil and iron part, flux linkage and inductance, and |B| on the
plane through the iron's centre. Nothing new is computed here (:mod:`.coils3d`,
:func:`.results3d.iron_force_3d_N`, :meth:`FemMagnet3D.field_map`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from solver.errors import DesignError
from solver.magnet.fem.coils3d import coil_forces_3d, inductance_3d
from solver.magnet.fem.magnet3d import FemMagnet3D
from solver.magnet.fem.overview import GRID_SHIFT
from solver.magnet.fem.results3d import iron_force_3d_N

PLANE_MARGIN = 0.3
"""Margin of the field-map plane around coils and iron, as a fraction of their larger side."""


@dataclass(frozen=True)
class IronMagnet3DSummary:
    """The solve and the forces and inductances of a 3-D magnet with iron (SI units).

    ``coil_forces``: :func:`coil_forces_3d`. ``iron_forces``: iron id → force (N, shape
    (3,)) or the reason there is none. ``inductance``: :func:`inductance_3d`, or None with
    the reason in ``inductance_note``.
    """

    unknowns: int
    newton_steps: int
    coil_forces: xr.Dataset
    iron_forces: dict[str, np.ndarray | str]
    inductance: xr.Dataset | None
    inductance_note: str = ""
    symmetry: str = "none"


def summarise_iron_magnet3d(magnet: FemMagnet3D) -> IronMagnet3DSummary:
    """Solve (once) and gather the summary of a 3-D magnet with iron."""
    sol = magnet.solution
    iron: dict[str, np.ndarray | str] = {}
    for region in magnet.problem.iron:
        try:
            iron[region.id] = iron_force_3d_N(sol, region.id)
        except DesignError as exc:
            iron[region.id] = str(exc)
    wire = magnet.conductor.wire_radius_m if magnet.conductor is not None else None
    try:
        inductance, note = inductance_3d(sol, wire), ""
    except DesignError as exc:
        inductance, note = None, f"no inductance: {exc}"
    return IronMagnet3DSummary(
        sol.report.unknowns, sol.report.newton_steps, coil_forces_3d(sol), iron, inductance, note
    )


def iron_plane_map3d(magnet: FemMagnet3D, points: int = 41) -> xr.Dataset:
    """|B| and its components on the plane y = y_c through the centre of the iron's box,
    over the box of coils and iron plus a margin (within the solved air box; ``points``
    along the longer side), as :meth:`FemMagnet3D.field_map` (dims x, y, z with one y)."""
    lo, hi = magnet.bounds()
    iron_lo = np.min([b[0] for r in magnet.problem.iron for b in r.boxes_m], axis=0)
    iron_hi = np.max([b[1] for r in magnet.problem.iron for b in r.boxes_m], axis=0)
    y_c = 0.5 * float(iron_lo[1] + iron_hi[1])
    margin = PLANE_MARGIN * float(max(hi[0] - lo[0], hi[2] - lo[2]))
    box_lo, box_hi = magnet.problem.air_box()
    for axis, _ in magnet.problem.mirror_planes:  # the solved box unfolded
        box_lo[axis] = -box_hi[axis]
    lo, hi = np.maximum(lo - margin, box_lo), np.minimum(hi + margin, box_hi)
    step = float(max(hi[0] - lo[0], hi[2] - lo[2])) / (points - 1)
    # shifted by an irrational fraction of a cell: no grid point on a filament
    x = GRID_SHIFT * step + np.arange(lo[0], hi[0] + 0.5 * step, step)
    z = GRID_SHIFT * step + np.arange(lo[2], hi[2] + 0.5 * step, step)
    fmap = magnet.field_map(x, [y_c], z)
    fmap.attrs["plane"] = f"y = {y_c:g} m (through the centre of the iron)"
    return fmap
