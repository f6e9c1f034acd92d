"""Flux processing: one outcome row per archive member (written with its deposit), the member under way;
jobs that gave up.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("fluxes", sa.Column("member_in_progress", sa.Integer(), nullable=True))
    op.add_column("fluxes", sa.Column("member_starts", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "flux_members",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("flux_id", sa.Uuid(), nullable=False),
        sa.Column("index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("invoice_number", sa.String(length=20), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "flux_id"], ["fluxes.tenant_id", "fluxes.id"], name="fk_flux_members_tenant_id_flux_id_fluxes"
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_flux_members_tenant_id_structures"),
        sa.PrimaryKeyConstraint("tenant_id", "flux_id", "index", name="pk_flux_members"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in rls.grant_tables("flux_members"):
            op.execute(statement)
        for statement in rls.protect("flux_members"):
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("flux_members")
    op.drop_column("fluxes", "member_starts")
    op.drop_column("fluxes", "member_in_progress")
    op.drop_column("jobs", "failed_at")
