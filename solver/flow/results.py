"""The fluid part of a coupled result: a Dataset with units in attrs, and its JSON form."""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from solver.flow.network import Evaluation


def streams(cp) -> tuple[list[str], list[list[int]]]:
    """Result streams: one per element (an exchanger has ``id:hot`` and ``id:cold``) and its channels."""
    names: list[str] = []
    members: list[list[int]] = []
    for k, c in enumerate(cp.flow.channels):
        name = {"hx_hot": f"{c.element}:hot", "hx_cold": f"{c.element}:cold"}.get(c.kind, c.element)
        if names and names[-1] == name:
            members[-1].append(k)
        else:
            names.append(name)
            members.append([k])
    return names, members


def flow_dataset(ds: xr.Dataset, cp, x: np.ndarray, ev: Evaluation) -> xr.Dataset:
    """Add pressures, fluid temperatures, qualities, flows and heats to a thermal Dataset."""
    fn = cp.flow
    p, h = fn.node_states(x)
    m = x[fn.im0 : fn.n_fluid]
    for k in range(
        len(fn.node_ids)
    ):  # an outlet's or bath's arriving enthalpy: the mix of its inflows
        if fn.kind[k] == "bath" and fn.into[k]:
            ins = fn.into[k]
            h_ins = np.array([h[fn.channels[c].i] for c in ins])
            h[k] = float((m[ins] * h_ins + ev.Q[ins]).sum() / m[ins].sum())
    states = [
        fn.fluid.state_ph(p[k], h[k], f"flow node {nid!r}") for k, nid in enumerate(fn.node_ids)
    ]
    quality = np.array([s.x if 0.0 <= s.x <= 1.0 else math.nan for s in states])
    names, members = streams(cp)
    product = np.full(len(fn.node_ids), math.nan)
    for k in fn.separators:  # what arrives less the vapour drawn off
        product[k] = m[fn.into[k]].sum() - m[fn.out[k]].sum()
        sat = fn.fluid.saturation(p[k])
        x_mix = (h[k] - sat.h_l) / (sat.h_v - sat.h_l)
        if not 0.0 <= x_mix <= 1.0:
            ev.flags.append(
                f"separator {fn.node_ids[k]}: the mix arriving is outside the two-phase dome "
                f"(x = {x_mix:.3g}); it draws {'all' if x_mix > 1 else 'no'} vapour"
            )
    first = [g[0] for g in members]
    last = [g[-1] for g in members]
    wall = np.zeros(len(cp.thermal.node_ids))
    wall[:] = ev.wall_heat
    out = ds.assign_coords(
        fluid_node=np.array(fn.node_ids, dtype=object), stream=np.array(names, dtype=object)
    )
    data = {
        "pressure": ("fluid_node", p, {"units": "Pa"}),
        "enthalpy": (
            "fluid_node",
            h,
            {"units": "J/kg", "long_name": "specific enthalpy (CoolProp reference)"},
        ),
        "fluid_temperature": ("fluid_node", np.array([s.T for s in states]), {"units": "K"}),
        "density": ("fluid_node", np.array([s.rho for s in states]), {"units": "kg/m^3"}),
        "entropy": (
            "fluid_node",
            np.array([s.s for s in states]),
            {"units": "J/(kg K)", "long_name": "specific entropy (CoolProp reference)"},
        ),
        "quality": (
            "fluid_node",
            quality,
            {"units": "1", "long_name": "vapour mass fraction, NaN outside the two-phase dome"},
        ),
        "fluid_node_kind": ("fluid_node", np.array(fn.kind, dtype=object)),
        "liquid_production": (
            "fluid_node",
            product,
            {
                "units": "kg/s",
                "long_name": "saturated liquid drawn off a separator (NaN elsewhere)",
            },
        ),
        "mass_flow": (
            "stream",
            m[first],
            {"units": "kg/s", "long_name": "mass flow, > 0 from stream_from to stream_to"},
        ),
        "heat_to_fluid": ("stream", np.array([ev.Q[g].sum() for g in members]), {"units": "W"}),
        "pressure_drop": (
            "stream",
            np.array([ev.dp[g].sum() for g in members]),
            {"units": "Pa", "long_name": "p_from - p_to"},
        ),
        "temperature_change": (
            "stream",
            np.array(
                [states[fn.channels[g[-1]].j].T - states[fn.channels[g[0]].i].T for g in members]
            ),
            {"units": "K", "long_name": "T_to - T_from (a JT valve's Joule-Thomson effect)"},
        ),
        "length": (
            "stream",
            np.array([_pipe_length(fn, name) for name in names]),
            {"units": "m", "long_name": "pipe length (NaN for other elements)"},
        ),
        "stream_from": (
            "stream",
            np.array([fn.node_ids[fn.channels[k].i] for k in first], dtype=object),
        ),
        "stream_to": (
            "stream",
            np.array([fn.node_ids[fn.channels[k].j] for k in last], dtype=object),
        ),
        "fluid_cooling": (
            "node",
            wall,
            {"units": "W", "long_name": "heat the fluid takes from the node through pipe walls"},
        ),
    }
    out = out.assign(data)
    flags = [f for f in ds.attrs.get("flags", "").split("; ") if f]
    for f in ev.flags + _acceleration_flags(fn, members, states):
        if f not in flags:
            flags.append(f)
    regimes = sorted({f"{fn.channels[k].element}: {r}" for k, r in ev.regimes.items()})
    out.attrs.update(
        flags="; ".join(flags),
        fluid=fn.fluid.name,
        two_phase_regimes="; ".join(regimes),
    )
    return out


