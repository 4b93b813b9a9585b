"""What the app shows of a magnet with iron comes from the solver: the gallery's yoked
dipole (its gap field against the magnetic circuit, its harmonics and 5-gauss line) and its
symmetry-plane map (flux lines that are field lines, iron outlines from the coil file).
"""

import json

import numpy as np
import pytest

from cryogen_templates import DESIGNS_DIR
from solver.magnet import design_magnets, magnets_field_map
from solver.magnet.fem import FRINGE_LEVEL_T, summarise_iron_magnet
from tests.magnet.fem_inputs import window_frame_gap_field_T

DESIGN = DESIGNS_DIR / "yoked-dipole.cryo.json"
COIL_FILE = DESIGNS_DIR / "coils" / "yoked_dipole.coil.json"


@pytest.fixture(scope="module")
def dipole():
    """The gallery design and its magnet (solved once for the module)."""
    design = json.loads(DESIGN.read_text())
    return design, design_magnets(design)["dipole"]


def test_gallery_dipole_carries_the_validated_coil_file(dipole):
    design, _ = dipole
    (magnet,) = [c for c in design["components"] if c["type"] == "magnet"]
    assert magnet["coil"] == json.loads(COIL_FILE.read_text())


def test_summary_gap_field_harmonics_and_5_gauss_line(dipole):
    _, magnet = dipole
    s = summarise_iron_magnet(magnet)
    # pole faces at y = ±50 mm (coil file): free aperture 50 mm, r_ref = 2/3 of it
    assert s.reference_radius_m == pytest.approx(2 / 3 * 0.05, rel=1e-12)
    # magnetic circuit (see window_frame_gap_field_T): fringing and the mean iron path ~1 %
    assert float(s.harmonics.B_ref_T) == pytest.approx(window_frame_gap_field_T(), rel=1.5e-2)
    # symmetric in x and y: only the dipole remains; the rest is element noise (< 3 units,
    # see test_fem_cases)
    assert float(s.harmonics.b.sel(n=1)) > 0.999e4  # the dipole is the main order
    assert np.all(np.abs(s.harmonics.b.values[1:]) < 3.0)
    assert np.all(np.abs(s.harmonics.a.values) < 3.0)
    assert s.stored_energy_J is None  # line currents: infinite energy per metre
    # the 5-gauss line: |B| ≥ 0.5 mT just inside, below it everywhere farther out (the
    # closed yoke keeps the field outside at μ0·H_iron ~ 0.3 mT, so the line is the
    # yoke's outer face, x = ±0.25 m, y = ±0.2 m in the coil file)
    directions = {"+x": (1, 0), "-x": (-1, 0), "+y": (0, 1), "-y": (0, -1)}
    for d, extent in zip(s.fringe.direction.values, s.fringe.extent_m.values, strict=True):
        assert extent == pytest.approx(0.25 if "x" in str(d) else 0.2, rel=2e-3)
        ray = np.outer(extent * np.r_[0.999, np.geomspace(1.001, 20, 200)], directions[str(d)])
        b = np.linalg.norm(magnet.field(np.column_stack([ray, np.zeros(len(ray))])), axis=1)
        assert b[0] >= FRINGE_LEVEL_T and np.all(b[1:] < FRINGE_LEVEL_T)


def test_plane_map_flux_lines_are_field_lines(dipole):
    _, magnet = dipole
    ds = magnets_field_map({"dipole": magnet})
    assert ds.attrs["flux_plane"] == "xy" and ds.sizes["z"] == 5
    x, y = ds.x.values, ds.y.values
    a = ds.flux_function.isel(z=0).values
    bx, by = ds.Bx.isel(z=0).values, ds.By.isel(z=0).values
    # B = curl(A_z ẑ): B_x = ∂A/∂y, B_y = −∂A/∂x (central differences of the mapped A)
    da_dx, da_dy = np.gradient(a, x, y, edge_order=2)
    gx, gy = np.meshgrid(x, y, indexing="ij")
    away = np.ones_like(a, bool)  # away from the line currents (A is singular there)
    for c in magnet.problem.line_currents:
        away &= np.hypot(gx - c.position_m[0], gy - c.position_m[1]) > 0.03
    err = np.hypot(da_dy - bx, -da_dx - by)[away][1:-1] / float(np.nanmax(ds.B))
    # second-order differences across B's jump at the iron faces: a few cells reach 10 %
    # of the peak; the median is the truncation error of the 3 mm grid
    assert np.median(err) < 1e-3 and np.percentile(err, 90) < 2e-2
    outline = ds.iron_outline_m.values
    for region in magnet.problem.iron:
        for p in region.points_m:
            assert np.any(np.all(np.isclose(outline, p), axis=1))
    # the map reaches the 5-gauss line (drawn as its contour) in x
    s = summarise_iron_magnet(magnet)
    assert x[-1] > float(s.fringe.extent_m.sel(direction="+x"))


def test_a_magnet_with_iron_is_mapped_alone(dipole):
    from solver.errors import DesignError
    from solver.magnet import Loop, Magnet

    _, magnet = dipole
    other = Magnet([Loop(radius_m=0.1, current_A=1.0)])
    with pytest.raises(DesignError, match=r"'dipole' has iron .* mapped alone"):
        magnets_field_map({"dipole": magnet, "loop": other})


def test_axisymmetric_map_flux_function_gives_b_z():
    """Revolved map on y = 0 with x = ±r: B_z = (1/r) ∂(r·A_φ)/∂r (central differences)."""
    from solver.magnet import load_coil_file

    magnet = load_coil_file(DESIGNS_DIR / "coils" / "iron_yoke_solenoid.coil.json")
    ds = magnets_field_map({"solenoid": magnet})
    assert ds.attrs["flux_plane"] == "xz" and ds.sizes["y"] == 1
    x = ds.x.values
    psi, bz = ds.flux_function.isel(y=0).values, ds.Bz.isel(y=0).values
    estimate = np.gradient(psi, x, axis=0) / x[:, None]
    err = np.abs(estimate - bz)[np.abs(x) > 0.02] / np.abs(bz).max()
    # the 5 mm grid's truncation error, larger across the iron faces (B_z jumps there)
    assert np.median(err) < 1e-5 and np.percentile(err, 90) < 5e-3
    # the outline holds each region mirrored to x = −r
    outline = ds.iron_outline_m.values
    assert np.any(np.all(np.isclose(outline, [-0.18, 0.25]), axis=1))
