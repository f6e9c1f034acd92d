"""Mail: the outbox the worker sends from.

Revision ID: 0005_mail
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0005_mail"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=250), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_outbox"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Global like jobs (no tenant, no RLS): sign-up and reset mail belong to no workspace.
        for statement in rls.grant_tables("mail_outbox"):
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("mail_outbox")
