"""Which database, and an engine for it with the schema at the latest migration.

SQLite (the default, a file under the user's home) is opened in WAL mode with
``synchronous=FULL`` and every transaction starts with ``BEGIN IMMEDIATE``: a
process killed mid-save leaves the last committed version intact, and two
writers queue instead of failing half-way. PostgreSQL is used through psycopg 3.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_LOCK_KEY = (
    0x43_52_59_4F  # "CRYO": PostgreSQL advisory lock serialising concurrent upgrades
)
_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def default_database_path() -> Path:
    """``~/.cryogen/cryogen.sqlite``: the zero-setup store of one user."""
    return Path.home() / ".cryogen" / "cryogen.sqlite"


def database_url(url: str | None = None) -> str:
    """The database to use: ``url``, else ``CRYOGEN_DB_URL`` (set by the hub), else the default file."""
    url = url or os.environ.get("CRYOGEN_DB_URL")
    if not url:
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return parsed.render_as_string(hide_password=False)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine_for(
    url: str | None = None, *, migrate: bool = True, pool_size: int | None = None
) -> Engine:
    """A new engine on ``database_url(url)``; with ``migrate`` the schema is upgraded to head.
    ``pool_size``: connections kept open (PostgreSQL; SQLAlchemy's default 5)."""
    resolved = database_url(url)
    kwargs: dict = {}
    if resolved.startswith("postgresql"):
        kwargs["pool_pre_ping"] = True
        if pool_size is not None:
            kwargs.update(pool_size=pool_size, max_overflow=pool_size)
    engine = create_engine(resolved, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    if migrate:
        upgrade_to_head(engine)
    return engine


def engine_for(url: str | None = None) -> Engine:
    """The shared, migrated engine of a database (one per URL and process)."""
    resolved = database_url(url)
    with _engines_lock:
        engine = _engines.get(resolved)
        if engine is None:
            engine = _engines[resolved] = create_engine_for(resolved)
        return engine


def dispose_engines() -> None:
    """Close every cached engine (tests, or before forking)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def upgrade_to_head(engine: Engine) -> None:
    """Apply the missing Alembic migrations in one transaction (serialised between processes)."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
