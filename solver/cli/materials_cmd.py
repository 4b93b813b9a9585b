"""``cryogen materials [ID] [--T 4,77,300] [--json]``: browse the material library.

Without an id: every material with its k and cp fit ranges. With an id: k, cp
and the conductivity integral from 4 K at each temperature, values outside the
published fit marked ``*`` (extrapolated), then the sources.
"""

from __future__ import annotations

import argparse
import math

from solver import materials
from solver.cli.output import print_json
from solver.errors import DesignError, PropertyRangeError

DEFAULT_T_K = (4.0, 20.0, 77.0, 300.0)
INTEGRAL_FROM_K = 4.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "materials", help="list materials, or show k, cp and int k dT of one material"
    )
    p.add_argument("id", nargs="?", help="material id (omit to list all)")
    p.add_argument(
        "--T",
        dest="temperatures",
        metavar="T1,T2,...",
        help="temperatures in K, comma-separated (default 4,20,77,300 within the supported range)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def _parse_temperatures(text: str) -> list[float]:
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        values = []
    if not values or not all(math.isfinite(v) and v > 0 for v in values):
        raise DesignError(
            f"--T expects comma-separated positive temperatures in K, e.g. 4,77,300; got {text!r}"
        )
    return values


def _range_text(r) -> str:
    return f"{r[0]:g}-{r[1]:g} K" if r else "no data"


def _list(as_json: bool) -> int:
    cat = materials.catalog()
    if as_json:
        print_json({"materials": cat})
        return 0
    print(f"{'id':<16} {'k fit':>13} {'cp fit':>13}  name")
    for c in cat:
        k, cp = c["properties"]["k"], c["properties"]["cp"]
        print(
            f"{c['id']:<16} {_range_text(k and k['fit_range_K']):>13} "
            f"{_range_text(cp and cp['fit_range_K']):>13}  {c['name']}"
        )
    print("Values below a fit come from a documented low-temperature law (down to 1 mK).")
    return 0


def _row(m, T: float, T_ref: float) -> dict:
    row: dict = {"T_K": T}
    row["k_W_mK"] = m.k(T)
    row["k_extrapolated"] = m.extrapolated(T, "k")
    row["k_integral_W_m"] = m.conductivity_integral(T_ref, T)
    if m.has("cp"):
        try:
            row["cp_J_kgK"] = m.cp(T)
            row["cp_extrapolated"] = m.extrapolated(T, "cp")
        except PropertyRangeError:
            row["cp_J_kgK"] = None  # outside the cp range: shown as n/a, k is still valid
            row["cp_extrapolated"] = None
    else:
        row["cp_J_kgK"] = None
        row["cp_extrapolated"] = None
    return row


def _show(material_id: str, temperatures: str | None, as_json: bool) -> int:
    m = materials.get(material_id)
    lo, hi = m.property_range_K("k")
    skipped: list[float] = []
    if temperatures is None:
        T_list = [T for T in DEFAULT_T_K if lo <= T <= hi]
        skipped = [T for T in DEFAULT_T_K if not lo <= T <= hi]
    else:
        T_list = _parse_temperatures(temperatures)
        for T in T_list:
            if not lo <= T <= hi:
                raise PropertyRangeError(m.id, "k", T, (lo, hi))
    T_ref = max(INTEGRAL_FROM_K, lo)
    rows = [_row(m, T, T_ref) for T in T_list]
    cp_range = m.property_range_K("cp") if m.has("cp") else None
    if as_json:
        print_json(
            {
                "id": m.id,
                "name": m.name,
                "density_kg_m3": m.density_kg_m3,
                "k_fit_range_K": list(m.k_fit_range_K or ()) or None,
                "cp_fit_range_K": list(m.cp_fit_range_K or ()) or None,
                "k_supported_range_K": [lo, hi],
                "cp_supported_range_K": list(cp_range) if cp_range else None,
                "integral_from_K": T_ref,
                "rows": rows,
                "sources": m.sources,
            }
        )
        return 0
    print(f"{m.id}: {m.name}")
    print(f"density {m.density_kg_m3:g} kg/m^3")
    print(f"k fit {_range_text(m.k_fit_range_K)} (supported {_range_text((lo, hi))})")
    print(f"cp fit {_range_text(m.cp_fit_range_K)} (supported {_range_text(cp_range)})")
    print()
    print(
        f"{'T [K]':>10} {'k [W/(m K)]':>14} {'cp [J/(kg K)]':>15} {f'int k dT from {T_ref:g} K [W/m]':>30}"
    )
    for r in rows:
        k_txt = f"{r['k_W_mK']:.5g}{'*' if r['k_extrapolated'] else ' '}"
        if r["cp_J_kgK"] is None:
            cp_txt = "n/a "
        else:
            cp_txt = f"{r['cp_J_kgK']:.5g}{'*' if r['cp_extrapolated'] else ' '}"
        print(f"{r['T_K']:>10g} {k_txt:>14} {cp_txt:>15} {r['k_integral_W_m']:>30.6g}")
    print("* extrapolated: outside the published fit range (low-temperature law or 5 % top margin)")
    if skipped:
        print(
            f"skipped {', '.join(f'{T:g}' for T in skipped)} K: outside the supported k range {_range_text((lo, hi))}"
        )
    print()
    print("Sources:")
    for key, text in m.sources.items():
        print(f"  {key}: {text}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.id is None:
        if args.temperatures is not None:
            raise DesignError("--T needs a material id, e.g. cryogen materials SS304 --T 4,77,300")
        return _list(args.json)
    return _show(args.id, args.temperatures, args.json)
