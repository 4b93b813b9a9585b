"""Defence in depth on PostgreSQL: the store service's role is under row-level security keyed
on the user of the transaction and their organisations, so a query forged for another
tenant's row returns nothing even as raw SQL on the service's own connection."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import cryogen_widgets.store as store_api
from cryogen_widgets.store.accounts import Accounts
from cryogen_widgets.store.service._database import service_engine
from tests.store.designs import chain_design

pytestmark = pytest.mark.postgres


@pytest.fixture
def tenants(postgres_server):
    url = postgres_server.new_database()
    alice = store_api.open(url, user="alice")  # the owner's engine: migrates, no RLS
    bob = store_api.open(url, user="bob")
    secret = alice.projects.create("secret", chain_design(note="alice's"))
    sim = alice.simulations.start(secret.id, "steady")
    engine = service_engine(postgres_server.service_url(url))
    yield {
        "url": url,
        "secret": secret.id,
        "sim": sim.id,
        "engine": engine,
        "alice": alice,
        "bob": bob,
    }
    engine.dispose()


def _as(tenants, who, sql, **params):
    """Run ``sql`` on the service's connection in a transaction of user ``who`` (None: nobody)."""
    with tenants["engine"].begin() as conn:
        if who is not None:
            uid = tenants[who]._ctx.user_id
            conn.execute(text("SELECT set_config('cryogen.user_id', :u, true)"), {"u": str(uid)})
        result = conn.execute(text(sql), params)
        return result.rowcount if result.returns_rows is False else result.all()


def test_forged_reads_and_writes_of_another_tenants_rows_touch_nothing(tenants):
    pid, sim = tenants["secret"], tenants["sim"]
    assert len(_as(tenants, "alice", "SELECT id FROM projects WHERE id = :p", p=pid)) == 1
    assert _as(tenants, "bob", "SELECT id, design FROM projects WHERE id = :p", p=pid) == []
    assert _as(tenants, "bob", "SELECT * FROM projects") == []
    assert _as(tenants, "bob", "SELECT * FROM project_versions WHERE project_id = :p", p=pid) == []
    assert _as(tenants, "bob", "SELECT * FROM simulations WHERE id = :s", s=sim) == []
    assert _as(tenants, None, "SELECT * FROM projects") == []  # no user: nothing at all
    assert _as(tenants, "bob", "UPDATE projects SET name = 'pwned' WHERE id = :p", p=pid) == 0
    assert _as(tenants, "bob", "DELETE FROM projects WHERE id = :p", p=pid) == 0
    assert _as(tenants, "bob", "UPDATE simulations SET status = 'failed' WHERE id = :s", s=sim) == 0
    with pytest.raises(DBAPIError, match="row-level security"):
        _as(
            tenants,
            "bob",
            "INSERT INTO project_versions (project_id, version, design, saved_at, saved_by_id) "
            "VALUES (:p, 2, '{}', now(), 1)",
            p=pid,
        )
    with pytest.raises(DBAPIError, match="row-level security"):
        _as(
            tenants, "bob", "INSERT INTO project_shares (project_id, user_id) VALUES (:p, 2)", p=pid
        )
    loaded = tenants["alice"].projects.load(pid)
    assert (loaded.version, loaded.info.name, loaded.design["meta"]["note"]) == (
        1,
        "secret",
        "alice's",
    )


def test_the_service_role_reads_no_account_secrets_and_changes_no_plan(tenants):
    Accounts(tenants["url"]).link_customer("alice", "cus_alice")
    for sql in (
        "SELECT email, stripe_customer_id FROM users",
        "SELECT * FROM billing_events",
        "UPDATE users SET plan = 'enterprise'",
    ):
        with pytest.raises(DBAPIError, match="permission denied"):
            _as(tenants, "bob", sql)
    assert sorted(n for (n,) in _as(tenants, "bob", "SELECT name FROM users")) == ["alice", "bob"]


def test_the_service_refuses_a_role_that_bypasses_row_security(tenants):
    with pytest.raises(store_api.StoreError, match="must connect as a role under row-level"):
        service_engine(tenants["url"])  # the owner (here a superuser)
