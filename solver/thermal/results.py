"""Network results as xarray Datasets with units, and their plain-dict (CLI JSON) form."""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

import solver
from solver import materials
from solver.thermal.network import Network


def stage_loads(net: Network, T: np.ndarray, flows: np.ndarray) -> np.ndarray:
    """Heat each node's cooling sources must remove at ``T`` (W).

    The sum of link flows into the node plus its own ``heat_load_W`` and heat_load
    components (DESIGN.md). NaN for the warmest boundary, whose load is not defined.
    """
    into = net.body_inflows(T)
    plain = np.ones(len(net.link_ids), dtype=bool)
    plain[[t.link for t in net.terminals]] = False
    np.add.at(into, net.link_to[plain], flows[plain])
    np.subtract.at(into, net.link_from[plain], flows[plain])
    loads = into + net.own_load_W
    boundary = np.array([c.type == "boundary" for c in net.design.nodes], dtype=bool)
    if boundary.any():  # a bath is never the warmest boundary (DESIGN.md)
        warmest = np.flatnonzero(boundary)[np.argmax(net.T_fixed[boundary])]
        loads[warmest] = np.nan
    return loads


def boil_off(net: Network, loads: np.ndarray) -> np.ndarray:
    """Liquid lost by each bath, L/day = net heat into it / (h_fg ρ_l) (NaN for other nodes).

    Negative when net heat leaves the bath (never clipped, DESIGN.md).
    """
    out = np.full(len(net.node_ids), np.nan)
    for k, c in enumerate(net.design.nodes):
        if c.type == "bath":
            out[k] = c.state.boil_off_L_per_day(float(loads[k]))
    return out


def capacities_at_max(net: Network, T: np.ndarray) -> np.ndarray:
    """Cooling capacity of each stage's sources at its ``max_K`` (W); NaN where no max_K."""
    cap = np.full(len(net.node_ids), np.nan)
    max_K = {c.id: c.max_K for c in net.design.nodes if c.type == "stage" and c.max_K is not None}
    for node_id, limit in max_K.items():
        n = net.node_ids.index(node_id)
        T_at = T.copy()
        T_at[n] = limit
        Q, _, _ = net.source_flows(T_at)
        cap[n] = -Q[n] + net.constant_cooling_W[n]
    return cap


def network_dataset(net: Network, T: np.ndarray, attrs: dict, flags: list[str]) -> xr.Dataset:
    """The Dataset every network analysis returns (steady state, and the final state of a cooldown)."""
    flows_from, flows = net.link_end_flows(T)
    loads = stage_loads(net, T, flows)
    capacity = capacities_at_max(net, T)
    design = net.design
    ds = xr.Dataset(
        {
            "temperature": ("node", T, {"units": "K", "long_name": "node temperature"}),
            "heat_flow": (
                "link",
                flows,
                {"units": "W", "long_name": "heat flow, > 0 from link_from to link_to"},
            ),
            "heat_flow_from": (
                "link",
                flows_from,
                {"units": "W", "long_name": "heat leaving link_from through the link"},
            ),
            "boil_off": (
                "node",
                boil_off(net, loads),
                {"units": "L/day", "long_name": "bath liquid boiled off (net heat / (h_fg ρ_l))"},
            ),
            "link_from": ("link", np.array([lk.from_ for lk in design.links], dtype=object)),
            "link_to": ("link", np.array([lk.to for lk in design.links], dtype=object)),
            "link_type": ("link", np.array([lk.type for lk in design.links], dtype=object)),
            "node_type": ("node", np.array([c.type for c in design.nodes], dtype=object)),
            "stage_load": (
                "node",
                loads,
                {"units": "W", "long_name": "heat the node's cooling sources must remove"},
            ),
            "capacity": (
                "node",
                capacity,
                {"units": "W", "long_name": "cooling capacity at the stage's max_K"},
            ),
            "margin": (
                "node",
                capacity - loads,
                {"units": "W", "long_name": "capacity at max_K minus load"},
            ),
        },
        coords={
            "node": np.array(net.node_ids, dtype=object),
            "link": np.array(net.link_ids, dtype=object),
        },
        attrs={
            "design": design.name,
            "software": f"CryoGen {solver.__version__}",
            "materials": ", ".join(net.material_ids),
            "flags": "; ".join(flags + net.element_notes(T) + extrapolation_flags(net, T)),
            **attrs,
        },
    )
    return ds


def extrapolation_flags(net: Network, T: np.ndarray) -> list[str]:
    """Materials evaluated outside their fit range at the solution (never silent)."""
    notes = []
    for t in range(net.n_tab):
        mat = materials.get(net.material_ids[net.tab_mat[t]])
        ends = T[[net.term_i[t], net.term_j[t]]]
        lo, hi = mat.k_fit_range_K or mat.property_range_K("k")
        if ends.min() < lo or ends.max() > hi:
            notes.append(
                f"link {net.link_ids[net.term_link[t]]!r}: {mat.id} k extrapolated outside its fit "
                f"range {lo:g}-{hi:g} K (ends at {ends.min():.4g}-{ends.max():.4g} K)"
            )
    for n, m in enumerate(net.node_mat):
        if m >= 0:
            mat = materials.get(net.material_ids[m])
            lo, hi = mat.cp_fit_range_K or mat.property_range_K("cp")
            if not lo <= T[n] <= hi:
                notes.append(
                    f"stage {net.node_ids[n]!r}: {mat.id} cp extrapolated outside its fit range {lo:g}-{hi:g} K (at {T[n]:.4g} K)"
                )
    return sorted(set(notes))


def summary_dict(ds: xr.Dataset) -> dict:
    """The CLI ``--json`` form of a network Dataset (DESIGN.md): finite numbers only."""

    def finite(values, names):
        return {
            str(k): float(v) for k, v in zip(names, values, strict=True) if math.isfinite(float(v))
        }

    ends = {
        str(link): {"from": float(a), "to": float(b)}
        for link, a, b in zip(
            ds.link.values, ds.heat_flow_from.values, ds.heat_flow.values, strict=True
        )
        if math.isfinite(float(a)) and math.isfinite(float(b))
    }
    return {
        "temperatures_K": finite(ds.temperature.values, ds.node.values),
        "heat_flows_W": finite(ds.heat_flow.values, ds.link.values),
        "link_end_flows_W": ends,
        "stage_loads_W": finite(ds.stage_load.values, ds.node.values),
        "margins_W": finite(ds.margin.values, ds.node.values),
        "boil_off_L_per_day": finite(ds.boil_off.values, ds.node.values),
    }
