"""Search tests run on SQLite and PostgreSQL through the store's ``db_url`` fixture."""

from tests.store.conftest import db_url, postgres_server

__all__ = ["db_url", "postgres_server"]
