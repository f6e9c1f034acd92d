"""Alembic environment: migrations run on the connection handed over by ``migrations.upgrade``."""

from __future__ import annotations

from alembic import context

import auth.models
import auth.oauth_models  # noqa: F401  (registers the auth and OAuth tables on the metadata)
import tenancy.events.table
import tenancy.jobs.table
import tenancy.joining.models
import tenancy.mail.table
import tenancy.models  # noqa: F401
from tenancy.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("run migrations with `facturehub migrate`, which hands Alembic a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
