"""Coil bounds against geometry built here independently, and the automatic field grid."""

import json

import numpy as np
import pytest

from cryogen_templates import DESIGNS_DIR
from solver.errors import DesignError
from solver.magnet import (
    COIL_TYPES,
    design_field_map,
    field_axes,
    load_coil_file,
    winding_bounds,
)

TILT = np.array([1.0, 2.0, 2.0]) / 3.0  # a unit axis along no global axis
CENTRE = (0.011, -0.023, 0.037)


def circle_points(centre, axis, radius, n=200_000):
    """Points on a circle about ``axis``, from a basis made here by Gram–Schmidt."""
    a = np.asarray(axis, float) / np.linalg.norm(axis)
    u = np.array([1.0, 0.0, 0.0]) - a[0] * a
    u /= np.linalg.norm(u)
    v = np.cross(a, u)
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)[:, None]
    return np.asarray(centre) + radius * (np.cos(t) * u + np.sin(t) * v)


def box(points):
    return points.min(axis=0), points.max(axis=0)


def cct_layer(radius, tilt_deg, pitch, turns, order, sign, n=400_000):
    """Meyer & Flasck's canted layer, written from the formula (not from solver code)."""
    t = np.linspace(-np.pi * turns, np.pi * turns, n)
    z = sign * radius * np.sin(order * t) / (order * np.tan(np.radians(tilt_deg)))
    z = z + pitch * t / (2 * np.pi)
    return np.stack([radius * np.cos(t), radius * np.sin(t), z], axis=1)


def _loop():
    coil = {"type": "loop", "radius_m": 0.1, "current_A": 1.0, "center_m": CENTRE, "axis": TILT}
    return coil, box(circle_points(CENTRE, TILT, 0.1)), 1e-9


def _solenoid():
    coil = {
        "type": "solenoid",
        "inner_radius_m": 0.05,
        "outer_radius_m": 0.07,
        "length_m": 0.2,
        "turns": 100,
        "current_A": 1.0,
        "center_m": CENTRE,
        "axis": TILT,
    }
    # a cylinder's box is the box of its two outer end circles
    ends = [circle_points(np.add(CENTRE, s * 0.1 * TILT), TILT, 0.07) for s in (-1, 1)]
    return coil, box(np.concatenate(ends)), 1e-9


def _helmholtz():
    coil = {
        "type": "helmholtz",
        "radius_m": 0.3,
        "current_A": 1.0,
        "center_m": CENTRE,
        "axis": TILT,
    }
    # separation defaults to the radius (Helmholtz condition)
    loops = [circle_points(np.add(CENTRE, s * 0.15 * TILT), TILT, 0.3) for s in (-1, 1)]
    return coil, box(np.concatenate(loops)), 1e-9


def _racetrack():
    coil = {
        "type": "racetrack",
        "straight_length_m": 0.3,
        "radius_m": 0.05,
        "current_A": 1.0,
        "center_m": CENTRE,
        "roll_deg": 90.0,
    }
    # rolled 90° about z: the straights run along y; half-sizes (r, s/2 + r, 0)
    half = np.array([0.05, 0.15 + 0.05, 0.0])
    return coil, (np.subtract(CENTRE, half), np.add(CENTRE, half)), 1e-12


def _saddle():
    lines, spacing = 8, 0.004
    coil = {
        "type": "saddle",
        "radius_m": 0.04,
        "length_m": 0.5,
        "lines": lines,
        "end_spacing_m": spacing,
        "current_A": 1.0,
    }
    # dipole lines sit at ±δ_k from the poles (θ = 0, π), sin δ_k = (k − ½)/lines: the
    # outermost line reaches x = r·cos δ_1; the end arcs cross θ = ±90° (y = ±r); the
    # widest loop's ends stand (lines − 1)·spacing beyond ±length/2
    half = np.array([0.04 * np.sqrt(1 - (0.5 / lines) ** 2), 0.04, 0.25 + (lines - 1) * spacing])
    return coil, (-half, half), 1e-12


def _cct():
    coil = {
        "type": "cct",
        "radius_m": 0.03,
        "second_layer_radius_m": 0.034,
        "tilt_deg": 30.0,
        "pitch_m": 0.005,
        "turns": 10,
        "current_A": 1.0,
    }
    layers = [cct_layer(0.03, 30, 0.005, 10, 1, 1), cct_layer(0.034, 30, 0.005, 10, 1, -1)]
    # the solver's polyline has 72 vertices per turn: a chord of the helix may cut inside
    # the true curve by at most r·(1 − cos(π/72)) ≈ 3.2e-5 m radially, and the canted z by
    # about (dz/dθ)²-free sag (z is sampled at the same angles): 0.05 mm covers both
    return coil, box(np.concatenate(layers)), 5e-5


def _path():
    pts = [[0, 0, 0], [0.1, 0.02, 0], [0.05, 0.2, -0.03]]
    coil = {"type": "path", "points_m": pts, "current_A": 1.0, "center_m": CENTRE}
    return coil, box(np.add(pts, CENTRE)), 1e-12


