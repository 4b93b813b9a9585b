"""Browser data (catalog, curves) and the emissivity table."""

from __future__ import annotations

import json

import numpy as np
import pytest

from solver import materials
from solver.errors import PropertyRangeError, UnknownNameError


def test_catalog_lists_every_material_and_is_json_ready():
    cat = materials.catalog()
    assert [c["id"] for c in cat] == materials.ids()
    json.dumps(cat, allow_nan=False)
    cu = next(c for c in cat if c["id"] == "OFHC-Cu-RRR100")
    assert cu["properties"]["k"]["fit_range_K"] == [4.0, 300.0]
    assert cu["properties"]["k"]["supported_range_K"][0] == 1e-3
    assert cu["density_kg_m3"] == 8940.0
    mylar = next(c for c in cat if c["id"] == "Mylar")
    assert mylar["properties"]["cp"] is None


def test_curves_cover_the_supported_range_with_flags():
    c = materials.curves("G10-normal", n=50)
    assert c["T_k"].shape == c["k"].shape == c["k_extrapolated"].shape == (50,)
    assert c["T_k"][0] == pytest.approx(1e-3) and c["T_k"][-1] == pytest.approx(315.0)
    np.testing.assert_array_equal(c["k_extrapolated"], (c["T_k"] < 10.0) | (c["T_k"] > 300.0))
    assert "cp" in c and "cp" not in materials.curves("Mylar")


def test_emissivity_table_values():
    # Mechanical Engineers' Handbook Vol. 4, Table 5 (emissivity.json): polished Cu
    # 0.015 / 0.019 / 0.03 at 4.33 / 77.8 / 300 K.
    np.testing.assert_allclose(
        materials.emissivity("Cu-polished", np.array([4.33, 77.8, 300.0])), [0.015, 0.019, 0.03]
    )
    mid = 0.5 * (77.8 + 300.0)
    assert materials.emissivity("Al-foil-bright", mid) == pytest.approx(0.5 * (0.018 + 0.03))
    assert {"Ag-electroplated", "SS304", "Al-plate"} <= {s["id"] for s in materials.surfaces()}


def test_emissivity_errors():
    with pytest.raises(PropertyRangeError, match=r"77\.8-300 K"):
        materials.emissivity("SS304", 4.2)  # the handbook gives no 4 K value for SS304
    with pytest.raises(UnknownNameError) as err:
        materials.emissivity("Cu polished", 77.8)
    assert err.value.closest[0] == "Cu-polished"
