"""The store's tests run against SQLite and PostgreSQL (``db_url`` is parametrised), and
through ``open_store`` against both backends: in-process and the store service."""

from __future__ import annotations

import pytest

import cryogen_widgets.store as store_api
from cryogen_widgets.store._engine import dispose_engines, engine_for
from tests.conftest import require
from tests.store.postgres import PostgresServer, postgres_bin_dir
from tests.store.service import ServiceThread


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


@pytest.fixture(params=["in-process", "service"])
def open_store(request, db_url, tmp_path):
    """``open_store(user)``: that user's store, in-process or as a client of the store service
    (the same tests run against both backends)."""
    if request.param == "in-process":
        yield lambda user: store_api.open(db_url, user=user)
        return
    engine_for(db_url)  # the hub migrates; the service never does
    service_db = db_url
    if db_url.startswith("postgresql"):
        service_db = request.getfixturevalue("postgres_server").service_url(db_url)
    service = ServiceThread(service_db, str(tmp_path / "results")).start()
    yield service.open
    service.stop()
