"""Colour maps for temperatures and field magnitudes (viridis, inferno, cool-warm).

The tables come from matplotlib's colormap registry; this module only maps values
to 8-bit RGB and formats colours for canvases and SVG.
"""

from __future__ import annotations

import numpy as np

#: Names shown to the user -> matplotlib colormap names.
COLORMAPS = {"viridis": "viridis", "inferno": "inferno", "cool-warm": "coolwarm"}


def lut(name: str, n: int = 256) -> np.ndarray:
    """Colour table of ``name``: uint8 array, shape (n, 3)."""
    if name not in COLORMAPS:
        raise ValueError(f"unknown colour map {name!r}; choose one of {', '.join(COLORMAPS)}")
    from matplotlib import colormaps  # with the first colour drawn (a result), not the app

    return (
        (colormaps[COLORMAPS[name]](np.linspace(0.0, 1.0, n))[:, :3] * 255).round().astype(np.uint8)
    )


def normalise(values, lo: float, hi: float, *, log: bool = False) -> np.ndarray:
    """Values mapped to [0, 1] between ``lo`` and ``hi`` (logarithmically when ``log``); NaN stays NaN."""
    v = np.asarray(values, dtype=float)
    if log:
        v, lo, hi = np.log(np.clip(v, 1e-300, None)), np.log(lo), np.log(hi)
    span = hi - lo
    if not np.isfinite(span) or span <= 0:
        return np.where(np.isnan(v), np.nan, 0.5)
    return np.clip((v - lo) / span, 0.0, 1.0)


def to_rgb(values, lo: float, hi: float, name: str = "inferno", *, log: bool = False) -> np.ndarray:
    """uint8 RGB of ``values``, shape ``values.shape + (3,)``; NaN is mid grey."""
    t = normalise(values, lo, hi, log=log)
    table = lut(name)
    idx = np.nan_to_num(t * (len(table) - 1), nan=0).astype(int)
    rgb = table[idx]
    rgb[np.isnan(t)] = (160, 160, 160)
    return rgb


def css(rgb) -> str:
    r, g, b = (int(c) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def text_colour_on(rgb) -> str:
    """Black or white, whichever reads better on the background ``rgb``."""
    r, g, b = (int(c) for c in rgb)
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def nice_ticks(lo: float, hi: float, *, log: bool = False, n: int = 5) -> list[float]:
    """Round tick values inside ``lo``…``hi``: 1-2-5 steps (linear), decades or 1-2-5 (log)."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return [lo]
    if log and lo > 0:
        d0, d1 = int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi)))
        for mantissas in ((1,), (1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):
            ticks = [
                m * 10.0**d for d in range(d0, d1 + 1) for m in mantissas if lo <= m * 10.0**d <= hi
            ]
            if len(ticks) >= 2:
                return ticks
        return [lo, hi]
    lo, hi = float(lo), float(hi)  # float32 bounds would give float32 ticks
    raw = (hi - lo) / max(n - 1, 1)
    d = 10.0 ** np.floor(np.log10(raw))
    # 1-2-5 steps, largest first; start at the smallest one >= raw (at most n ticks), and
    # go smaller while fewer than half of the n ticks (two at the least) fall inside: the
    # step >= raw can leave a single multiple in the span (-0.4...0.4 by 0.5 holds only 0)
    steps = [m * d for m in (10, 5, 2, 1, 0.5, 0.2, 0.1)]
    start = max(i for i, step in enumerate(steps) if step >= raw)
    wanted = max(2, (n + 1) // 2)
    for step in steps[start:]:
        k0, k1 = int(np.ceil(lo / step - 1e-9)), int(np.floor(hi / step + 1e-9))
        ticks = [float(f"{k * step:.12g}") for k in range(k0, k1 + 1)]  # not 0.20000000000000007
        if len(ticks) >= wanted:
            break
    return ticks
