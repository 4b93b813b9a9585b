"""``contact``: a joint's contact conductance, constant or a power law G(T) = g0·(T/T0)ⁿ.

The power law is integrated exactly across the joint,
Q = g0·T0/(n+1)·((T_from/T0)^(n+1) − (T_to/T0)^(n+1)).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from solver.elements._base import STRICT_FINITE, Conductance, Link, Temperature
from solver.elements._spec import LinkSpec, LinkTerms, PowerLaw

PressureExponent = Annotated[float, Field(ge=0.0, le=5.0, **STRICT_FINITE)]
"""Exponent n of the pressed-contact law G = g0·(F/F0)^n, 0 to 5."""


class Contact(Link):
    """Contact conductance: constant ``conductance_W_K``, or the power law (g0_W_K, T0_K, exponent)."""

    type: Literal["contact"]
    conductance_W_K: Conductance | None = None
    g0_W_K: Conductance | None = None
    T0_K: Temperature | None = None
    exponent: PressureExponent | None = None

    @model_validator(mode="after")
    def _one_law(self) -> Contact:
        law = (self.g0_W_K, self.T0_K, self.exponent)
        if self.conductance_W_K is not None and any(v is not None for v in law):
            raise ValueError(
                "give conductance_W_K or the power law (g0_W_K, T0_K, exponent), not both"
            )
        if self.conductance_W_K is None and any(v is None for v in law):
            raise ValueError("give conductance_W_K, or all of g0_W_K, T0_K and exponent")
        return self


def _lower(item: Contact) -> LinkTerms:
    if item.conductance_W_K is not None:
        return [PowerLaw(item.count * item.conductance_W_K, 1.0)]
    assert item.g0_W_K is not None and item.T0_K is not None and item.exponent is not None
    p = item.exponent + 1.0
    return [PowerLaw(item.count * item.g0_W_K / (p * item.T0_K**item.exponent), p)]


SPECS = (LinkSpec("contact", Contact, lower=_lower),)
