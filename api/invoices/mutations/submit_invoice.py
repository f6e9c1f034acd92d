from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.permissions import requires
from api.invoices.actions import read_attachments, read_upload
from api.invoices.depositing import run_deposit
from api.invoices.errors import InvoiceError, from_refusal
from api.invoices.inputs import AddressedDocument
from api.invoices.types import Invoice
from auth.scopes import Scope
from invoicing.deposit.service import DocumentFile
from invoicing.lifecycle.service import ActionRefused


@strawberry.input
class SubmitInvoiceInput(AddressedDocument):
    pass


@strawberry.type
class SubmitInvoicePayload:
    invoice: Invoice | None
    user_errors: list[InvoiceError]


@strawberry.mutation(
    permission_classes=[requires(Scope.INVOICES_SUBMIT)],
    description="Deposit an invoice file; it is checked, then routed to its recipient. Honours Idempotency-Key.",
)
async def submit_invoice(info: Info[Context, None], input: SubmitInvoiceInput) -> SubmitInvoicePayload:
    try:
        name, content, media = await read_upload(input.document)
        attachments = await read_attachments(input.attachments)
    except ActionRefused as refused:
        return SubmitInvoicePayload(invoice=None, user_errors=[from_refusal(refused)])
    invoice, errors = await run_deposit(
        info.context,
        DocumentFile(name, content, media),
        attachments,
        input.addressing(),
    )
    return SubmitInvoicePayload(invoice=invoice, user_errors=errors)
