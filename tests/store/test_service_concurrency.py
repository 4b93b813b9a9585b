"""50 simulated users at once through the store service on PostgreSQL (row-level security on):
each saves their own project and records a run, and all of them race to save one shared
organisation project. Nothing is lost or mixed up, and every losing writer is told."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

import cryogen_widgets.store as store_api
from cryogen_widgets.store.accounts import Accounts
from tests.store.designs import chain_design
from tests.store.service import ServiceThread

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

USERS = 50
OWN_SAVES = 3
TIMEOUT_S = 120  # bound on the whole race; it takes a few seconds


def test_fifty_users_save_and_run_at_once_without_losing_a_version(postgres_server, tmp_path):
    url = postgres_server.new_database()
    names = [f"user{i:02d}" for i in range(USERS)]
    accounts = Accounts(url)
    accounts.set_plan("lead", "enterprise")
    for name in names:
        accounts.ensure(name)
    lead = store_api.open(url, user="lead")
    lead.organizations.create("Lab")
    for name in names:
        lead.organizations.add_member("Lab", name)
    shared = lead.projects.create("shared magnet", chain_design(note="lead"), organization="Lab")
    service = ServiceThread(postgres_server.service_url(url), str(tmp_path / "results")).start()
    barrier = threading.Barrier(USERS, timeout=TIMEOUT_S)
    outcome: dict[str, dict] = {}

    def user(name: str) -> None:
        store = service.open(name)
        mine = store.projects.create(f"{name}'s cryostat", chain_design(note=f"{name} v1"))
        for v in range(1, OWN_SAVES + 1):
            store.projects.save(mine.id, chain_design(note=f"{name} v{v + 1}"), v)
        sim = store.simulations.start(mine.id, "steady")
        store.simulations.finish(sim.id, "done", result_summary={"by": name})
        loaded = store.projects.load(shared.id)
        barrier.wait()
        try:
            store.projects.save(shared.id, chain_design(note=name), loaded.version, note=name)
            result = "saved"
        except store_api.StaleVersionError as exc:
            assert exc.yours == loaded.version and exc.stored > loaded.version
            result = "told stale"
        outcome[name] = {"project": mine.id, "sim": sim.id, "shared": result}

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in names]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT_S)
        assert not any(t.is_alive() for t in threads), "the race did not finish in time"
    finally:
        service.stop()
    assert sorted(outcome) == names  # every user finished without an unexpected error

    for name in names:
        store = store_api.open(url, user=name)
        record = outcome[name]
        history = store.projects.history(record["project"])
        notes = [
            store.projects.load(record["project"], v.version).design["meta"]["note"]
            for v in history
        ]
        assert notes == [f"{name} v{v}" for v in range(1, OWN_SAVES + 2)]
        assert {v.saved_by for v in history} == {name}
        (sim,) = store.simulations.list(record["project"])
        assert (sim.id, sim.status, sim.result_summary) == (record["sim"], "done", {"by": name})

    winners = {n for n, r in outcome.items() if r["shared"] == "saved"}
    counts = Counter(r["shared"] for r in outcome.values())
    assert counts["saved"] + counts["told stale"] == USERS and counts["saved"] >= 1
    history = lead.projects.history(shared.id)
    assert [v.version for v in history] == list(range(1, len(winners) + 2))  # no gap, no loss
    later = history[1:]
    assert {v.saved_by for v in later} == winners
    for v in later:  # each version holds exactly what its writer saved
        assert v.note == v.saved_by
        assert lead.projects.load(shared.id, v.version).design["meta"]["note"] == v.saved_by
