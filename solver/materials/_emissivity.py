"""Total hemispherical emissivities of shield surfaces (materials_data/materials/emissivity.json)."""

from __future__ import annotations

from functools import cache

import numpy as np

from materials_data import DATA_DIR
from solver._jsonfile import read_validated
from solver.errors import PropertyRangeError, UnknownNameError
from solver.materials._schema import EmissivityFile

EMISSIVITY_FILE = DATA_DIR / "materials" / "emissivity.json"


@cache
def _surfaces() -> dict[str, dict]:
    doc = read_validated(EMISSIVITY_FILE, EmissivityFile, "emissivity")
    return {s.id: s.model_dump(by_alias=True, exclude_unset=True) for s in doc.surfaces}


def surfaces() -> list[dict]:
    """Every tabulated surface: dicts with id, name, T_K, emissivity, source, confidence."""
    return [dict(s) for _, s in sorted(_surfaces().items())]


def emissivity(surface_id: str, T):
    """Total hemispherical emissivity of a surface at temperature ``T``.

    Linear interpolation in T between the tabulated temperatures (4.33, 77.8
    and 300 K in the handbook table); a surface tabulated at one temperature
    only is available at exactly that temperature.

    Parameters
    ----------
    surface_id : str
        Id from ``surfaces()`` (e.g. ``"Al-foil-bright"``, ``"Cu-polished"``).
    T : float or ndarray
        Surface temperature in kelvin.

    Returns
    -------
    float or ndarray
        Emissivity (dimensionless), same shape as ``T``.

    Raises
    ------
    UnknownNameError
        Unknown surface id (lists the closest ids).
    PropertyRangeError
        ``T`` outside the tabulated temperatures of that surface.
    """
    table = _surfaces()
    if surface_id not in table:
        raise UnknownNameError("surface", surface_id, table)
    s = table[surface_id]
    T = np.asarray(T, float)
    lo, hi = s["T_K"][0], s["T_K"][-1]
    bad = ~((lo <= T) & (T <= hi))
    if bad.any():
        raise PropertyRangeError(
            f"surface {surface_id}", "emissivity", float(T[bad].flat[0]), (lo, hi)
        )
    out = np.interp(T, s["T_K"], s["emissivity"])
    return out if out.ndim else float(out)
