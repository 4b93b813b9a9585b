"""The cryocooler model's public data API: published points, load-map lines, lift curve.

The references are the catalog JSON files read here directly: the model's interpolants
must pass through every published point (thin-plate-spline RBF with no smoothing, and
PCHIP, both interpolate their data exactly).
"""

import json

import numpy as np
import pytest

from materials_data import DATA_DIR
from solver import cryocoolers as cryocooler_models
from solver.errors import DesignError


def raw_entries():
    out = {}
    for path in sorted((DATA_DIR / "components").glob("cryocoolers*.json")):
        for e in json.loads(path.read_text())["entries"]:
            out[e["name"]] = e
    return out


def test_published_points_of_a_two_stage_map_are_the_catalog_rows():
    raw = raw_entries()["Cryomech PT420"]["capacity_map"]
    pts = cryocooler_models.get("Cryomech PT420").published_points()
    data = np.array(raw["data"], float)
    for name in ("Q1_W", "Q2_W", "T1_K", "T2_K"):
        np.testing.assert_array_equal(pts[name], data[:, raw["columns"].index(name)])


def test_load_map_lines_pass_through_the_published_points():
    model = cryocooler_models.get("Cryomech PT420")
    pts = model.published_points()
    T = model.temperatures_at_loads(np.stack([pts["Q1_W"], pts["Q2_W"]], axis=1))
    # an RBF interpolant reproduces its nodes to solver round-off (1e-8 K of ~4-60 K)
    np.testing.assert_allclose(T[:, 0], pts["T1_K"], atol=1e-8)
    np.testing.assert_allclose(T[:, 1], pts["T2_K"], atol=1e-8)


def test_single_stage_lift_curve_passes_through_the_published_points():
    raw = np.array(raw_entries()["Sunpower CryoTel GT"]["capacity_curve"]["data"], float)
    model = cryocooler_models.get("Sunpower CryoTel GT")
    pts = model.published_points()
    np.testing.assert_array_equal(pts["T_K"], np.sort(raw[:, 0]))
    # PCHIP interpolates its data exactly (to round-off)
    np.testing.assert_allclose(model.capacity_curve(raw[:, 0]), raw[:, 1], rtol=1e-12)


def test_capacity_curve_needs_one_stage():
    with pytest.raises(DesignError, match="map of all stage temperatures"):
        cryocooler_models.get("Cryomech PT420").capacity_curve([40.0])


def test_solvable_and_rating_only_names_split_the_catalog():
    raw = raw_entries()
    solvable = set(cryocooler_models.solvable_names())
    rating = set(cryocooler_models.rating_only_names())
    assert solvable | rating == set(raw) and not solvable & rating
    for name in solvable:
        cryocooler_models.get(name)  # every solvable model builds
    for name in rating:
        assert "rating_points" in raw[name]
        with pytest.raises(DesignError, match="constant_cooler"):
            cryocooler_models.get(name)
