"""Base pydantic models and field types shared by every element spec (SI units in field names)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Temperature = Annotated[float, Field(gt=0, le=2000, allow_inf_nan=False)]
Emissivity = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=1, strict=True)]


class Item(BaseModel):
    """Fields common to every component and link."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: Annotated[str, Field(min_length=1, max_length=200)]
    type: str


class Source(Item):
    """A component acting on a node (not a node itself)."""


class SingleStageSource(Source):
    """A source acting on one node, named by ``stage``."""

    stage: str


class Link(Item):
    """Fields common to every link: the two node ids and the number of identical parallel links."""

    from_: str = Field(alias="from")
    to: str
    count: Count = 1
