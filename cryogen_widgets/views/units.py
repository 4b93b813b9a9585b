"""Numbers as engineers read them: SI prefixes chosen from the value (8.54 nW, not 8.54e-05 µW)."""

from __future__ import annotations

import math

PREFIXES = (
    (1e-15, "f"),
    (1e-12, "p"),
    (1e-9, "n"),
    (1e-6, "µ"),
    (1e-3, "m"),
    (1.0, ""),
    (1e3, "k"),
    (1e6, "M"),
    (1e9, "G"),
)
"""SI prefixes (BIPM SI Brochure, 9th edition, table 7) from femto to giga."""


def si(value: float | None, unit: str, digits: int = 3, largest: float = 1e9) -> str:
    """``value`` in ``unit`` with the SI prefix that puts 1 ≤ |mantissa| < 1000.

    ``None`` and NaN give "—"; zero gives ``"0 unit"``. ``largest`` caps the prefix
    (temperatures stay in K above 1 K). The value is rounded to ``digits`` significant
    figures before the prefix is chosen, so 0.99996 W reads "1 W", not "1e+03 mW".
    """
    if value is None or not math.isfinite(value):
        return "—"
    if value == 0:
        return f"0 {unit}"
    rounded = abs(float(f"{value:.{digits}g}"))
    factor = 10.0 ** (3 * math.floor(math.log10(rounded) / 3))
    factor = min(max(factor, PREFIXES[0][0]), largest)
    prefix = next(p for f, p in PREFIXES if math.isclose(f, factor))
    return f"{value / factor:.{digits}g} {prefix}{unit}"


def power(q: float | None) -> str:
    """Heat flow or load in W with a prefix; below 1 fW it is round-off of zero: "0 W"."""
    if q is not None and math.isfinite(q) and abs(q) < 1e-15:
        return "0 W"
    return si(q, "W")


def temperature(t: float | None) -> str:
    """Temperature in K, mK or µK (4 significant figures)."""
    return si(t, "K", digits=4, largest=1.0)
