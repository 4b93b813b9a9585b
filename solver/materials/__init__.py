"""Cryogenic material properties: NIST fits, documented low-temperature laws, Kirchhoff tables.

>>> from solver import materials
>>> m = materials.get("SS304")
>>> m.conductivity_integral(4.0, 300.0)   # W/m

Data live in ``materials_data/materials/<id>.json`` (one file per material, each
fit with its equation form, coefficients, range, fit error and source).
"""

from solver.materials._emissivity import emissivity, surfaces
from solver.materials._grid import GRID, T_FLOOR_K, PropertyTable, TemperatureGrid
from solver.materials._library import catalog, curves, get, ids
from solver.materials._material import Material, MissingPropertyError

__all__ = [
    "GRID",
    "T_FLOOR_K",
    "Material",
    "MissingPropertyError",
    "PropertyTable",
    "TemperatureGrid",
    "catalog",
    "curves",
    "emissivity",
    "get",
    "ids",
    "surfaces",
]
