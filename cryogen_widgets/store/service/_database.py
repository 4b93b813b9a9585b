"""The service's database connection: never a role that can bypass row-level security."""

from __future__ import annotations

from sqlalchemy import Engine, text

from cryogen_widgets.store._engine import create_engine_for
from cryogen_widgets.store._errors import StoreError

SERVICE_ROLE = "cryogen_store_service"
"""The PostgreSQL group role the row-level security policies grant to (migration 0002)."""


def service_engine(url: str | None) -> Engine:
    """An engine for the service on ``url``, which the hub has already migrated.

    Raises
    ------
    StoreError
        On PostgreSQL, the role of ``url`` is a superuser, has BYPASSRLS, owns the
        tables, or is not a member of ``cryogen_store_service``.
    """
    engine = create_engine_for(url, migrate=False, pool_size=16)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT r.rolsuper OR r.rolbypassrls, "
                    "EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'projects' "
                    "AND tableowner = current_user), "
                    "pg_has_role(current_user, :role, 'MEMBER') "
                    "FROM pg_roles r WHERE r.rolname = current_user"
                ),
                {"role": SERVICE_ROLE},
            ).one()
            user = conn.execute(text("SELECT current_user")).scalar()
        bypass, owner, member = row
        if bypass or owner or not member:
            engine.dispose()
            raise StoreError(
                f"the store service must connect as a role under row-level security, not "
                f"{user!r} (superuser or BYPASSRLS: {bypass}; owns the tables: {owner}; member "
                f"of {SERVICE_ROLE}: {member}). Create one: CREATE ROLE cryogen_service LOGIN "
                f"PASSWORD '...' IN ROLE {SERVICE_ROLE}; and set CRYOGEN_STORE_DB_URL to it."
            )
    return engine
