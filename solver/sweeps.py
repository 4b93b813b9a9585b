"""Parameter sweeps of a design on a Dask cluster.

``sweep(design, {"links.rod.length_m": [...], "components.plate.heat_load_W": [...]})``
solves the design at every point of the outer product of the value lists and
returns one Dataset with a dimension per swept path. Each point is one Dask task
running the same solver as a single solve (:func:`solver.jobs.analyse`), so a
point's result is identical to solving that design alone.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import xarray as xr

import solver
from solver.design import component_model, from_dict, link_model
from solver.errors import DesignError, UnknownNameError
from solver.jobs import analyse, as_design_dict, check_analysis, dask_client

NETWORK_OUTPUTS = {
    "temperature": "node",
    "heat_flow": "link",
    "stage_load": "node",
    "margin": "node",
}
"""Per-point outputs of a network analysis and their dimension."""

_COLLECTIONS = {"links": ("link", link_model), "components": ("component", component_model)}


def parse_path(design: dict, path: str) -> tuple[str, int, str]:
    """Resolve ``"links.<id>.<field>"`` or ``"components.<id>.<field>"``.

    Returns the collection, the item's index in it and the field name; a bad path
    raises DesignError naming the closest collections, ids or fields.
    """
    parts = path.split(".")
    if len(parts) != 3 or not all(parts):
        raise DesignError(
            f"sweep path {path!r} must be 'links.<id>.<field>' or 'components.<id>.<field>'"
        )
    collection, item_id, field = parts
    if collection not in _COLLECTIONS:
        raise UnknownNameError("collection", collection, _COLLECTIONS, where=f"sweep path {path!r}")
    kind, model_of = _COLLECTIONS[collection]
    items = design[collection]
    ids = [it["id"] for it in items]
    if item_id not in ids:
        raise UnknownNameError(f"{kind} id", item_id, ids, where=f"sweep path {path!r}")
    index = ids.index(item_id)
    model = model_of(items[index]["type"])
    fields = [
        f.alias or name for name, f in model.model_fields.items() if name not in ("id", "type")
    ]
    if field not in fields:
        raise UnknownNameError(
            "field",
            field,
            fields,
            where=f"sweep path {path!r} ({items[index]['type']} {item_id!r})",
        )
    return collection, index, field


def axis_values(values: Sequence) -> list:
    """The values of one sweep axis as a flat list (a scalar is a one-point axis)."""
    return np.atleast_1d(np.asarray(values, dtype=object)).tolist()


def point_designs(design: dict, axes: Mapping[str, Sequence]) -> list[dict]:
    """Every design of the outer product of the axes, in C order, each validated."""
    where = [parse_path(design, p) for p in axes]
    values = []
    for path, vals in axes.items():
        vals = axis_values(vals)
        if not vals:
            raise DesignError(f"sweep path {path!r} has no values; give at least one")
        values.append(vals)
    points = []
    for combo in itertools.product(*values):
        d = copy.deepcopy(design)
        for (collection, index, field), value in zip(where, combo, strict=True):
            d[collection][index][field] = value
        label = ", ".join(f"{p}={v!r}" for p, v in zip(axes, combo, strict=True))
        try:
            points.append(from_dict(d).to_dict())
        except DesignError as exc:
            raise DesignError(f"sweep point {label}: {exc}") from None
    return points


def sweep(
    design,
    axes: Mapping[str, Sequence],
    analysis: str = "steady",
    *,
    client=None,
    address: str | None = None,
    progress: bool = True,
    **kwargs,
) -> xr.Dataset:
    """Solve a design over the outer product of parameter values on Dask.

    Parameters
    ----------
    design : Design, dict or path
        The base ``cryogen/design@1`` design.
    axes : mapping of str to sequence
        Path -> values. A path addresses an item by id: ``"links.<id>.<field>"`` or
        ``"components.<id>.<field>"``; values are in the field's units (SI, kelvin).
    analysis : {"steady", "cooldown"}
        Solver run at each point; for a cooldown the outputs are its final state plus
        ``time_to_target_s``.
    client : distributed.Client, optional
        Cluster to use; default ``address``, ``$CRYOGEN_DASK_ADDRESS`` or a LocalCluster
        started for the sweep and closed afterwards.
    address : str, optional
        Scheduler address (e.g. a hub's Dask Gateway scheduler).
    progress : bool
        Show a tqdm bar over the completed points (and the dashboard link when the
        cluster has one).
    **kwargs
        Passed to the solver at each point.

    Returns
    -------
    xarray.Dataset
        One dimension per path (named by the path, coordinate = its values), then
        ``node``/``link``: temperature (K), heat_flow (W), stage_load (W), margin (W);
        for a cooldown also time_to_target_s (s).
    """
    check_analysis(analysis)
    if not axes:
        raise DesignError("a sweep needs at least one path with values")
    base = as_design_dict(design)
    points = point_designs(base, axes)
    shape = tuple(len(axis_values(v)) for v in axes.values())
    with dask_client(client, address) as c:
        if progress and getattr(c, "dashboard_link", None) and c.cluster is None:
            print(f"Dask dashboard: {c.dashboard_link}")
        futures = c.map(analyse, points, analysis=analysis, pure=False, **kwargs)
        if progress:
            _show_progress(futures)
        results = c.gather(futures)
    return _assemble(results, axes, shape, analysis)


def _show_progress(futures) -> None:
    """A tqdm bar over the completed points (plain counts when tqdm is not installed)."""
    from distributed import as_completed

    done = as_completed(futures)
    try:
        from tqdm.auto import tqdm
    except ImportError:
        for k, _ in enumerate(done, 1):
            if k == len(futures) or k % max(1, len(futures) // 10) == 0:
                print(f"sweep: {k}/{len(futures)} points")
        return
    for _ in tqdm(done, total=len(futures), desc="sweep", unit="point"):
        pass


def _assemble(results: list[xr.Dataset], axes, shape, analysis: str) -> xr.Dataset:
    first = results[0]
    if analysis == "cooldown":
        results = [r.isel(time=-1) for r in results]
    dims = list(axes)
    data = {}
    for name, dim in NETWORK_OUTPUTS.items():
        stacked = np.stack([r[name].values for r in results]).reshape(*shape, -1)
        data[name] = ([*dims, dim], stacked, dict(first[name].attrs))
    if analysis == "cooldown":
        t = np.array([r.attrs["time_to_target_s"] for r in results], dtype=float).reshape(shape)
        data["time_to_target_s"] = (dims, t, {"units": "s"})
    coords = {p: np.asarray(axis_values(v)) for p, v in axes.items()}
    coords.update(node=first.node.values, link=first.link.values)
    flags = sorted({f for r in results for f in str(r.attrs.get("flags", "")).split("; ") if f})
    return xr.Dataset(
        data,
        coords=coords,
        attrs={
            "design": first.attrs.get("design", ""),
            "software": f"CryoGen {solver.__version__}",
            "analysis": analysis,
            "materials": first.attrs.get("materials", ""),
            "flags": "; ".join(flags),
        },
    )
