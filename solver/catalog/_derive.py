"""Derived catalog entries: numbers computed at load time from the material fits.

Nothing here is typed in. A generator spec in a family file lists materials and
standard geometries; each function below turns it into entries whose heat flows
and conductances come from ``solver.materials`` (NIST fits, Kirchhoff tables)
and whose masses come from the library's cited densities. The same functions
are what the tests re-run to check the stored values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from typing import Any

from solver import materials
from solver.errors import DesignError, PropertyRangeError

LOCKHEED_SOURCE = (
    "C.W. Keller, G.R. Cunnington, A.P. Glassford, 'Thermal Performance of Multi-Layer "
    "Insulations', NASA CR-134477 (1974) (modified Lockheed equation, evaluated by the "
    "solver's mli link)"
)
POBELL_SOURCE = (
    "F. Pobell, Matter and Methods at Low Temperatures, 3rd ed. (Springer 2007), eq. 7.30: "
    "Q = n(95 T_MC^2 - 11 T_in^2) W, ideal heat exchanger T_in = T_MC gives 84 n T_MC^2"
)


def pair_key(T_hot: float, T_cold: float) -> str:
    """Key of a stage pair in parameter dicts, e.g. ``"300-50"`` (kelvin)."""
    return f"{T_hot:g}-{T_cold:g}"


def conductivity_integral_W_m(material_id: str, T_hot: float, T_cold: float) -> float:
    """∫ k dT from ``T_cold`` to ``T_hot`` (kelvin) for a library material, W/m (positive)."""
    return materials.get(material_id).conductivity_integral(T_cold, T_hot)


def extrapolated(material_id: str, T_hot: float, T_cold: float) -> bool:
    """True when either end temperature lies outside the material's own k fit range."""
    m = materials.get(material_id)
    return bool(m.extrapolated(T_hot)) or bool(m.extrapolated(T_cold))


def layers_conductance_integral(
    layers: Iterable[dict[str, Any]], pairs: Iterable[tuple[float, float]]
) -> dict[str, Any]:
    """Σ A_i ∫k_i dT per stage pair for one line made of ``layers`` (material, area_m2).

    Returns a dict with ``conductance_integral_W_m`` (pair key -> W·m; the heat per
    line is this divided by the line length), ``extrapolated_pairs`` (pairs where a
    fit is used outside its own range through the library's documented low-T law)
    and ``unavailable_pairs`` (pairs outside a material's supported range, left out).
    """
    layers = list(layers)
    out: dict[str, float] = {}
    flagged: list[str] = []
    missing: list[str] = []
    for T_hot, T_cold in pairs:
        key = pair_key(T_hot, T_cold)
        try:
            out[key] = sum(
                lay["area_m2"] * conductivity_integral_W_m(lay["material"], T_hot, T_cold)
                for lay in layers
            )
        except PropertyRangeError:
            missing.append(key)
            continue
        if any(extrapolated(lay["material"], T_hot, T_cold) for lay in layers):
            flagged.append(key)
    return {
        "conductance_integral_W_m": out,
        "extrapolated_pairs": flagged,
        "unavailable_pairs": missing,
    }


# ----------------------------------------------------------------------------- geometry


def section_area_m2(section: dict[str, Any]) -> float:
    """Cross-section of a standard section: rod, tube, bar or foil stack (metres in, m² out)."""
    shape = section["shape"]
    if shape == "rod":
        return math.pi * section["diameter_m"] ** 2 / 4
    if shape == "tube":
        D, w = section["outer_diameter_m"], section["wall_m"]
        if not 0 < 2 * w < D:
            raise DesignError(
                f"tube section {section.get('label')}: wall_m must be below half the diameter"
            )
        return math.pi / 4 * (D**2 - (D - 2 * w) ** 2)
    if shape == "bar":
        return section["width_m"] * section["thickness_m"]
    if shape == "foil_stack":
        return section["width_m"] * section["thickness_m"] * section["layers"]
    raise DesignError(f"unknown section shape {shape!r}; use rod, tube, bar or foil_stack")


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-").replace("--", "-")


# ----------------------------------------------------------------------------- generators


