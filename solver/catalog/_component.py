"""The catalog entry as the rest of CryoGen sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["commercial", "derived", "user"]

# Everyday names of the library materials, so "copper rod" finds OFHC-Cu parts.
MATERIAL_WORDS = {
    "OFHC-Cu": "copper",
    "Al": "aluminium aluminum",
    "SS": "stainless steel",
    "G10": "fiberglass epoxy glass",
    "Ti-": "titanium",
    "BeCu": "beryllium copper",
    "PTFE": "teflon",
    "CuNi": "cupronickel",
    "Brass": "brass",
}


@dataclass(frozen=True)
class Component:
    """One catalog component.

    Attributes
    ----------
    id : str
        Stable catalog id (lower case, e.g. ``"shi-rdk-408d2"``).
    category : str
        One of ``solver.catalog.CATEGORIES``.
    family : str
        The data file's family (``"coax"``, ``"thermal_straps"``, ...).
    kind : {"commercial", "derived", "user"}
        ``commercial``: a maker's part with a published rating, typed in with its
        citation; ``derived``: numbers computed at load time from the material
        fits for a stated geometry; ``user``: added by a user (never built in).
    maker, model, name : str
        Maker ("" for derived entries), model designation and display name.
    source : str
        Citation (datasheet, paper, or "derived from <fit> for <geometry>").
    parameters : dict
        SI values, keys carry their unit (``length_m``, ``heat_flow_W``, ...).
    units : dict
        Unit of every parameter key of the family.
    owner : str or None
        Owner of a user component; None for built-ins.
    """

    id: str
    category: str
    family: str
    kind: Kind
    maker: str
    model: str
    name: str
    source: str
    parameters: dict[str, Any] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    owner: str | None = None

    @property
    def search_text(self) -> str:
        """Words a search matches against: names, maker, model, category, materials."""
        p = self.parameters
        words = [self.id, self.maker, self.model, self.name, self.category, self.family, self.kind]
        for key in (
            "material",
            "superconductor",
            "inner_conductor",
            "outer_conductor",
            "kind_label",
        ):
            if isinstance(p.get(key), str):
                words.append(p[key])
                words += [w for prefix, w in MATERIAL_WORDS.items() if p[key].startswith(prefix)]
        return " ".join(w for w in words if w)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field (the store and ``--json`` output use it)."""
        return {
            "id": self.id,
            "category": self.category,
            "family": self.family,
            "kind": self.kind,
            "maker": self.maker,
            "model": self.model,
            "name": self.name,
            "source": self.source,
            "parameters": self.parameters,
            "units": self.units,
            "owner": self.owner,
        }
