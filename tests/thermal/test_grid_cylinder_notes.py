"""A cylinder's voxel staircase is reported against its nominal πr² section and volume."""

from __future__ import annotations

import math

import numpy as np
import pytest

from solver.thermal.grid.geometry import Cylinder, cylinder_voxel_notes, voxelise


def lattice_section(r_cells: int) -> int:
    """Cell centres (half-integer points) inside a circle of r_cells cells: a direct count."""
    c = np.arange(-r_cells, r_cells) + 0.5
    return int(np.sum(c[:, None] ** 2 + c[None, :] ** 2 <= r_cells**2))


@pytest.mark.parametrize("r_cells", [4, 8, 16])
def test_reported_section_is_the_voxel_count(r_cells):
    h = 1e-3
    cyl = Cylinder((0.0, 0.0, 0.0), r_cells * h, 0.02, "z", "OFHC-Cu-RRR100")
    (note,) = cylinder_voxel_notes([cyl], voxelise([cyl], [0], h))
    section = lattice_section(r_cells) * h * h
    assert f"voxel cross-section {section:.4g} m²" in note
    excess = 100 * (section / (math.pi * (r_cells * h) ** 2) - 1)
    assert f"({excess:+.2f} %)" in note
