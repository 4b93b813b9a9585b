"""Runs: the plan check before every run (feature gates, kernel limit -> Dask, monthly quota
with its reset date), the record of every run, and the usage records behind the quota."""

from __future__ import annotations

import threading

import pytest

import cryogen_widgets.store as store_api
from cryogen_widgets.store.accounts import Accounts
from cryogen_widgets.store.plans import quota_reset_date
from solver.errors import DesignError, UnknownNameError
from tests.store.designs import chain_design

# plans.json: academic solves up to 100 components in the kernel, 20 server simulations a
# month. chain_design(k) has k stages + a boundary + a cooler = k + 2 components.
OVER_ACADEMIC_KERNEL_LIMIT = chain_design(99)


def test_a_simulation_is_recorded_from_start_to_result(open_store):
    alice = open_store("alice")
    info = alice.projects.create("p", chain_design())
    alice.projects.save(info.id, chain_design(note="v2"), 1)
    sim = alice.simulations.start(info.id, "cooldown", parameters={"target_K": 4.0})
    assert (sim.status, sim.project_version, sim.execution_mode) == ("running", 2, "kernel")
    done = alice.simulations.finish(
        sim.id, "done", result_summary={"time_to_target_s": 3600.0}, wall_time_s=1.5
    )
    assert done.status == "done" and done.finished_at is not None
    failed = alice.simulations.start(info.id, "steady")
    alice.simulations.finish(failed.id, "failed", error="SolverError: no convergence at node s1")
    listed = alice.simulations.list(info.id)
    assert [(s.analysis, s.status) for s in listed] == [("steady", "failed"), ("cooldown", "done")]
    assert listed[1].result_summary == {"time_to_target_s": 3600.0}
    assert listed[1].parameters == {"target_K": 4.0}
    assert listed[0].error.startswith("SolverError")
    assert alice.simulations.get(sim.id) == listed[1]


def test_a_design_not_saved_yet_is_recorded_without_a_project(open_store):
    alice = open_store("alice")
    sim = alice.simulations.start(None, "steady", design=chain_design())
    assert (sim.project_id, sim.project_version, sim.execution_mode) == (None, None, "kernel")
    assert [s.id for s in alice.simulations.list()] == [sim.id]
    with pytest.raises(DesignError, match="needs a project_id or a design"):
        alice.simulations.start(None, "steady")


def test_unknown_analysis_and_status_list_the_valid_names(open_store):
    alice = open_store("alice")
    info = alice.projects.create("p", chain_design())
    with pytest.raises(UnknownNameError, match="closest valid: steady"):
        alice.simulations.start(info.id, "stedy")
    sim = alice.simulations.start(info.id, "cooldown")
    with pytest.raises(UnknownNameError, match="closest valid: done"):
        alice.simulations.finish(sim.id, "don")


def test_quench_analysis_is_gated_by_the_plan(db_url, open_store):
    alice = open_store("alice")
    with pytest.raises(store_api.PlanLimitError) as err:
        alice.simulations.start(None, "quench", design=chain_design())
    assert str(err.value) == (
        "quench analysis is not included in the academic plan. The pro plan lifts this "
        "(includes quench_analysis): upgrade on /services/billing/"
    )
    assert alice.simulations.list() == []  # a refused run leaves no record
    Accounts(db_url).set_plan("alice", "pro")
    assert alice.simulations.start(None, "quench", design=chain_design()).analysis == "quench"
    alice.require_feature("vtk_export")
    Accounts(db_url).set_plan("alice", "academic")
    with pytest.raises(store_api.PlanLimitError, match="vtk export is not included"):
        alice.require_feature("vtk_export")


def test_a_design_over_the_kernel_limit_runs_on_dask_and_is_booked(open_store):
    alice = open_store("alice")
    small = alice.simulations.start(None, "steady", design=_design_with(100))
    big = alice.simulations.start(None, "steady", design=OVER_ACADEMIC_KERNEL_LIMIT)
    assert (small.execution_mode, big.execution_mode) == ("kernel", "dask")
    assert alice.usage.server_simulations().used == 1  # kernel runs are not counted


def _design_with(n_components: int) -> dict:
    return chain_design(n_components - 2)


def test_server_simulations_over_the_quota_are_refused_with_the_reset_date(open_store):
    alice = open_store("alice")
    info = alice.projects.create("big", OVER_ACADEMIC_KERNEL_LIMIT)
    for _ in range(20):
        alice.simulations.start(info.id, "steady")
    with pytest.raises(store_api.QuotaExceededError) as err:
        alice.simulations.start(info.id, "steady")
    quota = alice.usage.server_simulations()
    assert (quota.plan, quota.used, quota.limit) == ("academic", 20, 20)
    assert f"the count resets on {quota.resets_on} (UTC)" in str(err.value)
    assert "The pro plan lifts this (200 server simulations a month)" in str(err.value)
    assert len(alice.simulations.list(info.id)) == 20  # the refused one left no record
    small = alice.simulations.start(None, "steady", design=chain_design())
    assert small.execution_mode == "kernel"  # within the kernel limit: still allowed


def test_the_quota_resets_on_the_first_of_the_next_month():
    assert quota_reset_date("2026-11") == "2026-12-01"
    assert quota_reset_date("2026-12") == "2027-01-01"


def test_server_simulations_are_counted_and_refused_over_the_quota(db_url, open_store):
    alice = open_store("alice")
    assert alice.plan.name == "academic"
    for i in range(20):
        assert alice.usage.book_server_simulation().used == i + 1
    with pytest.raises(store_api.QuotaExceededError, match="The pro plan lifts this"):
        alice.usage.book_server_simulation()
    Accounts(db_url).set_plan("alice", "pro")
    assert alice.usage.book_server_simulation().used == 21


def test_concurrent_bookings_never_exceed_the_quota(open_store):
    alice = open_store("alice")
    for _ in range(18):
        alice.usage.book_server_simulation()
    results: list[str] = []
    barrier = threading.Barrier(5)

    def book() -> None:
        kernel = open_store("alice")
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
