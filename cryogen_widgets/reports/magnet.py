"""Magnet parts of the magnet report: the coil table, winding outlines, plot extents, the
margin table and, for a magnet with iron, the harmonics table. Numbers come from
``solver.magnet``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from cryogen_widgets.views.magnet import harmonic_units
from solver.errors import DesignError, UnknownNameError
from solver.magnet import Magnet, coil_from_dict, field_axes
from solver.magnet.fem import FemMagnet, FemMagnet3D, IronMagnetSummary

Z_AXIS = (0.0, 0.0, 1.0)


def magnet_component(design: dict, magnet_id: str = "") -> dict:
    """The design's magnet component with id ``magnet_id`` (default: the first magnet)."""
    magnets = [c for c in design["components"] if c["type"] == "magnet"]
    if not magnets:
        raise DesignError(
            f"design {design['name']!r} has no magnet component; use the steady or cooldown report"
        )
    if not magnet_id:
        return magnets[0]
    for c in magnets:
        if c["id"] == magnet_id:
            return c
    raise UnknownNameError("magnet id", magnet_id, [c["id"] for c in magnets])


def build(component: dict) -> Magnet | FemMagnet | FemMagnet3D:
    """The magnet of a component's coil file: ``solver.magnet.Magnet`` (coils in air),
    ``solver.magnet.fem.FemMagnet`` (iron, background field or line currents) or
    ``solver.magnet.fem.FemMagnet3D`` (``"symmetry": "none"``)."""
    return coil_from_dict(component["coil"])


def iron_boxes_xz(magnet: FemMagnet3D) -> list[tuple[float, float, float, float]]:
    """(x0, x1, z0, z1) in metres of every iron box of a 3-D magnet (its x–z outline)."""
    return [
        (lo[0], hi[0], lo[2], hi[2]) for region in magnet.problem.iron for lo, hi in region.boxes_m
    ]


def iron_material_text(material: str | dict) -> str:
    """A coil file's iron ``material`` in words: the catalog id, "μr = m" or "inline B–H
    table, n points" (the table itself would fill the page)."""
    if isinstance(material, dict) and "mu_r" in material:
        return f"μr = {material['mu_r']:g}"
    if isinstance(material, dict) and "bh_table_A_per_m_T" in material:
        return f"inline B–H table, {len(material['bh_table_A_per_m_T'])} points"
    return str(material)


def coil_table(component: dict) -> pd.DataFrame:
    """One row per coil: type, turns, current (A), radii (m), length (m), centre (m), axis."""
    rows = {}
    for c in component["coil"]["coils"]:
        rows[c["id"]] = {
            "type": c["type"],
            "turns": c.get("turns", 1),
            "current (A)": c["current_A"],
            "inner radius (m)": c.get("inner_radius_m", c.get("radius_m")),
            "outer radius (m)": c.get("outer_radius_m", c.get("radius_m")),
            "length (m)": c.get("length_m"),
            "centre (m)": str(tuple(c.get("center_m", c.get("position_m", (0, 0, 0))))),
            "axis": str(tuple(c.get("axis", Z_AXIS))),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("coil")


def winding_outlines(component: dict) -> list[tuple[float, float, float, float]]:
    """(r_in, r_out, z_lo, z_hi) in metres of every solenoid or loop on the z axis."""
    out = []
    for c in component["coil"]["coils"]:
        if c["type"] not in ("solenoid", "loop") or tuple(c.get("axis", Z_AXIS)) != Z_AXIS:
            continue
        cx, cy, cz = c.get("center_m", (0.0, 0.0, 0.0))
        if cx or cy:
            continue
        r_in = c.get("inner_radius_m", c.get("radius_m"))
        r_out = c.get("outer_radius_m", c.get("radius_m"))
        half = c.get("length_m", 0.0) / 2
        out.append((r_in, r_out, cz - half, cz + half))
    return out


def map_axes(magnet: Magnet, points: int) -> tuple[np.ndarray, np.ndarray]:
    """x and z axes (m) of the field map through the axis: the windings' box
    (``Magnet.bounds``) plus a margin, square cells, about ``points`` per side."""
    x, _y, z = field_axes(*magnet.bounds(), max_points=max(points, 8) ** 3)
    return x, z


def default_dsv_radius_m(component: dict) -> float:
    """A quarter of the smallest winding radius: the homogeneity sphere of the report."""
    radii = [
        c.get("inner_radius_m", c.get("radius_m"))
        for c in component["coil"]["coils"]
        if c.get("inner_radius_m", c.get("radius_m"))
    ]
    if not radii:
        raise DesignError("give dsv_radius_m: the magnet has no solenoid or loop to scale it by")
    return 0.25 * min(radii)


def margin_table(margins: xr.Dataset) -> pd.DataFrame:
    """Margins (from ``solver.magnet.margins``) as quantities by coil."""
    basis = "whole strand" if margins.attrs.get("jc_basis") == "strand" else "superconductor"
    names = {
        "peak_field_T": "peak field on the conductor (T)",
        "current_A": "operating current (A)",
        "J_sc_A_m2": f"J in the {basis} (A/m²)",
        "Jc_at_peak_A_m2": "Jc at peak field and T_op (A/m²)",
        "critical_surface_fraction": "J / Jc",
        "short_sample_current_A": "short-sample current (A)",
        "load_line_fraction": "I / I_ss on the load line",
        "current_sharing_temperature_K": "current-sharing temperature (K)",
        "temperature_margin_K": "temperature margin T_cs − T_op (K)",
    }
    df = pd.DataFrame({names[k]: margins[k].values for k in names}, index=margins.coil.values)
    return df.T.rename_axis("quantity")


def harmonics_table(s: IronMagnetSummary) -> pd.DataFrame:
    """Normal b_n and skew a_n harmonics (units of 1e-4 of the main field) by order n, from
    a :class:`solver.magnet.fem.IronMagnetSummary` that has them."""
    h = s.harmonics
    if h is None:
        raise DesignError(f"no harmonics: {s.harmonics_note}")
    return pd.DataFrame(
        {
            "b_n (normal, units)": [harmonic_units(v) for v in h.b.values],
            "a_n (skew, units)": [harmonic_units(v) for v in h.a.values],
        },
        index=pd.Index(h.n.values.astype(int), name="n"),
    )
