from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.permissions import requires
from api.invoices.acting import act
from api.invoices.errors import InvoiceError
from api.invoices.types import Invoice
from auth.scopes import Scope
from invoicing.lifecycle import service as lifecycle_service


@strawberry.input
class AcknowledgeRejectionInput:
    invoice_id: strawberry.ID


@strawberry.type
class AcknowledgeRejectionPayload:
    invoice: Invoice | None
    user_errors: list[InvoiceError]


@strawberry.mutation(
    permission_classes=[requires(Scope.INVOICES_SUBMIT)],
    description="The supplier acknowledges a rejected invoice (it stays REJETEE; the history says it was read).",
)
async def acknowledge_rejection(
    info: Info[Context, None], input: AcknowledgeRejectionInput
) -> AcknowledgeRejectionPayload:
    invoice, errors = await act(
        info.context,
        input.invoice_id,
        lambda actor, key: lifecycle_service.acknowledge_rejection(info.context.db, actor, key),
    )
    return AcknowledgeRejectionPayload(invoice=invoice, user_errors=errors)
