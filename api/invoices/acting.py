"""Running a life-cycle action for the caller: refusals become user errors, the answer is the new invoice."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from api.core.context import Context
from api.invoices.actions import actor_of, invoice_key
from api.invoices.errors import InvoiceError, from_refusal
from api.invoices.types import Invoice, load_invoice
from invoicing.deposit.records import InvoiceRecord
from invoicing.deposit.transmission import Actor
from invoicing.lifecycle.service import ActionRefused

Work = Callable[[Actor, uuid.UUID], Awaitable[InvoiceRecord]]


async def act(context: Context, invoice_id: str, work: Work) -> tuple[Invoice | None, list[InvoiceError]]:
    try:
        key = invoice_key(invoice_id)
        record = await work(await actor_of(context), key)
    except ActionRefused as refused:
        return None, [from_refusal(refused)]
    return await load_invoice(context, record.id), []
