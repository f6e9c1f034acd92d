"""Timers as jobs: tacit validation of sub-contracting invoices 15 days after their deposit.

Choice: one job per invoice, enqueued in the deposit's own transaction (``run_at`` = deposit + 15 days),
rather than a periodic sweep. The timer exists if and only if the invoice does, it runs at the exact due
time, it names its tenant (the supplier's workspace) so no cross-tenant scan is needed, and a fake clock
drives it in tests. When it fires, ``validate_tacitly`` decides: an invoice validated or refused meanwhile
is left alone (the job is then a no-op).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposit.records import InvoiceRecord
from invoicing.lifecycle.service import TACIT_VALIDATION_DELAY, validate_tacitly
from tenancy.db import Database
from tenancy.jobs import queue as jobs
from tenancy.jobs.queue import ClaimedJob, Clock
from tenancy.moments import utc

TACIT_VALIDATION = "tacit_validation"


async def schedule_tacit_validation(session: AsyncSession, issued: InvoiceRecord) -> uuid.UUID:
    """In the deposit's transaction: validate ``issued`` by silence once the delay has passed."""
    return await jobs.enqueue(
        session,
        TACIT_VALIDATION,
        {"invoice_id": str(issued.id)},
        for_tenant=issued.tenant_id,
        run_at=utc(issued.deposited_at) + TACIT_VALIDATION_DELAY,
    )


async def run_tacit_validation(db: Database, job: ClaimedJob, clock: Clock) -> None:
    assert job.for_tenant is not None, "a tacit validation names the supplier's workspace"
    await validate_tacitly(db, uuid.UUID(str(job.payload["invoice_id"])), job.for_tenant, now=clock.now())
