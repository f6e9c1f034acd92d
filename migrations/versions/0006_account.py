"""Getting back in and the account page: single-use links (password reset, change of e-mail) stored as
digests, a person's language, and what the account page shows of each sign-in session.

Revision ID: 0006_account
Revises: 0005_twofactor
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0006_account"
down_revision = "0006_joining"
branch_labels = None
depends_on = None


def _at(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "one_time_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(40), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("address", sa.String(254), nullable=True),
        _at("created_at"),
        _at("expires_at"),
        _at("used_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_one_time_links"),
        sa.UniqueConstraint("token_hash", name="uq_one_time_links_token_hash"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_one_time_links_user_id_users"),
    )
    op.create_index("ix_one_time_links_user_purpose", "one_time_links", ["user_id", "purpose"])
    op.add_column("users", sa.Column("locale", sa.String(5), nullable=True))
    op.add_column("login_sessions", _at("last_seen_at", nullable=True))
    op.add_column("login_sessions", sa.Column("user_agent", sa.String(300), nullable=True))
    op.create_index("ix_login_sessions_user", "login_sessions", ["user_id"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in rls.grant_tables("one_time_links"):
            op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_login_sessions_user", "login_sessions")
    with op.batch_alter_table("login_sessions") as sessions:
        sessions.drop_column("user_agent")
        sessions.drop_column("last_seen_at")
    with op.batch_alter_table("users") as users:
        users.drop_column("locale")
    op.drop_index("ix_one_time_links_user_purpose", "one_time_links")
    op.drop_table("one_time_links")