def conduction_parts(spec: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """Straps, rods and supports of standard sections and lengths in each listed material.

    Each entry's ``heat_flow_W`` is (A/L)·∫k dT between every stage pair of the spec
    and ``conductance_W_per_K`` is k(T)·A/L at the listed temperatures (the exact
    limit of the integral for a small temperature difference).
    """
    pairs = [tuple(p) for p in spec["stage_pairs_K"]]
    out = []
    for material_id in spec["materials"]:
        m = materials.get(material_id)
        for section in spec["sections"]:
            area = section_area_m2(section)
            for length in spec["lengths_m"]:
                flows = layers_conductance_integral(
                    [{"material": material_id, "area_m2": area}], pairs
                )
                heat = {k: v / length for k, v in flows["conductance_integral_W_m"].items()}
                conductance = {
                    f"{T:g}": float(m.k(T)) * area / length
                    for T in spec.get("conductance_at_K", [])
                }
                label = section["label"]
                out.append(
                    {
                        "id": f"{category}-{_slug(material_id)}-{_slug(label)}-{length * 1000:g}mm",
                        "maker": "",
                        "model": f"{material_id} {label} x {length * 1000:g} mm",
                        "name": f"{spec['label']}: {material_id} {label}, {length * 1000:g} mm long",
                        "source": (
                            f"derived from the {material_id} k(T) fit ({m.sources['k']}) for a "
                            f"{label} section, {length:g} m long: Q = (A/L)∫k dT"
                        ),
                        "parameters": {
                            "link_type": spec["link_type"],
                            "material": material_id,
                            "section": section,
                            "area_m2": area,
                            "length_m": length,
                            "heat_flow_W": heat,
                            "conductance_W_per_K": conductance,
                            "extrapolated_pairs": flows["extrapolated_pairs"],
                            "unavailable_pairs": flows["unavailable_pairs"],
                        },
                    }
                )
    return out


def shells(spec: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """Closed cylindrical shields and vessels: outer area and thin-wall mass ρ·A·t."""
    out = []
    for material_id in spec["materials"]:
        m = materials.get(material_id)
        for D in spec["diameters_m"]:
            for H in spec["heights_m"]:
                area = math.pi * D * H + 2 * math.pi * D**2 / 4
                wall = spec["wall_m"]
                mass = m.density_kg_m3 * area * wall
                geometry = f"D {D * 1000:g} mm x H {H * 1000:g} mm, wall {wall * 1000:g} mm"
                out.append(
                    {
                        "id": f"{spec['role']}-{_slug(material_id)}-d{D * 1000:g}-h{H * 1000:g}",
                        "maker": "",
                        "model": f"{material_id} {spec['role']} {geometry}",
                        "name": f"{spec['label']}: {material_id}, {geometry}",
                        "source": (
                            f"derived from the {material_id} density ({m.sources['density']}) for a "
                            f"closed cylinder {geometry}: area πDH + πD²/2, mass ρ·area·wall"
                        ),
                        "parameters": {
                            "role": spec["role"],
                            "material": material_id,
                            "diameter_m": D,
                            "height_m": H,
                            "wall_m": wall,
                            "area_m2": area,
                            "mass_kg": mass,
                        },
                    }
                )
    return out


def mli_blankets(spec: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """MLI blankets of standard layer counts and layer densities (thickness = layers / density)."""
    out = []
    for layers in spec["layers"]:
        for density in spec["densities_per_cm"]:
            out.append(
                {
                    "id": f"mli-{layers}-layers-{density:g}-per-cm",
                    "maker": "",
                    "model": f"MLI {layers} layers at {density:g} layers/cm",
                    "name": f"{spec['label']}, {layers} layers at {density:g} layers/cm",
                    "source": (
                        f"derived blanket geometry (thickness = layers / layer density) for {layers} "
                        f"layers at {density:g} layers/cm; heat flux by the {LOCKHEED_SOURCE}"
                    ),
                    "parameters": {
                        "layers": layers,
                        "layer_density_per_cm": density,
                        "thickness_m": layers / density / 100.0,
                    },
                }
            )
    return out


def dilution_units(spec: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """Dilution units of standard ³He flows with their ideal-exchanger cooling power 84·ṅ·T²."""
    out = []
    for flow_umol in spec["flows_umol_s"]:
        flow = flow_umol * 1e-6
        cooling = {f"{T:g}": 84.0 * flow * T**2 for T in spec["temperatures_K"]}
        out.append(
            {
                "id": f"dilution-unit-{flow_umol:g}-umol-s",
                "maker": "",
                "model": f"dilution unit {flow_umol:g} umol/s",
                "name": f"{spec['label']}, 3He flow {flow_umol:g} µmol/s",
                "source": f"derived from {POBELL_SOURCE}, for a 3He flow of {flow_umol:g} µmol/s",
                "parameters": {"flow_mol_s": flow, "cooling_W_at_K": cooling},
            }
        )
    return out


def superconducting_wires(spec: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """Round multifilament strands: areas from diameter and Cu:SC, Ic from the magnet fit.

    ``Ic_A`` is Jc(B_ref, T_ref) of the named critical-surface fit
    (``solver.magnet.superconductors``) times the area the fit refers to: the
    superconductor (non-Cu) area A/(1 + Cu:SC), or the whole strand for a fit on the
    ``strand`` basis (Bi-2212 Je; such a spec lists no ``cu_to_sc``). Zero strain for
    Nb3Sn.
    """
    from solver.magnet.superconductors import get_superconductor

    fit = get_superconductor(spec["superconductor"])
    ref = spec["ic_reference"]
    jc = fit.jc(ref["B_T"], ref["T_K"])
    strand_basis = fit.per_strand
    out = []
    for d in spec["diameters_m"]:
        for ratio in [None] if strand_basis else spec["cu_to_sc"]:
            area = math.pi * d**2 / 4
            basis_area = area if ratio is None else area / (1 + ratio)
            split = "" if ratio is None else f", Cu:SC {ratio:g}"
            ic_rule = "Je x A" if strand_basis else "Jc x A/(1 + Cu:SC)"
            params = {
                "superconductor": fit.name,
                "jc_fit": fit.form,
                "jc_basis": fit.basis,
                "diameter_m": d,
                "wire_radius_m": d / 2,
                "area_m2": area,
                "Ic_A": {"T_K": ref["T_K"], "B_T": ref["B_T"], "value_A": jc * basis_area},
                "operating_range_K": list(fit.operating_range_K()),
            }
            if not strand_basis:
                params.update(cu_to_sc=ratio, sc_area_m2=basis_area)
            out.append(
                {
                    "id": f"wire-{_slug(fit.name)}-{d * 1000:g}mm"
                    + ("" if strand_basis else f"-cu{ratio:g}"),
                    "maker": "",
                    "model": f"{fit.name} strand {d * 1000:g} mm{split.replace(',', '')}",
                    "name": f"{spec['label']}, {d * 1000:g} mm{split}",
                    "source": (
                        f"derived from the {fit.name} {fit.form} critical-surface fit "
                        f"(solver.magnet.superconductors) for a round strand {d * 1000:g} mm{split}: "
                        f"Ic = {ic_rule} at {ref['B_T']:g} T, {ref['T_K']:g} K"
                    ),
                    "parameters": params,
                }
            )
    return out


def _gas_gap_on_conductance(
    spec: dict[str, Any], gap: float, gap_area: float, pressure: float, shell_g: dict[str, float]
) -> tuple[dict[str, float], dict[str, str]]:
    """On conductance (gas + shell) per listed temperature, and the reason for each one left out."""
    from solver.gases import helium_continuum_gap_conductance

    on: dict[str, float] = {}
    unavailable: dict[str, str] = {}
    for T in spec["temperatures_K"]:
        try:
            gas = helium_continuum_gap_conductance(gap_area, gap, pressure, T)
        except ValueError as exc:
            unavailable[f"{T:g}"] = str(exc)
            continue
        on[f"{T:g}"] = gas + shell_g[f"{T:g}"]
    return on, unavailable


def gas_gap_heat_switches(spec: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """Gas-gap heat switches: two facing walls a gap apart, joined by a thin support shell.

    Off (gap evacuated): only the shell conducts, ``off_heat_flow_W`` = (A/L)∫k dT per
    stage pair and ``off_conductance_W_per_K`` = k(T)·A/L. On (helium in the gap at
    the spec's pressure): ``on_conductance_W_per_K`` = k_He·A_gap/d + the shell's
    k(T)·A/L, listed only at temperatures where the gap is in the continuum regime
    and the helium is a gas (``solver.gases``); the others are in
    ``on_unavailable_K`` with the reason. A combination with no such temperature
    is not listed.
    """
    material_id = spec["shell_material"]
    m = materials.get(material_id)
    pairs = [tuple(p) for p in spec["off_stage_pairs_K"]]
    out = []
    shells = []  # per shell: area, length, k(T)·A/L and the off conductivity integrals
    for shell in spec["shells"]:
        area, length = section_area_m2(shell), shell["length_m"]
        shell_g = {f"{T:g}": float(m.k(T)) * area / length for T in spec["temperatures_K"]}
        off = layers_conductance_integral([{"material": material_id, "area_m2": area}], pairs)
        shells.append((shell, area, length, shell_g, off))
    combos = itertools.product(shells, spec["gaps_m"], spec["gap_areas_m2"], spec["pressures_Pa"])
    for (shell, area, length, shell_g, off), gap, gap_area, pressure in combos:
        on, unavailable = _gas_gap_on_conductance(spec, gap, gap_area, pressure, shell_g)
        if not on:
            continue  # never in the continuum regime: no on-state number to give
        geometry = (
            f"gap {gap * 1e3:g} mm over {gap_area * 1e4:g} cm², He at {pressure:g} Pa, "
            f"{material_id} {shell['label']} shell {length * 1e3:g} mm"
        )
        listed = [float(t) for t in on]
        out.append(
            {
                "id": (
                    f"heat-switch-gas-gap-{gap * 1e6:g}um-{gap_area * 1e4:g}cm2-{pressure:g}pa-"
                    f"{_slug(shell['label'])}-{length * 1e3:g}mm"
                ),
                "maker": "",
                "model": f"gas-gap heat switch, {geometry}",
                "name": f"{spec['label']}: {geometry}",
                "source": (
                    f"derived from CoolProp helium-4 conductivity and viscosity (on: k·A/d, "
                    f"continuum only) and the {material_id} k(T) fit ({m.sources['k']}) for "
                    f"the shell (off: (A/L)∫k dT), {geometry}"
                ),
                "parameters": {
                    "switch_type": "gas-gap",
                    "gap_m": gap,
                    "gap_area_m2": gap_area,
                    "pressure_Pa": pressure,
                    "shell_material": material_id,
                    "shell_section": {k: v for k, v in shell.items() if k != "length_m"},
                    "shell_area_m2": area,
                    "shell_length_m": length,
                    "on_conductance_W_per_K": on,
                    "on_unavailable_K": unavailable,
                    "off_conductance_W_per_K": shell_g,
                    "off_heat_flow_W": {
                        k: v / length for k, v in off["conductance_integral_W_m"].items()
                    },
                    "extrapolated_pairs": off["extrapolated_pairs"],
                    "unavailable_pairs": off["unavailable_pairs"],
                    "operating_range_K": [min(listed), max(listed)],
                },
            }
        )
    return out


GENERATORS: dict[str, Callable[[dict[str, Any], str], list[dict[str, Any]]]] = {
    "conduction_parts": conduction_parts,
    "shells": shells,
    "mli_blankets": mli_blankets,
    "dilution_units": dilution_units,
    "superconducting_wires": superconducting_wires,
    "gas_gap_heat_switches": gas_gap_heat_switches,
}


# ----------------------------------------------------------------------------- commercial coax


def coax_layers(
    parameters: dict[str, Any], material_ids: dict[str, str]
) -> list[dict[str, Any]] | None:
    """Material and area of each layer of a coax line; None when a conductor has no library fit.

    Inner conductor π d_i²/4, dielectric π(d_d² − d_i²)/4, outer π(d_o² − d_d²)/4.
    Silver plating is not included (its thickness is not in the source).
    """
    d_i, d_d, d_o = (
        parameters[k] for k in ("inner_diameter_m", "dielectric_diameter_m", "outer_diameter_m")
    )
    names = (parameters["inner_conductor"], parameters["dielectric"], parameters["outer_conductor"])
    if any(n not in material_ids for n in names):
        return None
    areas = (math.pi * d_i**2 / 4, math.pi * (d_d**2 - d_i**2) / 4, math.pi * (d_o**2 - d_d**2) / 4)
    return [{"material": material_ids[n], "area_m2": a} for n, a in zip(names, areas, strict=True)]


def awg_diameter_m(gauge: int) -> float:
    """Bare diameter of an AWG gauge, metres: d = 0.127 mm · 92^((36 − n)/39) (ASTM B258 definition)."""
    return 0.127e-3 * 92.0 ** ((36 - gauge) / 39)


def wire_lines(spec: dict[str, Any], category: str) -> list[dict[str, Any]]:
    """DC wiring lines (single wires, twisted pairs, quads) of AWG gauges in each material.

    A line's ``layers`` (material and total metal area) is what a design's ``wiring``
    link uses; ``conductance_integral_W_m`` per stage pair gives the heat per line
    divided by its length. Insulation is not counted (thin polymer, negligible next
    to the metal).
    """
    pairs = [tuple(p) for p in spec["stage_pairs_K"]]
    out = []
    for material_id in spec["materials"]:
        m = materials.get(material_id)
        for gauge in spec["awg"]:
            d = awg_diameter_m(gauge)
            for n, label in spec["conductors_per_line"]:
                layers = [{"material": material_id, "area_m2": n * math.pi * d**2 / 4}]
                params = {
                    "material": material_id,
                    "awg": gauge,
                    "wire_diameter_m": d,
                    "conductors_per_line": n,
                    "layers": layers,
                    **layers_conductance_integral(layers, pairs),
                }
                out.append(
                    {
                        "id": f"wire-line-{_slug(material_id)}-awg{gauge}-{_slug(label)}",
                        "maker": "",
                        "model": f"{material_id} AWG {gauge} {label}",
                        "name": f"{spec['label']}: {material_id} AWG {gauge} {label}",
                        "source": (
                            f"derived from the {material_id} k(T) fit ({m.sources['k']}) for {n} "
                            f"wire(s) of AWG {gauge} ({d * 1e3:.4g} mm, ASTM B258): G = Σ A∫k dT"
                        ),
                        "parameters": params,
                    }
                )
    return out


GENERATORS["wire_lines"] = wire_lines