CASES = {
    "loop": _loop,
    "solenoid": _solenoid,
    "helmholtz": _helmholtz,
    "racetrack": _racetrack,
    "saddle": _saddle,
    "cct": _cct,
    "path": _path,
}


@pytest.mark.parametrize("coil_type", sorted(COIL_TYPES))
def test_bounds_of_every_coil_type_match_independent_geometry(coil_type):
    assert coil_type in CASES, f"add a bounds case for the new coil type {coil_type!r}"
    raw, (lo_ref, hi_ref), tol = CASES[coil_type]()
    coil = COIL_TYPES[coil_type](id="c", **{k: v for k, v in raw.items() if k != "type"})
    lo, hi = coil.bounds()
    # closed forms and the given vertices are exact to round-off; sampled circles
    # (200 000 points) come within R·(1 − cos(π/200000)) ≈ 4e-12 m of the true extreme
    np.testing.assert_allclose(lo, lo_ref, atol=tol, rtol=0)
    np.testing.assert_allclose(hi, hi_ref, atol=tol, rtol=0)


def test_field_axes_are_cubic_cover_the_box_and_keep_the_budget():
    lo, hi = np.array([-0.3, -0.3, -0.15]), np.array([0.3, 0.3, 0.15])
    x, y, z = field_axes(lo, hi, max_points=30_000, margin=0.25)
    steps = [np.diff(a) for a in (x, y, z)]
    step = steps[0][0]
    for s in steps:
        np.testing.assert_allclose(s, step, rtol=1e-12)  # equal cells: round maps round
    assert x.size * y.size * z.size <= 30_000
    for a, l, h in zip((x, y, z), lo, hi, strict=True):
        assert a[0] <= l - 0.25 * 0.6 + step and a[-1] >= h + 0.25 * 0.6 - step
        assert a.size % 2 == 1


def test_field_axes_of_a_flat_loop_keep_a_margin_across():
    _x, _y, z = field_axes([-0.1, -0.1, 0.0], [0.1, 0.1, 0.0], max_points=20_000, margin=0.3)
    assert z[-1] - z[0] >= 2 * 0.3 * 0.2 - 1e-12


def _coil_file(name):
    return json.loads((DESIGNS_DIR / "coils" / name).read_text())


def test_design_field_map_of_helmholtz_racetrack_and_cct_templates():
    """Every magnet of a design is mapped; the map is centred on the windings' box."""
    helm = _coil_file("helmholtz.coil.json")
    accel = _coil_file("accelerator_examples.coil.json")
    accel["coils"] = [c for c in accel["coils"] if c["type"] in ("racetrack", "cct")]
    design = {
        "components": [
            {"id": "pair", "type": "magnet", "stage": "", "coil": helm},
            {"id": "accel", "type": "magnet", "stage": "", "coil": accel},
        ]
    }
    ds = design_field_map(design, max_points=20_000)
    magnets = [load_coil_file(DESIGNS_DIR / "coils" / "helmholtz.coil.json")]
    lo, hi = winding_bounds(magnets)
    # Helmholtz R = 0.3 m on z: the box is ±0.3 m across and ±R/2 along the axis
    np.testing.assert_allclose(lo, [-0.3, -0.3, -0.15], atol=1e-15)
    np.testing.assert_allclose(hi, [0.3, 0.3, 0.15], atol=1e-15)
    # racetrack at z = 0.5 (s/2 + r = 0.2 along x) and CCT at x = -0.5 (outer layer 0.034)
    assert ds.attrs["bounds_hi_m"][2] == pytest.approx(0.5)
    assert ds.attrs["bounds_lo_m"][0] == pytest.approx(-0.5 - 0.034, abs=1e-6)
    assert ds.attrs["magnets"] == "pair, accel"
    # the summed map equals the sum of the two magnets' fields at a grid point
    point = [float(ds.x[3]), float(ds.y[5]), float(ds.z[7])]
    from solver.magnet import coil_from_dict

    ref = coil_from_dict(helm).field(point) + coil_from_dict(accel).field(point)
    got = [float(ds[v].sel(x=point[0], y=point[1], z=point[2])) for v in ("Bx", "By", "Bz")]
    np.testing.assert_allclose(got, ref[0], rtol=1e-12, atol=1e-18)


def test_design_without_magnet_says_what_to_add():
    with pytest.raises(DesignError, match="no magnet component"):
        design_field_map({"components": [{"id": "s", "type": "stage"}]})


def test_coil_types_template_carries_the_coil_files_unchanged():
    design = json.loads((DESIGNS_DIR / "magnet-coil-types.cryo.json").read_text())
    magnets = {c["id"]: c["coil"] for c in design["components"] if c["type"] == "magnet"}
    for magnet_id, name in (
        ("helmholtz", "helmholtz.coil.json"),
        ("accelerator", "accelerator_examples.coil.json"),
    ):
        expected = _coil_file(name)
        expected.pop("name", None)
        assert magnets[magnet_id] == expected
