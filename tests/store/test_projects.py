"""Projects: create, load, save with the optimistic version check, history, restore, fork."""

from __future__ import annotations

import threading

import pytest

import cryogen_widgets.store as store_api
from solver.errors import DesignError, UnknownNameError
from tests.store.designs import chain_design


@pytest.fixture
def alice(open_store):
    return open_store("alice")


def test_create_load_round_trip(alice):
    design = chain_design(2, name="Two stages")
    info = alice.projects.create("Two stages", design, system_type="dilution_refrigerator")
    assert (info.version, info.owner, info.system_type, info.public) == (
        1,
        "alice",
        "dilution_refrigerator",
        False,
    )
    loaded = alice.projects.load(info.id)
    assert loaded.design == design
    assert loaded.version == 1
    assert [p.id for p in alice.projects.list()] == [info.id]


def test_save_increments_version_and_keeps_every_snapshot(alice):
    info = alice.projects.create("p", chain_design(note="v1"))
    assert alice.projects.save(info.id, chain_design(note="v2"), 1).version == 2
    assert alice.projects.save(info.id, chain_design(note="v3"), 2, note="third").version == 3
    history = alice.projects.history(info.id)
    assert [(h.version, h.saved_by, h.note) for h in history] == [
        (1, "alice", "created"),
        (2, "alice", None),
        (3, "alice", "third"),
    ]
    assert alice.projects.load(info.id, version=1).design["meta"]["note"] == "v1"
    assert alice.projects.load(info.id).design["meta"]["note"] == "v3"


def test_stale_save_is_refused_with_a_clear_message_and_the_newer_version_stays(open_store):
    kernel_a = open_store("alice")
    kernel_b = open_store("alice")
    info = kernel_a.projects.create("Cryostat A", chain_design(note="v1"))
    kernel_b.projects.save(info.id, chain_design(note="from kernel b"), 1)
    with pytest.raises(store_api.StaleVersionError) as err:
        kernel_a.projects.save(info.id, chain_design(note="from kernel a"), 1)
    message = str(err.value)
    for expected in (
        "'Cryostat A'",
        info.id,
        "your copy is version 1",
        "stored project is at version 2",
        "kept unchanged",
        "expected_version=2",
    ):
        assert expected in message
    loaded = kernel_a.projects.load(info.id)
    assert (loaded.version, loaded.design["meta"]["note"]) == (2, "from kernel b")
    assert len(kernel_a.projects.history(info.id)) == 2


def test_concurrent_saves_of_the_same_version_exactly_one_wins(open_store):
    info = open_store("alice").projects.create("p", chain_design())
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def writer(i: int) -> None:
        kernel = open_store("alice")
        barrier.wait()
        try:
            kernel.projects.save(info.id, chain_design(note=f"writer {i}"), 1)
            outcomes.append(f"writer {i}")
        except store_api.StaleVersionError:
            outcomes.append("stale")

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if o != "stale"]
    assert len(winners) == 1 and outcomes.count("stale") == 3
    loaded = open_store("alice").projects.load(info.id)
    assert (loaded.version, loaded.design["meta"]["note"]) == (2, winners[0])


def test_restore_makes_an_old_version_the_newest_without_losing_history(alice):
    info = alice.projects.create("p", chain_design(note="v1"))
    alice.projects.save(info.id, chain_design(note="v2"), 1)
    restored = alice.projects.restore(info.id, 1)
    assert restored.version == 3
    assert alice.projects.load(info.id).design["meta"]["note"] == "v1"
    assert [h.note for h in alice.projects.history(info.id)] == [
        "created",
        None,
        "restored version 1",
    ]
    with pytest.raises(store_api.NotFoundError, match=r"has no version 9; its versions are 1\.\.3"):
        alice.projects.restore(info.id, 9)


def test_fork_is_a_private_copy_that_remembers_its_origin(alice):
    info = alice.projects.create(
        "origin", chain_design(note="o"), system_type="mri_magnet", public=True
    )
    fork = alice.projects.fork(info.id)
    assert (fork.name, fork.forked_from, fork.public, fork.version, fork.system_type) == (
        "origin (fork)",
        info.id,
        False,
        1,
        "mri_magnet",
    )
    assert alice.projects.load(fork.id).design == alice.projects.load(info.id).design


def test_returned_designs_are_copies(alice):
    design = chain_design()
    info = alice.projects.create("p", design)
    design["name"] = "changed after create"
    loaded = alice.projects.load(info.id)
    loaded.design["name"] = "changed after load"
    assert alice.projects.load(info.id).design["name"] == "Chain"


@pytest.mark.parametrize(
    ("design", "match"),
    [
        ([1, 2], "must be a dict"),
        ({**chain_design(), "meta": {"x": float("nan")}}, "not plain JSON"),
        ({**chain_design(), "meta": {"x": {1, 2}}}, "not plain JSON"),
    ],
)
def test_a_design_that_is_not_plain_json_is_refused(alice, design, match):
    with pytest.raises(DesignError, match=match):
        alice.projects.create("bad", design)
    assert alice.projects.list() == []


def test_a_design_rejected_by_the_solver_is_not_saved(alice):
    info = alice.projects.create("p", chain_design(note="good"))
    bad = chain_design()
    bad["components"][1]["material"] = "Unobtainium"
    with pytest.raises(DesignError, match="Unobtainium"):
        alice.projects.save(info.id, bad, 1)
    loaded = alice.projects.load(info.id)
    assert (loaded.version, loaded.design["meta"]["note"]) == (1, "good")


def test_unknown_system_type_lists_the_valid_ones(alice):
    with pytest.raises(UnknownNameError, match="closest valid: mri_magnet"):
        alice.projects.create("p", chain_design(), system_type="mri-magnet")


def test_timestamps_are_timezone_aware_utc(alice):
    info = alice.projects.create("p", chain_design())
    assert info.updated_at.utcoffset().total_seconds() == 0
    assert alice.projects.history(info.id)[0].saved_at.utcoffset().total_seconds() == 0
