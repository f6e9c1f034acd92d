"""Joining a structure: requests to join and invitations (tenant-owned, under RLS); the date an account's
e-mail address was proven (an invitation's link proves it).

Revision ID: 0006_joining
Revises: 0005_mail
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0006_joining"
down_revision = "0005_twofactor"
branch_labels = None
depends_on = None

_PENDING = sa.text("status = 'PENDING'")


def upgrade() -> None:
    op.add_column("users", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "membership_requests",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=True),
        sa.Column("access", sa.String(length=10), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_membership_requests_tenant_id_structures"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_membership_requests_user_id_users"),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name="fk_membership_requests_decided_by_users"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_membership_requests"),
    )
    op.create_index(
        "uq_membership_requests_pending",
        "membership_requests",
        ["tenant_id", "user_id"],
        unique=True,
        sqlite_where=_PENDING,
        postgresql_where=_PENDING,
    )
    op.create_index(
        "ix_membership_requests_tenant_status", "membership_requests", ["tenant_id", "status", "created_at", "id"]
    )
    op.create_index("ix_membership_requests_user", "membership_requests", ["user_id"])
    op.create_table(
        "invitations",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("access", sa.String(length=10), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        sa.Column("accepted_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_invitations_tenant_id_structures"),
        sa.ForeignKeyConstraint(["invited_by"], ["users.id"], name="fk_invitations_invited_by_users"),
        sa.ForeignKeyConstraint(["accepted_by"], ["users.id"], name="fk_invitations_accepted_by_users"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_invitations"),
    )
    op.create_index("uq_invitations_token", "invitations", ["tenant_id", "token_hash"], unique=True)
    op.create_index(
        "uq_invitations_pending",
        "invitations",
        ["tenant_id", "email"],
        unique=True,
        sqlite_where=_PENDING,
        postgresql_where=_PENDING,
    )
    op.create_index("ix_invitations_tenant_created", "invitations", ["tenant_id", "created_at", "id"])
    op.create_index("ix_invitations_email", "invitations", ["email"])
    if op.get_bind().dialect.name == "postgresql":
        for table in ("membership_requests", "invitations"):
            for statement in (*rls.grant_tables(table), *rls.protect(table)):
                op.execute(statement)


def downgrade() -> None:
    op.drop_table("invitations")
    op.drop_table("membership_requests")
    op.drop_column("users", "email_verified_at")
