"""A link cooled by its bath's vented gas: the 1-D lead solver with the gas in perfect exchange.

Used by ``support`` and ``current_lead`` with ``"cooling": "vapour"`` (a vapour-cooled
neck; a vapour-cooled lead). The link's ``to`` end is a ``bath``, or a node (a shield anchored
on the neck) from which exactly one vapour-cooled link continues down to a bath: the
gas then flows through both in series, entering the upper one at the node's
temperature. The bath's vented gas, (net heat / h_fg)(1 − ρ_v/ρ_l) (DESIGN.md), is
shared equally among the vapour-cooled links (counting ``count``) that end on it. The steady solver sets the flow
(``mdot_kg_s``) and repeats the network solve until the flow and the bath's heat agree.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, model_validator

from solver.elements._base import PositiveFloat
from solver.errors import DesignError

VAPOUR_NOTE = (
    "vapour-cooled link solved without vented gas in the cooldown (conduction only, "
    "quasi-steady: an upper bound on its heat)"
)


class VapourCooling(BaseModel):
    """The ``cooling`` fields of a link that a bath's vented gas may cool (support, lead).

    ``exchange_W_per_m_K`` is the lead-to-gas h·P per metre (W/(m·K)); omitted, the gas
    is in perfect exchange with the link.
    """

    cooling: Literal["conduction", "vapour"] = "conduction"
    exchange_W_per_m_K: PositiveFloat | None = None

    @model_validator(mode="after")
    def _exchange_needs_gas(self) -> VapourCooling:
        if self.exchange_W_per_m_K is not None and self.cooling != "vapour":
            raise ValueError('exchange_W_per_m_K applies only with "cooling": "vapour"')
        return self


class VapourCooledLink:
    """Terminal element (``to``, ``from``) of a link cooled by the vented gas of its ``to`` bath."""

    def __init__(self, item, conductor=None, current_A: float = 0.0):
        self.item = item
        self.conductor = conductor  # a leads.LeadMaterial; None: conduction only (a neck)
        self.current_A = current_A
        self.terminals = (item.to, item.from_)
        self.lead: Any = None  # a solver.thermal.leads.Lead, built by bind()
        self.bath: Any = None  # the bath whose vented gas cools the link, set by bind()
        self.upstream: str | None = (
            None  # the vapour-cooled link the gas comes from, if not the bath
        )
        self.mdot_kg_s = 0.0  # gas through each of the link's `count` paths

    def bind(self, design) -> None:
        """Find the bath at the link's ``to`` end and build the lead with its gas table."""
        from solver import fluids
        from solver.thermal import leads

        nodes = {c.id: c for c in design.nodes}
        node, seen = nodes[self.item.to], {self.item.id}
        self.upstream = None
        while node.type != "bath":  # gas arriving from a vapour-cooled link below this one
            below = [
                lk
                for lk in design.links
                if lk.from_ == node.id and getattr(lk, "cooling", None) == "vapour"
            ]
            if len(below) != 1 or below[0].id in seen:
                raise DesignError(
                    f"{self.item.id!r}, field 'cooling': vapour cooling needs a bath at the link's "
                    f"'to' end, or one vapour-cooled link from {node.id!r} down to a bath"
                )
            self.upstream = self.upstream or below[0].id
            seen.add(below[0].id)
            node = nodes[below[0].to]
        bath = node
        self.bath = bath
        state = bath.state
        conductor = self.conductor or leads.lead_material(self.item.material, superconducting=True)
        gas = fluids.vapour_enthalpy_table(state.fluid, state.pressure_Pa)
        if getattr(self.item, "shape", "fixed") == "optimal":
            self.lead = leads.OptimalVapourLead(self.item.id, conductor, self.current_A, gas)
            return
        self.lead = leads.Lead(
            self.item.id,
            conductor,
            self.current_A,
            self.item.length_m,
            self.item.area_m2,
            gas=gas,
            exchange_W_per_m_K=self.item.exchange_W_per_m_K,
        )

    def terminal_response(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Heat into (``to``, ``from``) in W and its Jacobian (W/K)."""
        return self.lead.ends(float(T[0]), float(T[1]), self.mdot_kg_s).into_nodes(self.item.count)

    def notes(self, T: np.ndarray) -> list[str]:
        out = [
            (
                f"link {self.item.id!r}: cooled by {self.mdot_kg_s * 1e6:.4g} mg/s of vented gas "
                f"from bath {self.bath.id!r} through each of its {self.item.count} path(s)"
            )
        ]
        ends = self.lead.ends(float(T[0]), float(T[1]), self.mdot_kg_s)
        out += self.lead.flags(ends.profile_K)
        if getattr(self.item, "shape", "fixed") == "optimal":
            ila = self.lead.current_length_over_area_A_per_m
            out.append(
                f"lead {self.item.id!r}: optimal vapour-cooled shape I·L/A = {ila:.4g} A/m "
                f"(L/A = {ila / self.current_A:.4g} 1/m), "
                f"{ends.q_cold_W / self.current_A * 1e3:.4g} mW/A into its colder end"
            )
        return out
