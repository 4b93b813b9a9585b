"""``current_lead``: a 1-D current lead between two nodes (``solver.thermal.leads``).

d/dx(kA dT/dx) + I²ρ(T)/A = 0 with k from the material and, for copper, ρ from NIST
Monograph 177 (RRR from the material id or ``rrr``; magnetoresistance at
``field_T``). ``current_A`` is the current in each lead, ``count`` multiplies the
heat. Either ``length_m`` and ``area_m2``, or ``"shape": "optimal"``: the A/L that
minimises the heat into the colder end at the solved end temperatures (no heat
then leaves the warmer end). With ``superconductor`` the lead is an HTS section:
no Joule heat, k(T) from ``material``, and the current compared with the
critical current of ``superconductor_area_m2`` of the named fit at the warmer end.
The lead delivers different heat to its two ends (see ``link_end_flows_W``).
"""

from __future__ import annotations

import functools
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from solver.elements._base import Area, Length, Link, NonNegativeFloat
from solver.elements._spec import (
    LinkSpec,
    LinkTerms,
    Problem,
    References,
    Terminal,
    material_problems,
)
from solver.elements._vapour import VAPOUR_NOTE, VapourCooledLink, VapourCooling
from solver.errors import DesignError

QUASI_STEADY_NOTE = (
    "current lead treated as quasi-steady in the cooldown (its heat capacity is not included)"
)


class CurrentLead(VapourCooling, Link):
    """A lead carrying ``current_A`` from ``from`` to ``to`` (fixed geometry or optimal shape)."""

    type: Literal["current_lead"]
    material: str
    current_A: NonNegativeFloat
    length_m: Length | None = None
    area_m2: Area | None = None
    shape: Literal["fixed", "optimal"] = "fixed"
    rrr: Annotated[float, Field(ge=10, le=2000, allow_inf_nan=False)] | None = None
    field_T: NonNegativeFloat = 0.0
    superconductor: str | None = None
    superconductor_area_m2: Area | None = None

    @model_validator(mode="after")
    def _geometry(self) -> CurrentLead:
        given = (self.length_m is not None, self.area_m2 is not None)
        if self.shape == "optimal":
            if any(given):
                raise ValueError("shape 'optimal' finds A/L itself: omit length_m and area_m2")
            if self.superconductor is not None:
                raise ValueError("an HTS section (superconductor) has no optimal shape")
        elif not all(given):
            raise ValueError('give length_m and area_m2, or "shape": "optimal"')
        if self.cooling == "vapour" and self.superconductor:
            raise ValueError("a vapour-cooled lead needs a normal conductor (no superconductor)")
        if self.cooling == "vapour" and self.shape == "optimal" and self.exchange_W_per_m_K:
            raise ValueError(
                "the optimal vapour-cooled shape is solved in perfect exchange: omit "
                "exchange_W_per_m_K, or give length_m and area_m2"
            )
        if (self.superconductor is None) != (self.superconductor_area_m2 is None):
            raise ValueError("give superconductor and superconductor_area_m2 together")
        if self.superconductor is not None and self.field_T <= 0:
            raise ValueError(
                "an HTS section needs field_T > 0 (the field at the lead, T): the Jc fits "
                "diverge at zero field"
            )
        return self


def _conductor(item: CurrentLead):
    from solver.thermal import leads

    return leads.lead_material(
        item.material, item.rrr, item.field_T, superconducting=item.superconductor is not None
    )


def _problems(item: CurrentLead, refs: References) -> list[Problem]:
    found = material_problems(item.id, "material", item.material)
    if found:
        return found
    if item.superconductor is not None:
        from solver.magnet.superconductors import superconductor_names

        if item.superconductor not in superconductor_names():
            from solver.errors import UnknownNameError

            err = UnknownNameError("superconductor", item.superconductor, superconductor_names())
            return [Problem(item.id, "superconductor", str(err))]
    try:
        _conductor(item)
    except DesignError as exc:
        return [Problem(item.id, "material", str(exc))]
    return []


