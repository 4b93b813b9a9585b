"""Wiring budget of a dilution refrigerator: heat each line type puts on each stage, and what fits.

A fridge has stages (50 K plate, 4 K plate, still, cold plate, mixing chamber) at
their target temperatures with the cooling power available there. A line type
(drive, flux, readout in/out, DC) runs from room temperature down the stages;
between two stages it is one segment (catalog part or layers of library
materials, and a length) and at each stage it may carry an attenuator (dB), a
fixed dissipation (an amplifier), and a DC current through a resistive section.

For every line type and stage, in W per line:

- **passive**: conduction into the stage from the segment above minus conduction
  out into the segment below, each Σ (A/L) ∫k dT over the segment's layers
  (the conductivity integral, DESIGN.md; segments anchored at both ends);
- **active**: the signal power dissipated in the stage's attenuator,
  P₀ · d · 10^(−ΣA_above/10) · (1 − 10^(−A/10)), P₀ the average power at room
  temperature while on, d the duty cycle (cable loss is not counted: attenuators only);
- **Joule**: I² R of each resistive segment, half to each end (exact for a uniform
  wire with temperature-independent k and ρ); the room-temperature end's half
  leaves at room temperature;
- **fixed**: a dissipation the designer states (e.g. a HEMT amplifier on the 4 K plate).

Stage loads sum count × per-line load; the margin is cooling − load, and the
number of further lines of a type a stage can take is ⌊margin / per-line load⌋.
Everything is vectorised over (line type, stage); conductivity integrals are
computed once per (material, segment).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr

from solver import catalog, materials
from solver.errors import DesignError, PropertyRangeError

ROOM_K = 300.0  # K, room-temperature end of every line
LINE_KINDS = ("drive", "flux", "readout_in", "readout_out", "dc", "other")


def _per_stage(value: Any, n: int, where: str, default: float = 0.0) -> np.ndarray:
    if value is None:
        return np.full(n, default)
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise DesignError(f"{where}: give one value per stage ({n}), got {arr.size}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise DesignError(f"{where}: values must be finite and >= 0")
    return arr


class WiringSet:
    """Stages and line types parsed once; :meth:`budget` evaluates the loads.

    Parameters
    ----------
    stages : sequence of dict
        Warm to cold: ``id``, ``temperature_K`` (target, K), ``cooling_W`` (cooling
        power available at that temperature, W), ``spacing_m`` (segment length from
        the warmer stage, m, default for every line).
    lines : sequence of dict
        ``id``, ``kind`` (one of LINE_KINDS), ``count`` (lines of this type, ≥ 0),
        ``segments``: one segment for all, or one per stage, each ``{"part": catalog
        wiring id}`` or ``{"layers": [{"material", "area_m2"}]}``; optional
        ``lengths_m`` (per stage), ``attenuation_dB`` (per stage), ``power_W`` (average
        signal power at room temperature while on, W), ``duty`` (0-1), ``current_A``
        (DC current per line, A), ``resistance_ohm`` (per segment, Ω), ``fixed_W``
        (per stage, W per line).
    room_K : float
        Temperature of the room-temperature end, K.
    """

    def __init__(
        self, stages: Sequence[dict], lines: Sequence[dict], room_K: float = ROOM_K
    ) -> None:
        if not stages:
            raise DesignError("stages: give at least one stage")
        self.stage_ids = [str(s["id"]) for s in stages]
        n = len(stages)
        self.T = np.array([float(s["temperature_K"]) for s in stages])
        if np.any(np.diff(np.concatenate([[room_K], self.T])) >= 0):
            raise DesignError("stages: temperature_K must fall strictly from room to the coldest")
        self.cooling_W = np.array([float(s.get("cooling_W", np.nan)) for s in stages])
        spacing = [s.get("spacing_m") for s in stages]
        self.T_hot = np.concatenate([[room_K], self.T[:-1]])
        self.line_ids = [str(lk["id"]) for lk in lines]
        m = len(lines)
        self.kind = []
        self.count = np.zeros(m)
        self.length = np.zeros((m, n))
        self.att = np.zeros((m, n))
        self.power = np.zeros(m)
        self.duty = np.zeros(m)
        self.current = np.zeros(m)
        self.resistance = np.zeros((m, n))
        self.fixed = np.zeros((m, n))
        rows: list[tuple[int, int, str, float]] = []  # (line, segment, material, area)
        for i, lk in enumerate(lines):
            where = f"line {lk['id']!r}"
            kind = lk.get("kind", "other")
            if kind not in LINE_KINDS:
                raise DesignError(f"{where}, field 'kind': {kind!r}; use one of {LINE_KINDS}")
            self.kind.append(kind)
            count = lk.get("count", 1)
            if not isinstance(count, int) or count < 0:
                raise DesignError(f"{where}, field 'count': a whole number >= 0, got {count!r}")
            self.count[i] = count
            lengths = lk.get("lengths_m", spacing)
            if any(v is None for v in np.atleast_1d(np.asarray(lengths, dtype=object))):
                raise DesignError(f"{where}: give lengths_m, or spacing_m on every stage")
            self.length[i] = _per_stage(lengths, n, f"{where}, field 'lengths_m'")
            if np.any(self.length[i] <= 0):
                raise DesignError(f"{where}, field 'lengths_m': every length must be > 0 m")
            self.att[i] = _per_stage(
                lk.get("attenuation_dB"), n, f"{where}, field 'attenuation_dB'"
            )
            self.resistance[i] = _per_stage(
                lk.get("resistance_ohm"), n, f"{where}, field 'resistance_ohm'"
            )
            self.fixed[i] = _per_stage(lk.get("fixed_W"), n, f"{where}, field 'fixed_W'")
            self.power[i] = _non_negative(lk.get("power_W", 0.0), where, "power_W")
            self.duty[i] = _non_negative(lk.get("duty", 1.0), where, "duty")
            if self.duty[i] > 1:
                raise DesignError(f"{where}, field 'duty': {self.duty[i]:g} must be in [0, 1]")
            self.current[i] = _non_negative(lk.get("current_A", 0.0), where, "current_A")
            segments = lk.get("segments")
            if isinstance(segments, dict):
                segments = [segments] * n
            if not isinstance(segments, list) or len(segments) != n:
                raise DesignError(f"{where}, field 'segments': one segment, or one per stage ({n})")
            for k, seg in enumerate(segments):
                for layer in _segment_layers(seg, f"{where}, segment {k} ({self.stage_ids[k]})"):
                    rows.append((i, k, layer["material"], float(layer["area_m2"])))
        self.material_ids = sorted({r[2] for r in rows})
        self._layer_line = np.array([r[0] for r in rows], dtype=np.int64)
        self._layer_seg = np.array([r[1] for r in rows], dtype=np.int64)
        self._layer_mat = np.array([self.material_ids.index(r[2]) for r in rows], dtype=np.int64)
        self._layer_area = np.array([r[3] for r in rows])
        self._integrals = self._conductivity_integrals()

    def _conductivity_integrals(self) -> np.ndarray:
        """∫k dT (W/m) per (material, segment); nan where a material is never used there."""
        n = self.T.size
        out = np.full((len(self.material_ids), n), np.nan)
        for j, mid in enumerate(self.material_ids):
            used = np.unique(self._layer_seg[self._layer_mat == j])
            mat = materials.get(mid)
            try:
                out[j, used] = mat.conductivity_integral(self.T[used], self.T_hot[used])
            except PropertyRangeError as exc:
                k = next(
                    s
                    for s in used
                    if not _in_range(mat, self.T[s]) or not _in_range(mat, self.T_hot[s])
                )
                users = sorted(
                    {
                        self.line_ids[i]
                        for i in self._layer_line[(self._layer_mat == j) & (self._layer_seg == k)]
                    }
                )
                raise DesignError(
                    f"line {users[0]!r}, segment {k} ({self.T_hot[k]:g} K -> {self.T[k]:g} K): {exc}; "
                    "use another material for this segment"
                ) from exc
        return out

    def passive_per_line(self) -> np.ndarray:
        """Conduction down each segment, W per line, shape (lines, stages)."""
        m, n = self.length.shape
        G = self._layer_area / self.length[self._layer_line, self._layer_seg]
        q = G * self._integrals[self._layer_mat, self._layer_seg]
        flat = np.bincount(self._layer_line * n + self._layer_seg, weights=q, minlength=m * n)
        return flat.reshape(m, n)

    def budget(self) -> xr.Dataset:
        """Per-line and per-stage loads, margins and line capacities as an xarray Dataset."""
        seg = self.passive_per_line()
        passive = seg.copy()
        passive[:, :-1] -= seg[:, 1:]  # what the stage passes on to the segment below
        # signal power reaching each stage and dissipated in its attenuator
        transmitted = 10.0 ** (-self.att / 10.0)
        above = np.cumprod(
            np.concatenate([np.ones((self.att.shape[0], 1)), transmitted[:, :-1]], 1), 1
        )
        active = (self.power * self.duty)[:, None] * above * (1.0 - transmitted)
        joule_seg = self.current[:, None] ** 2 * self.resistance
        joule = 0.5 * joule_seg
        joule[:, :-1] += 0.5 * joule_seg[:, 1:]
        per_line = passive + active + joule + self.fixed
        stage_load = (self.count[:, None] * per_line).sum(0)
        margin = self.cooling_W - stage_load
        with np.errstate(divide="ignore", invalid="ignore"):
            capacity = np.where(per_line > 0, np.floor(self.cooling_W / per_line), np.inf)
            more = np.where(per_line > 0, np.floor(np.maximum(margin, 0) / per_line), np.inf)
        more = np.where(margin[None, :] < 0, 0.0, more)
        dims = ("line", "stage")
        w = {"units": "W"}
        return xr.Dataset(
            {
                "passive_W": (dims, passive, {**w, "long_name": "net conduction per line"}),
                "active_W": (dims, active, {**w, "long_name": "attenuator dissipation per line"}),
                "joule_W": (dims, joule, {**w, "long_name": "DC Joule heat per line"}),
                "fixed_W": (
                    dims,
                    self.fixed.copy(),
                    {**w, "long_name": "stated dissipation per line"},
                ),
                "per_line_W": (dims, per_line, {**w, "long_name": "total per line"}),
                "count": ("line", self.count.copy()),
                "line_load_W": (dims, self.count[:, None] * per_line, w),
                "stage_load_W": ("stage", stage_load, w),
                "cooling_W": ("stage", self.cooling_W.copy(), w),
                "margin_W": ("stage", margin, w),
                "lines_alone": (
                    dims,
                    capacity,
                    {"long_name": "lines of this type the stage takes alone"},
                ),
                "more_lines": (dims, more, {"long_name": "further lines of this type that fit"}),
            },
            coords={
                "line": self.line_ids,
                "stage": self.stage_ids,
                "kind": ("line", self.kind),
                "temperature_K": ("stage", self.T.copy(), {"units": "K"}),
            },
            attrs={"model": __doc__.splitlines()[0]},
        )


def _non_negative(value, where: str, field: str) -> float:
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise DesignError(f"{where}, field {field!r}: {value!r} must be finite and >= 0")
    return v


def _in_range(mat, T: float) -> bool:
    lo, hi = mat.property_range_K("k")
    return bool(lo <= T <= hi)


def _segment_layers(seg: dict, where: str) -> list[dict]:
    if not isinstance(seg, dict) or ("part" in seg) == ("layers" in seg):
        raise DesignError(f"{where}: give a catalog 'part' or 'layers', not both")
    if "part" in seg:
        try:
            return catalog.wiring_layers(seg["part"])
        except DesignError as exc:
            raise DesignError(f"{where}, field 'part': {exc}") from exc
    layers = seg["layers"]
    if not layers:
        raise DesignError(f"{where}, field 'layers': list at least one layer")
    for layer in layers:
        materials.get(layer["material"])
        if not float(layer["area_m2"]) > 0:
            raise DesignError(f"{where}, field 'layers': area_m2 must be > 0")
    return layers


def wiring_budget(
    stages: Sequence[dict], lines: Sequence[dict], room_K: float = ROOM_K
) -> xr.Dataset:
    """The wiring budget Dataset of ``lines`` on ``stages`` (see :class:`WiringSet`)."""
    return WiringSet(stages, lines, room_K).budget()


def limiting_stage(budget: xr.Dataset) -> tuple[str, float]:
    """The stage with the smallest margin relative to its cooling power, and that fraction."""
    frac = (budget["margin_W"] / budget["cooling_W"]).values
    k = int(np.nanargmin(frac))
    return str(budget["stage"].values[k]), float(frac[k])


def more_lines_of(budget: xr.Dataset, line_id: str) -> tuple[int | float, str]:
    """How many more lines of type ``line_id`` fit, and the stage that limits them."""
    if line_id not in budget["line"].values:
        raise DesignError(
            f"line {line_id!r} is not in this wiring set; have {list(budget['line'].values)}"
        )
    more = budget["more_lines"].sel(line=line_id).values
    k = int(np.argmin(more))
    value = more[k]
    return (int(value) if np.isfinite(value) else float(value)), str(budget["stage"].values[k])


def overloaded_stages(budget: xr.Dataset) -> list[str]:
    """One sentence per stage the wiring set overloads: which stage and by how much (W)."""
    out = []
    for stage, margin, load, cool in zip(
        budget["stage"].values,
        budget["margin_W"].values,
        budget["stage_load_W"].values,
        budget["cooling_W"].values,
        strict=True,
    ):
        if margin < 0:
            out.append(
                f"stage {stage!r}: the wiring puts {load:.4g} W on a cooling power of {cool:.4g} W, "
                f"over by {-margin:.4g} W ({-margin / cool:.0%})"
            )
    return out
