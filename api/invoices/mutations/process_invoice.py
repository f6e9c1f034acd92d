from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.permissions import requires
from api.core.text import MULTI_LINE
from api.invoices.acting import act
from api.invoices.errors import InvoiceError
from api.invoices.types import Invoice, InvoiceStatus
from auth.scopes import Scope
from invoicing.lifecycle import service as lifecycle_service
from invoicing.lifecycle.transitions import Status


@strawberry.input
class ProcessInvoiceInput:
    invoice_id: strawberry.ID
    status: InvoiceStatus
    reason: str | None = strawberry.field(
        default=None, description="Required for SUSPENDUE, REJETEE, A_RECYCLER.", metadata=MULTI_LINE
    )
    version: int | None = strawberry.field(default=None, description="The version you saw: a stale one is a CONFLICT.")


@strawberry.type
class ProcessInvoicePayload:
    invoice: Invoice | None
    user_errors: list[InvoiceError]


@strawberry.mutation(
    permission_classes=[requires(Scope.INVOICES_PROCESS)],
    description="The recipient moves a received invoice along its life cycle (see Invoice.allowedTransitions).",
)
async def process_invoice(info: Info[Context, None], input: ProcessInvoiceInput) -> ProcessInvoicePayload:
    target = Status(input.status)
    invoice, errors = await act(
        info.context,
        input.invoice_id,
        lambda actor, key: lifecycle_service.change_status(
            info.context.db, actor, key, target, input.reason, expected_version=input.version
        ),
    )
    return ProcessInvoicePayload(invoice=invoice, user_errors=errors)
