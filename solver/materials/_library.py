"""The material library: load the data files once, look materials up by id, describe them."""

from __future__ import annotations

from functools import cache

import numpy as np

from materials_data import DATA_DIR
from solver._jsonfile import read_validated
from solver.errors import UnknownNameError
from solver.materials._emissivity import EMISSIVITY_FILE
from solver.materials._material import PROPERTIES, Material
from solver.materials._schema import MaterialFile

MATERIALS_DIR = DATA_DIR / "materials"


@cache
def _documents() -> dict[str, dict]:
    docs = {}
    for path in sorted(MATERIALS_DIR.glob("*.json")):
        if path == EMISSIVITY_FILE:
            continue
        doc = read_validated(path, MaterialFile, "material")
        docs[doc.id] = doc.model_dump(by_alias=True, exclude_unset=True)
    return docs


@cache
def _material(material_id: str) -> Material:
    return Material(_documents()[material_id])


def ids() -> list[str]:
    """Every material id in the library, sorted."""
    return sorted(_documents())


def get(material_id: str) -> Material:
    """The material with this id (objects are built once and cached).

    Raises
    ------
    UnknownNameError
        For an unknown id; the message lists the closest valid ids.
    """
    if material_id not in _documents():
        raise UnknownNameError("material", material_id, ids())
    return _material(material_id)


def catalog() -> list[dict]:
    """Browser data: one dict per material with ranges, density and sources (JSON-ready)."""
    out = []
    for mid in ids():
        m = get(mid)
        props: dict[str, dict | None] = {}
        for p in PROPERTIES:
            if not m.has(p):
                props[p] = None
                continue
            model = m._model(p)
            props[p] = {
                "units": model.units,
                "fit_range_K": list(model.fit_range_K),
                "supported_range_K": list(model.supported_range_K),
                "forms": [piece["form"] for piece in model.pieces],
                "source": m.sources[p],
                "below_fit": m.sources.get(f"{p}_below_fit"),
            }
        out.append(
            {
                "id": m.id,
                "name": m.name,
                "family": m.family,
                "density_kg_m3": m.density_kg_m3,
                "density_source": m.sources["density"],
                "supported_range_K": list(m.supported_range_K),
                "properties": props,
            }
        )
    return out


def curves(material_id: str, n: int = 200) -> dict:
    """Plot-ready curves over each property's supported range, log-spaced.

    Returns
    -------
    dict
        ``{"id", "T_k": ndarray (n,), "k": ndarray (n,), "k_extrapolated": bool ndarray (n,),
        "T_cp", "cp", "cp_extrapolated"}``; temperatures in K, k in W/(m K), cp in
        J/(kg K). Missing properties are left out.
    """
    m = get(material_id)
    out: dict = {"id": m.id, "name": m.name}
    for p in PROPERTIES:
        if not m.has(p):
            continue
        lo, hi = m.property_range_K(p)
        T = np.geomspace(lo, hi, int(n))
        out[f"T_{p}"] = T
        out[p] = m.k(T) if p == "k" else m.cp(T)
        out[f"{p}_extrapolated"] = m.extrapolated(T, p)
    return out