class LeadElement:
    """A current lead seen by the network through the heat at its two ends (a TerminalElement).

    Terminals are (``to``, ``from``): the lead's end 0 is its ``to`` node.
    """

    def __init__(self, item: CurrentLead):
        from solver.thermal import leads

        self.item = item
        self.conductor = _conductor(item)
        self.terminals = (item.to, item.from_)
        self.lead = None
        if item.shape != "optimal":  # the model requires length and area unless optimal
            assert item.length_m is not None and item.area_m2 is not None
            self.lead = leads.Lead(
                item.id, self.conductor, item.current_A, item.length_m, item.area_m2
            )

    def terminal_response(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Heat into (``to``, ``from``) in W and its Jacobian (W/K) at their temperatures T (K).

        A Newton iterate may put an end outside the material's k range: the ends are then
        held at the range's edge (zero slope there), and :meth:`notes` refuses a solution
        outside it.
        """
        n = self.item.count
        lo, hi = self._range_K
        # scalar work: this runs for every lead at every Newton evaluation
        t0, t1 = float(T[0]), float(T[1])
        inside = np.array((lo <= t0 <= hi, lo <= t1 <= hi), dtype=float)
        t0, t1 = min(max(t0, lo), hi), min(max(t1, lo), hi)
        if self.lead is not None:
            Q, J = self.lead.ends(t0, t1).into_nodes(n)
        else:
            Q, J = self._optimal(np.array((t0, t1)))
        return Q, J * inside

    @functools.cached_property
    def _range_K(self) -> tuple[float, float]:
        from solver import materials

        lo, _ = materials.get(self.item.material).property_range_K("k")
        return lo, self.conductor.top_K

    def _optimal(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from solver.thermal import leads

        n = self.item.count
        cold = 0 if T[0] <= T[1] else 1
        warm = 1 - cold
        if T[cold] == T[warm]:
            return np.zeros(2), np.zeros((2, 2))
        opt = leads.optimal_conduction_lead(
            self.conductor, self.item.current_A, float(T[cold]), float(T[warm]), shape=False
        )
        Q = np.zeros(2)
        J = np.zeros((2, 2))
        Q[cold] = n * opt.q_cold_W
        J[cold, cold] = n * opt.dq_dT_cold
        J[cold, warm] = n * opt.dq_dT_warm
        return Q, J

    def notes(self, T: np.ndarray) -> list[str]:
        """What to report at the solution: the optimum I·L/A, range flags, current sharing."""
        from solver.thermal import leads

        lo, hi = sorted((float(T[0]), float(T[1])))
        low, top = self._range_K
        if lo < low or hi > top:
            raise DesignError(
                f"lead {self.item.id!r}: its ends at {lo:.4g}-{hi:.4g} K leave {self.item.material}'s "
                f"k range {low:g}-{top:g} K"
            )
        out: list[str] = []
        if self.lead is None and hi > lo:
            opt = leads.optimal_conduction_lead(self.conductor, self.item.current_A, lo, hi)
            out.append(
                f"lead {self.item.id!r}: optimal shape I·L/A = "
                f"{opt.current_length_over_area_A_per_m:.4g} A/m "
                f"(L/A = {opt.current_length_over_area_A_per_m / max(self.item.current_A, 1e-300):.4g} 1/m)"
            )
        if self.lead is not None:
            out += self.lead.flags(self.lead.ends(float(T[0]), float(T[1])).profile_K)
        elif not self.conductor.superconducting:
            from solver.materials._resistivity import copper_resistivity_notes

            out += copper_resistivity_notes(hi, f"lead {self.item.id!r}")
        if self.item.superconductor is not None:
            out += _current_sharing(self.item, hi)
        return out


def _current_sharing(item: CurrentLead, T_warm: float) -> list[str]:
    """Flag an HTS section whose current exceeds the fit's critical current at its warmer end."""
    from solver.magnet.superconductors import get_superconductor

    assert item.superconductor is not None and item.superconductor_area_m2 is not None
    fit = get_superconductor(item.superconductor)
    notes = [f"lead {item.id!r}: {n}" for n in fit.range_notes(item.field_T, T_warm)]
    ic = float(fit.jc(item.field_T, T_warm)) * item.superconductor_area_m2
    if item.current_A > ic:
        notes.append(
            f"lead {item.id!r}: current {item.current_A:g} A exceeds the {fit.name} critical current "
            f"{ic:.4g} A at the warm end ({T_warm:.4g} K): current sharing, Joule heat not modelled"
        )
    return notes


def _lower(item: CurrentLead) -> LinkTerms:
    if item.cooling == "vapour":
        return Terminal(
            VapourCooledLink(item, _conductor(item), item.current_A), cooldown_note=VAPOUR_NOTE
        )
    return Terminal(LeadElement(item), cooldown_note=QUASI_STEADY_NOTE)


SPECS = (LinkSpec("current_lead", CurrentLead, lower=_lower, problems=_problems),)
