"""Where an analysis runs: in the kernel, or as a task on a Dask cluster.

DESIGN.md, Scale: a design solves in the kernel up to a size limit (the
environment variable ``CRYOGEN_MAX_KERNEL_COMPONENTS``, set by the hub from the
plan; 200 when unset). Above it the same solver runs as a Dask task: on the
cluster at ``address`` (or the environment variable ``CRYOGEN_DASK_ADDRESS``,
which a hub deployment points at its Dask Gateway / Kubernetes scheduler), or
on a ``LocalCluster`` started for the call and closed afterwards. There is no
home-made queue: Dask schedules, retries and reports.

Dask is imported inside the functions, so ``import solver`` stays light.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from solver import design as design_io
from solver.errors import CryoGenError, DesignError, SolverError

if TYPE_CHECKING:
    import xarray as xr

ANALYSES = ("steady", "cooldown", "field", "quench")
"""Every analysis name, the same in the solver, the store, the plans and the app (DESIGN.md, Plans)."""
NETWORK_ANALYSES = ANALYSES[:2]
"""The analyses of a thermal network that :func:`analyse` and :func:`solve` run."""
DEFAULT_MAX_KERNEL_COMPONENTS = 200
"""Kernel size limit when the hub sets none (DESIGN.md, Scale)."""
CONNECT_TIMEOUT_S = 10.0
"""How long to wait for a Dask scheduler at an address before giving up, s."""


def as_design_dict(design) -> dict:
    """A validated design as a plain dict, from a Design, a dict or a ``*.cryo.json`` path."""
    if isinstance(design, str | os.PathLike):
        return design_io.load(Path(design)).to_dict()
    if isinstance(design, design_io.Design):
        return design.to_dict()
    if isinstance(design, dict):
        return design_io.from_dict(design).to_dict()
    raise DesignError(
        f"a design must be a Design, a dict or a path to a .cryo.json file, got {type(design).__name__}"
    )


def analyse(design: dict, analysis: str = "steady", **kwargs) -> xr.Dataset:
    """Run one analysis of a design where it is called (the kernel or a Dask worker).

    Parameters
    ----------
    design : dict
        A ``cryogen/design@1`` design.
    analysis : {"steady", "cooldown"}
        :func:`solver.steady_state` or :func:`solver.cooldown`.
    **kwargs
        Passed to the solver (e.g. ``target_K``, ``node`` for a cooldown).
    """
    check_analysis(analysis)
    if isinstance(design, dict) and "flow" in design and analysis == "steady":
        from solver.flow.steady import steady_state as coupled_steady_state

        return coupled_steady_state(design, **kwargs)
    if isinstance(design, dict) and "flow" in design:
        from solver.flow.cooldown import cooldown as forced_flow_cooldown

        return forced_flow_cooldown(design, **kwargs)
    if analysis == "steady":
        from solver.thermal.steady import steady_state

        return steady_state(design, **kwargs)
    from solver.thermal.cooldown import cooldown

    return cooldown(design, **kwargs)


def check_analysis(analysis: str) -> None:
    """DesignError unless ``analysis`` is one of :data:`NETWORK_ANALYSES`."""
    if analysis not in NETWORK_ANALYSES:
        raise DesignError(
            f"analysis {analysis!r} is not known; choose one of {', '.join(NETWORK_ANALYSES)}"
        )


def max_kernel_components() -> int:
    """The kernel's component limit from ``CRYOGEN_MAX_KERNEL_COMPONENTS`` (default 200)."""
    raw = os.environ.get("CRYOGEN_MAX_KERNEL_COMPONENTS", "").strip()
    if not raw:
        return DEFAULT_MAX_KERNEL_COMPONENTS
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise DesignError(
            f"environment variable CRYOGEN_MAX_KERNEL_COMPONENTS={raw!r} must be a whole number "
            "of components >= 0 (unset it for the default 200)"
        )
    return value


def runs_in_kernel(design: dict) -> bool:
    """True when the design's component count is within the kernel limit."""
    return len(design["components"]) <= max_kernel_components()


@contextlib.contextmanager
def dask_client(client=None, address: str | None = None, n_workers: int = 1) -> Iterator:
    """A ``distributed.Client``: the one given, one on ``address`` or
    ``$CRYOGEN_DASK_ADDRESS``, or one on a new in-process ``LocalCluster``.

    A client or cluster this function started is closed on exit; a client passed
    in is left open.
    """
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    address = address or os.environ.get("CRYOGEN_DASK_ADDRESS") or None
    if address:
        try:
            own = Client(address, timeout=f"{CONNECT_TIMEOUT_S}s")
        except OSError as exc:
            raise CryoGenError(
                f"cannot reach the Dask scheduler at {address!r} ({exc}); check the address "
                "or unset CRYOGEN_DASK_ADDRESS to run on a local cluster"
            ) from None
        try:
            yield own
        finally:
            own.close()
        return
    # Threads in this process: no worker start-up cost on a 2-core machine, and the
    # numba kernels compiled in this process are reused.
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=os.cpu_count() or 1,
            processes=False,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as own,
    ):
        yield own


def solve(
    design,
    analysis: str = "steady",
    *,
    client=None,
    address: str | None = None,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    where: str | None = None,
    **kwargs,
) -> xr.Dataset:
    """Solve a design in the kernel, or as a Dask task when it is above the kernel limit.

    Same result either way: the task runs the same :func:`analyse`.

    Parameters
    ----------
    design : Design, dict or path
        A ``cryogen/design@1`` design.
    analysis : {"steady", "cooldown"}
    client : distributed.Client, optional
        Cluster for a large design (default: ``address``, ``$CRYOGEN_DASK_ADDRESS``
        or a LocalCluster started for this call).
    address : str, optional
        Scheduler address, e.g. ``"tcp://scheduler:8786"``.
    progress : callable(fraction), optional
        Progress 0 … 1. In the kernel it follows the cooldown steps; for a Dask task
        it is called at submission (0) and completion (1).
    should_stop : callable() -> bool, optional
        Return True to cancel; a Dask task is cancelled on the cluster. Raises SolverError.
    where : {"kernel", "dask"}, optional
        Where to run, as decided by the store's plan check (``store.simulations.start``);
        default: by the component count against ``CRYOGEN_MAX_KERNEL_COMPONENTS``.
    **kwargs
        Passed to the solver (``target_K``, ``node``, ``tol`` ...).
    """
    check_analysis(analysis)
    d = as_design_dict(design)
    if where not in (None, "kernel", "dask"):
        raise DesignError(f"where={where!r}: choose 'kernel' or 'dask' (or leave it unset)")
    if where == "kernel" or (where is None and runs_in_kernel(d)):
        if analysis == "cooldown":
            kwargs.update(progress=progress, should_stop=should_stop)
        return analyse(d, analysis, **kwargs)
    with dask_client(client, address) as c:
        future = c.submit(analyse, d, analysis, pure=False, **kwargs)
        if progress is not None:
            progress(0.0)
        while not future.done():
            if should_stop is not None and should_stop():
                future.cancel()
                raise SolverError(f"{analysis} of {d['name']!r} cancelled on the Dask cluster")
            time.sleep(0.05)
        result = future.result()
        if progress is not None:
            progress(1.0)
        return result
