"""Store service: one set of analysis names, runs of unsaved designs, and (PostgreSQL)
row-level security for the service's role ``cryogen_store_service``.

Analysis names become the solver's (``steady``, ``cooldown``, ``field``, ``quench``:
``heat_load`` -> ``steady``, ``magnet_field`` -> ``field``). A simulation may have no
project (a design run before it was saved).

Row-level security is keyed on the user of the transaction (``cryogen.user_id``, set
by the store in every transaction) and the organisations they belong to. The role
that runs the migrations owns the tables and is not subject to it (the hub, billing,
``make run``); the store service connects as a member of ``cryogen_store_service``,
which is. Helper functions that read memberships and shares run as SECURITY
DEFINER, so the policies do not recurse into each other.

Revision ID: 0002_store_service
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_store_service"
down_revision = "0001"
branch_labels = None
depends_on = None

ROLE = "cryogen_store_service"
OLD_ANALYSES = "analysis IN ('heat_load', 'cooldown', 'magnet_field', 'quench')"
NEW_ANALYSES = "analysis IN ('steady', 'cooldown', 'field', 'quench')"
RENAMES = (("heat_load", "steady"), ("magnet_field", "field"))

FUNCTIONS = {
    "cryogen_user_id()": """RETURNS integer LANGUAGE sql STABLE AS
        $$ SELECT NULLIF(current_setting('cryogen.user_id', true), '')::integer $$""",
    "cryogen_member_orgs()": """RETURNS SETOF integer LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path FROM CURRENT AS
        $$ SELECT org_id FROM memberships WHERE user_id = cryogen_user_id() $$""",
    "cryogen_admin_orgs()": """RETURNS SETOF integer LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path FROM CURRENT AS
        $$ SELECT org_id FROM memberships
           WHERE user_id = cryogen_user_id() AND role IN ('owner', 'admin') $$""",
    "cryogen_org_is_empty(org integer)": """RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path FROM CURRENT AS
        $$ SELECT NOT EXISTS (SELECT 1 FROM memberships WHERE org_id = org) $$""",
    "cryogen_shared_projects()": """RETURNS SETOF varchar LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path FROM CURRENT AS
        $$ SELECT project_id FROM project_shares WHERE user_id = cryogen_user_id() $$""",
    "cryogen_can_read(pid varchar)": """RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path FROM CURRENT AS
        $$ SELECT EXISTS (SELECT 1 FROM projects p WHERE p.id = pid AND (
             p.owner_id = cryogen_user_id() OR p.public
             OR p.org_id IN (SELECT cryogen_member_orgs())
             OR p.id IN (SELECT cryogen_shared_projects()))) $$""",
    "cryogen_can_write(pid varchar)": """RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path FROM CURRENT AS
        $$ SELECT EXISTS (SELECT 1 FROM projects p WHERE p.id = pid AND (
             p.owner_id = cryogen_user_id() OR p.org_id IN (SELECT cryogen_member_orgs()))) $$""",
    "cryogen_owns(pid varchar)": """RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path FROM CURRENT AS
        $$ SELECT EXISTS (SELECT 1 FROM projects p
           WHERE p.id = pid AND p.owner_id = cryogen_user_id()) $$""",
}

UID = "cryogen_user_id()"
ORGS = "(SELECT cryogen_member_orgs())"
POLICIES = {
    "projects": [
        (
            "read",
            "SELECT",
            (
                f"owner_id = {UID} OR public OR org_id IN {ORGS} "
                "OR id IN (SELECT cryogen_shared_projects())"
            ),
            None,
        ),
        ("add", "INSERT", None, f"owner_id = {UID} AND (org_id IS NULL OR org_id IN {ORGS})"),
        (
            "change",
            "UPDATE",
            f"owner_id = {UID} OR org_id IN {ORGS}",
            f"owner_id = {UID} OR org_id IN {ORGS}",
        ),
        ("remove", "DELETE", f"owner_id = {UID}", None),
    ],
    "project_versions": [
        ("read", "SELECT", "cryogen_can_read(project_id)", None),
        ("add", "INSERT", None, "cryogen_can_write(project_id)"),
    ],
    "project_shares": [
        ("read", "SELECT", f"user_id = {UID} OR cryogen_owns(project_id)", None),
        ("add", "INSERT", None, "cryogen_owns(project_id)"),
        ("remove", "DELETE", "cryogen_owns(project_id)", None),
    ],
    "simulations": [
        (
            "own",
            "ALL",
            f"user_id = {UID}",
            f"user_id = {UID} AND (project_id IS NULL OR cryogen_can_read(project_id))",
        ),
    ],
    "usage_records": [("own", "ALL", f"user_id = {UID}", f"user_id = {UID}")],
    "components": [
        ("read", "SELECT", f"owner_id IS NULL OR owner_id = {UID}", None),
        ("add", "INSERT", None, f"owner_id = {UID}"),
        ("change", "UPDATE", f"owner_id = {UID}", f"owner_id = {UID}"),
        ("remove", "DELETE", f"owner_id = {UID}", None),
    ],
    "memberships": [
        ("read", "SELECT", f"user_id = {UID} OR org_id IN {ORGS}", None),
        (
            "add",
            "INSERT",
            None,
            "org_id IN (SELECT cryogen_admin_orgs()) OR cryogen_org_is_empty(org_id)",
        ),
        (
            "change",
            "UPDATE",
            "org_id IN (SELECT cryogen_admin_orgs())",
            "org_id IN (SELECT cryogen_admin_orgs())",
        ),
        ("remove", "DELETE", f"org_id IN (SELECT cryogen_admin_orgs()) OR user_id = {UID}", None),
    ],
}
# Organisation names are unique across tenants, so every name is visible (to refuse a taken one).
GRANTS = [
    (
        "GRANT SELECT, INSERT, UPDATE, DELETE ON projects, project_versions, project_shares, "
        f"simulations, usage_records, components, memberships TO {ROLE}"
    ),
    f"GRANT SELECT, INSERT ON organizations TO {ROLE}",
    # users: names and plans only (no e-mail, no Stripe ids), and never a plan change.
    f"GRANT SELECT (id, name, plan, created_at) ON users TO {ROLE}",
    f"GRANT INSERT (name, plan, dashboard, subscription_status, created_at) ON users TO {ROLE}",
]


def _analyses(old: str, new: str, renames) -> None:
    with op.batch_alter_table("simulations") as batch:
        batch.drop_constraint("ck_simulations_analysis", type_="check")
    for before, after in renames:
        op.execute(
            sa.text("UPDATE simulations SET analysis = :after WHERE analysis = :before").bindparams(
                before=before, after=after
            )
        )
    with op.batch_alter_table("simulations") as batch:
        batch.create_check_constraint("ck_simulations_analysis", sa.text(new))


def upgrade() -> None:
    _analyses(OLD_ANALYSES, NEW_ANALYSES, RENAMES)
    with op.batch_alter_table("simulations") as batch:
        batch.alter_column("project_id", existing_type=sa.String(32), nullable=True)
        batch.alter_column("project_version", existing_type=sa.Integer(), nullable=True)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN "
        f"CREATE ROLE {ROLE} NOLOGIN NOBYPASSRLS; END IF; END $$"
    )
    for signature, body in FUNCTIONS.items():
        op.execute(f"CREATE OR REPLACE FUNCTION {signature} {body}")
    for table, policies in POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name, command, using, check in policies:
            clauses = (f" USING ({using})" if using else "") + (
                f" WITH CHECK ({check})" if check else ""
            )
            op.execute(f"CREATE POLICY {name} ON {table} FOR {command} TO {ROLE}{clauses}")
    for grant in GRANTS:
        op.execute(grant)
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
    op.execute(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO {ROLE}')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
        op.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {ROLE}')
        op.execute(f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "{schema}" FROM {ROLE}')
        for table, policies in POLICIES.items():
            for name, *_ in policies:
                op.execute(f"DROP POLICY {name} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for signature in reversed(FUNCTIONS):
            op.execute(f"DROP FUNCTION {signature}")
    op.execute("DELETE FROM simulations WHERE project_id IS NULL")
    with op.batch_alter_table("simulations") as batch:
        batch.alter_column("project_id", existing_type=sa.String(32), nullable=False)
        batch.alter_column("project_version", existing_type=sa.Integer(), nullable=False)
    _analyses(NEW_ANALYSES, OLD_ANALYSES, tuple((b, a) for a, b in RENAMES))
