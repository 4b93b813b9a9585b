"""Magnet analysis from the app: the field map of the design's magnets on a grid around their coils.

The field comes from ``solver.magnet``; this module reads coil geometry from the
``cryogen/coil@1`` dicts only to choose the grid and to draw the coils in 3-D.
"""

from __future__ import annotations

import numpy as np

from solver.errors import DesignError

GRID_POINTS = (40, 40, 48)
#: The map spans this many times the coil's half-size; an irrational-looking factor keeps
#: grid points off the current sheets (the field is undefined on a sheet).
SPAN_FACTOR = 1.618


def magnets(design: dict) -> list[dict]:
    return [c for c in design.get("components", []) if c.get("type") == "magnet"]


def coil_shapes(coil_file: dict) -> list[dict]:
    """Display geometry of each coil: kind, centre (m), unit axis, radii and length (m), points."""
    shapes = []
    for c in coil_file.get("coils", []):
        axis = np.asarray(c.get("axis", [0, 0, 1]), dtype=float)
        axis = axis / (np.linalg.norm(axis) or 1.0)
        shape = {
            "id": c.get("id", ""),
            "type": c.get("type"),
            "center": np.asarray(c.get("center_m", [0, 0, 0]), dtype=float),
            "axis": axis,
        }
        if c.get("type") == "solenoid":
            r_in = c.get("inner_radius_m", c.get("radius_m"))
            r_out = c.get("outer_radius_m", c.get("radius_m"))
            shape.update(r_in=float(r_in), r_out=float(r_out), length=float(c.get("length_m", 0.0)))
        elif c.get("type") == "loop":
            shape.update(r_in=float(c["radius_m"]), r_out=float(c["radius_m"]), length=0.0)
        elif "points_m" in c:
            shape.update(points=np.asarray(c["points_m"], dtype=float))
        else:
            continue
        shapes.append(shape)
    return shapes


def coil_extent(shapes: list[dict]) -> float:
    """Half-size (m) of a cube around the origin that holds every coil."""
    size = 0.0
    for s in shapes:
        if "points" in s:
            size = max(size, float(np.abs(s["points"]).max()))
        else:
            size = max(size, float(np.abs(s["center"]).max()) + max(s["r_out"], s["length"] / 2))
    return size


def magnet_field_map(design: dict):
    """Field map (Bx, By, Bz, B in T on x, y, z in m) of every magnet of ``design``, summed.

    Raises
    ------
    DesignError
        When the design has no ``magnet`` component, naming what to add.
    """
    from solver.magnet import coil_from_dict, field_map

    found = magnets(design)
    if not found:
        raise DesignError(
            "the design has no magnet component: add one from the palette "
            "(it carries a cryogen/coil@1 'coil') before running a field map"
        )
    built = []
    for m in found:
        try:
            built.append(coil_from_dict(m.get("coil")))
        except DesignError as exc:
            raise DesignError(f"magnet {m['id']!r}, field 'coil': {exc}") from None
    half = SPAN_FACTOR * max(coil_extent(coil_shapes(m["coil"])) for m in found)
    axes = [-half + (np.arange(n) + 0.5) * (2 * half / n) for n in GRID_POINTS]

    def total(points):
        return sum(b.field(points) for b in built)

    ds = field_map(total, *axes)
    ds.attrs["magnets"] = ", ".join(m["id"] for m in found)
    return ds
