"""OAuth: clients, consents, authorization codes, refresh tokens, login sessions, login throttle.

Global tables (no RLS): a sign-in or a token request comes before any workspace is known. Rows that
belong to a workspace carry ``workspace_id`` and the code filters by it explicitly.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (
    "oauth_clients",
    "oauth_consents",
    "oauth_codes",
    "oauth_refresh_tokens",
    "login_sessions",
    "login_throttle",
)


def _at(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _created_at() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "oauth_clients",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=True),
        sa.Column("redirect_uris", sa.Text(), nullable=False),
        sa.Column("grant_types", sa.String(200), nullable=False),
        sa.Column("scopes", sa.String(500), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        _created_at(),
        _at("secret_rotated_at", nullable=True),
        _at("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_oauth_clients"),
        sa.UniqueConstraint("client_id", name="uq_oauth_clients_client_id"),
        sa.ForeignKeyConstraint(["workspace_id"], ["structures.id"], name="fk_oauth_clients_workspace_id_structures"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_oauth_clients_created_by_users"),
    )
    op.create_index("ix_oauth_clients_workspace", "oauth_clients", ["workspace_id", "created_at", "id"])

    op.create_table(
        "oauth_consents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("client_pk", sa.Uuid(), nullable=False),
        sa.Column("scopes", sa.String(500), nullable=False),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        _at("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_oauth_consents"),
        sa.ForeignKeyConstraint(["workspace_id"], ["structures.id"], name="fk_oauth_consents_workspace_id_structures"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_oauth_consents_user_id_users"),
        sa.ForeignKeyConstraint(["client_pk"], ["oauth_clients.id"], name="fk_oauth_consents_client_pk_oauth_clients"),
    )
    op.create_index("ix_oauth_consents_workspace", "oauth_consents", ["workspace_id", "created_at", "id"])
    op.create_index("ix_oauth_consents_user_client", "oauth_consents", ["user_id", "client_pk", "workspace_id"])

    op.create_table(
        "oauth_codes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("client_pk", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("consent_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(30), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("scopes", sa.String(500), nullable=False),
        sa.Column("code_challenge", sa.String(128), nullable=False),
        sa.Column("code_challenge_method", sa.String(10), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        _at("used_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_oauth_codes"),
        sa.UniqueConstraint("code_hash", name="uq_oauth_codes_code_hash"),
        sa.ForeignKeyConstraint(["client_pk"], ["oauth_clients.id"], name="fk_oauth_codes_client_pk_oauth_clients"),
        sa.ForeignKeyConstraint(["workspace_id"], ["structures.id"], name="fk_oauth_codes_workspace_id_structures"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_oauth_codes_user_id_users"),
        sa.ForeignKeyConstraint(["consent_id"], ["oauth_consents.id"], name="fk_oauth_codes_consent_id_oauth_consents"),
    )

    op.create_table(
        "oauth_refresh_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("client_pk", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("consent_id", sa.Uuid(), nullable=False),
        sa.Column("scopes", sa.String(500), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        _at("used_at", nullable=True),
        _at("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_oauth_refresh_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_oauth_refresh_tokens_token_hash"),
        sa.ForeignKeyConstraint(
            ["client_pk"], ["oauth_clients.id"], name="fk_oauth_refresh_tokens_client_pk_oauth_clients"
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["structures.id"], name="fk_oauth_refresh_tokens_workspace_id_structures"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_oauth_refresh_tokens_user_id_users"),
        sa.ForeignKeyConstraint(
            ["consent_id"], ["oauth_consents.id"], name="fk_oauth_refresh_tokens_consent_id_oauth_consents"
        ),
    )
    op.create_index("ix_oauth_refresh_tokens_family", "oauth_refresh_tokens", ["family_id"])
    op.create_index("ix_oauth_refresh_tokens_consent", "oauth_refresh_tokens", ["consent_id"])
    op.create_index("ix_oauth_refresh_tokens_client", "oauth_refresh_tokens", ["client_pk"])

    op.create_table(
        "login_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_login_sessions"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_login_sessions_user_id_users"),
    )

    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        _at("window_started_at"),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )

    if op.get_bind().dialect.name == "postgresql":
        for statement in rls.grant_tables(*TABLES):
            op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
