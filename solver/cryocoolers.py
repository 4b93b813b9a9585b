"""Cryocooler capacity from published maps: cooling power as a function of stage temperatures.

A published two-stage map gives stage temperatures (T1, T2) measured at fixed
stage loads (Q1, Q2). The network needs the inverse, capacity Q(T1, T2). We
interpolate the measured points smoothly (thin-plate-spline RBF through every
point, linear far field), invert that map by a vectorised 2-D Newton root find
on a regular (T1, T2) grid, and evaluate the inverse with a bicubic spline, so
Newton in the network sees a C¹ capacity with exact derivatives. A single-stage
lift curve Q(T) is used directly through a monotone (PCHIP) interpolant.

Outside the published temperature box: warmer than the map, the capacity is
held at its value on the box edge (for a cooldown from 300 K this underestimates
the real capacity, since a cooler's capacity grows with temperature); colder
than the map, it continues linearly with the edge slope and turns negative below
the no-load temperature, as a real cooler's does. Every such use is flagged in
the results, never silent. A steady state outside the map is an error (the load
exceeds what the published data can vouch for).

Data: ``materials_data/components/cryocoolers*.json`` (each entry with its source).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from materials_data import DATA_DIR
from solver._jsonfile import read_validated
from solver.errors import DesignError, UnknownNameError

INVERSE_GRID_POINTS = 41  # per stage axis of the inverted (T1, T2) grid
COOLER_FILES = "cryocoolers*.json"  # in materials_data/components/

Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class RatingPoint(BaseModel):
    """A published operating point of one cooler stage."""

    model_config = ConfigDict(extra="forbid")

    stage: str
    T_K: Positive
    Q_W: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    with_: str = Field("", alias="with")
    confidence: str = ""


class CryocoolerEntry(BaseModel):
    """An entry of ``cryocoolers*.json`` (format owned by ``solver.cryocoolers``)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    category: Literal["cryocooler"]
    maker: str
    model: str
    name: str
    kind: str
    stages: list[str] = Field(min_length=1, max_length=3)
    source: str = Field(min_length=10)
    rating_points: list[RatingPoint] = Field(default_factory=list)
    capacity_map: dict[str, Any] | None = None
    capacity_curve: dict[str, Any] | None = None


class CryocoolerFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    family: Literal["cryocoolers"]
    description: str
    units: dict[str, str]
    entries: list[CryocoolerEntry]


