"""Every catalog file parses, declares units and sources, and holds positive values in range."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from solver import catalog
from solver.catalog._library import COMPONENTS_DIR
from solver.catalog._schema import ComponentFile
from solver.cryocoolers import CryocoolerFile

FILES = sorted(COMPONENTS_DIR.glob("*.json"))
# keys that hold text or bookkeeping rather than a physical value
TEXT_KEYS = {
    "rating",
    "note",
    "kind_label",
    "stages",
    "map_kind",
    "has_map",
    "confidence",
    "capacity_map",
    "rating_points",
    "section",
    "layers",
    "link_type",
    "material",
    "role",
    "inner_conductor",
    "outer_conductor",
    "dielectric",
    "silver_plated_inner",
    "superconductor",
    "jc_fit",
    "flow_source",
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_parses_with_units_and_sources(path):
    data = json.loads(path.read_text())
    if path.name.startswith("cryocoolers"):
        doc = CryocoolerFile.model_validate(data)
        assert doc.units
        for e in doc.entries:
            assert len(e.source) > 20, e.id
            assert e.rating_points or e.capacity_map or e.capacity_curve, e.id
        return
    doc = ComponentFile.model_validate(data)
    assert doc.units and doc.description
    for e in doc.entries:
        assert e.source in doc.sources or len(e.source) >= 40, e.id
        assert e.rating, e.id


def _numbers(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _numbers(v)]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _numbers(v)]
    return []


@pytest.mark.parametrize("category", catalog.CATEGORIES)
def test_every_parameter_declares_its_unit_and_is_positive(category):
    for comp in catalog.components(category):
        assert comp.source and len(comp.source) > 20, comp.id
        for key, value in comp.parameters.items():
            assert key in comp.units or key in TEXT_KEYS, (
                f"{comp.id}: parameter {key!r} has no unit"
            )
            if key in TEXT_KEYS or key in ("operating_range_K", "attenuation_frequencies_GHz"):
                continue
            for x in _numbers(value):
                assert math.isfinite(x) and x >= 0, f"{comp.id}: {key} = {x}"
        for key in ("area_m2", "length_m", "mass_kg", "diameter_m"):
            if key in comp.parameters:
                assert comp.parameters[key] > 0, f"{comp.id}: {key}"


def test_values_lie_in_physical_ranges():
    for comp in catalog.components():
        p = comp.parameters
        # ranges that any cryogenic part must satisfy (catch unit slips of 1e3)
        if "length_m" in p:
            assert 1e-3 <= p["length_m"] <= 10, comp.id
        if "area_m2" in p and comp.category in ("strap", "support", "superconductor"):
            assert 1e-9 <= p["area_m2"] <= 1e-2, comp.id
        for pt in p.get("rating_points", []):
            assert 1.0 <= pt["T_K"] <= 400 and 0 < pt["Q_W"] <= 1e4, comp.id
        if "Ic_A" in p:
            assert 0 < p["Ic_A"]["value_A"] < 1e5, comp.id
        if "operating_range_K" in p:
            lo, hi = p["operating_range_K"]
            assert 0 <= lo < hi <= 1000, comp.id  # platinum sensors reach 873 K (PT-102)


def test_ids_unique_and_counts_meet_the_issue():
    counts = catalog.counts()
    total = sum(c["commercial"] + c["derived"] for c in counts.values())
    assert total == len(catalog.ids()) >= 500
    for category in catalog.CATEGORIES:
        assert sum(counts[category].values()) > 0, category


def _map_rows(entry):
    cols = entry["capacity_map"]["columns"]
    return np.array(entry["capacity_map"]["data"], float), cols


@pytest.mark.parametrize(
    "path", [p for p in FILES if p.name.startswith("cryocoolers")], ids=lambda p: p.name
)
def test_cryocooler_maps_rise_with_temperature(path):
    """Capacity rises with stage temperature: along a map row of fixed other-stage load,
    each stage's temperature rises with its own load; a lift curve rises with T."""
    for entry in json.loads(path.read_text())["entries"]:
        if "capacity_map" in entry:
            data, cols = _map_rows(entry)
            q1, q2, t1, t2 = (cols.index(c) for c in ("Q1_W", "Q2_W", "T1_K", "T2_K"))
            for own_q, own_t, other_q in ((q1, t1, q2), (q2, t2, q1)):
                # group by the other stage's load (published loads differ by < 0.1 W within a group)
                groups = np.round(data[:, other_q])
                for g in np.unique(groups):
                    sel = data[groups == g]
                    sel = sel[np.argsort(sel[:, own_q])]
                    assert np.all(np.diff(sel[:, own_t]) > -0.6), (entry["id"], g)
        if "capacity_curve" in entry:
            data = np.array(entry["capacity_curve"]["data"], float)
            data = data[np.argsort(data[:, 0])]
            assert np.all(np.diff(data[:, 1]) >= 0), entry["id"]
        stages = entry["stages"]
        for pt in entry.get("rating_points", []):
            assert pt["stage"] in stages, entry["id"]
