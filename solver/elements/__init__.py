"""The element types of the design file, one spec per type, in one table.

Each public module of this package defines ``SPECS``: a tuple of
:class:`NodeSpec`, :class:`SourceSpec` or :class:`LinkSpec`. A spec holds the
type's pydantic model, the problems it checks beyond its model (references,
materials, catalog parts), and how it lowers to network terms. The design model
(``solver.design.model``), the validator, the network builder
(``solver.thermal.network``) and the designer (``cryogen_widgets.designer``) read
these tables and have no per-type code of their own.

Adding a type: one new module here with its ``SPECS`` (it is found
automatically), plus its drawing entry in ``cryogen_widgets/designer/kinds.py``.

>>> from solver import elements
>>> elements.LINKS["radiation"].model.model_fields["area_m2"].is_required()
True
"""

from __future__ import annotations

import importlib
import pkgutil

from solver.elements._spec import (
    Conduction,
    FixedCooling,
    FixedHeat,
    LinkSpec,
    LinkTerms,
    NodeSource,
    NodeSpec,
    PowerLaw,
    Problem,
    References,
    SourceSpec,
    SourceTerm,
    Spec,
    Terminal,
    TerminalElement,
    material_problems,
    reference_problems,
)


def _discover() -> list[Spec]:
    specs: list[Spec] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            specs += importlib.import_module(f"{__name__}.{info.name}").SPECS
    return specs


_SPECS = _discover()

NODES: dict[str, NodeSpec] = {s.type: s for s in _SPECS if isinstance(s, NodeSpec)}
"""Node types by name (link ends: boundaries at fixed temperature, stages with heat capacity)."""
SOURCES: dict[str, SourceSpec] = {s.type: s for s in _SPECS if isinstance(s, SourceSpec)}
"""Source types by name (components acting on nodes)."""
LINKS: dict[str, LinkSpec] = {s.type: s for s in _SPECS if isinstance(s, LinkSpec)}
"""Link types by name."""
COMPONENTS: dict[str, NodeSpec | SourceSpec] = {**NODES, **SOURCES}
"""Every component type (nodes, then sources)."""


def spec(type_name: str) -> Spec:
    """The spec of a component or link type; KeyError for an unknown type."""
    if type_name in COMPONENTS:
        return COMPONENTS[type_name]
    return LINKS[type_name]


__all__ = [
    "COMPONENTS",
    "LINKS",
    "NODES",
    "SOURCES",
    "Conduction",
    "FixedCooling",
    "FixedHeat",
    "LinkSpec",
    "LinkTerms",
    "NodeSource",
    "NodeSpec",
    "PowerLaw",
    "Problem",
    "References",
    "SourceSpec",
    "SourceTerm",
    "Terminal",
    "TerminalElement",
    "material_problems",
    "reference_problems",
    "spec",
]
