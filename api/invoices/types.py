"""GraphQL shape of an invoice as one workspace sees it (its own record of the transmission).

Leaf fields and the history are plain attributes set from the row and its events (read with it, one query
for a whole page); attachments and the stored details are edges batched per request.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.ids import to_global_id
from api.core.node import Node
from api.core.pagination import Connection, ConnectionArgs, connection, connection_args, page_request
from api.core.said import Explained
from api.invoices import files
from api.invoices.document import InvoiceDocument, document_of
from auth.scopes import Scope
from invoicing import inbox
from invoicing.deposit.records import RecordSide
from invoicing.lifecycle.service import SIDE_OF_RECORD
from invoicing.lifecycle.transitions import LIFECYCLE_CODE, Frame, Side, Status, allowed_transitions
from invoicing.validation.rule_words import RuleWords
from tenancy.keyset import Page
from tenancy.moments import aware

InvoiceStatus = Annotated[Status, strawberry.enum(name="InvoiceStatus", description="Chorus Pro statuses, verbatim.")]
InvoiceFrame = Annotated[Frame, strawberry.enum(name="InvoiceFrame", description="Cadre de facturation.")]
InvoiceSide = Annotated[
    RecordSide, strawberry.enum(name="InvoiceSide", description="Whose copy of the invoice this is.")
]


@strawberry.type(description="A party of the invoice as the hub routed it.")
class InvoiceParty:
    identifier: str
    name: str | None


@strawberry.type(description="Document totals (BG-22), in the invoice currency.")
class InvoiceTotals:
    without_vat: Decimal = strawberry.field(description="BT-109")
    vat: Decimal = strawberry.field(description="BT-110")
    with_vat: Decimal = strawberry.field(description="BT-112")
    amount_due: Decimal = strawberry.field(description="BT-115")


@strawberry.type(description="One VAT category and rate of the breakdown (BG-23).")
class VatBreakdownLine:
    category: str
    rate: Decimal | None
    taxable: Decimal
    tax: Decimal
    exemption_reason: str | None


@strawberry.type(description="A preceding invoice referred to (BG-3), e.g. by a credit note.")
class PrecedingInvoice:
    number: str
    issue_date: date | None


@strawberry.type(description="One invoice line (BG-25).")
class InvoiceLine:
    line_id: str
    item_name: str
    quantity: Decimal
    unit: str | None
    net_price: Decimal
    net_amount: Decimal
    vat_category: str | None
    vat_rate: Decimal | None
    note: str | None


@strawberry.type(description="One step of the invoice's life: who, when, from which status, to which, why.")
class HistoryEvent:
    status: InvoiceStatus | None
    from_status: InvoiceStatus | None
    at: datetime
    actor: str = strawberry.field(description="The person's display name, the app's name, or 'facturehub'.")
    actor_side: str
    action: str
    reason: str | None

    @classmethod
    def of(cls, row: Any) -> HistoryEvent:
        return cls(
            status=Status(row.status_to) if row.status_to else None,
            from_status=Status(row.status_from) if row.status_from else None,
            at=aware(row.at),
            actor=row.actor_name,
            actor_side=row.actor_side,
            action=row.action,
            reason=row.reason,
        )


@strawberry.type(description="A document deposited with the invoice or completing it.")
class InvoiceAttachment:
    filename: str
    media_type: str
    size: int
    kind: str = strawberry.field(description="DEPOSIT (with the invoice) or COMPLEMENT (completing it).")
    added_at: datetime
    download_url: str = strawberry.field(description="A signed link, valid a few minutes.")


@strawberry.type(description="Signed links to the invoice's files, valid a few minutes and only for this workspace.")
class InvoiceDownloads:
    original: str
    ubl: str
    cii: str
    pdf: str = strawberry.field(description="A readable PDF (Factur-X, with the CII embedded).")


@strawberry.type(description="One finding of the validation the invoice went through when deposited.")
class ValidationFinding(Explained):
    rule: str
    flag: str
    location: str | None


@strawberry.type(description="What the validation at deposit said: syntax, profile, and its warnings.")
class ValidationReport:
    syntax: str
    profile: str | None
    findings: list[ValidationFinding]


@functools.cache
def _next_statuses(status: Status, side: Side, frame: Frame) -> list[Status]:
    # Shared by every row in the same state: the list is only ever read.
    return sorted(allowed_transitions(status, side, frame))


def money(value: Decimal) -> Decimal:
    """Stored with 6 decimals: shown with 2, or as many as the document had beyond that."""
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value.normalize()


def _dec(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


@strawberry.type(description="An invoice as this workspace sees it: issued, received, or to validate.")
class Invoice(Node):
    number: str = strawberry.field(description="BT-1")
    side: InvoiceSide
    status: InvoiceStatus
    lifecycle_code: int = strawberry.field(description="The 2026 reform's life-cycle code (200-213).")
    status_at: datetime
    frame: InvoiceFrame
    type_code: str = strawberry.field(description="BT-3")
    is_credit_note: bool
    issue_date: date = strawberry.field(description="BT-2")
    deposited_at: datetime
    currency: str = strawberry.field(description="BT-5")
    supplier: InvoiceParty
    recipient: InvoiceParty
    validator: InvoiceParty | None
    service_code: str | None = strawberry.field(description="BT-10 buyer reference, the recipient's service.")
    engagement_number: str | None = strawberry.field(description="BT-13 purchase order reference.")
    totals: InvoiceTotals
    version: int = strawberry.field(description="Pass it back with a decision: a stale one is a CONFLICT.")
    document_name: str
    syntax: str
    rejection_acknowledged_at: datetime | None
    allowed_transitions: list[InvoiceStatus] = strawberry.field(description="The statuses this workspace may set next.")
    # Plain values, read with the invoice (one query for a whole page): a resolver per row would cost more
    # than the query, and keep graphql-core off its synchronous path.
    history: list[HistoryEvent] = strawberry.field(description="Every step, oldest first.")
    last_event: HistoryEvent | None = strawberry.field(description="The most recent step.")
    key: strawberry.Private[uuid.UUID]
    details_row: strawberry.Private[dict[str, Any] | None]

    @classmethod
    def of(cls, row: Any, events: Sequence[Any], details: dict[str, Any] | None = None) -> Invoice:
        """``events``: the record's history in order (``inbox.histories``). A list passes only what its query
        reads: none without ``history`` or ``lastEvent``, the last one for ``lastEvent`` alone."""
        status = Status(row.status)
        frame = Frame(row.frame)
        side = SIDE_OF_RECORD[row.side]
        return cls(
            id=strawberry.ID(to_global_id("Invoice", row.id)),
            number=row.number,
            side=RecordSide(row.side),
            status=status,
            lifecycle_code=LIFECYCLE_CODE[status],
            status_at=aware(row.status_at),
            frame=frame,
            type_code=row.type_code,
            is_credit_note=row.is_credit_note,
            issue_date=row.issue_date,
            deposited_at=aware(row.deposited_at),
            currency=row.currency,
            supplier=InvoiceParty(identifier=row.supplier_identifier, name=row.supplier_name),
            recipient=InvoiceParty(identifier=row.recipient_identifier, name=row.recipient_name),
            validator=InvoiceParty(identifier=row.validator_identifier, name=None)
            if row.validator_identifier
            else None,
            service_code=row.service_code,
            engagement_number=row.engagement_number,
            totals=InvoiceTotals(
                without_vat=money(row.total_without_vat),
                vat=money(row.total_vat),
                with_vat=money(row.total_with_vat),
                amount_due=money(row.amount_due),
            ),
            version=row.version,
            document_name=row.document_name,
            syntax=row.syntax,
            rejection_acknowledged_at=aware(row.rejection_acknowledged_at) if row.rejection_acknowledged_at else None,
            allowed_transitions=_next_statuses(status, side, frame),
            history=(history := [HistoryEvent.of(e) for e in events]),
            last_event=history[-1] if history else None,
            key=row.id,
            details_row=details,
        )

    async def _details(self, info: Info[Context, None]) -> dict[str, Any]:
        if self.details_row is not None:
            return self.details_row
        found = await info.context.loaders.invoices.details.load(self.key)
        return found or {}

    @strawberry.field(description="Preceding invoices referred to (BG-3).")
    async def preceding_invoices(self, info: Info[Context, None]) -> list[PrecedingInvoice]:
        details = await self._details(info)
        return [
            PrecedingInvoice(number=p["number"], issue_date=_day(p.get("date"))) for p in details.get("preceding") or []
        ]

    @strawberry.field(description="VAT breakdown (BG-23).")
    async def vat_breakdown(self, info: Info[Context, None]) -> list[VatBreakdownLine]:
        details = await self._details(info)
        return [
            VatBreakdownLine(
                category=v["category"],
                rate=_dec(v.get("rate")),
                taxable=_dec(v["taxable"]) or Decimal(0),
                tax=_dec(v["tax"]) or Decimal(0),
                exemption_reason=v.get("exemption_reason"),
            )
            for v in details.get("vat_breakdown") or []
        ]

    @strawberry.field(description="The invoice lines (BG-25), in document order.")
    @connection_args
    async def lines(self, info: Info[Context, None], page: ConnectionArgs) -> Connection[InvoiceLine]:
        request = page_request([int], page)
        rows = list(enumerate((await self._details(info)).get("lines") or []))
        if request.after is not None:
            rows = [r for r in rows if r[0] > request.after[0]]
        if request.before is not None:
            rows = [r for r in rows if r[0] < request.before[0]]
        if request.first is not None:
            found = Page(rows[: request.first], len(rows) > request.first, request.after is not None)
        else:
            size = request.last or 0
            found = Page(rows[-size:], request.before is not None, len(rows) > size)
        return connection(
            found, _line, lambda r: [r[0]], len(rows) if request.after is None and request.before is None else None
        )

    @strawberry.field(description="The invoice's content: parties and addresses, references, payment terms and means.")
    async def document(self, info: Info[Context, None]) -> InvoiceDocument:
        return document_of(await self._details(info))

    @strawberry.field(description="The validation at deposit: syntax, profile, warnings.")
    async def validation_report(self, info: Info[Context, None]) -> ValidationReport | None:
        report = (await self._details(info)).get("validation_report")
        if not isinstance(report, dict):
            return None
        return ValidationReport(
            syntax=str(report.get("syntax")),
            profile=report.get("profile"),
            findings=[
                ValidationFinding(
                    rule=f["rule"],
                    flag=f["flag"],
                    said=RuleWords(f["rule"], f["message"]),
                    bt=f.get("bt"),
                    location=f.get("location") or None,
                )
                for f in report.get("findings") or []
            ],
        )

    @strawberry.field(description="Documents deposited with the invoice or completing it.")
    async def attachments(self, info: Info[Context, None]) -> list[InvoiceAttachment]:
        rows = await info.context.loaders.invoices.attachments.load(self.key)
        signer = files.Signer.of(info.context)
        return [
            InvoiceAttachment(
                filename=a.filename,
                media_type=a.media_type,
                size=a.size,
                kind=a.kind,
                added_at=aware(a.added_at),
                download_url=signer.url(self.key, f"a:{a.id}"),
            )
            for a in rows
        ]

    @strawberry.field(description="Signed links to the original document, UBL, CII and a readable PDF.")
    def downloads(self, info: Info[Context, None]) -> InvoiceDownloads:
        signer = files.Signer.of(info.context)
        return InvoiceDownloads(
            original=signer.url(self.key, "original"),
            ubl=signer.url(self.key, "ubl"),
            cii=signer.url(self.key, "cii"),
            pdf=signer.url(self.key, "pdf"),
        )


def _line(item: tuple[int, dict[str, Any]]) -> InvoiceLine:
    _, line = item
    return InvoiceLine(
        line_id=line["id"],
        item_name=line["item_name"],
        quantity=_dec(line["quantity"]) or Decimal(0),
        unit=line.get("unit"),
        net_price=_dec(line["net_price"]) or Decimal(0),
        net_amount=_dec(line["net_amount"]) or Decimal(0),
        vat_category=line.get("vat_category"),
        vat_rate=_dec(line.get("vat_rate")),
        note=line.get("note"),
    )


# --- batched edges -----------------------------------------------------------------------------------------


async def load_invoice(context: Context, key: uuid.UUID) -> Invoice | None:
    tenant = context.principal.tenant
    async with context.session.use() as session:
        row = await inbox.get_record(session, tenant, key)
        if row is None:
            return None
        events = (await inbox.histories(session, tenant, [key]))[key]
    return Invoice.of(row, events, row.details or {})


async def invoice_node(context: Context, key: uuid.UUID) -> Invoice | None:
    if not context.principal.has(Scope.INVOICES_READ.value):
        return None
    return await load_invoice(context, key)
