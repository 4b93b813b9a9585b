"""Physics hooks: a catalog entry turned into the design-file or coil-file element it stands for.

``to_design_element(entry_id, **where)`` returns the dict a design file (DESIGN.md,
``cryogen/design@1``) or a coil file (``conductor``) takes; ``where`` supplies what
the catalog cannot know: ids of the nodes it joins, a link id, a line length, a
count. Every missing or unexpected key is a DesignError naming the entry and
the key.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from solver.catalog._component import Component
from solver.catalog._library import get
from solver.errors import DesignError


def _take(
    entry: Component, where: dict[str, Any], required: tuple[str, ...], optional: tuple[str, ...]
) -> dict:
    where = dict(where)
    if "from_" in where:
        where["from"] = where.pop("from_")
    unknown = sorted(set(where) - set(required) - set(optional))
    if unknown:
        raise DesignError(
            f"catalog {entry.id}: unexpected {', '.join(unknown)} for a {entry.category}; "
            f"give {', '.join(required)}"
            + (f" (optional: {', '.join(optional)})" if optional else "")
        )
    missing = [k for k in required if k not in where]
    if missing:
        raise DesignError(
            f"catalog {entry.id}: missing {', '.join(missing)} to place this {entry.category} in a design"
        )
    return where


def _link(
    entry: Component, link_type: str, where: dict[str, Any], fields: dict[str, Any], optional=()
) -> dict:
    w = _take(entry, where, ("id", "from", "to"), ("count", *optional))
    out = {"id": w["id"], "type": link_type, "from": w["from"], "to": w["to"], **fields}
    out.update({k: w[k] for k in optional if k in w})
    if "count" in w:
        out["count"] = w["count"]
    return out


def _cryocooler(entry: Component, where: dict[str, Any]) -> dict:
    stages = entry.parameters["stages"]
    w = _take(entry, where, ("id", *stages), ())
    return {
        "id": w["id"],
        "type": "cryocooler",
        "model": entry.name,
        "stages": {s: w[s] for s in stages},
    }


def _wiring(entry: Component, where: dict[str, Any]) -> dict:
    if "heat_load_W_per_cable" in entry.parameters:
        raise DesignError(
            f"catalog {entry.id}: published as heat loads per cable, not as materials and geometry; "
            "place it with solver.catalog.stage_heat_loads(id, count=..., <stage name>=<node id>)"
        )
    if "layers" not in entry.parameters:
        raise DesignError(
            f"catalog {entry.id}: published with its attenuation only, without conductor materials "
            "and diameters, so a design cannot compute its conduction; use a wiring link with "
            "layers of library materials (or a coax part of known geometry, e.g. coaxco-sc-086-50-ss-ss)"
        )
    if entry.parameters.get("layers") is None:
        raise DesignError(
            f"catalog {entry.id}: its conductor material has no k(T) fit in solver.materials, so a "
            "design cannot compute its conduction; use a wiring link with layers of library materials"
        )
    w = _take(entry, where, ("id", "from", "to", "length_m"), ("count",))
    out = {
        "id": w["id"],
        "type": "wiring",
        "from": w["from"],
        "to": w["to"],
        "part": entry.id,
        "length_m": w["length_m"],
    }
    out["count"] = w.get("count", 1)
    return out


def _conduction(entry: Component, where: dict[str, Any]) -> dict:
    p = entry.parameters
    fields = {"material": p["material"], "length_m": p["length_m"], "area_m2": p["area_m2"]}
    return _link(entry, p["link_type"], where, fields)


def _mli(entry: Component, where: dict[str, Any]) -> dict:
    p = entry.parameters
    w = _take(entry, where, ("id", "from", "to", "area_m2"), ("pressure_Pa", "gas", "degradation"))
    out = {
        "id": w["id"],
        "type": "mli",
        "from": w["from"],
        "to": w["to"],
        "area_m2": w["area_m2"],
        "layers": p["layers"],
        "layer_density_per_cm": p["layer_density_per_cm"],
    }
    out.update({k: w[k] for k in ("pressure_Pa", "gas", "degradation") if k in w})
    return out


def _vessel(entry: Component, where: dict[str, Any]) -> dict:
    p = entry.parameters
    if p["role"] == "vessel":
        w = _take(entry, where, ("id",), ("temperature_K",))
        return {"id": w["id"], "type": "boundary", "temperature_K": w.get("temperature_K", 300.0)}
    w = _take(entry, where, ("id",), ("initial_K", "heat_load_W", "max_K"))
    out = {"id": w["id"], "type": "stage", "material": p["material"], "mass_kg": p["mass_kg"]}
    out.update({k: w[k] for k in ("initial_K", "heat_load_W", "max_K") if k in w})
    return out


def _dilution(entry: Component, where: dict[str, Any]) -> dict:
    p = entry.parameters
    if "flow_mol_s" not in p:
        raise DesignError(
            f"catalog {entry.id}: the maker publishes a cooling power ({p.get('rating', '')}), not a "
            "3He flow; use a derived dilution unit of the flow you need (category dilution_refrigerator)"
        )
    w = _take(entry, where, ("id", "stage"), ("inlet_K",))
    out = {
        "id": w["id"],
        "type": "dilution_unit",
        "stage": w["stage"],
        "flow_mol_s": p["flow_mol_s"],
    }
    if "inlet_K" in w:
        out["inlet_K"] = w["inlet_K"]
    return out


def _conductor(entry: Component, where: dict[str, Any]) -> dict:
    p = entry.parameters
    w = _take(entry, where, (), ("cu_to_sc", "wire_radius_m"))
    if "area_m2" not in p:
        raise DesignError(
            f"catalog {entry.id}: its cross-section (thickness) is not published in the source; "
            "add it as a user component with area_m2, cu_to_sc and wire_radius_m"
        )
    out = {"superconductor": p["superconductor"], "area_m2": p["area_m2"]}
    from solver.magnet.superconductors import get_superconductor  # the magnet code, on use

    per_strand = get_superconductor(p["superconductor"]).per_strand
    needed = ("wire_radius_m",) if per_strand else ("cu_to_sc", "wire_radius_m")
    for key in needed:
        value = w.get(key, p.get(key))
        if value is None:
            raise DesignError(
                f"catalog {entry.id}: {key} is not published in the source of this conductor; "
                f"pass it, e.g. to_design_element({entry.id!r}, {key}=...)"
            )
        out[key] = value
    return out


def _heat_switch(entry: Component, where: dict[str, Any]) -> dict:
    """Off: the support shell as a ``support`` link. On: a ``contact`` at the on conductance.

    The on conductance is evaluated at ``temperature_K`` (one of the entry's listed
    temperatures): a closed switch has a small temperature difference across it, so a
    constant conductance at its operating temperature is the model.
    """
    p = entry.parameters
    w = _take(entry, where, ("id", "from", "to", "state"), ("temperature_K", "count"))
    state, T = w.pop("state"), w.pop("temperature_K", None)
    if state == "off":
        if T is not None:
            raise DesignError(f"catalog {entry.id}: temperature_K is only for state='on'")
        fields = {
            "material": p["shell_material"],
            "length_m": p["shell_length_m"],
            "area_m2": p["shell_area_m2"],
        }
        return _link(entry, "support", w, fields)
    if state != "on":
        raise DesignError(f"catalog {entry.id}: state must be 'on' or 'off', not {state!r}")
    on = p["on_conductance_W_per_K"]
    key = None if T is None else f"{float(T):g}"
    if key not in on:
        why = p["on_unavailable_K"].get(key, "") if key else ""
        raise DesignError(
            f"catalog {entry.id}: the on conductance is listed at {', '.join(on)} K; give one of them "
            f"as temperature_K" + (f" ({key} K: {why})" if why else "")
        )
    return _link(entry, "contact", w, {"conductance_W_K": on[key]})


def sensor_dissipation_W(entry: Component, temperature_K: float) -> float:
    """Heat a sensor dissipates at ``temperature_K`` (K), W: log-log interpolation of its published points.

    Raises DesignError outside the published points (no extrapolation).
    """
    points = entry.parameters.get("dissipation_W_at_K")
    if not points:
        raise DesignError(f"catalog {entry.id}: no published dissipation for this sensor")
    T = np.array([float(t) for t in points])
    P = np.array(list(points.values()), dtype=float)
    order = np.argsort(T)
    T, P = T[order], P[order]
    if not T[0] <= temperature_K <= T[-1]:
        raise DesignError(
            f"catalog {entry.id}: dissipation published from {T[0]:g} K to {T[-1]:g} K, "
            f"not at {temperature_K:g} K"
        )
    return float(np.exp(np.interp(np.log(temperature_K), np.log(T), np.log(P))))


def _sensor(entry: Component, where: dict[str, Any]) -> dict:
    w = _take(entry, where, ("id", "stage", "temperature_K"), ("count",))
    lo, hi = entry.parameters["operating_range_K"]
    if not lo <= w["temperature_K"] <= hi:
        raise DesignError(
            f"catalog {entry.id}: used from {lo:g} K to {hi:g} K, not at {w['temperature_K']:g} K"
        )
    power = sensor_dissipation_W(entry, w["temperature_K"]) * w.get("count", 1)
    return {"id": w["id"], "type": "heat_load", "stage": w["stage"], "power_W": power}


_HOOKS = {
    "cryocooler": _cryocooler,
    "wiring": _wiring,
    "strap": _conduction,
    "support": _conduction,
    "mli": _mli,
    "vessel": _vessel,
    "dilution_refrigerator": _dilution,
    "superconductor": _conductor,
    "sensor": _sensor,
    "heat_switch": _heat_switch,
}


def to_design_element(entry_id: str | Component, **where: Any) -> dict[str, Any]:
    """The design-file element (or coil-file ``conductor``) a catalog entry stands for.

    Parameters
    ----------
    entry_id : str or Component
        Catalog id (or a user component already loaded).
    **where
        What the catalog cannot know. Cryocooler: ``id`` and one node id per
        stage name (``first=``, ``second=``). Wiring: ``id``, ``from`` (or
        ``from_``), ``to``, ``length_m`` (m), optional ``count``. Strap/support:
        ``id``, ``from``, ``to``, optional ``count``. MLI: ``id``, ``from``,
        ``to``, ``area_m2`` (m²), optional ``pressure_Pa``, ``gas``,
        ``degradation``. Vessel: ``id`` (shield -> stage, optional ``initial_K``;
        vessel -> boundary at ``temperature_K``, default 300 K). Dilution
        unit: ``id``, ``stage``. Sensor: ``id``, ``stage``, ``temperature_K``
        (its self-heating there becomes a ``heat_load``), optional ``count``. Heat switch: ``id``, ``from``, ``to``, ``state``
        (``"off"`` -> its shell as a ``support`` link; ``"on"`` -> a ``contact`` at the on
        conductance at ``temperature_K``, K), optional ``count``. Superconductor: nothing, or ``cu_to_sc`` /
        ``wire_radius_m`` (m) where the source gives none.

    Returns
    -------
    dict
        A ``cryocooler`` component, a ``wiring`` link with ``part`` and
        ``count``, a ``strap``/``support`` link, an ``mli`` link, a ``support`` or
        ``contact`` link (heat switch), a ``stage`` or ``boundary``, a ``dilution_unit``, or a coil ``conductor`` dict.
    """
    entry = entry_id if isinstance(entry_id, Component) else get(entry_id)
    return _HOOKS[entry.category](entry, where)


def rated_constant_coolers(entry_id: str, **where: str) -> list[dict[str, Any]]:
    """``constant_cooler`` components at the published rating of each stage (rating-only coolers).

    A cryocooler with rating points but no capacity map cannot be solved as a
    ``cryocooler`` source; this gives the usual first estimate, one constant
    cooler per rated stage at its rated power. ``where``: ``id`` (a prefix) and
    one node id per stage name. Stages rated at several points use the highest.
    """
    entry = get(entry_id)
    if entry.category != "cryocooler":
        raise DesignError(f"catalog {entry.id} is a {entry.category}, not a cryocooler")
    stages = entry.parameters["stages"]
    w = _take(entry, where, ("id", *stages), ())
    best: dict[str, float] = {}
    for point in entry.parameters["rating_points"]:
        best[point["stage"]] = max(best.get(point["stage"], 0.0), point["Q_W"])
    if not best:
        raise DesignError(f"catalog {entry.id}: no published rating points (it has a capacity map)")
    return [
        {"id": f"{w['id']}-{s}", "type": "constant_cooler", "stage": w[s], "power_W": q}
        for s, q in best.items()
        if q > 0
    ]


def stage_heat_loads(entry_id: str, **where: Any) -> list[dict[str, Any]]:
    """``heat_load`` components for a cable published as heat load per cable and stage.

    ``where``: ``id`` (a prefix), ``count`` (cables, default 1) and one node id per
    published stage name (e.g. ``**{"50K": "shield", "4K": "plate"}``).
    """
    entry = get(entry_id)
    loads = entry.parameters.get("heat_load_W_per_cable")
    if loads is None:
        raise DesignError(
            f"catalog {entry.id}: no published heat load per cable (use to_design_element)"
        )
    w = _take(entry, where, ("id", *loads), ("count",))
    count = w.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise DesignError(
            f"catalog {entry.id}: count must be a whole number of cables >= 1, got {count!r}"
        )
    return [
        {"id": f"{w['id']}-{stage}", "type": "heat_load", "stage": w[stage], "power_W": count * q}
        for stage, q in loads.items()
    ]
