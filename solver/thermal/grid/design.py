"""Build a grid body from a design-file ``body`` entry (a plain dict).

Schema (every length in metres; unknown keys are an error)::

    {
      "name": "cold plate",                       optional, used in messages
      "spacing_m": 0.005,                         cell edge, > 0
      "geometry": [                               in order; later shapes overwrite earlier
                                                  (cylinders as exact cut cells, see README)
        {"type": "box", "material": "OFHC-Cu-RRR100",
         "min_m": [0, 0, 0], "max_m": [0.2, 0.1, 0.01]},
        {"type": "cylinder", "material": "SS304", "center_m": [0.1, 0.05, 0.02],
         "radius_m": 0.01, "length_m": 0.02, "axis": "z"},        axis x|y|z, default z
        {"type": "box", "material": null, ...}                    null material: a hole
      ],
      "patches": [                                faces of the body surface
        {"id": "mount", "side": "z-", "min_m": [...], "max_m": [...],   box optional
         and exactly one condition:
           "node": "plate"                        linked to a network node (a terminal)
           "temperature_K": 4.2                   held at a fixed temperature
           "power_W": 0.5 | "flux_W_m2": 100.0    heat into the body (negative: out)
           "emissivity": 0.05, "environment_K": 300.0   radiation to surroundings
        }
      ],
      "sources": [                                volumetric heat
        {"id": "heater", "min_m": [...], "max_m": [...], "power_W": 2.0}
      ]
    }
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from solver.errors import DesignError, UnknownNameError
from solver.thermal.grid.body import ConductionBody
from solver.thermal.grid.boundary import (
    FixedTemperature,
    HeatFlux,
    NodeLink,
    Patch,
    Radiation,
    VolumeSource,
)
from solver.thermal.grid.geometry import Box, Cylinder

_SHAPE_KEYS = {
    "box": ({"type", "material", "min_m", "max_m"}, {"type", "min_m", "max_m"}),
    "cylinder": (
        {"type", "material", "center_m", "radius_m", "length_m", "axis"},
        {"type", "center_m", "radius_m", "length_m"},
    ),
}
_CONDITIONS = {
    "node": {"node"},
    "temperature_K": {"temperature_K"},
    "power_W": {"power_W"},
    "flux_W_m2": {"flux_W_m2"},
    "emissivity": {"emissivity", "environment_K"},
}
_PATCH_KEYS = {"id", "side", "min_m", "max_m"}.union(*_CONDITIONS.values())
_SOURCE_KEYS = {"id", "min_m", "max_m", "power_W"}
_BODY_KEYS = {"name", "spacing_m", "geometry", "patches", "sources"}


def _keys(d, allowed: set, required: set, where: str) -> None:
    if not isinstance(d, Mapping):
        raise DesignError(f"{where} must be an object, got {type(d).__name__}")
    unknown = sorted(set(d) - allowed)
    if unknown:
        raise DesignError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: "
                          f"{', '.join(sorted(allowed))}")  # fmt: skip
    missing = sorted(required - set(d))
    if missing:
        raise DesignError(f"{where}: missing field(s) {', '.join(missing)}")


def _list(d: Mapping, key: str, where: str, required: bool) -> list:
    value = d.get(key, [] if not required else None)
    if not isinstance(value, list) or (required and not value):
        raise DesignError(f"{where}.{key} must be a {'non-empty ' if required else ''}list")
    return value


def _field(where: str, make):
    """Run ``make()`` and prefix any DesignError with the field path."""
    try:
        return make()
    except UnknownNameError as e:
        raise UnknownNameError(e.kind, e.name, e.valid, where=where) from None
    except DesignError as e:
        raise DesignError(f"{where}: {e}") from None


def _shape(d, where: str, resolve: Callable):
    kind = d.get("type") if isinstance(d, Mapping) else None
    if kind not in _SHAPE_KEYS:
        raise DesignError(f"{where}.type must be 'box' or 'cylinder', got {kind!r}")
    allowed, required = _SHAPE_KEYS[kind]
    _keys(d, allowed, required, where)
    material = d.get("material")
    if material is not None:
        if not isinstance(material, str):
            raise DesignError(f"{where}.material must be a material id or null, got {material!r}")
        material = _field(f"{where}.material", lambda: resolve(material))
    if kind == "box":
        return _field(where, lambda: Box(d["min_m"], d["max_m"], material))
    return _field(
        where,
        lambda: Cylinder(d["center_m"], d["radius_m"], d["length_m"], d.get("axis", "z"), material),
    )


def _patch(d, where: str) -> Patch:
    _keys(d, _PATCH_KEYS, {"id", "side"}, where)
    given = [c for c in _CONDITIONS if c in d]
    if len(given) != 1:
        raise DesignError(
            f"{where}: give exactly one condition of node, temperature_K, power_W, flux_W_m2 "
            f"or emissivity (with environment_K); got {', '.join(given) or 'none'}"
        )
    c = given[0]
    if c == "emissivity" and "environment_K" not in d:
        raise DesignError(f"{where}: emissivity needs environment_K")
    if c != "emissivity" and "environment_K" in d:
        raise DesignError(f"{where}: environment_K belongs with emissivity")
    condition = {
        "node": lambda: NodeLink(d["node"]),
        "temperature_K": lambda: FixedTemperature(d["temperature_K"]),
        "power_W": lambda: HeatFlux(power_W=d["power_W"]),
        "flux_W_m2": lambda: HeatFlux(flux_W_m2=d["flux_W_m2"]),
        "emissivity": lambda: Radiation(d["emissivity"], d["environment_K"]),
    }[c]()
    return Patch(d["id"], d["side"], condition, d.get("min_m"), d.get("max_m"))


def body_from_dict(d: Mapping, where: str = "body", materials: Callable | None = None):
    """A ConductionBody from a design-file ``body`` entry (schema in the module docstring).

    Parameters
    ----------
    d : mapping — the entry.
    where : str — prefix of error messages (e.g. "link 'plate'.body").
    materials : callable id -> material, optional — default ``solver.materials.get``.

    Raises
    ------
    DesignError
        Naming the field (``body.geometry[1].radius_m``, ``body.patches[0]``...) and what is
        allowed; UnknownNameError for an unknown material, with the closest ids.
    """
    if materials is None:
        from solver import materials as library

        materials = library.get
    _keys(d, _BODY_KEYS, {"spacing_m", "geometry"}, where)
    shapes = [
        _shape(s, f"{where}.geometry[{i}]", materials)
        for i, s in enumerate(_list(d, "geometry", where, True))
    ]
    patches = []
    for i, p in enumerate(_list(d, "patches", where, False)):
        patches.append(_patch(p, f"{where}.patches[{i}]"))
    sources = []
    for i, s in enumerate(_list(d, "sources", where, False)):
        w = f"{where}.sources[{i}]"
        _keys(s, _SOURCE_KEYS, _SOURCE_KEYS, w)
        sources.append(VolumeSource(s["id"], s["min_m"], s["max_m"], s["power_W"]))
    name = d.get("name", where)
    if not isinstance(name, str):
        raise DesignError(f"{where}.name must be a string")
    return _field(
        where, lambda: ConductionBody(shapes, d["spacing_m"], patches, sources, name=name)
    )
