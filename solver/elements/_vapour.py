"""A link cooled by its bath's vented gas: the 1-D lead solver with the gas in perfect exchange.

Used by ``support`` (``"cooling": "vapour"``, a vapour-cooled neck) and, later, by
``current_lead``. The link's ``to`` end is a ``bath``, or a node (a shield anchored
on the neck) from which exactly one vapour-cooled link continues down to a bath: the
gas then flows through both in series, entering the upper one at the node's
temperature. The bath's vented gas, (net heat / h_fg)(1 − ρ_v/ρ_l) (DESIGN.md), is
shared equally among the vapour-cooled links (counting ``count``) that end on it. The steady solver sets the flow
(``mdot_kg_s``) and repeats the network solve until the flow and the bath's heat agree.
"""

from __future__ import annotations

import numpy as np

from solver.errors import DesignError


class VapourCooledLink:
    """Terminal element (``to``, ``from``) of a link cooled by the vented gas of its ``to`` bath."""

    def __init__(self, item, current_A: float = 0.0):
        self.item = item
        self.current_A = current_A
        self.terminals = (item.to, item.from_)
        self.lead = None
        self.bath = None  # the bath whose vented gas cools the link, set by bind()
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
        conductor = leads.lead_material(self.item.material, superconducting=self.current_A == 0)
        self.lead = leads.Lead(
            self.item.id,
            conductor,
            self.current_A,
            self.item.length_m,
            self.item.area_m2,
            gas=fluids.vapour_enthalpy_table(state.fluid, state.pressure_Pa),
        )

    def terminal_response(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Heat into (``to``, ``from``) in W and its Jacobian (W/K)."""
        n = self.item.count
        e = self.lead.ends(float(T[0]), float(T[1]), self.mdot_kg_s)
        return n * np.array([e.q_cold_W, -e.q_warm_W]), n * np.array(
            [e.jacobian[0], -e.jacobian[1]]
        )

    def notes(self, T: np.ndarray) -> list[str]:
        return [
            (
                f"link {self.item.id!r}: cooled by {self.mdot_kg_s * 1e6:.4g} mg/s of vented gas "
                f"from bath {self.bath.id!r} through each of its {self.item.count} path(s)"
            )
        ]
