"""Every file in materials_data/ is read through one validated loader
(``solver._jsonfile.read_validated``): the shipped files pass their schema, and a broken
copy is a DesignError naming the file, the entry and the field, not a KeyError in a solve."""

from __future__ import annotations

import copy
import json

import pytest

from materials_data import DATA_DIR
from solver._jsonfile import read_validated
from solver.catalog._schema import ComponentFile
from solver.cryocoolers import CryocoolerFile
from solver.errors import DesignError
from solver.magnet.fem.bh import _CatalogFile
from solver.magnet.superconductors import _FitFile
from solver.materials._schema import EmissivityFile, MaterialFile


def _shipped():
    yield from (
        (p, MaterialFile)
        for p in sorted((DATA_DIR / "materials").glob("*.json"))
        if p.name != "emissivity.json"
    )
    yield DATA_DIR / "materials" / "emissivity.json", EmissivityFile
    yield DATA_DIR / "bh_curves.json", _CatalogFile
    yield DATA_DIR / "superconductors.json", _FitFile
    for p in sorted((DATA_DIR / "components").glob("*.json")):
        yield p, CryocoolerFile if p.name.startswith("cryocoolers") else ComponentFile


SHIPPED = list(_shipped())


@pytest.mark.parametrize(("path", "schema"), SHIPPED, ids=[p.name for p, _ in SHIPPED])
def test_every_shipped_data_file_passes_its_schema(path, schema):
    read_validated(path, schema)


def test_every_data_file_has_a_schema():
    every = set(DATA_DIR.rglob("*.json"))
    assert every == {p for p, _ in SHIPPED}


@pytest.mark.parametrize(
    ("path", "schema", "breaks", "named"),
    [
        (
            DATA_DIR / "materials" / "SS304.json",
            MaterialFile,
            lambda d: d["properties"]["k"]["pieces"][0].pop("source"),
            "properties.k.pieces.0.source",
        ),
        (
            DATA_DIR / "materials" / "SS304.json",
            MaterialFile,
            lambda d: d["properties"]["k"]["pieces"][0].update(T_max_K=0.5),
            "T_max_K",
        ),
        (
            DATA_DIR / "materials" / "emissivity.json",
            EmissivityFile,
            lambda d: d["surfaces"][0]["emissivity"].append(0.5),
            "same length",
        ),
        (
            DATA_DIR / "bh_curves.json",
            _CatalogFile,
            lambda d: d["curves"][0].pop("source"),
            "curves.0.source",
        ),
        (
            DATA_DIR / "superconductors.json",
            _FitFile,
            lambda d: d["superconductors"]["NbTi"]["constants"].update(C0_T="27"),
            "C0_T",
        ),
    ],
)
def test_a_broken_file_names_file_and_field(tmp_path, path, schema, breaks, named):
    data = copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))
    breaks(data)
    broken = tmp_path / path.name
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DesignError, match=path.name) as info:
        read_validated(broken, schema)
    assert named in str(info.value)
