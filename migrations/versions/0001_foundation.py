"""Foundation: structures, services, members, users, signing keys; roles and RLS on PostgreSQL.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TENANT_TABLES = ("services", "memberships")
ALL_TABLES = ("structures", "services", "memberships", "users", "signing_keys")


def _created_at() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for statement in rls.create_roles():
            op.execute(statement)

    op.create_table(
        "structures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("identifier_type", sa.String(20), nullable=False),
        sa.Column("identifier", sa.String(80), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("vat_number", sa.String(20), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("address_line1", sa.String(200), nullable=True),
        sa.Column("address_line2", sa.String(200), nullable=True),
        sa.Column("address_line3", sa.String(200), nullable=True),
        sa.Column("postcode", sa.String(20), nullable=True),
        sa.Column("town", sa.String(100), nullable=True),
        sa.Column("country_code", sa.String(2), nullable=False),
        sa.Column("country_name", sa.String(100), nullable=True),
        sa.Column("service_code_required", sa.Boolean(), nullable=False),
        sa.Column("engagement_required", sa.Boolean(), nullable=False),
        sa.Column("service_or_engagement_required", sa.Boolean(), nullable=False),
        sa.Column("payment_status_reported", sa.Boolean(), nullable=False),
        sa.Column("is_moa", sa.Boolean(), nullable=False),
        sa.Column("is_moa_only", sa.Boolean(), nullable=False),
        sa.Column("edi_emitter", sa.Boolean(), nullable=False),
        sa.Column("edi_receiver", sa.Boolean(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_structures"),
    )
    op.create_index("uq_structures_identifier", "structures", ["identifier_type", "identifier"], unique=True)
    op.create_index("ix_structures_public_name", "structures", ["is_public", "name", "id"])

    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )

    op.create_table(
        "services",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("engagement_required", sa.Boolean(), nullable=False),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_services"),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_services_tenant_id_structures"),
    )
    op.create_index("uq_services_tenant_code", "services", ["tenant_id", "code"], unique=True)

    op.create_table(
        "memberships",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("access", sa.String(10), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_memberships"),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_memberships_tenant_id_structures"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_memberships_user_id_users"),
    )
    op.create_index("uq_memberships_tenant_user", "memberships", ["tenant_id", "user_id"], unique=True)
    op.create_index("ix_memberships_user", "memberships", ["user_id"])

    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(64), nullable=False),
        sa.Column("alg", sa.String(10), nullable=False),
        sa.Column("private_jwk", sa.Text(), nullable=False),
        sa.Column("public_jwk", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signs_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kid", name="pk_signing_keys"),
    )

    if postgres:
        for statement in rls.grant_tables(*ALL_TABLES):
            op.execute(statement)
        for table in TENANT_TABLES:
            for statement in rls.protect(table):
                op.execute(statement)
        # The structure row is the tenant itself: a workspace sees its own row only.
        for statement in rls.protect("structures", column="id"):
            op.execute(statement)


def downgrade() -> None:
    for table in ("signing_keys", "memberships", "services", "users", "structures"):
        op.drop_table(table)
