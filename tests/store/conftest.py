"""The store's tests run against SQLite and PostgreSQL (``db_url`` is parametrised)."""

from __future__ import annotations

import pytest

from cryogen_widgets.store._engine import dispose_engines
from tests.conftest import require
from tests.store.postgres import PostgresServer, postgres_bin_dir


@pytest.fixture(scope="session")
def postgres_server():
    bin_dir = postgres_bin_dir()
    require(bin_dir is not None, "PostgreSQL server binaries (Debian package postgresql)")
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cryogen.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    yield url
    dispose_engines()
