from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.permissions import requires
from api.core.text import MULTI_LINE
from api.invoices.depositing import run_deposit
from api.invoices.errors import InvoiceError, line_error
from api.invoices.inputs import addressing
from api.invoices.types import Invoice, InvoiceFrame
from auth.scopes import Scope
from invoicing.deposit import typed
from invoicing.deposit.service import DocumentFile
from invoicing.formats.convert import Target, write
from invoicing.lifecycle.transitions import Frame
from tenancy import privileged, structures


@strawberry.input(description="One line of a typed-in invoice.")
class InvoiceLineInput:
    item_name: str
    quantity: Decimal
    net_price: Decimal = strawberry.field(description="Unit price without VAT (BT-146).")
    vat_rate: Decimal | None = strawberry.field(
        default=None,
        description="BT-152 in percent. Default: 20.00 for S; Z, E, AE, K and G are at 0 and O has none (a 0 given "
        "for O is left out).",
    )
    vat_category: str = strawberry.field(
        default="S",
        description="BT-151: S standard rate, Z zero rated, E exempt, AE reverse charge, K intra-community supply, "
        "G export outside the EU, O not subject to VAT (then every line is O and no VAT identifier is written).",
    )
    unit: str = "C62"
    vat_exemption_reason: str | None = strawberry.field(
        default=None,
        description="BT-120, the exemption reason of this line's category (its VAT breakdown): required for E "
        "unless a code is given (e.g. 'Exonération de TVA, article 261-4-4° du CGI'); AE, K, G and O have a "
        "standard text the hub writes when none is given; S and Z have none. The lines of one category share one.",
    )
    vat_exemption_reason_code: str | None = strawberry.field(
        default=None,
        description="BT-121, a VATEX code (e.g. VATEX-FR-FRANCHISE for E). AE, K, G and O have theirs "
        "(VATEX-EU-AE or VATEX-FR-AE, VATEX-EU-IC, VATEX-EU-G, VATEX-EU-O), written when none is given.",
    )


@strawberry.input(description="A preceding invoice a credit note refers to (BG-3).")
class PrecedingInvoiceInput:
    number: str
    issue_date: date | None = None


@strawberry.input(description="An invoice typed in: the hub writes the UBL (seller: this workspace).")
class InvoiceInput:
    number: str = strawberry.field(description="BT-1: at most 20 characters among A-Z a-z 0-9 - _ / +")
    issue_date: date
    recipient_identifier: str = strawberry.field(description="The public recipient's SIRET.")
    lines: list[InvoiceLineInput]
    type_code: str = strawberry.field(default="380", description="BT-3: 380 invoice, 381 credit note.")
    currency: str = "EUR"
    due_date: date | None = None
    service_code: str | None = None
    engagement_number: str | None = None
    payment_terms: str | None = strawberry.field(default=None, metadata=MULTI_LINE)
    note: str | None = strawberry.field(default=None, metadata=MULTI_LINE)
    iban: str | None = strawberry.field(
        default=None, description="BT-84, the account to pay by credit transfer (spaces allowed)."
    )
    preceding_invoices: list[PrecedingInvoiceInput] | None = strawberry.field(
        default=None, description="BG-3, the invoices a credit note (381) corrects: a credit note names one at least."
    )
    frame: InvoiceFrame = strawberry.field(
        default=Frame.A1_FACTURE_FOURNISSEUR, description="The frame (cadre de facturation), written as BT-23."
    )
    validator_identifier: str | None = strawberry.field(
        default=None, description="The main contractor's SIRET, who validates first: required for A9 and A12."
    )
    buyer_vat_identifier: str | None = strawberry.field(
        default=None,
        description="BT-48, the recipient's VAT number: required when a line is AE (reverse charge) or K "
        "(intra-community supply), refused when the lines are O (not subject to VAT).",
    )
    delivery_date: date | None = strawberry.field(
        default=None, description="BT-72, the actual delivery date: required when a line is K."
    )


@strawberry.type
class CreateInvoicePayload:
    invoice: Invoice | None
    user_errors: list[InvoiceError]


@strawberry.mutation(
    permission_classes=[requires(Scope.INVOICES_SUBMIT)],
    description="Deposit an invoice typed in: the hub writes it as UBL, then checks and routes it. Honours Idempotency-Key.",
)
async def create_invoice(info: Info[Context, None], input: InvoiceInput) -> CreateInvoicePayload:
    context = info.context
    seller = await structures.read_workspace(context.db, context.principal.tenant)
    recipient = input.recipient_identifier.strip()
    buyer = await privileged.directory_structure_by_identifier(context.db, recipient)
    draft = typed.InvoiceDraft(
        number=input.number.strip(),
        issue_date=input.issue_date,
        lines=[
            typed.LineDraft(
                x.item_name,
                x.quantity,
                x.net_price,
                x.vat_rate,
                x.vat_category,
                x.unit,
                x.vat_exemption_reason,
                x.vat_exemption_reason_code,
            )
            for x in input.lines
        ],
        type_code=input.type_code,
        currency=input.currency,
        due_date=input.due_date,
        service_code=input.service_code,
        engagement_number=input.engagement_number,
        payment_terms=input.payment_terms,
        note=input.note,
        iban=input.iban,
        preceding=[(p.number, p.issue_date) for p in input.preceding_invoices or []],
        frame=Frame(input.frame),
        buyer_vat_id=input.buyer_vat_identifier,
        delivery_date=input.delivery_date,
    )
    # Before writing: such numbers cannot be written, nor summed within Decimal's precision, and a category
    # without its terms would be written into an invoice the validation refuses on rules the supplier never saw.
    refused = typed.draft_problems(draft, seller)
    if refused:
        return CreateInvoicePayload(invoice=None, user_errors=[line_error(problem) for problem in refused])
    document = write(typed.build(draft, seller, buyer if buyer is not None else recipient), Target.UBL)
    invoice, errors = await run_deposit(
        context,
        DocumentFile(f"{draft.number}.xml", document, "application/xml"),
        [],
        addressing(recipient, input.service_code, input.engagement_number, input.frame, input.validator_identifier),
    )
    return CreateInvoicePayload(invoice=invoice, user_errors=errors)
