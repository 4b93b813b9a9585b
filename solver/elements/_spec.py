"""What an element type is: its spec (model, checks, lowering) and the network terms it lowers to.

Every component and link type of the design file is one spec in one module of
``solver.elements`` (see the package docstring). The design model, the
validator, the network builder and the designer read the specs; none of them
has a per-type branch of its own.

Terms are plain data in SI units; the network builder (``solver.thermal.network``)
maps their node ids to indices and assembles them.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from solver.errors import UnknownNameError

if TYPE_CHECKING:
    from solver.elements._base import Item, Link


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a design: the item (or None for the whole file), the field, the message."""

    id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = "design" if self.id is None else repr(self.id)
        field = f", field {self.field!r}" if self.field else ""
        return f"{where}{field}: {self.message}"


@dataclass(frozen=True)
class References:
    """The ids a design declares, by kind, for checking what an item refers to.

    ``nodes``: every node (possible link ends); ``stages``: the nodes sources may act on.
    Sets, so that checking every link of a large network stays linear.
    """

    nodes: Collection[str]
    stages: Collection[str]


# --------------------------------------------------------------------------- link terms


@dataclass(frozen=True)
class Conduction:
    """Solid conduction: Q = factor_m · ∫ k dT from T_to to T_from (the conductivity integral).

    ``material`` is a ``solver.materials`` id; ``factor_m`` = count·A/L in metres.
    """

    material: str
    factor_m: float


@dataclass(frozen=True)
class PowerLaw:
    """A power-law exchange: Q = coef · (T_from^exponent − T_to^exponent), coef in W/K^exponent."""

    coef: float
    exponent: float


class TerminalElement(Protocol):
    """An element with its own internal solution (a 3-D body, a current lead) seen by the network
    only through the heat it passes to each of its terminal nodes.

    ``terminal_response(T)`` takes the temperatures of ``terminals`` (K) and returns the heat into
    each terminal node (W) and its Jacobian dQ/dT (W/K, shape (n, n)).
    """

    @property
    def terminals(self) -> Sequence[str]: ...

    def terminal_response(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class Terminal:
    """A link lowered to a :class:`TerminalElement`.

    ``anchors``: the element fixes the temperature of its terminals by itself (a body
    with a fixed-temperature or radiating patch), so steady state is posed without a
    boundary. ``cooldown_note``: flag raised when the element is used in a cooldown.
    """

    element: TerminalElement
    anchors: bool = False
    cooldown_note: str | None = None


LinkTerms = list[Conduction | PowerLaw] | Terminal


# --------------------------------------------------------------------------- source terms


@dataclass(frozen=True)
class FixedHeat:
    """A constant heat ``power_W`` into ``node`` (> 0 heats it)."""

    node: str
    power_W: float


@dataclass(frozen=True)
class FixedCooling:
    """A cooler removing a constant ``power_W`` from ``node`` at any temperature."""

    node: str
    power_W: float


class NodeSource(Protocol):
    """A temperature-dependent source acting on ``nodes`` (a cryocooler, a dilution unit).

    ``heat(T, extend_above_map)`` takes the temperatures of ``nodes`` (K) and returns the heat
    into each node (W, negative when cooling), its Jacobian (W/K, shape (n, n)) and flags.
    ``guess_K`` is a starting temperature per node for the steady solver; ``base_K`` the coldest
    temperature each node can reach (ranks the cooled stages for a cooldown's default target).
    """

    @property
    def id(self) -> str: ...

    @property
    def nodes(self) -> tuple[str, ...]: ...

    def heat(
        self, T: np.ndarray, extend_above_map: bool
    ) -> tuple[np.ndarray, np.ndarray, list[str]]: ...

    def guess_K(self) -> np.ndarray: ...

    def base_K(self) -> np.ndarray: ...


SourceTerm = FixedHeat | FixedCooling | NodeSource


# --------------------------------------------------------------------------- specs


def no_problems(item: Any, refs: References) -> list[Problem]:
    """The default check: nothing beyond the pydantic model and the link ends."""
    return []


@dataclass(frozen=True)
class NodeSpec:
    """A node type: ``fixed`` nodes hold their temperature; the others carry heat capacity.

    ``accepts_sources``: sources (heat loads, coolers) may act on it, by its id in their
    ``stage`` field.
    """

    type: str
    model: builtins.type[Item]
    fixed: bool
    accepts_sources: bool
    problems: Callable[[Any, References], list[Problem]] = no_problems


@dataclass(frozen=True)
class SourceSpec:
    """A source type: what it refers to (``problems``) and the source terms it puts on nodes."""

    type: str
    model: builtins.type[Item]
    lower: Callable[[Any], list[SourceTerm]]
    problems: Callable[[Any, References], list[Problem]] = no_problems


@dataclass(frozen=True)
class LinkSpec:
    """A link type: its model, its checks and its network terms.

    ``drawn``: the designer offers it for drawing between two nodes (a ``body``
    link comes from the grid solver instead).
    """

    type: str
    model: builtins.type[Link]
    lower: Callable[[Any], LinkTerms]
    problems: Callable[[Any, References], list[Problem]] = no_problems
    drawn: bool = True
    notes: tuple[str, ...] = field(default=())
    flags: Callable[[Any], list[str]] = lambda item: []
    """Notes about one item known without a solution (a gas gap in the transition regime)."""


Spec = NodeSpec | SourceSpec | LinkSpec


# --------------------------------------------------------------------------- shared checks


def reference_problems(item_id: str, field: str, ref: str, allowed: Collection[str], kind: str):
    """A problem when ``ref`` is not one of ``allowed`` (naming the closest ids), else none."""
    if ref in allowed:
        return []
    return [Problem(item_id, field, str(UnknownNameError(kind, ref, sorted(allowed))))]


def material_problems(item_id: str, field: str, name: str) -> list[Problem]:
    """A problem when ``name`` is not a ``solver.materials`` id (naming the closest), else none."""
    from solver import materials  # the material fits load on the first material checked

    try:
        materials.get(name)
    except UnknownNameError as exc:
        return [Problem(item_id, field, str(exc))]
    return []


def stage_problems(item: Any, refs: References) -> list[Problem]:
    """The ``stage`` a single-stage source acts on must be a declared stage."""
    return reference_problems(item.id, "stage", item.stage, refs.stages, "stage")
