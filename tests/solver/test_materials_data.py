"""Every materials_data/materials file parses, declares units and sources, and is physical."""

from __future__ import annotations

import json

import numpy as np
import pytest

from materials_data import DATA_DIR
from solver import materials

FILES = sorted((DATA_DIR / "materials").glob("*.json"))
UNITS = {"k": "W/(m K)", "cp": "J/(kg K)"}
NIST_FORMS = {"poly_log10", "ofhc_rational"}


def test_there_are_data_files():
    assert len(FILES) >= 25


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_data_file(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc["schema"] == "cryogen/emissivity@1":
        _check_emissivity(doc)
        return
    assert doc["schema"] == "cryogen/material@1"
    assert path.stem == doc["id"]
    dens = doc["density"]
    assert dens["units"] == "kg/m^3" and dens["source"]
    assert 500.0 < dens["value_kg_m3"] < 25000.0
    assert doc["properties"], "a material needs at least one property"
    for prop, spec in doc["properties"].items():
        assert spec["units"] == UNITS[prop]
        assert spec["above_margin_fraction"] == 0.05
        for piece in spec["pieces"]:
            assert piece["source"]["primary"]
            assert piece["T_min_K"] < piece["T_max_K"]
            if piece["form"] in NIST_FORMS:
                assert piece["fit_error_percent"] is None or piece["fit_error_percent"] > 0
                if "trc.nist.gov" in piece["source"]["primary"]:
                    assert len(piece["coefficients"]) == 9  # NIST a..i
                else:  # our own fit in the NIST form: it says what it was fitted to, and how
                    assert 1 <= len(piece["coefficients"]) <= 9 and piece["source"]["derived"]
        if "below" in spec:
            assert spec["below"]["source"] and spec["below"]["description"]
    m = materials.get(doc["id"])
    for prop in doc["properties"]:
        lo, hi = m.property_range_K(prop)
        T = np.geomspace(lo, hi, 400)
        values = m.k(T) if prop == "k" else m.cp(T)
        assert np.all(np.isfinite(values)) and np.all(values > 0)
        table = m.k_table if prop == "k" else m.cp_table
        assert np.all(np.isfinite(table.F)) and np.all(table.f > 0)


def _check_emissivity(doc):
    assert doc["units"].startswith("dimensionless")
    ids = [s["id"] for s in doc["surfaces"]]
    assert len(ids) == len(set(ids))
    for s in doc["surfaces"]:
        assert s["source"]
        assert list(s["T_K"]) == sorted(s["T_K"]) and len(s["T_K"]) == len(s["emissivity"])
        assert all(0.0 < e <= 1.0 for e in s["emissivity"])
