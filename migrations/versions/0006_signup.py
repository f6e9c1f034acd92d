"""Sign-up: single-use links stored as digests (the address verification of a new account), the date an
account's address was proven, and a person's language.

``one_time_links`` and ``users.locale`` are the same as the ``account`` branch's, and ``users.email_verified_at``
the same as the ``joining`` branch's: whichever is merged second keeps only what the first did not add (and the
backfill below, which keeps every account made before sign-up able to sign in).

Revision ID: 0006_signup
Revises: 0005_twofactor
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0006_signup"
down_revision = "0005_twofactor"
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
    op.add_column("users", _at("email_verified_at", nullable=True))
    # Accounts made before sign-up existed were made by an operator (or the demo), who vouched for them.
    op.execute("UPDATE users SET email_verified_at = created_at WHERE email_verified_at IS NULL")
    if op.get_bind().dialect.name == "postgresql":
        for statement in rls.grant_tables("one_time_links"):
            op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.drop_column("email_verified_at")
        users.drop_column("locale")
    op.drop_index("ix_one_time_links_user_purpose", "one_time_links")
    op.drop_table("one_time_links")
