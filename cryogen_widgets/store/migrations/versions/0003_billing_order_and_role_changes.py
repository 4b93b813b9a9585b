"""Billing events keep Stripe's creation time and subscription id (so a late event older
than the last one applied is ignored); every organisation role change is recorded, and
an organisation has at most one owner row.

On PostgreSQL the store service's role may read the role history of its own
organisations and record changes in the organisations it administers (row-level
security, as the other tenant tables in 0002_store_service).

Revision ID: 0003
Revises: 0002_store_service
Create Date: 2026-12-05 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002_store_service"

SERVICE_ROLE = "cryogen_store_service"  # created by 0002_store_service
ROLE_CHANGE_POLICIES = (
    ("read", "SELECT", "org_id IN (SELECT cryogen_member_orgs())", None),
    ("add", "INSERT", None, "org_id IN (SELECT cryogen_admin_orgs())"),
)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("billing_events", sa.Column("created", sa.BigInteger(), nullable=True))
    op.add_column(
        "billing_events", sa.Column("subscription_id", sa.String(length=100), nullable=True)
    )
    op.create_table(
        "role_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("old_role", sa.String(length=20), nullable=True),
        sa.Column("new_role", sa.String(length=20), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["changed_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_role_changes_org_id", "role_changes", ["org_id"])
    # Before this revision an admin could make a second owner; the member with the lowest
    # user id (the earliest account) stays owner, the others become admins.
    op.execute(
        "UPDATE memberships SET role = 'admin' WHERE role = 'owner' AND user_id > "
        "(SELECT MIN(m.user_id) FROM memberships m WHERE m.org_id = memberships.org_id "
        "AND m.role = 'owner')"
    )
    op.create_index(
        "uq_memberships_one_owner",
        "memberships",
        ["org_id"],
        unique=True,
        sqlite_where=sa.text("role = 'owner'"),
        postgresql_where=sa.text("role = 'owner'"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE role_changes ENABLE ROW LEVEL SECURITY")
        for name, command, using, check in ROLE_CHANGE_POLICIES:
            clauses = (f" USING ({using})" if using else "") + (
                f" WITH CHECK ({check})" if check else ""
            )
            op.execute(
                f"CREATE POLICY {name} ON role_changes FOR {command} TO {SERVICE_ROLE}{clauses}"
            )
        op.execute(f"GRANT SELECT, INSERT ON role_changes TO {SERVICE_ROLE}")
        op.execute(f"GRANT USAGE ON SEQUENCE role_changes_id_seq TO {SERVICE_ROLE}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"REVOKE ALL ON role_changes FROM {SERVICE_ROLE}")
        op.execute(f"REVOKE ALL ON SEQUENCE role_changes_id_seq FROM {SERVICE_ROLE}")
    op.drop_index("uq_memberships_one_owner", table_name="memberships")
    op.drop_index("ix_role_changes_org_id", table_name="role_changes")
    op.drop_table("role_changes")
    with op.batch_alter_table("billing_events") as batch:  # SQLite drops columns by copy
        batch.drop_column("subscription_id")
        batch.drop_column("created")
