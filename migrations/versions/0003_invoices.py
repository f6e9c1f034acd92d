"""Invoices: both sides' records, history, attachments, documents stored once; fluxes, jobs, idempotency.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TENANT_TABLES = ("invoices", "invoice_events", "invoice_attachments", "fluxes", "idempotency_keys")
GLOBAL_TABLES = ("documents", "jobs")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_documents"),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("for_tenant", sa.Uuid(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_by", sa.String(length=100), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
    )
    op.create_index("ix_jobs_due", "jobs", ["done_at", "run_at"], unique=False)
    op.create_table(
        "fluxes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("archive_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("deposited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("depositor", sa.String(length=200), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["archive_sha256"], ["documents.sha256"], name="fk_fluxes_archive_sha256_documents"),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_fluxes_tenant_id_structures"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_fluxes"),
    )
    op.create_index("uq_fluxes_number", "fluxes", ["tenant_id", "number"], unique=True)
    op.create_table(
        "idempotency_keys",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_idempotency_keys_tenant_id_structures"),
        sa.PrimaryKeyConstraint("tenant_id", "key", name="pk_idempotency_keys"),
    )
    op.create_table(
        "invoices",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("transmission_id", sa.Uuid(), nullable=False),
        sa.Column("side", sa.String(length=12), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("type_code", sa.String(length=3), nullable=False),
        sa.Column("is_credit_note", sa.Boolean(), nullable=False),
        sa.Column("frame", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("supplier_identifier", sa.String(length=80), nullable=False),
        sa.Column("supplier_name", sa.String(length=200), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_identifier", sa.String(length=80), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("validator_id", sa.Uuid(), nullable=True),
        sa.Column("validator_identifier", sa.String(length=80), nullable=True),
        sa.Column("service_code", sa.String(length=100), nullable=True),
        sa.Column("engagement_number", sa.String(length=50), nullable=True),
        sa.Column("total_without_vat", sa.Numeric(precision=19, scale=6), nullable=False),
        sa.Column("total_vat", sa.Numeric(precision=19, scale=6), nullable=False),
        sa.Column("total_with_vat", sa.Numeric(precision=19, scale=6), nullable=False),
        sa.Column("amount_due", sa.Numeric(precision=19, scale=6), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deposited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("document_name", sa.String(length=200), nullable=False),
        sa.Column("syntax", sa.String(length=20), nullable=False),
        sa.Column("flux_id", sa.Uuid(), nullable=True),
        sa.Column("rejection_acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_sha256"], ["documents.sha256"], name="fk_invoices_document_sha256_documents"
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_invoices_tenant_id_structures"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_invoices"),
    )
    op.create_index("ix_invoices_inbox", "invoices", ["tenant_id", "side", "deposited_at", "id"], unique=False)
    op.create_index("ix_invoices_status", "invoices", ["tenant_id", "side", "status"], unique=False)
    op.create_index(
        "uq_invoices_number", "invoices", ["tenant_id", "side", "supplier_id", "year", "number"], unique=True
    )
    op.create_index("uq_invoices_tenant_transmission", "invoices", ["tenant_id", "transmission_id"], unique=True)
    op.create_table(
        "invoice_attachments",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=50), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_sha256"], ["documents.sha256"], name="fk_invoice_attachments_document_sha256_documents"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name="fk_invoice_attachments_tenant_id_invoice_id_invoices",
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_invoice_attachments_tenant_id_structures"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_invoice_attachments"),
    )
    op.create_index("ix_invoice_attachments_invoice", "invoice_attachments", ["tenant_id", "invoice_id"], unique=False)
    op.create_table(
        "invoice_events",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("status_from", sa.String(length=40), nullable=True),
        sa.Column("status_to", sa.String(length=40), nullable=True),
        sa.Column("actor_side", sa.String(length=12), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name="fk_invoice_events_tenant_id_invoice_id_invoices",
        ),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_invoice_events_tenant_id_structures"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_invoice_events"),
    )
    op.create_index("ix_invoice_events_invoice", "invoice_events", ["tenant_id", "invoice_id", "at"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for statement in rls.grant_tables(*TENANT_TABLES, *GLOBAL_TABLES):
            op.execute(statement)
        for table in TENANT_TABLES:
            for statement in rls.protect(table):
                op.execute(statement)


def downgrade() -> None:
    for table in (
        "invoice_events",
        "invoice_attachments",
        "invoices",
        "idempotency_keys",
        "fluxes",
        "jobs",
        "documents",
    ):
        op.drop_table(table)
