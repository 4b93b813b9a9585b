"""Component catalog: real cryogenic parts with their sources, and parts derived from the material fits.

>>> from solver import catalog
>>> catalog.get("shi-rdk-408d2").parameters["rating_points"]
>>> catalog.to_design_element("coaxco-sc-086-50-ss-ss", id="rf", **{"from": "plate50", "to": "plate4"},
...                           length_m=0.25, count=16)

Data: ``materials_data/components/*.json`` (one file per family, every entry
with its source and units). Derived numbers are computed when the catalog is
first loaded, never typed in. Searching lives in ``cryogen_widgets.catalog``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from solver.catalog._component import Component
from solver.catalog._schema import CATEGORIES

_LAZY = {
    "layers_conductance_integral": "_derive",
    "pair_key": "_derive",
    "rated_constant_coolers": "_hooks",
    "stage_heat_loads": "_hooks",
    "to_design_element": "_hooks",
    "components": "_library",
    "counts": "_library",
    "get": "_library",
    "ids": "_library",
    "UserComponentError": "_user",
    "validate_user_component": "_user",
}
"""Names whose modules load the material fits, the cryocooler maps or the magnet code:
imported on first use (PEP 562), and the catalog itself is built on the first lookup."""

if TYPE_CHECKING:  # the names as type checkers and editors see them
    from solver.catalog._derive import layers_conductance_integral, pair_key
    from solver.catalog._hooks import rated_constant_coolers, stage_heat_loads, to_design_element
    from solver.catalog._library import components, counts, get, ids
    from solver.catalog._user import UserComponentError, validate_user_component


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f"solver.catalog.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'solver.catalog' has no attribute {name!r}")


__all__ = [
    "CATEGORIES",
    "Component",
    "UserComponentError",
    "components",
    "counts",
    "get",
    "ids",
    "layers_conductance_integral",
    "pair_key",
    "rated_constant_coolers",
    "stage_heat_loads",
    "to_design_element",
    "validate_user_component",
]


def wiring_layers(part_id: str) -> list[dict]:
    """Material and area (m²) of each layer of one line of a wiring part (for a ``wiring`` link).

    Raises DesignError when the part's conductors have no fit in ``solver.materials``.
    """
    from solver.catalog._library import get

    entry = get(part_id)
    layers = entry.parameters.get("layers") if entry.category == "wiring" else None
    if not layers:
        from solver.errors import DesignError

        raise DesignError(
            f"catalog {part_id}: no layers with library materials (category {entry.category}); "
            "a wiring link needs a wiring part whose conductors have k(T) fits"
        )
    return [dict(layer) for layer in layers]


__all__ += ["wiring_layers"]
