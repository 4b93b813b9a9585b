"""Billing tests run against both databases, like the store's."""

from tests.store.conftest import db_url, postgres_server  # noqa: F401 - shared fixtures