@dataclass
class CoolerModel:
    """A cryocooler model with its published capacity data.

    ``capacity(T)`` takes stage temperatures in K (shape (n_stages,), in the order
    of ``stage_names``) and returns (Q, dQ_dT, outside): capacities in W, their
    derivatives in W/K (shape (n, n)) and whether T lies outside the published box.
    """

    id: str
    name: str
    maker: str
    model: str
    stage_names: tuple[str, ...]
    source: str
    map_kind: str
    box_K: tuple[tuple[float, float], ...]
    entry: dict = field(repr=False)
    _eval: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] = field(repr=False)
    _temperatures_of_loads: Callable[[np.ndarray], np.ndarray] | None = field(
        repr=False, default=None
    )

    def published_points(self) -> dict[str, np.ndarray]:
        """The published data the model interpolates, as arrays in SI units.

        Returns
        -------
        dict
            Two-stage map: ``Q1_W``, ``Q2_W`` (stage loads, W) and ``T1_K``, ``T2_K``
            (stage temperatures measured at those loads, K), one entry per point.
            Single-stage curve: ``T_K`` and ``Q_W`` (lift), sorted by temperature.
        """
        if "capacity_map" in self.entry:
            cols = self.entry["capacity_map"]["columns"]
            data = np.array(self.entry["capacity_map"]["data"], dtype=float)
            return {c: data[:, cols.index(c)] for c in ("Q1_W", "Q2_W", "T1_K", "T2_K")}
        data = np.array(self.entry["capacity_curve"]["data"], dtype=float)
        data = data[np.argsort(data[:, 0])]
        return {"T_K": data[:, 0], "Q_W": data[:, 1]}

    def capacity_curve(self, T_K) -> np.ndarray:
        """Single-stage capacity (W) at each temperature of ``T_K`` (K), as the solver uses it.

        Outside the published curve the model's documented extension applies (see the
        module docstring); use :meth:`capacity` to learn whether a point is outside.
        """
        if len(self.stage_names) != 1:
            raise DesignError(
                f"cryocooler {self.name!r} has {len(self.stage_names)} stages: its capacity is a "
                "map of all stage temperatures (use temperatures_at_loads or capacity)"
            )
        T = np.atleast_1d(np.asarray(T_K, dtype=float))
        return np.array([self.capacity([t])[0][0] for t in T])

    def temperatures_at_loads(self, loads_W) -> np.ndarray:
        """Two-stage map: stage temperatures (K) at stage loads ``loads_W`` (W), shape (n, 2).

        This is the smooth interpolant through the published points that the solver
        inverts into capacity, so lines of constant first-stage load drawn with it are
        the model's own load map.
        """
        if self._temperatures_of_loads is None:
            raise DesignError(
                f"cryocooler {self.name!r} has a single-stage curve, not a map of stage loads"
            )
        q = np.atleast_2d(np.asarray(loads_W, dtype=float))
        return self._temperatures_of_loads(q)

    def capacity(self, T, extend_above: bool = False) -> tuple[np.ndarray, np.ndarray, bool]:
        """Capacity (W), its Jacobian (W/K) and whether T is outside the published box.

        ``extend_above`` continues the capacity linearly above the map too (used by the
        steady solver to locate, and then report, an operating point beyond the map).
        """
        T = np.asarray(T, dtype=float).reshape(len(self.stage_names))
        lo = np.array([b[0] for b in self.box_K])
        hi = np.array([b[1] for b in self.box_K])
        Q, dQ = self._eval(np.clip(T, lo, hi))
        below, above = T < lo, T > hi
        Q = Q + dQ[:, below] @ (T - lo)[below]  # colder than the map: continue with the edge slope
        if extend_above:
            Q = Q + dQ[:, above] @ (T - hi)[above]
        else:
            dQ = dQ * ~above[None, :]  # warmer than the map: held at the edge value
        return Q, dQ, bool(np.any(below | above))


def _single_stage(entry: dict) -> CoolerModel:
    from scipy.interpolate import PchipInterpolator  # here: validating a design needs no scipy

    data = np.array(entry["capacity_curve"]["data"], dtype=float)
    data = data[np.argsort(data[:, 0])]
    curve = PchipInterpolator(data[:, 0], data[:, 1], extrapolate=False)
    slope = curve.derivative()

    def evaluate(T):
        return np.array([float(curve(T[0]))]), np.array([[float(slope(T[0]))]])

    box = ((float(data[0, 0]), float(data[-1, 0])),)
    return _model(entry, box, evaluate)


def _two_stage(entry: dict) -> CoolerModel:
    from scipy.interpolate import RBFInterpolator, RectBivariateSpline

    data = np.array(entry["capacity_map"]["data"], dtype=float)
    q, t = data[:, :2], data[:, 2:]
    q_scale = q.max(axis=0)
    t_lo, t_hi = t.min(axis=0), t.max(axis=0)
    t_scale = t_hi - t_lo
    temperature_of_load = RBFInterpolator(q / q_scale, t, kernel="thin_plate_spline", degree=1)

    axes = [np.linspace(t_lo[k], t_hi[k], INVERSE_GRID_POINTS) for k in range(2)]
    targets = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 2)
    loads = _invert(temperature_of_load, targets, (q / q_scale), t, t_scale) * q_scale
    splines = [
        RectBivariateSpline(axes[0], axes[1], loads[:, k].reshape(INVERSE_GRID_POINTS, -1))
        for k in range(2)
    ]

    def evaluate(T):
        Q = np.array([s.ev(T[0], T[1]) for s in splines])
        dQ = np.array([[s.ev(T[0], T[1], dx=1), s.ev(T[0], T[1], dy=1)] for s in splines])
        return Q, dQ

    def temperatures_of_loads(loads):
        return temperature_of_load(loads / q_scale)

    box = tuple((float(t_lo[k]), float(t_hi[k])) for k in range(2))
    return _model(entry, box, evaluate, temperatures_of_loads)


