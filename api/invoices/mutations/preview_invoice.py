from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.permissions import requires
from api.invoices.actions import read_attachments, read_upload
from api.invoices.errors import InvoiceError, from_problem, from_refusal
from api.invoices.inputs import AddressedDocument
from auth.scopes import Scope
from invoicing.deposit import service as deposit
from invoicing.lifecycle.service import ActionRefused


@strawberry.input
class PreviewInvoiceInput(AddressedDocument):
    pass


@strawberry.type(description="What a deposit would answer now; nothing was stored.")
class PreviewInvoicePayload:
    accepted: bool = strawberry.field(description="A deposit of this document, so addressed, would be accepted.")
    number: str | None
    recipient_identifier: str | None = strawberry.field(description="Where it would go.")
    service_code: str | None
    user_errors: list[InvoiceError] = strawberry.field(description="Every problem, each with what to change.")


@strawberry.mutation(
    permission_classes=[requires(Scope.INVOICES_SUBMIT)],
    description="Run every check a deposit would, against the recipient's current settings; store nothing.",
)
async def preview_invoice(info: Info[Context, None], input: PreviewInvoiceInput) -> PreviewInvoicePayload:
    try:
        name, content, media = await read_upload(input.document)
        attachments = await read_attachments(input.attachments)
    except ActionRefused as refused:
        return PreviewInvoicePayload(
            accepted=False,
            number=None,
            recipient_identifier=None,
            service_code=None,
            user_errors=[from_refusal(refused)],
        )
    checked = await deposit.check(
        info.context.db,
        info.context.principal.tenant,
        deposit.DocumentFile(name, content, media),
        attachments,
        input.addressing(),
    )
    return PreviewInvoicePayload(
        accepted=checked.accepted,
        number=checked.invoice.number if checked.invoice else None,
        recipient_identifier=checked.routing.recipient.identifier if checked.routing else None,
        service_code=checked.routing.service_code if checked.routing else None,
        user_errors=[from_problem(p) for p in checked.problems],
    )
