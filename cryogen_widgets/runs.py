"""Every analysis the app runs goes through :func:`run_analysis`: the store checks the plan
and records the run (on a hub, the store service does, on the server), the solver runs
where the store placed it (the kernel, or Dask above the plan's kernel component limit),
and the outcome and the result (NetCDF, in the results storage) are recorded.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from typing import Any

from cryogen_widgets.store.plans import BILLING_PAGE, plan_including
from cryogen_widgets.views.exports import netcdf_ready
from cryogen_widgets.views.magnet import MagnetRun
from solver import elements, jobs
from solver.errors import CryoGenError, DesignError


def result_summary(ds) -> dict[str, Any]:
    """What the run record keeps of a result: its variables, sizes and numeric scalar attrs."""
    summary: dict[str, Any] = {
        "variables": sorted(str(name) for name in ds.data_vars),
        "sizes": {str(k): int(v) for k, v in ds.sizes.items()},
    }
    for key, value in ds.attrs.items():
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            summary[str(key)] = value
    return summary


def magnet_analysis(design: dict, quench_refused: str | None = None) -> MagnetRun:
    """The field map of every magnet of ``design`` and each magnet's summary (margins, load
    line, inductance, energy, quench and 5-gauss extent; for a magnet with iron also the
    harmonics), or the reason it has none (with the 5-gauss extent of coils in air).

    ``quench_refused``: the plan's refusal of quench analysis; the summaries then carry no
    hot spot or normal-zone velocity, and say why.
    """
    from solver.magnet import FringeSummary, design_magnets, fringe_extent_m, magnets_field_map
    from solver.magnet.fem import (
        FemMagnet,
        FemMagnet3D,
        summarise_iron_magnet,
        summarise_iron_magnet3d,
    )

    summaries: dict = {}
    magnets = design_magnets(design)
    for magnet_id, magnet in magnets.items():
        if isinstance(magnet, FemMagnet3D):  # forces and inductance; margins are 2-D only
            summaries[magnet_id] = summarise_iron_magnet3d(magnet)
            continue
        summary = _conductor_summary(magnet, quench_refused)
        if isinstance(magnet, FemMagnet):  # solved once here, mapped below
            iron = summarise_iron_magnet(magnet)
            summaries[magnet_id] = (
                dataclasses.replace(iron, conductor_note=summary)
                if isinstance(summary, str)
                else dataclasses.replace(iron, conductor=summary)
            )
        elif isinstance(summary, str):  # coils in air without margins: the 5-gauss line
            summaries[magnet_id] = FringeSummary(fringe_extent_m(magnet), summary)
        else:
            summaries[magnet_id] = summary
    return MagnetRun(magnets_field_map(magnets), summaries)


def _conductor_summary(magnet, quench_refused: str | None):
    """Margins, load line and quench of a magnet (:func:`solver.magnet.summarise`), or why
    there are none."""
    from solver.magnet import summarise

    if magnet.conductor is None or magnet.operating_temperature_K is None:
        return (
            "no margins or quench: the coil has no conductor or operating temperature "
            "(add them to the magnet's coil)"
        )
    try:
        summary = summarise(magnet)
    except CryoGenError as exc:
        return f"no summary: {exc}"
    if quench_refused is not None and summary.inductance_H is not None:
        # (without an inductance there is no quench to refuse: the note says why)
        summary = dataclasses.replace(
            summary, hot_spot_K=None, normal_zone_velocity_m_s=None, quench_note=quench_refused
        )
    return summary


def _quench_refused(store) -> str | None:
    """Why the plan leaves out quench analysis (with its upgrade), or None when it includes it."""
    needed = plan_including("quench_analysis", store.plan)
    return None if needed is None else f"in the {needed} plan (upgrade on {BILLING_PAGE})"


def _solve(design: dict, analysis: str, where: str, progress, should_stop, kwargs):
    if analysis in jobs.NETWORK_ANALYSES:
        return jobs.solve(
            design, analysis, where=where, progress=progress, should_stop=should_stop, **kwargs
        )
    if analysis == "field":
        return magnet_analysis(design, kwargs.get("quench_refused"))
    raise DesignError(f"the app does not run {analysis!r} analyses yet")


def _check_not_empty(design: dict) -> None:
    if not any(c.get("type") in elements.NODES for c in design.get("components", [])):
        raise DesignError(
            "the design is empty: open a template, or place a boundary and a stage from the "
            "palette and link them"
        )


def run_analysis(
    store,
    design: dict,
    analysis: str,
    *,
    project_id: str | None = None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    **kwargs,
):
    """Run one analysis of ``design`` under the signed-in user's plan and record it.

    Parameters
    ----------
    store : Store
        ``cryogen_widgets.store.open()`` (in-process, or the store service's client).
    design : dict
        The ``cryogen/design@1`` design to run (it may differ from the saved project).
    analysis : {"steady", "cooldown", "field", "quench"}
    project_id : str, optional
        The project the design belongs to, when it has been saved.
    progress, should_stop, **kwargs
        As for ``solver.jobs.solve``.

    Returns
    -------
    xarray.Dataset or MagnetRun
        The solver's result (for ``field``: the field map and each magnet's summary).

    Raises
    ------
    PlanLimitError, QuotaExceededError
        The plan refuses the run (nothing ran); the message names the plan that lifts it.
    """
    _check_not_empty(design)
    kwargs = {k: v for k, v in kwargs.items() if v is not None}  # unset app fields
    sim = store.simulations.start(project_id, analysis, design=design, parameters=kwargs)
    if analysis == "field":  # the magnet summary includes quench only where the plan does
        kwargs = {**kwargs, "quench_refused": _quench_refused(store)}
    t0 = time.perf_counter()
    try:
        result = _solve(design, analysis, sim.execution_mode, progress, should_stop, kwargs)
    except CryoGenError as exc:
        stopped = should_stop is not None and should_stop()
        store.simulations.finish(
            sim.id,
            "cancelled" if stopped else "failed",
            error=f"{type(exc).__name__}: {exc}",
            wall_time_s=time.perf_counter() - t0,
        )
        raise
    wall = time.perf_counter() - t0
    ds = result.field if isinstance(result, MagnetRun) else result
    summary = result_summary(ds)
    try:
        store.results.put(sim.id, bytes(netcdf_ready(ds).to_netcdf(engine="h5netcdf")))
    except (CryoGenError, OSError, ValueError, TypeError) as exc:
        # The result is still shown; the record says why it was not kept.
        summary["result_not_stored"] = f"{type(exc).__name__}: {exc}"
    store.simulations.finish(sim.id, "done", result_summary=summary, wall_time_s=wall)
    return result
