"""One temperature-dependent property of one material: fit pieces, low-T law, range policy.

Evaluation on [1 mK, (1 + margin) * top of fit]:

* below the lowest fit limit: the documented low-temperature law of the data
  file (``below``), scaled so it meets the fit exactly (no jump in value);
* inside the fit range: the fit pieces; consecutive pieces hand over where
  they cross, blended in ln T across that one grid interval, so the value is
  continuous;
* up to ``above_margin_fraction`` (5 %) above the top of the fit: the last
  fit itself, flagged as extrapolated;
* anywhere else: ``PropertyRangeError``.

Every change of formula is placed exactly on a node of the common ``GRID``:
the low-T law takes over at the node at or just below the fit's lower limit
(at most one grid step, 0.23 %, below it; the fit is used down to there and
flagged extrapolated below its published limit). The cubic Hermite tables
cannot represent a slope kink inside an interval, but a kink on a node costs
nothing, so table integrals stay within ~1e-9 of the exact piecewise function.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from scipy.optimize import brentq

from solver.errors import PropertyRangeError
from solver.materials._forms import below_law_shape, fit_function
from solver.materials._grid import (
    T_FLOOR_K,
    PropertyTable,
    build_table,
    grid_node_above,
    grid_node_at_or_below,
)

_JOIN_SEARCH = 0.10  # branches must cross within 10 % of their nominal shared limit


def _log_blend(f_a, f_b, a: float, b: float):
    """Weighted mean of two fits, weight of ``f_b`` rising linearly in ln T from 0 at a to 1 at b."""
    la, lb = np.log(a), np.log(b)

    def blended(T):
        w = (np.log(T) - la) / (lb - la)
        return (1.0 - w) * f_a(T) + w * f_b(T)

    return blended


class PropertyModel:
    """A property (k or cp) as stored in a ``cryogen/material@1`` file.

    Parameters
    ----------
    material_id : str
        Material id, for error messages.
    name : str
        Property name, ``"k"`` or ``"cp"``.
    spec : dict
        The ``properties[name]`` block of the data file.
    """

    def __init__(self, material_id: str, name: str, spec: dict):
        self.material_id = material_id
        self.name = name
        self.units = spec["units"]
        self.spec = spec
        self.pieces = sorted(spec["pieces"], key=lambda p: p["T_min_K"])
        functions = [fit_function(p) for p in self.pieces]
        self.fit_range_K = (float(self.pieces[0]["T_min_K"]), float(self.pieces[-1]["T_max_K"]))
        lo_fit, hi_fit = self.fit_range_K
        self.below = spec.get("below")
        # Every change of formula sits exactly on a GRID node, so the Hermite tables
        # (which cannot represent a kink inside an interval) stay exact to ~1e-10.
        if self.below is not None:
            join = grid_node_at_or_below(lo_fit)
            shape = below_law_shape(self.below)
            scale = float(functions[0](np.asarray(join)) / shape(np.asarray(join)))
            segments = [(0.0, lambda T: scale * shape(T)), (join, functions[0])]
            self.low_law_join_K: float | None = join
            low = T_FLOOR_K
        else:
            segments = [(0.0, functions[0])]
            self.low_law_join_K = None
            low = max(lo_fit, T_FLOOR_K)
        self.blends_K: list[tuple[float, float]] = []
        for i in range(len(self.pieces) - 1):
            a, b = self._blend_interval(i, functions[i], functions[i + 1])
            self.blends_K.append((a, b))
            segments.append((a, _log_blend(functions[i], functions[i + 1], a, b)))
            segments.append((b, functions[i + 1]))
        self._segments = segments
        self.supported_range_K = (low, hi_fit * (1.0 + float(spec["above_margin_fraction"])))

    def _blend_interval(self, i: int, f_a, f_b) -> tuple[float, float]:
        """GRID interval where piece i hands over to piece i+1: the one holding their crossing."""
        nominal = float(self.pieces[i]["T_max_K"])
        T = np.linspace(nominal * (1 - _JOIN_SEARCH), nominal * (1 + _JOIN_SEARCH), 2001)
        g = np.log(f_a(T) / f_b(T))
        change = np.flatnonzero(np.sign(g[:-1]) != np.sign(g[1:]))
        if change.size == 0:
            raise ValueError(
                f"{self.material_id} {self.name}: fit pieces {i} and {i + 1} do not cross within "
                f"{100 * _JOIN_SEARCH:.0f} % of {nominal:g} K; cannot join them continuously"
            )
        j = change[np.argmin(np.abs(T[change] - nominal))]  # the crossing nearest the nominal limit

        def gap(t):
            return float(np.log(f_a(np.asarray(t)) / f_b(np.asarray(t))))

        crossing = brentq(gap, T[j], T[j + 1], xtol=1e-14, rtol=1e-15)
        lo = grid_node_at_or_below(crossing)
        return lo, grid_node_above(lo)

    @property
    def breakpoints_K(self) -> list[float]:
        """Temperatures where the formula changes (all on GRID nodes)."""
        return [start for start, _ in self._segments[1:]]

    def evaluate(self, T) -> np.ndarray:
        """Property at ``T`` (kelvin, any shape) with no range check."""
        T = np.asarray(T, float)
        out = np.empty_like(T)
        starts = [start for start, _ in self._segments] + [np.inf]
        for (a, func), b in zip(self._segments, starts[1:], strict=True):
            mask = (a <= T) & (b > T)
            if mask.any():
                out[mask] = func(T[mask])
        return out

    def check(self, T) -> None:
        """Raise ``PropertyRangeError`` if any ``T`` lies outside the supported range."""
        T = np.asarray(T, float)
        lo, hi = self.supported_range_K
        bad = ~((lo <= T) & (hi >= T))
        if bad.any():
            raise PropertyRangeError(self.material_id, self.name, float(T[bad].flat[0]), (lo, hi))

    def extrapolated(self, T) -> np.ndarray:
        """True where ``T`` is outside the fit's own range (low-T law or top margin)."""
        T = np.asarray(T, float)
        lo, hi = self.fit_range_K
        return (lo > T) | (hi < T)

    @cached_property
    def table(self) -> PropertyTable:
        """Kirchhoff table on ``GRID`` (built on first use, then cached)."""
        hold = grid_node_above(self.supported_range_K[1], inclusive=True)
        return build_table(self.evaluate, self.breakpoints_K, hold)

    def source_text(self) -> str:
        """Citation of the fit pieces, one line per piece."""
        lines = []
        for p in self.pieces:
            src = p["source"]
            err = p.get("fit_error_percent")
            err_txt = f", fit error {err:g} %" if err is not None else ""
            if p["form"] == "debye_sommerfeld":
                kind = "model"
            elif "nist" in f"{src.get('nist_key', '')} {src['primary']}".lower():
                kind = f"NIST fit {src.get('nist_key', '')}"
            else:  # a power law or fit to other published data (e.g. a digitised figure)
                kind = "fit"
            lines.append(
                f"{kind} ({p['form']}, {p['T_min_K']:g}-{p['T_max_K']:g} K{err_txt}): {src['primary']}"
            )
        return "; ".join(lines)

    def below_source_text(self) -> str | None:
        """Citation of the low-temperature law, or None when the fit reaches 1 mK."""
        if self.below is None:
            return None
        return f"{self.below['description']} [{self.below['source']}]"
