"""Which database and user ``open()`` picks, the migrations, and the import rules."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import cryogen_widgets.store as store_api
from cryogen_widgets.store._engine import database_url, dispose_engines, engine_for
from cryogen_widgets.store._models import Base
from tests.store.designs import chain_design


def test_default_is_a_sqlite_file_under_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CRYOGEN_DB_URL", raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "hubuser")
    try:
        store = store_api.open()
        assert store.user == "hubuser"
        assert store.url == f"sqlite:///{tmp_path}/.cryogen/cryogen.sqlite"
        store.projects.create("p", chain_design())
        assert (tmp_path / ".cryogen" / "cryogen.sqlite").is_file()
    finally:
        dispose_engines()


def test_the_hub_environment_picks_the_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    monkeypatch.setenv("CRYOGEN_DB_URL", url)
    try:
        assert store_api.open(user="x").url == url
    finally:
        dispose_engines()


def test_plain_postgresql_urls_use_psycopg3():
    assert database_url("postgresql://u:p@db:5432/cryogen") == (
        "postgresql+psycopg://u:p@db:5432/cryogen"
    )


def test_migrations_build_exactly_the_models_schema(db_url):
    with engine_for(db_url).connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []


def test_projects_survive_reopening_the_database(db_url):
    store_api.open(db_url, user="a").projects.create("p", chain_design())
    dispose_engines()
    assert [p.name for p in store_api.open(db_url, user="a").projects.list()] == ["p"]


def test_the_store_does_not_import_widgets():
    code = (
        "import sys, cryogen_widgets.store, cryogen_widgets.store.accounts;"
        "bad = [m for m in ('ipywidgets', 'IPython') if m in sys.modules]; print(bad);"
        "sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_migrations_downgrade_to_nothing_and_upgrade_again(db_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from cryogen_widgets.store._engine import MIGRATIONS_DIR, upgrade_to_head

    engine = engine_for(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_to_head(engine)
    assert {"users", "projects", "project_versions", "simulations", "usage_records"} <= set(
        inspect(engine).get_table_names()
    )


def test_the_kernel_environment_of_a_hub_picks_the_store_service(tmp_path, monkeypatch):
    """``CRYOGEN_STORE_URL`` + the kernel's own ``JUPYTERHUB_API_TOKEN``: a client of the
    service, whatever ``CRYOGEN_DB_URL`` says; no token is refused before any call."""
    import requests

    from tests.store.service import ServiceThread

    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    engine_for(url)
    service = ServiceThread(url, str(tmp_path / "results")).start()
    try:
        monkeypatch.setenv("CRYOGEN_STORE_URL", service.url)
        monkeypatch.setenv("CRYOGEN_DB_URL", "sqlite:////nonexistent/never-opened.sqlite")
        monkeypatch.setenv("JUPYTERHUB_API_TOKEN", service.token_for("kim"))
        store = store_api.open()
        try:
            assert (store.user, store.url, store.plan.name) == ("kim", service.url, "academic")
            assert store.projects.create("p", chain_design()).owner == "kim"
        finally:
            store.close()
        monkeypatch.delenv("JUPYTERHUB_API_TOKEN")
        with pytest.raises(store_api.StoreError, match="JUPYTERHUB_API_TOKEN is not set"):
            store_api.open()
        bad = requests.post(
            service.url + "api/call/projects/list",
            data=b'{"kwargs": {"__type__": "Plan", "name": 1}}',
            headers={"Authorization": f"token {service.token_for('kim')}"},
            timeout=10,
        )
        assert bad.status_code == 400 and bad.json()["error"] == "DesignError"
    finally:
        service.stop()
        dispose_engines()


def test_nothing_outside_the_store_imports_its_private_modules():
    """The store's public API (issue 12): its package, ``accounts``, ``plans``, ``components``
    and ``service``; the rest of the application never reaches into ``store._*``."""
    import ast
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    store_dir = repo / "cryogen_widgets" / "store"
    offenders = []
    for path in [*repo.glob("cryogen_widgets/**/*.py"), *repo.glob("hub_config/**/*.py")]:
        if store_dir in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(n.startswith("cryogen_widgets.store._") for n in names):
                offenders.append(str(path.relative_to(repo)))
    assert offenders == []
