"""Deposit through GraphQL: the idempotency key around ``invoicing.deposit.service``, problems as user errors."""

from __future__ import annotations

from collections.abc import Sequence

from api.core.context import Context
from api.invoices.actions import actor_of
from api.invoices.errors import InvoiceError, InvoiceErrorCodeValue, from_problem, invoice_error
from api.invoices.types import Invoice, load_invoice
from invoicing.deposit import idempotency
from invoicing.deposit import service as deposit
from invoicing.deposit.rules import Addressing, AttachmentFile
from invoicing.wording import Template

HEADER = "idempotency-key"
_KEY_LENGTH = Template(
    f"une Idempotency-Key a de 1 à {idempotency.MAX_KEY} caractères",
    f"an Idempotency-Key has 1 to {idempotency.MAX_KEY} characters",
)
_KEY_REUSED = Template(
    "cette Idempotency-Key a servi pour une autre demande : une nouvelle facture demande une nouvelle clé",
    "this Idempotency-Key was used for another request: use a new key for a new invoice",
)


async def run_deposit(
    context: Context,
    document: deposit.DocumentFile,
    attachments: Sequence[AttachmentFile],
    addressing: Addressing,
) -> tuple[Invoice | None, list[InvoiceError]]:
    key = context.request.headers.get(HEADER)
    hashed = idempotency.request_hash(
        document.content,
        *(part for a in attachments for part in (a.filename, a.content)),
        addressing.recipient_identifier,
        addressing.service_code,
        addressing.engagement_number,
        addressing.frame.value if addressing.frame else None,
        addressing.validator_identifier,
    )
    if key is not None:
        key = key.strip()
        if not 1 <= len(key) <= idempotency.MAX_KEY:
            return None, [invoice_error(InvoiceErrorCodeValue.INVALID, _KEY_LENGTH)]
        replay = await _replay(context, key, hashed)
        if replay is not None:
            return replay
    done = await deposit.deposit(
        context.db,
        await actor_of(context),
        document,
        attachments,
        addressing,
        within=idempotency.claim(key, hashed) if key else None,
    )
    if done.issued is None and key is not None:
        replay = await _replay(context, key, hashed)  # a concurrent request with this key won the race
        if replay is not None:
            return replay
    if done.issued is None:
        return None, [from_problem(p) for p in done.checked.problems]
    # The record as written is the answer: reading it back would cost a transaction and say the same.
    return Invoice.of(done.issued, done.history, done.issued.details), []


async def _replay(context: Context, key: str, hashed: str) -> tuple[Invoice | None, list[InvoiceError]] | None:
    previous = await idempotency.lookup(context.db, context.principal.tenant, key, hashed)
    if previous is None:
        return None
    if not previous.same_request:
        return None, [invoice_error(InvoiceErrorCodeValue.IDEMPOTENCY_KEY_REUSED, _KEY_REUSED)]
    invoice = await load_invoice(context, previous.invoice_id) if previous.invoice_id else None
    return invoice, []
