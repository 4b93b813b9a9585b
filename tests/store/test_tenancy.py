"""Tenancy: user B cannot read, list, fork or overwrite user A's private project through
any public function; shared, organisation and public projects are readable as documented
in ``cryogen_widgets/store/_projects.py``."""

from __future__ import annotations

import pytest

import cryogen_widgets.store as store_api
from cryogen_widgets.store.accounts import Accounts
from tests.store.designs import chain_design


@pytest.fixture
def users(open_store):
    return {name: open_store(name) for name in ("alice", "bob", "carol")}


def _every_public_call(store, project_id):
    """Every Projects/Simulations call that takes a project id, as (name, thunk)."""
    p = store.projects
    return [
        ("load", lambda: p.load(project_id)),
        ("load version", lambda: p.load(project_id, version=1)),
        ("save", lambda: p.save(project_id, chain_design(note="overwrite"), 1)),
        ("fork", lambda: p.fork(project_id)),
        ("share", lambda: p.share(project_id, "bob")),
        ("make public", lambda: p.share(project_id, public=True)),
        ("history", lambda: p.history(project_id)),
        ("restore", lambda: p.restore(project_id, 1)),
        ("simulate", lambda: store.simulations.start(project_id, "steady")),
        ("simulations", lambda: store.simulations.list(project_id)),
        ("delete", lambda: p.delete(project_id)),
    ]


def test_a_private_project_is_invisible_to_another_user(users):
    alice, bob = users["alice"], users["bob"]
    secret = alice.projects.create("secret", chain_design(note="alice's"))
    assert bob.projects.list() == [] and bob.projects.list(include_public=True) == []
    for name, call in _every_public_call(bob, secret.id):
        with pytest.raises(store_api.NotFoundError) as err:
            call()
        # Same words as for an id that does not exist: nothing leaks.
        assert str(err.value).replace(secret.id, "X") == (
            "no project 'X' is visible to user 'bob': it does not exist, or its owner has not "
            "shared it with you. projects.list() shows yours."
        ), name
    loaded = alice.projects.load(secret.id)
    assert (loaded.version, loaded.design["meta"]["note"]) == (1, "alice's")
    assert len(alice.projects.history(secret.id)) == 1
    assert alice.projects.load(secret.id).info.public is False


def test_a_project_shared_with_a_user_is_readable_and_forkable_but_not_writable(users):
    alice, bob, carol = users["alice"], users["bob"], users["carol"]
    info = alice.projects.create("shared", chain_design(note="alice's"))
    alice.projects.share(info.id, "bob")
    assert [p.id for p in bob.projects.list()] == [info.id]
    assert bob.projects.load(info.id).design["meta"]["note"] == "alice's"
    assert len(bob.projects.history(info.id)) == 1
    fork = bob.projects.fork(info.id)
    assert fork.owner == "bob" and fork.forked_from == info.id
    with pytest.raises(store_api.AccessDeniedError, match="read-only: fork it"):
        bob.projects.save(info.id, chain_design(note="bob's"), 1)
    with pytest.raises(store_api.AccessDeniedError, match="read-only"):
        bob.projects.restore(info.id, 1)
    with pytest.raises(store_api.AccessDeniedError, match="only the owner can share"):
        bob.projects.share(info.id, "carol")
    with pytest.raises(store_api.NotFoundError):
        carol.projects.load(info.id)
    with pytest.raises(store_api.NotFoundError):
        carol.projects.load(fork.id)
    assert alice.projects.load(info.id).version == 1


def test_a_public_project_is_readable_by_everybody_and_listed_on_request(users):
    alice, carol = users["alice"], users["carol"]
    info = alice.projects.create("open", chain_design())
    alice.projects.share(info.id, public=True)
    assert carol.projects.list() == []
    assert [p.id for p in carol.projects.list(include_public=True)] == [info.id]
    assert carol.projects.load(info.id).info.owner == "alice"
    assert carol.projects.fork(info.id).owner == "carol"
    with pytest.raises(store_api.AccessDeniedError):
        carol.projects.save(info.id, chain_design(), 1)
    alice.projects.share(info.id, public=False)
    with pytest.raises(store_api.NotFoundError):
        carol.projects.load(info.id)


def test_sharing_with_an_unknown_user_says_so(users):
    info = users["alice"].projects.create("p", chain_design())
    with pytest.raises(store_api.NotFoundError, match="no user named 'dave'"):
        users["alice"].projects.share(info.id, "dave")


def test_organisations_need_the_collaboration_feature(users):
    with pytest.raises(store_api.PlanLimitError, match="The enterprise plan lifts this"):
        users["alice"].organizations.create("LabX")


def test_organisation_members_read_and_save_its_projects(db_url, users):
    alice, bob, carol = users["alice"], users["bob"], users["carol"]
    Accounts(db_url).set_plan("alice", "enterprise")
    alice.organizations.create("LabX")
    alice.organizations.add_member("LabX", "bob")
    info = alice.projects.create("lab magnet", chain_design(), organization="LabX")
    assert bob.projects.load(info.id).info.organization == "LabX"
    assert bob.projects.save(info.id, chain_design(note="bob"), 1).version == 2
    with pytest.raises(store_api.AccessDeniedError, match="only an owner or admin"):
        bob.organizations.add_member("LabX", "carol")
    with pytest.raises(store_api.NotFoundError, match="not a member"):
        carol.projects.create("x", chain_design(), organization="LabX")
    with pytest.raises(store_api.NotFoundError):
        carol.projects.load(info.id)
    assert [o.role for o in bob.organizations.list()] == ["member"]


def test_simulations_are_per_user(users):
    alice, bob = users["alice"], users["bob"]
    info = alice.projects.create("p", chain_design())
    alice.projects.share(info.id, "bob")
    sim = alice.simulations.start(info.id, "cooldown")
    assert bob.simulations.list(info.id) == []
    with pytest.raises(store_api.NotFoundError, match="user 'bob' has no simulation"):
        bob.simulations.finish(sim.id, "done")
    with pytest.raises(store_api.NotFoundError, match="user 'bob' has no simulation"):
        bob.results.get_bytes(sim.id)
    with pytest.raises(store_api.NotFoundError, match="user 'bob' has no simulation"):
        bob.results.put(sim.id, b"CDF\x01 not alice's")


def test_only_the_owner_deletes_a_project(users):
    alice, bob = users["alice"], users["bob"]
    info = alice.projects.create("p", chain_design())
    alice.projects.share(info.id, "bob")
    with pytest.raises(store_api.AccessDeniedError, match="only the owner can delete"):
        bob.projects.delete(info.id)
    alice.projects.delete(info.id)
    with pytest.raises(store_api.NotFoundError):
        alice.projects.load(info.id)
    assert bob.projects.list() == []


@pytest.mark.parametrize(
    "attack", ["x'); DROP TABLE projects; --", "' OR '1'='1", "%' OR owner_id <> 0 --", '"; --']
)
def test_sql_injection_strings_are_stored_and_searched_as_text(users, attack):
    alice, bob = users["alice"], users["bob"]
    secret = alice.projects.create("secret", chain_design())
    mine = bob.projects.create(attack, chain_design(name=attack))
    assert bob.projects.load(mine.id).info.name == attack
    assert [p.id for p in bob.projects.list()] == [mine.id]
    # Searched as words (punctuation-only text is an empty query): built-ins only, no error.
    assert {hit.owner_id for hit in bob.components.search(attack)} <= {None}
    with pytest.raises(store_api.NotFoundError):
        bob.projects.load(attack)
    assert alice.projects.load(secret.id).version == 1
