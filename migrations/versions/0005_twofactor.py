"""Two-factor sign-in: authenticator apps (TOTP), recovery codes, the sign-in step between password and
code; a workspace's requirement of a second factor for its administrators.

Revision ID: 0005_twofactor
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0005_twofactor"
down_revision = "0005_mail"
branch_labels = None
depends_on = None

TABLES = ("totp_factors", "recovery_codes", "login_challenges")


def _at(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column(
        "structures",
        sa.Column("require_admin_two_factor", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "totp_factors",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("secret", sa.String(64), nullable=False),
        _at("created_at"),
        _at("confirmed_at", nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name="pk_totp_factors"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_totp_factors_user_id_users"),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        _at("created_at"),
        _at("used_at", nullable=True),
        sa.PrimaryKeyConstraint("user_id", "code_hash", name="pk_recovery_codes"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_recovery_codes_user_id_users"),
    )
    op.create_table(
        "login_challenges",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_login_challenges"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_login_challenges_user_id_users"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in rls.grant_tables(*TABLES):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    op.drop_column("structures", "require_admin_two_factor")
