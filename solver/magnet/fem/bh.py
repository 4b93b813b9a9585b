"""B–H curves of iron: the sourced catalog, monotone interpolation and saturation.

A curve is either linear (``{"mu_r": m}``) or a table of (H, B) points starting at the
origin. Between points B(H) is the monotone piecewise-cubic Hermite interpolant
(F. N. Fritsch and R. E. Carlson, SIAM J. Numer. Anal. 17, 238 (1980); scipy's
``PchipInterpolator``), so it never overshoots the data. Beyond the last point the
magnetisation is saturated: B = μ0 H + J_s with J_s = B_last − μ0 H_last (tesla).

The finite-element solver needs H(B) and the energy density w(B) = ∫₀^B H dB'; it takes
them from :meth:`BHCurve.h_of_b_knots`, a piecewise-linear H(B) through the interpolant
sampled at 8 points per table interval: B matches the PCHIP curve to 2e-3 + 2e-4 T for
the catalog curves (checked in tests; a coarse inline table with long intervals: ~1 % in
its first interval), then the exact saturation line. More knots cost time: assembling
with NGSolve's BSpline grows about linearly with their number (measured: 1778 knots 12 s,
40 knots 1 s for one 47k-unknown linearisation).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from scipy.interpolate import PchipInterpolator

from materials_data import DATA_DIR
from solver._jsonfile import read_validated
from solver.errors import DesignError, UnknownNameError
from solver.magnet._constants import MU0_H_PER_M

CATALOG_FILE = DATA_DIR / "bh_curves.json"
SAMPLES_PER_INTERVAL = 48
"""Points of the piecewise-linear H(B) per table interval (PCHIP agreement 2e-3, catalog)."""


@dataclass(frozen=True)
class BHCurve:
    """A DC B–H law: linear (``mu_r``) or tabulated (``h_A_per_m``, ``b_T``).

    Attributes
    ----------
    name : str
        Catalog id or a description of an inline material.
    mu_r : float or None
        Relative permeability of a linear material.
    h_A_per_m, b_T : tuple of float
        Table rows of a nonlinear material (first row (0, 0), both strictly increasing).
    source : str
        Where the curve comes from (catalog entries only).
    """

    name: str
    mu_r: float | None = None
    h_A_per_m: tuple[float, ...] = ()
    b_T: tuple[float, ...] = ()
    source: str = ""
    _pchip: PchipInterpolator | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.mu_r is None:
            object.__setattr__(
                self, "_pchip", PchipInterpolator(self.h_A_per_m, self.b_T, extrapolate=False)
            )

    @property
    def is_linear(self) -> bool:
        """True for a constant-permeability material."""
        return self.mu_r is not None

    @property
    def saturation_polarisation_T(self) -> float:
        """J_s = B_last − μ0 H_last of a table (tesla); ``inf`` for a linear material."""
        if self.is_linear:
            return float("inf")
        return self.b_T[-1] - MU0_H_PER_M * self.h_A_per_m[-1]

    def b_of_h(self, h_A_per_m) -> np.ndarray:
        """Flux density B (tesla) at field strength H ≥ 0 (A/m)."""
        h = np.asarray(h_A_per_m, dtype=float)
        if self.mu_r is not None:
            return MU0_H_PER_M * self.mu_r * h
        inside = h <= self.h_A_per_m[-1]
        table = self._interpolant(np.where(inside, h, self.h_A_per_m[-1]))
        return np.where(inside, table, MU0_H_PER_M * h + self.saturation_polarisation_T)

    @property
    def _interpolant(self) -> PchipInterpolator:
        if self._pchip is None:
            raise DesignError(f"material {self.name!r} is linear: it has no B-H table")
        return self._pchip

    def h_of_b_knots(self) -> tuple[np.ndarray, np.ndarray]:
        """Knots (B_k, H_k) of the piecewise-linear H(B) the FEM integrates.

        The last knot lies 1 T above the table on the saturation line, so linear
        extrapolation beyond it continues B = μ0 H + J_s exactly.
        """
        h_tab = np.asarray(self.h_A_per_m)
        t = np.linspace(0.0, 1.0, SAMPLES_PER_INTERVAL + 1)[:-1]
        h = np.concatenate([a + t * (b - a) for a, b in itertools.pairwise(h_tab)])
        h = np.append(h, h_tab[-1])
        b = self._interpolant(h)
        b_end = b[-1] + 1.0
        h_end = (b_end - self.saturation_polarisation_T) / MU0_H_PER_M
        return np.append(b, b_end), np.append(h, h_end)


def linear_material(mu_r: float) -> BHCurve:
    """A constant-permeability material."""
    return BHCurve(name=f"mu_r={mu_r:g}", mu_r=float(mu_r))


def table_material(
    rows, name: str = "inline B-H table", source: str = "", where: str = ""
) -> BHCurve:
    """A material from (H A/m, B T) rows; validates the table.

    Raises
    ------
    DesignError
        If the rows are not pairs of finite numbers starting at (0, 0) with H and B
        strictly increasing (at least two rows). ``where`` prefixes the message.
    """
    prefix = f"{where}: " if where else ""
    try:
        arr = np.asarray(rows, dtype=float)
    except (TypeError, ValueError):
        arr = np.empty((0,))
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 2 or not np.all(np.isfinite(arr)):
        raise DesignError(
            f"{prefix}bh_table_A_per_m_T must be a list of at least two [H, B] pairs of "
            "finite numbers (A/m, tesla)"
        )
    if arr[0, 0] != 0 or arr[0, 1] != 0:
        raise DesignError(f"{prefix}bh_table_A_per_m_T must start at [0, 0], got {arr[0].tolist()}")
    if np.any(np.diff(arr[:, 0]) <= 0) or np.any(np.diff(arr[:, 1]) <= 0):
        raise DesignError(f"{prefix}bh_table_A_per_m_T needs H and B strictly increasing")
    return BHCurve(name=name, h_A_per_m=tuple(arr[:, 0]), b_T=tuple(arr[:, 1]), source=source)


class _CatalogCurve(BaseModel):
    """One measured B–H curve of the catalog: rows [H A/m, B T] and their source."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    name: str
    H_A_per_m_B_T: list[tuple[float, float]] = Field(min_length=2)
    source: str | dict[str, Any]


