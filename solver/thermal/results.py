"""Network results as xarray Datasets with units, and their plain-dict (CLI JSON) form."""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

import solver
from solver import materials
from solver.errors import SolverError
from solver.thermal.loads import stage_loads
from solver.thermal.margins import StageMargins
from solver.thermal.network import Network


def boil_off(net: Network, loads: np.ndarray) -> np.ndarray:
    """Liquid lost by each bath, L/day = net heat into it / (h_fg ρ_l) (NaN for other nodes).

    Negative when net heat leaves the bath (never clipped, DESIGN.md).
    """
    out = np.full(len(net.node_ids), np.nan)
    for k, c in enumerate(net.design.nodes):
        if c.type == "bath":
            out[k] = c.state.boil_off_L_per_day(float(loads[k]))
    return out


def network_dataset(
    net: Network,
    T: np.ndarray,
    attrs: dict,
    flags: list[str],
    margins: StageMargins | None = None,
) -> xr.Dataset:
    """The Dataset every network analysis returns (steady state, and the final state of a cooldown).

    ``margins`` (see :mod:`solver.thermal.margins`) gives ``margin`` and ``capacity``
    (``stage_load`` + ``margin`` at the steady state: the load the stage can carry before
    it reaches its ``max_K``). Without it both are NaN (a cooldown's intermediate states).
    """
    flows_from, flows = net.link_end_flows(T)
    loads = stage_loads(net, T, flows)
    nan = np.full(len(net.node_ids), np.nan)
    margin, capacity = (nan, nan) if margins is None else (margins.margin_W, margins.capacity_W)
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
                {
                    "units": "W",
                    "long_name": "stage_load + margin: the load the stage can carry before it "
                    "reaches its max_K",
                },
            ),
            "margin": (
                "node",
                margin,
                {
                    "units": "W",
                    "long_name": "extra heat the stage takes, other loads as they are, "
                    "until it reaches its max_K",
                },
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
            "flags": "; ".join(
                flags
                + net.element_notes(T)
                + extrapolation_flags(net, T)
                + ([] if margins is None else margins.flags)
            ),
            **attrs,
        },
    )
    return ds


def extrapolation_flags(net: Network, T: np.ndarray) -> list[str]:
    """Materials evaluated outside their fit range at the solution (never silent)."""
    mats = [materials.get(m) for m in net.material_ids]
    k_range = np.zeros((len(mats), 2))
    for m in np.unique(net.tab_mat):  # only conduction terms need k
        k_range[m] = mats[m].k_fit_range_K or mats[m].property_range_K("k")
    ends = np.stack([T[net.term_i[: net.n_tab]], T[net.term_j[: net.n_tab]]])
    lo, hi = ends.min(axis=0), ends.max(axis=0)
    outside = (lo < k_range[net.tab_mat, 0]) | (hi > k_range[net.tab_mat, 1])
    notes = []
    for t in np.flatnonzero(outside):
        mat = mats[net.tab_mat[t]]
        a, b = k_range[net.tab_mat[t]]
        notes.append(
            f"link {net.link_ids[net.term_link[t]]!r}: {mat.id} k extrapolated outside its fit "
            f"range {a:g}-{b:g} K (ends at {lo[t]:.4g}-{hi[t]:.4g} K)"
        )
    cp_range = np.zeros((len(mats), 2))
    for m in np.unique(net.node_mat[net.node_mat >= 0]):  # only stages need cp
        cp_range[m] = mats[m].cp_fit_range_K or mats[m].property_range_K("cp")
    stages = np.flatnonzero(net.node_mat >= 0)
    stage_range = cp_range[net.node_mat[stages]]
    inside = (stage_range[:, 0] <= T[stages]) & (T[stages] <= stage_range[:, 1])
    for n in stages[~inside]:
        mat = mats[net.node_mat[n]]
        a, b = cp_range[net.node_mat[n]]
        notes.append(
            f"stage {net.node_ids[n]!r}: {mat.id} cp extrapolated outside its fit range {a:g}-{b:g} K (at {T[n]:.4g} K)"
        )
    return sorted(set(notes))


def summary_dict(ds: xr.Dataset) -> dict:
    """The CLI ``--json`` form of a network Dataset (DESIGN.md), with every node and link.

    Every node has a temperature and every link a heat flow. Loads and margins that
    DESIGN.md leaves undefined (NaN in the Dataset: the warmest boundary's load, the
    margin of a node without ``max_K``) are left out, as the contract says; no other
    value is ever dropped.

    Raises
    ------
    SolverError
        A temperature, heat flow (at either end), load, margin or boil-off is
        infinite, or a temperature or heat flow is NaN: the message names the node
        or link.
    """
    flows = _values(ds.heat_flow.values, ds.link.values, "link", "heat flow")
    leaving = _values(ds.heat_flow_from.values, ds.link.values, "link", "heat flow")
    return {
        "temperatures_K": _values(ds.temperature.values, ds.node.values, "node", "temperature"),
        "heat_flows_W": flows,
        "link_end_flows_W": {k: {"from": leaving[k], "to": q} for k, q in flows.items()},
        "stage_loads_W": _values(ds.stage_load.values, ds.node.values, "node", "load", True),
        "margins_W": _values(ds.margin.values, ds.node.values, "node", "margin", True),
        "boil_off_L_per_day": _values(ds.boil_off.values, ds.node.values, "node", "boil-off", True),
    }


def _values(values, names, kind: str, what: str, undefined_ok: bool = False) -> dict:
    out: dict[str, float] = {}
    for name, v in zip(names, values, strict=True):
        v = float(v)
        if math.isnan(v) and undefined_ok:
            continue
        if not math.isfinite(v):
            raise SolverError(
                f"{kind} {str(name)!r}: the {what} came out as {v}; check its fields for "
                "values that make it degenerate (a near-zero length or area, extreme "
                "conductances) and report the design if they look physical"
            )
        out[str(name)] = v
    return out
