"""Colour maps for temperatures and field magnitudes (viridis, inferno, cool-warm).

The tables come from matplotlib's colormap registry; this module only maps values
to 8-bit RGB and formats colours for canvases and SVG.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps

#: Names shown to the user -> matplotlib colormap names.
COLORMAPS = {"viridis": "viridis", "inferno": "inferno", "cool-warm": "coolwarm"}


def lut(name: str, n: int = 256) -> np.ndarray:
    """Colour table of ``name``: uint8 array, shape (n, 3)."""
    if name not in COLORMAPS:
        raise ValueError(f"unknown colour map {name!r}; choose one of {', '.join(COLORMAPS)}")
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
    """Tick values for a colour bar between ``lo`` and ``hi``."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return [lo]
    if log and lo > 0:
        return list(np.geomspace(lo, hi, n))
    return list(np.linspace(lo, hi, n))
