"""pydantic model of the design file ``cryogen/design@1`` (DESIGN.md, the stable contract).

Components are nodes (``boundary``, ``stage``) or sources acting on a node;
links join two nodes. The types and their fields come from the element registry
(``solver.elements``): one spec per type. Every item has a unique ``id``; unknown
keys are errors except under ``layout`` and ``meta``. Units are in the field names
(SI, kelvin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from solver import elements
from solver.elements._base import Item, Link
from solver.flow.model import Flow

SCHEMA = "cryogen/design@1"

NODE_TYPES: tuple[str, ...] = tuple(elements.NODES)
SOURCE_TYPES: tuple[str, ...] = tuple(elements.SOURCES)
COMPONENT_TYPES: tuple[str, ...] = NODE_TYPES + SOURCE_TYPES
LINK_TYPES: tuple[str, ...] = tuple(elements.LINKS)

if TYPE_CHECKING:
    Component = Item
    LinkItem = Link
else:
    Component = Annotated[
        Union[tuple(s.model for s in elements.COMPONENTS.values())],  # noqa: UP007
        Field(discriminator="type"),
    ]
    LinkItem = Annotated[
        Union[tuple(s.model for s in elements.LINKS.values())],  # noqa: UP007
        Field(discriminator="type"),
    ]


class Design(BaseModel):
    """A whole system: components, links, canvas layout and free metadata."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["cryogen/design@1"] = Field(alias="schema")
    name: str = ""
    components: list[Component] = Field(default_factory=list)
    links: list[LinkItem] = Field(default_factory=list)
    flow: Flow | None = None  # fluid network (README, "Fluid circuits")
    layout: dict[str, Any] = Field(default_factory=dict)
    meta: dict[str, Any] = Field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; ``from_dict(d).to_dict() == d`` for any valid ``d``."""
        return self.model_dump(by_alias=True, exclude_unset=True, mode="json")

    # -- lookups used by the solvers and the editor
    def component(self, item_id: str) -> Any:
        return next(c for c in self.components if c.id == item_id)

    def link(self, item_id: str) -> Any:
        return next(lk for lk in self.links if lk.id == item_id)

    @property
    def nodes(self) -> list[Any]:
        """The node components (boundaries, stages), in file order."""
        return [c for c in self.components if c.type in elements.NODES]


def component_model(type_name: str) -> type[Item]:
    """The pydantic class of a component type (used to build editor forms)."""
    return elements.COMPONENTS[type_name].model


def link_model(type_name: str) -> type[Link]:
    """The pydantic class of a link type (used to build editor forms)."""
    return elements.LINKS[type_name].model
