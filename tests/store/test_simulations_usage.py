"""Simulation records and the monthly server-simulation quota kept in usage records."""

from __future__ import annotations

import threading

import pytest

import cryogen_widgets.store as store_api
from cryogen_widgets.store.accounts import Accounts
from solver.errors import UnknownNameError
from tests.store.designs import chain_design


def test_a_simulation_is_recorded_from_start_to_result(db_url):
    alice = store_api.open(db_url, user="alice")
    info = alice.projects.create("p", chain_design())
    alice.projects.save(info.id, chain_design(note="v2"), 1)
    sim = alice.simulations.start(
        info.id, "cooldown", execution_mode="dask", parameters={"target_K": 4.0}
    )
    assert (sim.status, sim.project_version, sim.execution_mode) == ("running", 2, "dask")
    done = alice.simulations.finish(
        sim.id,
        "done",
        result_summary={"time_to_target_s": 3600.0},
        result_path="results/cooldown.nc",
        wall_time_s=1.5,
    )
    assert done.status == "done" and done.finished_at is not None
    failed = alice.simulations.start(info.id, "quench")
    alice.simulations.finish(failed.id, "failed", error="SolverError: no convergence at node s1")
    listed = alice.simulations.list(info.id)
    assert [(s.analysis, s.status) for s in listed] == [("quench", "failed"), ("cooldown", "done")]
    assert listed[1].result_summary == {"time_to_target_s": 3600.0}
    assert listed[0].error.startswith("SolverError")


def test_unknown_analysis_mode_and_status_list_the_valid_names(db_url):
    alice = store_api.open(db_url, user="alice")
    info = alice.projects.create("p", chain_design())
    with pytest.raises(UnknownNameError, match="closest valid: heat_load"):
        alice.simulations.start(info.id, "heatload")
    with pytest.raises(UnknownNameError, match="unknown execution mode 'gpu'"):
        alice.simulations.start(info.id, "cooldown", execution_mode="gpu")
    sim = alice.simulations.start(info.id, "cooldown")
    with pytest.raises(UnknownNameError, match="closest valid: done"):
        alice.simulations.finish(sim.id, "don")


def test_server_simulations_are_counted_and_refused_over_the_quota(db_url):
    alice = store_api.open(db_url, user="alice")
    assert alice.plan.name == "academic"
    for i in range(20):
        assert alice.usage.book_server_simulation().used == i + 1
    with pytest.raises(store_api.QuotaExceededError, match="The pro plan lifts this"):
        alice.usage.book_server_simulation()
    quota = alice.usage.server_simulations()
    assert (quota.plan, quota.used, quota.limit) == ("academic", 20, 20)
    Accounts(db_url).set_plan("alice", "pro")
    assert alice.usage.book_server_simulation().used == 21


def test_a_server_simulation_is_booked_and_refused_over_the_quota(db_url):
    alice = store_api.open(db_url, user="alice")
    info = alice.projects.create("p", chain_design())
    for _ in range(20):
        alice.simulations.start(info.id, "heat_load", execution_mode="dask")
    with pytest.raises(store_api.QuotaExceededError, match="academic plan's 20 server simulations"):
        alice.simulations.start(info.id, "heat_load", execution_mode="dask")
    assert len(alice.simulations.list(info.id)) == 20  # the refused one left no record
    alice.simulations.start(info.id, "heat_load")  # kernel solves are not counted
    assert alice.usage.server_simulations().used == 20


def test_concurrent_bookings_never_exceed_the_quota(db_url):
    alice = store_api.open(db_url, user="alice")
    for _ in range(18):
        alice.usage.book_server_simulation()
    results: list[str] = []
    barrier = threading.Barrier(5)

    def book() -> None:
        kernel = store_api.open(db_url, user="alice")
        barrier.wait()
        try:
            kernel.usage.book_server_simulation()
            results.append("booked")
        except store_api.QuotaExceededError:
            results.append("refused")

    threads = [threading.Thread(target=book) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["booked"] * 2 + ["refused"] * 3
    assert alice.usage.server_simulations().used == 20
