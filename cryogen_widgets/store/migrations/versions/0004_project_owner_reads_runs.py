"""The owner of a project may read the run records of it, whoever ran them (PostgreSQL
row-level security of the store service's role), so that deleting a project also removes
the result files of its members' runs.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SERVICE_ROLE = "cryogen_store_service"  # created by 0002_store_service
POLICY = "project_owner_reads"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # cryogen_owns (0002_store_service): the transaction's user owns the project.
        op.execute(
            f"CREATE POLICY {POLICY} ON simulations FOR SELECT TO {SERVICE_ROLE} "
            "USING (cryogen_owns(project_id))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP POLICY {POLICY} ON simulations")
