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
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from cryogen_widgets.store._errors import StoreInputError, StoreUnavailableError

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
    parsed = _parse(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return parsed.render_as_string(hide_password=False)


def _parse(url: str) -> URL:
    """``url`` as a SQLAlchemy URL of a database this installation can open, else
    StoreInputError saying what is wrong (the password never appears)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreInputError(
            "the database URL cannot be read: give e.g. sqlite:////path/cryogen.sqlite or "
            "postgresql://user:password@host/database (--db or CRYOGEN_DB_URL)"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql", "postgres"):
        raise _unknown_driver(parsed)
    return parsed


def _unknown_driver(url: URL) -> StoreInputError:
    return StoreInputError(
        f"the database URL {url.render_as_string(hide_password=True)} names the driver "
        f"{url.drivername!r}; CryoGen stores use sqlite or postgresql (psycopg)"
    )


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
    try:
        engine = create_engine(resolved, **kwargs)
    except (NoSuchModuleError, ImportError):
        raise _unknown_driver(make_url(resolved)) from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    try:
        if migrate:
            upgrade_to_head(engine)
        else:
            engine.connect().close()
    except DBAPIError as exc:
        engine.dispose()
        if not exc.connection_invalidated and not isinstance(exc.orig, _connect_errors(engine)):
            raise
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise StoreUnavailableError(
            f"cannot open the database {engine.url.render_as_string(hide_password=True)}: "
            f"{reason}. Check that the server runs and the URL (--db or CRYOGEN_DB_URL)"
        ) from None
    return engine


def _connect_errors(engine: Engine) -> tuple[type[BaseException], ...]:
    """The driver's exceptions for a database that cannot be reached or opened."""
    dbapi = engine.dialect.dbapi
    return (dbapi.OperationalError, dbapi.InterfaceError) if dbapi else ()


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