def _invert(forward, targets, x_data, t_data, t_scale, iterations=60):
    """Solve forward(x) = target for every target row (vectorised damped Newton)."""
    dist = (((targets[:, None, :] - t_data[None, :, :]) / t_scale) ** 2).sum(-1)
    x = x_data[dist.argmin(axis=1)].copy()
    h = 1e-6
    for _ in range(iterations):
        f = forward(x) - targets
        if np.max(np.abs(f) / t_scale) < 1e-10:
            break
        cols = [(forward(x + h * e) - forward(x - h * e)) / (2 * h) for e in np.eye(2)]
        a, b = cols[0][:, 0], cols[1][:, 0]
        c, d = cols[0][:, 1], cols[1][:, 1]
        det = a * d - b * c
        det = np.where(np.abs(det) < 1e-12, np.copysign(1e-12, det), det)
        step = np.stack([(d * f[:, 0] - b * f[:, 1]) / det, (-c * f[:, 0] + a * f[:, 1]) / det], -1)
        x -= np.clip(step, -0.25, 0.25)
    return x


def _model(entry: dict, box, evaluate, temperatures_of_loads=None) -> CoolerModel:
    return CoolerModel(
        id=entry["id"],
        name=entry["name"],
        maker=entry["maker"],
        model=entry["model"],
        stage_names=tuple(entry["stages"]),
        source=entry["source"],
        map_kind=entry.get("map_kind", ""),
        box_K=box,
        entry=entry,
        _eval=evaluate,
        _temperatures_of_loads=temperatures_of_loads,
    )


@functools.cache
def _entries() -> dict[str, dict]:
    entries: dict[str, dict] = {}
    for path in sorted((DATA_DIR / "components").glob(COOLER_FILES)):
        for e in read_validated(path, CryocoolerFile, "cryocooler").entries:
            entries[e.name] = e.model_dump(by_alias=True, exclude_none=True)
    return entries


def names() -> list[str]:
    """Names of every cryocooler in the catalog (``"<maker> <model>"``)."""
    return sorted(_entries())


def solvable_names() -> list[str]:
    """Names of the cryocoolers that can be a ``cryocooler`` source (a capacity map or curve)."""
    return [n for n, e in _entries().items() if _solvable(e)]


def rating_only_names() -> list[str]:
    """Names of the cryocoolers published only as rating points (model them as constant coolers)."""
    return [n for n, e in _entries().items() if not _solvable(e)]


def _solvable(e: dict) -> bool:
    return ("capacity_map" in e and len(e["stages"]) == 2) or (
        "capacity_curve" in e and len(e["stages"]) == 1
    )


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def entry(name: str) -> dict:
    """The catalog entry of a cryocooler by name (``"Cryomech PT420"``, any case or spacing) or id.

    Raises UnknownNameError listing the closest names.
    """
    entries = _entries()
    by_key = {_norm(n): e for n, e in entries.items()}
    by_key.update({_norm(e["id"]): e for e in entries.values()})
    found = by_key.get(_norm(name))
    if found is None:
        raise UnknownNameError("cryocooler model", name, entries)
    return found


@functools.cache
def get(name: str) -> CoolerModel:
    """The capacity model of a cryocooler by name or id.

    Raises UnknownNameError listing the closest names, and DesignError for a
    catalog part that has only rating points (no map to solve with).
    """
    found = entry(name)
    if "capacity_map" in found and len(found["stages"]) == 2:
        return _two_stage(found)
    if "capacity_curve" in found and len(found["stages"]) == 1:
        return _single_stage(found)
    raise DesignError(
        f"cryocooler {found['name']!r} has only published rating points, no capacity map: "
        "model it as a constant_cooler at its rated power, or pick a model with a map "
        f"({', '.join(solvable_names())})"
    )