ACCELERATION_FLAG = 0.1  # relative density change along a pipe above which it is flagged


def _acceleration_flags(fn, members, states) -> list[str]:
    """Pipes whose density changes by more than 10 %: the acceleration term is not included."""
    flags = []
    for group in members:
        first, last = fn.channels[group[0]], fn.channels[group[-1]]
        if first.kind != "segment" or first.params["pipe"].acceleration:
            continue
        rho_in, rho_out = states[first.i].rho, states[last.j].rho
        change = abs(rho_out - rho_in) / rho_in
        if change > ACCELERATION_FLAG:
            flags.append(
                f"{first.element}: density changes by {100 * change:.0f} % along the pipe; the "
                'acceleration pressure drop (not included) may matter: set "acceleration": true'
            )
    return flags


def _pipe_length(fn, name: str) -> float:
    return next(
        (e.length_m for e in fn.flow.elements if e.id == name and e.type == "pipe"), math.nan
    )


def pipe_profile(ds: xr.Dataset, pipe: str) -> xr.Dataset:
    """Pressure, fluid temperature and quality along one pipe, on ``distance`` (m) from its inlet."""
    if pipe not in ds.stream.values or not np.isfinite(ds.length.sel(stream=pipe).item()):
        pipes = [
            str(s)
            for s, n in zip(ds.stream.values, ds.length.values, strict=True)
            if np.isfinite(n)
        ]
        raise KeyError(f"{pipe!r} is not a pipe of this result; pipes: {', '.join(pipes)}")
    return line_profile(ds, [pipe])


def flow_path(ds: xr.Dataset, start: str) -> list[str]:
    """The streams met following the flow from fluid point ``start``: at each point the first
    stream leaving it, until a point without one or a point already passed (a closed loop)."""
    leaving: dict[str, str] = {}
    for s, a in zip(ds.stream.values, ds.stream_from.values, strict=True):
        leaving.setdefault(str(a), str(s))
    path: list[str] = []
    seen, point = {start}, start
    while point in leaving:
        stream = leaving[point]
        path.append(stream)
        point = str(ds.stream_to.sel(stream=stream).item())
        if point in seen:
            break
        seen.add(point)
    return path


def line_profile(ds: xr.Dataset, streams: list[str]) -> xr.Dataset:
    """Pressure, temperature, quality, enthalpy and entropy along consecutive ``streams``.

    ``distance`` (m) runs from the first stream's inlet: a pipe adds its length (its interior
    points evenly spaced), any other element (valve, circulator, exchanger stream) none, so its
    change shows as a step. Each stream must start where the one before it ends.
    """
    if not streams:
        raise KeyError("no stream to follow")
    points = [str(ds.stream_from.sel(stream=streams[0]).item())]
    distance = [0.0]
    for stream in streams:
        start = str(ds.stream_from.sel(stream=stream).item())
        if start != points[-1]:
            raise KeyError(f"stream {stream!r} starts at {start!r}, not at {points[-1]!r}")
        interior = [str(n) for n in ds.fluid_node.values if str(n).startswith(f"{stream}:")]
        interior.sort(key=lambda n: int(n.rsplit(":", 1)[1]))
        along = [*interior, str(ds.stream_to.sel(stream=stream).item())]
        length = ds.length.sel(stream=stream).item()
        step = length / len(along) if np.isfinite(length) else 0.0
        points += along
        distance += [distance[-1] + step * (k + 1) for k in range(len(along))]
    sel = ds[["pressure", "fluid_temperature", "quality", "enthalpy", "entropy"]].sel(
        fluid_node=points
    )
    return sel.rename(fluid_node="point").assign_coords(
        distance=("point", np.array(distance), {"units": "m"})
    )


def flow_summary(ds: xr.Dataset) -> dict:
    """The ``"flow"`` JSON object of ``cryogen solve --json`` (README)."""

    def values(var: str, dim: str) -> dict:
        return {
            str(k): (None if not math.isfinite(float(v)) else float(v))
            for k, v in zip(ds[dim].values, ds[var].values, strict=True)
        }

    return {
        "fluid": ds.attrs.get("fluid"),
        "pressures_Pa": values("pressure", "fluid_node"),
        "temperatures_K": values("fluid_temperature", "fluid_node"),
        "qualities": values("quality", "fluid_node"),
        "mass_flows_kg_s": values("mass_flow", "stream"),
        "heat_to_fluid_W": values("heat_to_fluid", "stream"),
        "pressure_drops_Pa": values("pressure_drop", "stream"),
        "fluid_cooling_W": values("fluid_cooling", "node"),
        "liquid_production_kg_s": {
            k: v for k, v in values("liquid_production", "fluid_node").items() if v is not None
        },
    }
