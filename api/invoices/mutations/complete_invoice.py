from __future__ import annotations

import uuid

import strawberry
from strawberry import Info
from strawberry.file_uploads import Upload

from api.core.context import Context
from api.core.permissions import requires
from api.core.text import MULTI_LINE
from api.invoices.acting import act
from api.invoices.actions import read_attachments
from api.invoices.errors import InvoiceError
from api.invoices.types import Invoice
from auth.scopes import Scope
from invoicing.deposit.records import InvoiceRecord
from invoicing.deposit.transmission import Actor
from invoicing.lifecycle import service as lifecycle_service


@strawberry.input
class CompleteInvoiceInput:
    invoice_id: strawberry.ID
    comment: str | None = strawberry.field(default=None, metadata=MULTI_LINE)
    attachments: list[Upload] | None = None
    version: int | None = None


@strawberry.type
class CompleteInvoicePayload:
    invoice: Invoice | None
    user_errors: list[InvoiceError]


@strawberry.mutation(
    permission_classes=[requires(Scope.INVOICES_SUBMIT)],
    description="The supplier answers a suspension with a comment and/or documents (SUSPENDUE to COMPLETEE).",
)
async def complete_invoice(info: Info[Context, None], input: CompleteInvoiceInput) -> CompleteInvoicePayload:
    async def work(actor: Actor, key: uuid.UUID) -> InvoiceRecord:
        files = await read_attachments(input.attachments)
        return await lifecycle_service.complete(
            info.context.db,
            actor,
            key,
            input.comment,
            files,
            expected_version=input.version,
        )

    invoice, errors = await act(info.context, input.invoice_id, work)
    return CompleteInvoicePayload(invoice=invoice, user_errors=errors)
