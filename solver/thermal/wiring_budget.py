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
  temperature while on, d the duty cycle; with a line's ``frequency_GHz`` also the
  cable loss of catalog coax segments, half at each end
  (:mod:`solver.thermal.cable_loss`, which says how α(f, T) is taken);
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
from solver.thermal.cable_loss import attenuation_dB_per_m, signal_heat

ROOM_K = 300.0  # K, room-temperature end of every line
LINE_KINDS = ("drive", "flux", "readout_in", "readout_out", "dc", "other")


def _column(lines: Sequence[dict], key: str, default: Any, n: int | None = None) -> np.ndarray:
    """One field of every line as a float array, (lines,) or (lines, n) with scalars broadcast.

    Raises DesignError naming the first line whose value is not finite and >= 0, or has the
    wrong number of per-stage values.
    """
    raw = [lk.get(key, default) for lk in lines]
    if n is not None:
        raw = [v if isinstance(v, (list, tuple, np.ndarray)) else [v] * n for v in raw]
        for lk, v in zip(lines, raw, strict=True):
            if len(v) != n:
                raise DesignError(
                    f"line {lk['id']!r}, field {key!r}: give one value per stage ({n}), got {len(v)}"
                )
    try:
        arr = np.array(raw, dtype=float).reshape(len(lines), *(() if n is None else (n,)))
        bad = ~np.all((np.isfinite(arr) & (arr >= 0)).reshape(len(lines), -1), axis=1)
    except (TypeError, ValueError):
        bad = np.ones(len(lines), bool)
    if bad.any():
        i = int(np.argmax(bad))
        raise DesignError(
            f"line {lines[i]['id']!r}, field {key!r}: {raw[i]!r} must be finite numbers >= 0"
        )
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
        (per stage, W per line), ``frequency_GHz`` (signal frequency for the cable loss).
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
        self.kind = [lk.get("kind", "other") for lk in lines]
        for lk, kind in zip(lines, self.kind, strict=True):
            if kind not in LINE_KINDS:
                where = f"line {lk['id']!r}, field 'kind'"
                raise DesignError(f"{where}: {kind!r}; use one of {LINE_KINDS}")
            count = lk.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or count < 0:
                where = f"line {lk['id']!r}, field 'count'"
                raise DesignError(f"{where}: a whole number >= 0, got {count!r}")
        self.count = _column(lines, "count", 1)
        if any(v is None for v in spacing):
            missing = [lk["id"] for lk in lines if "lengths_m" not in lk]
            if missing:
                raise DesignError(
                    f"line {missing[0]!r}, field 'lengths_m': give it, or spacing_m on every stage"
                )
        self.length = _column(lines, "lengths_m", spacing, n)
        if np.any(self.length <= 0):
            i = int(np.argmax(np.any(self.length <= 0, axis=1)))
            raise DesignError(f"line {self.line_ids[i]!r}, field 'lengths_m': must be > 0 m")
        self.att = _column(lines, "attenuation_dB", 0.0, n)
        self.resistance = _column(lines, "resistance_ohm", 0.0, n)
        self.fixed = _column(lines, "fixed_W", 0.0, n)
        self.power = _column(lines, "power_W", 0.0)
        self.duty = _column(lines, "duty", 1.0)
        if np.any(self.duty > 1):
            i = int(np.argmax(self.duty > 1))
            raise DesignError(
                f"line {self.line_ids[i]!r}, field 'duty': {self.duty[i]:g} must be in [0, 1]"
            )
        self.current = _column(lines, "current_A", 0.0)
        # each distinct segment (a catalog part, or one given layer list) is resolved once;
        # seg_spec[i, k] is the distinct segment line i uses between stage k-1 and k
        specs: list[list[dict]] = []
        known: dict[object, int] = {}
        seg_spec = np.zeros((len(lines), n), dtype=np.int64)
        for i, lk in enumerate(lines):
            where = f"line {lk['id']!r}"
            segments = lk.get("segments")
            if isinstance(segments, dict):
                segments = [segments] * n
            if not isinstance(segments, list) or len(segments) != n:
                raise DesignError(f"{where}, field 'segments': one segment, or one per stage ({n})")
            for k, seg in enumerate(segments):
                key = seg.get("part") if isinstance(seg, dict) and "part" in seg else id(seg)
                if key not in known:
                    specs.append(
                        _segment_layers(seg, f"{where}, segment {k} ({self.stage_ids[k]})")
                    )
                    known[key] = len(specs) - 1
                seg_spec[i, k] = known[key]
        self.material_ids = sorted({layer["material"] for spec in specs for layer in spec})
        index = {mid: j for j, mid in enumerate(self.material_ids)}
        spec_mat = np.array([index[lay["material"]] for spec in specs for lay in spec], np.int64)
        spec_area = np.array([float(lay["area_m2"]) for spec in specs for lay in spec])
        n_layers = np.array([len(spec) for spec in specs], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(n_layers)[:-1]])
        flat = seg_spec.ravel()
        reps = n_layers[flat]
        first = np.repeat(offsets[flat] - np.concatenate([[0], np.cumsum(reps)[:-1]]), reps)
        layer = first + np.arange(int(reps.sum()))  # index into spec_mat / spec_area
        self._layer_line = np.repeat(np.repeat(np.arange(len(lines)), n), reps)
        self._layer_seg = np.repeat(np.tile(np.arange(n), len(lines)), reps)
        self._layer_mat = spec_mat[layer]
        self._layer_area = spec_area[layer]
        self._integrals = self._conductivity_integrals()
        self.cable_dB, self.flags = self._cable_loss(lines)

    def _cable_loss(self, lines: Sequence[dict]) -> tuple[np.ndarray, list[str]]:
        """Cable loss (dB) of each line's segments at its ``frequency_GHz``, and flags."""
        out = np.zeros(self.length.shape)
        flags: list[str] = []
        alphas: dict[tuple, float | None] = {}
        for i, lk in enumerate(lines):
            f = lk.get("frequency_GHz")
            if f is None:
                continue
            if isinstance(f, bool) or not isinstance(f, (int, float)):
                raise DesignError(
                    f"line {lk['id']!r}, field 'frequency_GHz': {f!r} is not a number"
                )
            segments = lk["segments"]
            for k in range(self.T.size):
                seg = segments if isinstance(segments, dict) else segments[k]
                if "part" not in seg:
                    continue
                key = (seg["part"], float(f), k)
                if key not in alphas:
                    where = f"line {lk['id']!r}, segment {k} ({self.stage_ids[k]})"
                    alphas[key], new = attenuation_dB_per_m(
                        seg["part"], float(f), self.T_hot[k], self.T[k], where
                    )
                    flags += new
                alpha = alphas[key]
                if alpha is not None:
                    out[i, k] = alpha * self.length[i, k]
        return out, flags

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
        # signal power reaching each stage, dissipated in its attenuator and the cables
        active = signal_heat(self.power * self.duty, self.att, self.cable_dB)
        joule = joule_at_stages(self.current, self.resistance)
        count = np.broadcast_to(self.count[:, None], passive.shape)
        ds = budget_dataset(
            self.line_ids,
            self.kind,
            self.stage_ids,
            self.T,
            (passive, active, joule, self.fixed.copy()),
            count,
            self.cooling_W - (count * (passive + active + joule + self.fixed)).sum(0),
        )
        per_line = ds["per_line_W"].values
        with np.errstate(divide="ignore", invalid="ignore"):
            alone = np.where(per_line > 0, np.floor(self.cooling_W / per_line), np.inf)
        ds["stage_load_W"] = ("stage", ds["line_load_W"].values.sum(0), {"units": "W"})
        ds["cooling_W"] = ("stage", self.cooling_W.copy(), {"units": "W"})
        ds["lines_alone"] = (
            ("line", "stage"),
            alone,
            {"long_name": "lines of this type the stage takes alone"},
        )
        ds.attrs["model"] = __doc__.splitlines()[0]
        ds.attrs["flags"] = list(self.flags)
        return ds


