"""Organisation roles: exactly one owner, only the owner hands ownership on, an admin
cannot promote themselves or demote the owner, and every role change is recorded."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

import cryogen_widgets.store as store_api
from cryogen_widgets.store._engine import engine_for
from cryogen_widgets.store._models import Membership
from cryogen_widgets.store.accounts import Accounts


@pytest.fixture
def lab(db_url, open_store):
    """LabX owned by alice, with bob as admin and carol as member (in-process, and through
    the store service)."""
    users = {n: open_store(n) for n in ("alice", "bob", "carol", "dave", "eve")}
    Accounts(db_url).set_plan("alice", "enterprise")
    users["alice"].organizations.create("LabX")
    users["alice"].organizations.add_member("LabX", "bob", role="admin")
    users["alice"].organizations.add_member("LabX", "carol")
    return users


def roles(store) -> dict[str, str]:
    return {o.name: o.role for o in store.organizations.list()}


def test_an_admin_cannot_take_or_demote_ownership(lab):
    bob = lab["bob"]
    with pytest.raises(store_api.AccessDeniedError, match="exactly one owner"):
        bob.organizations.add_member("LabX", "bob", role="owner")
    with pytest.raises(store_api.AccessDeniedError, match="owns 'LabX'"):
        bob.organizations.add_member("LabX", "alice", role="member")
    with pytest.raises(store_api.AccessDeniedError, match="only the owner of 'LabX' can transfer"):
        bob.organizations.transfer_ownership("LabX", "bob")
    bob.organizations.add_member("LabX", "dave", role="admin")
    with pytest.raises(store_api.AccessDeniedError, match="only the owner changes an admin"):
        bob.organizations.add_member("LabX", "dave", role="member")
    assert [roles(lab[n])["LabX"] for n in ("alice", "bob", "carol", "dave")] == [
        "owner",
        "admin",
        "member",
        "admin",
    ]


def test_the_owner_transfers_ownership_and_there_is_always_one_owner(lab):
    alice, carol = lab["alice"], lab["carol"]
    with pytest.raises(store_api.AccessDeniedError, match="owns 'LabX'"):
        alice.organizations.add_member("LabX", "alice", role="admin")  # would leave no owner
    with pytest.raises(store_api.NotFoundError, match="'dave' is not a member"):
        alice.organizations.transfer_ownership("LabX", "dave")
    alice.organizations.transfer_ownership("LabX", "carol")
    assert (roles(alice)["LabX"], roles(carol)["LabX"]) == ("admin", "owner")
    with pytest.raises(store_api.AccessDeniedError, match="only the owner"):
        alice.organizations.transfer_ownership("LabX", "alice")


def test_the_database_refuses_a_second_owner(db_url, lab):
    """The one-owner rule holds even for a writer that bypasses Organizations."""
    from sqlalchemy.orm import Session

    with Session(engine_for(db_url)) as session, pytest.raises(IntegrityError), session.begin():
        bob = session.query(Membership).filter(Membership.role == "admin").one()
        bob.role = "owner"


def test_every_role_change_is_recorded(lab):
    alice, bob = lab["alice"], lab["bob"]
    bob.organizations.add_member("LabX", "dave")
    bob.organizations.add_member("LabX", "dave", role="admin")
    alice.organizations.transfer_ownership("LabX", "bob")
    history = [
        (c.member, c.old_role, c.new_role, c.changed_by)
        for c in lab["carol"].organizations.role_history("LabX")
    ]
    assert history == [
        ("alice", None, "owner", "alice"),
        ("bob", None, "admin", "alice"),
        ("carol", None, "member", "alice"),
        ("dave", None, "member", "bob"),
        ("dave", "member", "admin", "bob"),
        ("bob", "admin", "owner", "alice"),
        ("alice", "owner", "admin", "alice"),
    ]
    with pytest.raises(store_api.NotFoundError, match="not a member"):
        lab["eve"].organizations.role_history("LabX")
