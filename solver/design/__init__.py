"""The design file ``cryogen/design@1``: model, validation, load/save."""

from solver.design.io import load, save
from solver.design.model import (
    COMPONENT_TYPES,
    LINK_TYPES,
    NODE_TYPES,
    SCHEMA,
    SOURCE_TYPES,
    Design,
    component_model,
    link_model,
)
from solver.design.validate import from_dict, validate
from solver.elements import Problem


def to_dict(design: Design) -> dict:
    """Plain JSON-ready dict of a design (exact round trip with :func:`from_dict`)."""
    return design.to_dict()


__all__ = [
    "COMPONENT_TYPES",
    "LINK_TYPES",
    "NODE_TYPES",
    "SCHEMA",
    "SOURCE_TYPES",
    "Design",
    "Problem",
    "component_model",
    "from_dict",
    "link_model",
    "load",
    "save",
    "to_dict",
    "validate",
]
