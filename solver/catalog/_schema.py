"""pydantic models of the catalog files ``materials_data/components/*.json``.

A file holds one family of components: ``entries`` typed in from a cited
source (commercial parts with a published rating) and ``derived`` generator
specs whose numbers are computed at load time from the material fits
(``solver.catalog._derive``). The cryocooler files (``cryocoolers*.json``)
have their own schema in ``solver.cryocoolers``, which the catalog reads too. Every validation error names the file, the entry
id and the field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

Category = Literal[
    "cryocooler",
    "superconductor",
    "mli",
    "strap",
    "support",
    "wiring",
    "vessel",
    "dilution_refrigerator",
    "heat_switch",
    "sensor",
]

CATEGORIES: tuple[str, ...] = get_args(Category)
"""Catalog categories, in the order the CLI and the browser list them."""

Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Source(BaseModel):
    """Where a family's numbers come from (the primary citation and where it was read)."""

    model_config = ConfigDict(extra="forbid")

    primary: str = Field(min_length=10)
    found_at: str = ""
    via: str = ""
    confidence: str = ""

    def text(self) -> str:
        parts = [self.primary]
        if self.found_at:
            parts.append(f"found at: {self.found_at}")
        if self.via:
            parts.append(f"via {self.via}")
        if self.confidence:
            parts.append(f"confidence: {self.confidence}")
        return "; ".join(parts)


class RawEntry(BaseModel):
    """A typed-in commercial part: maker, model, cited source and its published parameters."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120)
    maker: str = Field(min_length=1)
    model: str = Field(min_length=1)
    name: str = Field(min_length=1)
    source: str = Field(min_length=2)
    rating: str = Field(min_length=3)
    parameters: dict[str, Any]
    note: str = ""


class ComponentFile(BaseModel):
    """One family file: category, units of every parameter, sources, entries, generators."""

    model_config = ConfigDict(extra="forbid")

    schema_: Literal["cryogen/components@1"] = Field(alias="schema")
    family: str
    category: Category
    description: str = Field(min_length=20)
    units: dict[str, str]
    sources: dict[str, Source] = Field(default_factory=dict)
    entries: list[RawEntry] = Field(default_factory=list)
    derived: list[dict[str, Any]] = Field(default_factory=list)
