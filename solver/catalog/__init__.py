"""Component catalog: real cryogenic parts with their sources, and parts derived from the material fits.

>>> from solver import catalog
>>> catalog.get("shi-rdk-408d2").parameters["rating_points"]
>>> catalog.to_design_element("coaxco-sc-086-50-ss-ss", id="rf", **{"from": "plate50", "to": "plate4"},
...                           length_m=0.25, count=16)

Data: ``materials_data/components/*.json`` (one file per family, every entry
with its source and units). Derived numbers are computed when the catalog is
first loaded, never typed in. Searching lives in ``cryogen_widgets.catalog``.
"""

from solver.catalog._component import Component
from solver.catalog._derive import layers_conductance_integral, pair_key
from solver.catalog._hooks import rated_constant_coolers, stage_heat_loads, to_design_element
from solver.catalog._library import components, counts, get, ids
from solver.catalog._schema import CATEGORIES
from solver.catalog._user import UserComponentError, validate_user_component

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
