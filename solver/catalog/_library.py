"""Loading the built-in catalog: every ``materials_data/components/*.json`` file, parsed,
validated and completed with the derived numbers (computed here, at load time).
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

from materials_data import DATA_DIR
from solver._jsonfile import read_validated
from solver.catalog import _derive
from solver.catalog._component import Component
from solver.catalog._schema import CATEGORIES, ComponentFile
from solver.cryocoolers import CryocoolerFile
from solver.errors import DesignError, UnknownNameError

COMPONENTS_DIR = DATA_DIR / "components"
# generators that derive numbers for a file's commercial entries (instead of adding entries)
ENRICHERS = ("coax_conductance", "layer_conductance")
CRYOCOOLER_UNITS = {
    "operating_range_K": "K (lowest and highest stage temperature of the published map or curve)",
    "input_power_kW": "kW (compressor input)",
}


def _cryocooler_components(path: Path) -> list[Component]:
    doc = read_validated(path, CryocoolerFile, "catalog")
    out = []
    for e in doc.entries:
        raw = e.model_dump(by_alias=True, exclude_none=True)
        params: dict[str, Any] = {
            "kind_label": e.kind,
            "stages": list(e.stages),
            "map_kind": raw.get("map_kind", ""),
            "has_map": e.capacity_map is not None or e.capacity_curve is not None,
            "rating_points": [p.model_dump(by_alias=True) for p in e.rating_points],
        }
        temps: list[float] = []  # the published box of a map or curve (rating points span none)
        if e.capacity_map is not None:
            cols = e.capacity_map["columns"]
            rows = e.capacity_map["data"]
            params["capacity_map"] = {"columns": cols, "rows": len(rows)}
            temps += [r[i] for r in rows for i, c in enumerate(cols) if c.startswith("T")]
        if e.capacity_curve is not None:
            temps += [r[0] for r in e.capacity_curve["data"]]
        if temps:
            params["operating_range_K"] = [min(temps), max(temps)]
        for key in ("input_power_kW", "confidence"):
            if key in raw:
                params[key] = raw[key]
        source = e.source + (f"; rating: {raw['rating_source']}" if "rating_source" in raw else "")
        out.append(
            Component(
                id=e.id,
                category="cryocooler",
                family="cryocoolers",
                kind="commercial",
                maker=e.maker,
                model=e.model,
                name=e.name,
                source=source,
                parameters=params,
                units={**doc.units, **CRYOCOOLER_UNITS},
            )
        )
    return out


def _family_components(path: Path) -> list[Component]:
    doc = read_validated(path, ComponentFile, "catalog")
    out = []
    coax_spec = next((d for d in doc.derived if d.get("generator") == "coax_conductance"), None)
    layer_spec = next((d for d in doc.derived if d.get("generator") == "layer_conductance"), None)
    for e in doc.entries:
        if e.source in doc.sources:
            source = doc.sources[e.source].text()
        elif len(e.source) < 40:
            raise DesignError(
                f"{path.name}: entry {e.id!r} source: {e.source!r} is neither a key of 'sources' "
                f"({', '.join(doc.sources) or 'none'}) nor a full citation"
            )
        else:
            source = e.source
        params = dict(e.parameters)
        params["rating"] = e.rating
        if "excitation_A" in params:  # self-heating at constant-current excitation I
            current = params["excitation_A"]
            if "voltage_V_at_K" in params:  # diode: I x forward voltage
                params["dissipation_W_at_K"] = {
                    T: v * current for T, v in params["voltage_V_at_K"].items()
                }
            elif "resistance_ohm_at_K" in params:  # resistor: I^2 R
                params["dissipation_W_at_K"] = {
                    T: current**2 * r for T, r in params["resistance_ohm_at_K"].items()
                }
        if e.note:
            params["note"] = e.note
        if layer_spec is not None and params.get("layers"):
            params.update(
                _derive.layers_conductance_integral(
                    params["layers"], map(tuple, layer_spec["stage_pairs_K"])
                )
            )
        if coax_spec is not None:
            layers = _derive.coax_layers(params, coax_spec["materials"])
            params["layers"] = layers
            if layers is not None:
                params.update(
                    _derive.layers_conductance_integral(
                        layers, map(tuple, coax_spec["stage_pairs_K"])
                    )
                )
        out.append(
            Component(
                e.id,
                doc.category,
                doc.family,
                "commercial",
                e.maker,
                e.model,
                e.name,
                source,
                params,
                doc.units,
            )
        )
    for spec in doc.derived:
        name = spec.get("generator")
        if name in ENRICHERS:
            continue
        if name not in _derive.GENERATORS:
            raise UnknownNameError(
                "catalog generator", str(name), [*_derive.GENERATORS, *ENRICHERS], path.name
            )
        for raw in _derive.GENERATORS[name](spec, doc.category):
            out.append(
                Component(
                    raw["id"],
                    doc.category,
                    doc.family,
                    "derived",
                    raw["maker"],
                    raw["model"],
                    raw["name"],
                    raw["source"],
                    raw["parameters"],
                    doc.units,
                )
            )
    return out


_BUILDING = threading.Lock()


def _catalog() -> dict[str, Component]:
    """Every built-in component by id, built once per process (a kernel's background
    warm-up and the app may ask at the same time: one builds, the other waits)."""
    with _BUILDING:
        return _built_catalog()


@functools.cache
def _built_catalog() -> dict[str, Component]:
    by_id: dict[str, Component] = {}
    for path in sorted(COMPONENTS_DIR.glob("*.json")):
        reader = (
            _cryocooler_components if path.name.startswith("cryocoolers") else _family_components
        )
        for comp in reader(path):
            if comp.id in by_id:
                raise DesignError(f"{path.name}: catalog id {comp.id!r} is defined twice")
            by_id[comp.id] = comp
    return by_id


def components(category: str | None = None) -> list[Component]:
    """Every built-in component, optionally of one category (see ``CATEGORIES``)."""
    if category is not None and category not in CATEGORIES:
        raise UnknownNameError("category", category, CATEGORIES)
    return [c for c in _catalog().values() if category is None or c.category == category]


def ids() -> list[str]:
    """Ids of every built-in component, sorted."""
    return sorted(_catalog())


def get(component_id: str) -> Component:
    """A built-in component by id; UnknownNameError lists the closest ids."""
    cat = _catalog()
    if component_id in cat:
        return cat[component_id]
    raise UnknownNameError("catalog component", component_id, cat)


def counts() -> dict[str, dict[str, int]]:
    """Number of built-in entries per category and kind (commercial / derived)."""
    table: dict[str, dict[str, int]] = {c: {"commercial": 0, "derived": 0} for c in CATEGORIES}
    for comp in _catalog().values():
        table[comp.category][comp.kind] += 1
    return table
