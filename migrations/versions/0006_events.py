"""Each workspace's event log (``events``) and the counter its ids come from (``event_counters``).

Revision ID: 0006_events
Revises: 0005_twofactor
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tenancy import rls

revision = "0006_events"
down_revision = "0006_signup"
branch_labels = None
depends_on = None

TABLES = ("event_counters", "events")


def upgrade() -> None:
    op.create_table(
        "event_counters",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_event_counters_tenant_id_structures"),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_event_counters"),
    )
    op.create_table(
        "events",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("actor_kind", sa.String(length=10), nullable=False),
        sa.Column("object_kind", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["structures.id"], name="fk_events_tenant_id_structures"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_events"),
    )
    op.create_index("ix_events_object", "events", ["tenant_id", "object_id", "id"])
    op.create_index("ix_events_type", "events", ["tenant_id", "type", "id"])
    if op.get_bind().dialect.name == "postgresql":
        for statement in rls.grant_tables(*TABLES):
            op.execute(statement)
        for table in TABLES:
            for statement in rls.protect(table):
                op.execute(statement)


def downgrade() -> None:
    op.drop_index("ix_events_type", table_name="events")
    op.drop_index("ix_events_object", table_name="events")
    op.drop_table("events")
    op.drop_table("event_counters")
