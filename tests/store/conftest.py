"""The store's tests run against SQLite and PostgreSQL (``db_url`` is parametrised), and
through ``open_store`` against both backends: in-process and the store service."""

from __future__ import annotations

import json
from contextlib import contextmanager

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


@contextmanager
def store_backend(request, db_url: str, results_url: str, results_options: dict | None = None):
    """``open_store(user)`` of the backend ``request.param`` (in-process or the store service)
    on ``db_url``, with results in ``results_url`` (an fsspec URL with ``results_options``)."""
    if request.param == "in-process":
        with pytest.MonkeyPatch.context() as env:
            env.setenv("CRYOGEN_RESULTS_URL", results_url)
            env.setenv("CRYOGEN_RESULTS_OPTIONS", json.dumps(results_options or {}))
            yield lambda user: store_api.open(db_url, user=user)
        return
    engine_for(db_url)  # the hub migrates; the service never does
    service_db = db_url
    if db_url.startswith("postgresql"):
        service_db = request.getfixturevalue("postgres_server").service_url(db_url)
    service = ServiceThread(service_db, results_url, results_options).start()
    try:
        yield service.open
    finally:
        service.stop()


@pytest.fixture(params=["in-process", "service"])
def open_store(request, db_url, tmp_path):
    """``open_store(user)``: that user's store, in-process or as a client of the store service
    (the same tests run against both backends)."""
    with store_backend(request, db_url, str(tmp_path / "results")) as open_store:
        yield open_store
