from __future__ import annotations

from enum import StrEnum

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.permissions import requires
from api.core.text import MULTI_LINE
from api.invoices.acting import act
from api.invoices.errors import InvoiceError
from api.invoices.types import Invoice
from auth.scopes import Scope
from invoicing.lifecycle import service as lifecycle_service
from invoicing.lifecycle.transitions import Status


@strawberry.enum(description="The validator's decision on a subcontractor's or co-contractor's invoice (A9/A12).")
class ValidationDecision(StrEnum):
    VALIDATE = "VALIDATE"
    REFUSE = "REFUSE"


@strawberry.input
class ValidateSubcontractInvoiceInput:
    invoice_id: strawberry.ID
    decision: ValidationDecision
    reason: str | None = strawberry.field(default=None, description="Required to refuse.", metadata=MULTI_LINE)
    version: int | None = None


@strawberry.type
class ValidateSubcontractInvoicePayload:
    invoice: Invoice | None
    user_errors: list[InvoiceError]


@strawberry.mutation(
    permission_classes=[requires(Scope.INVOICES_PROCESS)],
    description="The validator validates (it then goes to the recipient) or refuses an A9/A12 invoice.",
)
async def validate_subcontract_invoice(
    info: Info[Context, None], input: ValidateSubcontractInvoiceInput
) -> ValidateSubcontractInvoicePayload:
    target = Status.VALIDEE_1 if input.decision is ValidationDecision.VALIDATE else Status.REFUSEE_1
    invoice, errors = await act(
        info.context,
        input.invoice_id,
        lambda actor, key: lifecycle_service.change_status(
            info.context.db, actor, key, target, input.reason, expected_version=input.version
        ),
    )
    return ValidateSubcontractInvoicePayload(invoice=invoice, user_errors=errors)
