"""solver.jobs: designs above CRYOGEN_MAX_KERNEL_COMPONENTS run as a Dask task."""

from __future__ import annotations

import threading

import pytest
import xarray as xr

import solver
from cryogen_templates import DESIGNS_DIR
from solver import jobs
from solver.errors import DesignError

TWO_STAGE = DESIGNS_DIR / "two-stage-pt420.cryo.json"


def record_thread(monkeypatch) -> list[str]:
    """Thread names the steady solver runs on (the in-process LocalCluster shares memory)."""
    from solver.thermal import steady

    threads: list[str] = []
    real = steady.steady_state

    def steady_state(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(steady, "steady_state", steady_state)
    return threads


def test_small_design_solves_in_the_kernel(monkeypatch):
    monkeypatch.delenv("CRYOGEN_MAX_KERNEL_COMPONENTS", raising=False)
    threads = record_thread(monkeypatch)
    ds = jobs.solve(TWO_STAGE)
    assert threads == [threading.current_thread().name]
    monkeypatch.undo()
    xr.testing.assert_identical(ds, solver.steady_state(solver.design.load(TWO_STAGE)))


def test_large_design_runs_as_a_dask_task_with_the_same_result(monkeypatch):
    monkeypatch.setenv("CRYOGEN_MAX_KERNEL_COMPONENTS", "2")  # the design has 4 components
    threads = record_thread(monkeypatch)
    fractions: list[float] = []
    ds = jobs.solve(TWO_STAGE, progress=fractions.append)
    assert len(threads) == 1 and threads[0] != threading.current_thread().name
    assert fractions == [0.0, 1.0]
    # identical: same solver, same input, only run on a Dask worker thread
    monkeypatch.undo()
    xr.testing.assert_identical(ds, solver.steady_state(solver.design.load(TWO_STAGE)))


def test_bad_limit_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CRYOGEN_MAX_KERNEL_COMPONENTS", "lots")
    with pytest.raises(DesignError, match="CRYOGEN_MAX_KERNEL_COMPONENTS='lots'"):
        jobs.solve(TWO_STAGE)


def test_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CRYOGEN_MAX_KERNEL_COMPONENTS", "0")
    monkeypatch.setattr(jobs, "CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(solver.CryoGenError, match="cannot reach the Dask scheduler"):
        jobs.solve(TWO_STAGE, address="tcp://127.0.0.1:9")