class _CatalogFile(BaseModel):
    """``cryogen/bh-curves@1``: the B–H catalog file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["cryogen/bh-curves@1"] = Field(alias="schema")
    meta: str = Field(alias="_meta")
    curves: list[_CatalogCurve] = Field(min_length=1)


@functools.cache
def _catalog() -> dict[str, dict]:
    data = read_validated(CATALOG_FILE, _CatalogFile, "B-H catalog")
    return {c.id: c.model_dump(by_alias=True) for c in data.curves}


def bh_curve_ids() -> list[str]:
    """Ids of the B–H catalog (``materials_data/bh_curves.json``)."""
    return sorted(_catalog())


@functools.cache
def bh_curve(curve_id: str) -> BHCurve:
    """The catalog curve ``curve_id`` (see :func:`bh_curve_ids`), with its source."""
    entry = _catalog().get(curve_id)
    if entry is None:
        raise UnknownNameError("B-H material", curve_id, _catalog())
    return table_material(entry["H_A_per_m_B_T"], name=curve_id, source=entry["source"])


def material_to_spec(curve: BHCurve):
    """The coil-file ``material`` of a curve (catalog id, mu_r or inline table)."""
    if curve.is_linear:
        return {"mu_r": curve.mu_r}
    if curve.name in _catalog():
        return curve.name
    return {"bh_table_A_per_m_T": [[h, b] for h, b in zip(curve.h_A_per_m, curve.b_T, strict=True)]}


def material_from_spec(spec, where: str) -> BHCurve:
    """A coil-file ``material``: catalog id, ``{"mu_r": m}`` or ``{"bh_table_A_per_m_T": rows}``."""
    if isinstance(spec, str):
        try:
            return bh_curve(spec)
        except UnknownNameError as exc:
            raise UnknownNameError(exc.kind, exc.name, exc.valid, where=where) from None
    if isinstance(spec, dict) and set(spec) == {"mu_r"}:
        mu_r = spec["mu_r"]
        if isinstance(mu_r, bool) or not isinstance(mu_r, int | float) or not mu_r >= 1:
            raise DesignError(f"{where}: mu_r must be a number ≥ 1, got {mu_r!r}")
        if not np.isfinite(mu_r):
            raise DesignError(f"{where}: mu_r must be finite")
        return linear_material(mu_r)
    if isinstance(spec, dict) and set(spec) == {"bh_table_A_per_m_T"}:
        return table_material(spec["bh_table_A_per_m_T"], where=where)
    raise DesignError(
        f"{where}: must be a B-H catalog id ({', '.join(bh_curve_ids()[:6])}, ...), "
        '{"mu_r": m} or {"bh_table_A_per_m_T": [[H, B], ...]}'
    )