def budget_dataset(line_ids, kinds, stage_ids, T, loads, count, margin) -> xr.Dataset:
    """The wiring-budget Dataset shared by :class:`WiringSet` and a design's line types.

    ``loads`` = (passive, active, Joule, stated), each W per line, shape (lines, stages);
    ``count`` lines per (line, stage); ``margin`` W per stage (NaN: no capacity known).
    ``more_lines`` = ⌊max(margin, 0) / per-line load⌋ (inf without load, NaN without margin).
    """
    passive, active, joule, fixed = loads
    per_line = passive + active + joule + fixed
    margin = np.asarray(margin, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        more = np.where(per_line > 0, np.floor(np.maximum(margin, 0) / per_line), np.inf)
    more = np.where(np.isnan(margin)[None, :], np.nan, np.where(margin < 0, 0.0, more))
    dims = ("line", "stage")
    w = {"units": "W"}
    return xr.Dataset(
        {
            "passive_W": (dims, passive, {**w, "long_name": "net conduction per line"}),
            "active_W": (dims, active, {**w, "long_name": "attenuator dissipation per line"}),
            "joule_W": (dims, joule, {**w, "long_name": "DC Joule heat per line"}),
            "fixed_W": (dims, fixed, {**w, "long_name": "stated dissipation per line"}),
            "per_line_W": (dims, per_line, {**w, "long_name": "total per line"}),
            "count": (dims, np.asarray(count, dtype=float)),
            "line_load_W": (dims, count * per_line, w),
            "margin_W": ("stage", margin, {**w, "long_name": "stage margin"}),
            "more_lines": (dims, more, {"long_name": "further lines of this type that fit"}),
        },
        coords={
            "line": list(line_ids),
            "stage": list(stage_ids),
            "kind": ("line", list(kinds)),
            "temperature_K": ("stage", np.asarray(T, dtype=float), {"units": "K"}),
        },
    )


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


def joule_at_stages(current_A, resistance_ohm) -> np.ndarray:
    """I²R of each segment split half to each end, W per line at each stage (the segment's cold end).

    Segment k joins stage k−1 (room temperature for k = 0) to stage k; the warm half of
    segment 0 leaves at room temperature.
    """
    seg = np.asarray(current_A, dtype=float)[..., None] ** 2 * np.asarray(resistance_ohm, float)
    out = 0.5 * seg
    out[..., :-1] += 0.5 * seg[..., 1:]
    return out


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
