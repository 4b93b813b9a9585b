"""Alembic environment of the store.

``cryogen_widgets.store`` passes an open connection (already inside a transaction)
in ``config.attributes["connection"]``; run from the ``alembic`` command line,
the database is ``CRYOGEN_DB_URL`` or the default file.
"""

from __future__ import annotations

from alembic import context

from cryogen_widgets.store._models import Base

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from cryogen_widgets.store._engine import create_engine_for

    engine = create_engine_for(None, migrate=False)
    with engine.begin() as conn:
        _run(conn)
