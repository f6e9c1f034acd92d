from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.permissions import requires
from api.invoices.acting import act
from api.invoices.errors import InvoiceError
from api.invoices.types import Invoice
from auth.scopes import Scope
from invoicing.deposit.rules import Addressing
from invoicing.lifecycle import service as lifecycle_service


@strawberry.input
class RecycleInvoiceInput:
    invoice_id: strawberry.ID
    recipient_identifier: str | None = strawberry.field(default=None, description="The new recipient (or the same).")
    service_code: str | None = None
    engagement_number: str | None = None
    version: int | None = None


@strawberry.type
class RecycleInvoicePayload:
    invoice: Invoice | None
    user_errors: list[InvoiceError]


@strawberry.mutation(
    permission_classes=[requires(Scope.INVOICES_SUBMIT)],
    description="The supplier re-routes an invoice sent back (A_RECYCLER): same number, new addressing.",
)
async def recycle_invoice(info: Info[Context, None], input: RecycleInvoiceInput) -> RecycleInvoicePayload:
    addressing = Addressing(
        recipient_identifier=(input.recipient_identifier or "").strip() or None,
        service_code=input.service_code.strip() if input.service_code is not None else None,
        engagement_number=input.engagement_number.strip() if input.engagement_number is not None else None,
    )
    invoice, errors = await act(
        info.context,
        input.invoice_id,
        lambda actor, key: lifecycle_service.recycle(
            info.context.db, actor, key, addressing, expected_version=input.version
        ),
    )
    return RecycleInvoicePayload(invoice=invoice, user_errors=errors)
