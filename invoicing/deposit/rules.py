"""The hub's own deposit rules (beyond EN 16931), each with its own code, as Chorus Pro checks them.

Routing data may come from the document (BT-46/BT-47 buyer SIRET, BT-10 buyer reference as the
service code, BT-13 purchase order reference as the engagement number) or be given by the depositor
beside it, as Chorus Pro's API takes them. When both are there they must agree: the document is the
legal invoice and the buyer must read in it where it was sent. A value the document lacks is taken from
the depositor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposit.problems import Problem
from invoicing.formats import filekinds, pdf
from invoicing.formats.model import Invoice
from invoicing.lifecycle.transitions import Frame
from invoicing.validation.checking import off_the_loop
from tenancy import privileged
from tenancy.models import Service, Structure

NUMBER = re.compile(r"^[A-Za-z0-9\-_/+]{1,20}$")
MAX_ATTACHMENT = 10 * 1024 * 1024
MAX_TOTAL = 120 * 1024 * 1024
MAX_ATTACHMENT_NAME = 50
MAX_ENGAGEMENT = 50
ALLOWED_EXTENSIONS = frozenset(
    [
        "BMP",
        "GIF",
        "FAX",
        "ODT",
        "PPT",
        "TIFF",
        "XLS",
        "BZ2",
        "GZ",
        "JPEG",
        "P7S",
        "RTF",
        "TXT",
        "XML",
        "CSV",
        "GZIP",
        "JPG",
        "PDF",
        "SVG",
        "XHTML",
        "XLSX",
        "DOC",
        "HTM",
        "ODP",
        "PNG",
        "TGZ",
        "XLC",
        "ZIP",
        "DOCX",
        "HTML",
        "ODS",
        "PPS",
        "TIF",
        "XLM",
        "PPTX",
    ]
)


@dataclass(frozen=True)
class Addressing:
    """What the depositor says beside the document."""

    recipient_identifier: str | None = None
    service_code: str | None = None
    engagement_number: str | None = None
    frame: Frame | None = None  # None: BT-23 when it names a frame, else A1
    validator_identifier: str | None = None


@dataclass(frozen=True)
class AttachmentFile:
    filename: str
    content: bytes
    media_type: str = "application/octet-stream"  # what the client declared: never stored nor served

    @property
    def extension(self) -> str:
        name = PurePath(self.filename or "").name
        return name.rsplit(".", 1)[1].upper() if "." in name else ""

    @property
    def detected_media_type(self) -> str:
        """The media type the content shows (checked by :func:`check_attachments`): what is stored and served."""
        return filekinds.media_type(self.extension, self.content) or filekinds.OCTET_STREAM


@dataclass(frozen=True)
class Routing:
    """Where an accepted invoice goes."""

    recipient: Structure
    service: Service | None
    service_code: str | None
    engagement_number: str | None
    frame: Frame
    validator: Structure | None


def _compact(value: str | None) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def _seller_ids(invoice: Invoice) -> set[str]:
    seller = invoice.seller
    values = [i.value for i in seller.identifiers]
    if seller.legal_registration is not None:
        values.append(seller.legal_registration.value)
    if seller.vat_id:
        values.append(seller.vat_id)
    return {_compact(v) for v in values if v}


def _structure_ids(structure: Structure) -> set[str]:
    ids = {_compact(structure.identifier)}
    if structure.identifier_type == "SIRET":
        ids.add(structure.identifier[:9])  # a seller may name itself by SIREN (BT-30 scheme 0002)
    if structure.vat_number:
        ids.add(_compact(structure.vat_number))
    return ids


def buyer_sirets(invoice: Invoice) -> list[str]:
    buyer = invoice.buyer
    values = [i.value for i in buyer.identifiers]
    if buyer.legal_registration is not None:
        values.append(buyer.legal_registration.value)
    found: list[str] = []
    for value in values:
        compact = _compact(value)
        if len(compact) == 14 and compact.isdigit() and compact not in found:
            found.append(compact)
    return found


def check_document_facts(invoice: Invoice, supplier: Structure) -> list[Problem]:
    """Rules that need only the document and the depositing structure."""
    problems: list[Problem] = []
    if not NUMBER.match(invoice.number or ""):
        problems.append(
            Problem(
                "FH-NUMBER-FORMAT",
                f"invoice number '{invoice.number}' must be 1 to 20 characters among A-Z a-z 0-9 - _ / +",
                "document",
                "BT-1",
            )
        )
    if not (_seller_ids(invoice) & _structure_ids(supplier)):
        problems.append(
            Problem(
                "FH-SELLER-MISMATCH",
                f"the seller of the invoice must be the depositing structure {supplier.identifier_type} "
                f"{supplier.identifier} ({supplier.name}): put its SIRET/SIREN (BT-30 or BT-29) or VAT number "
                "(BT-31) in the seller party",
                "document",
                "BT-30",
            )
        )
    if invoice.is_credit_note and not invoice.preceding:
        problems.append(
            Problem(
                "FH-CREDIT-NOTE-ORIGIN",
                "a credit note must name the invoice it corrects (preceding invoice reference, BT-25)",
                "document",
                "BT-25",
            )
        )
    return problems


def check_attachments(document_size: int, attachments: Sequence[AttachmentFile]) -> list[Problem]:
    problems: list[Problem] = []
    total = document_size
    for index, attachment in enumerate(attachments):
        field = f"attachments.{index}"
        name = PurePath(attachment.filename or "").name
        extension = attachment.extension
        total += len(attachment.content)
        if not attachment.content:
            problems.append(Problem("FH-ATTACHMENT-EMPTY", f"attachment '{name}' is empty", field))
        if len(attachment.content) > MAX_ATTACHMENT:
            problems.append(
                Problem(
                    "FH-ATTACHMENT-SIZE",
                    f"attachment '{name}' is {len(attachment.content)} bytes; at most 10 MB",
                    field,
                )
            )
        if not name or len(name) > MAX_ATTACHMENT_NAME:
            problems.append(
                Problem(
                    "FH-ATTACHMENT-NAME",
                    f"attachment name '{name}' must be 1 to {MAX_ATTACHMENT_NAME} characters, extension included",
                    field,
                )
            )
        if extension not in ALLOWED_EXTENSIONS:
            problems.append(
                Problem(
                    "FH-ATTACHMENT-TYPE",
                    f"attachment '{name}': extension '{extension or 'none'}' is not accepted "
                    f"({', '.join(sorted(ALLOWED_EXTENSIONS))})",
                    field,
                )
            )
        elif attachment.content and len(attachment.content) <= MAX_ATTACHMENT:
            problems.extend(_content_problems(name, extension, attachment.content, field))
    if total > MAX_TOTAL:
        problems.append(
            Problem(
                "FH-ATTACHMENTS-TOTAL",
                f"the invoice and its attachments weigh {total} bytes; at most 120 MB",
                "attachments",
            )
        )
    return problems


async def check_attachments_async(document_size: int, attachments: Sequence[AttachmentFile]) -> list[Problem]:
    """:func:`check_attachments` off the event loop: it opens every PDF attachment."""
    if not attachments:
        return check_attachments(document_size, attachments)
    return await off_the_loop(check_attachments, document_size, attachments)


def _content_problems(name: str, extension: str, content: bytes, field: str) -> list[Problem]:
    """The content must be of the kind its extension names; a PDF must hold no active content."""
    kind = filekinds.detect(content)
    if kind is None:
        return [
            Problem(
                "FH-ATTACHMENT-TYPE",
                f"attachment '{name}': its content is not a kind of file the hub accepts (PDF, images, office "
                "documents, archives, text), whatever its extension .{extension.lower()} says",
                field,
            )
        ]
    if extension not in kind.types:
        return [
            Problem(
                "FH-ATTACHMENT-TYPE",
                f"attachment '{name}': its content is {kind.name}, not what its extension .{extension.lower()} "
                f"says (for {kind.name}: {filekinds.accepted_for(kind)})",
                field,
            )
        ]
    if kind is filekinds.PDF:
        refused = pdf.check_attachment(content, name)
        if refused is not None:
            return [Problem(refused.rule, refused.message, field)]
    return []


def _agree(
    given: str | None, in_document: str | None, code: str, field: str, bt: str, what: str, problems: list[Problem]
) -> str | None:
    given = given.strip() if given and given.strip() else None
    in_document = in_document.strip() if in_document and in_document.strip() else None
    if given and in_document and given != in_document:
        problems.append(
            Problem(
                code,
                f"{what} given as '{given}' but the invoice says '{in_document}' ({bt}): make them agree",
                field,
                bt,
            )
        )
    return given or in_document


@dataclass(frozen=True)
class RoutingFacts:
    """What routing reads from an invoice document."""

    buyer_sirets: list[str]  # BT-46/BT-47
    buyer_reference: str | None  # BT-10
    order_ref: str | None  # BT-13
    amount_due: Decimal  # BT-115
    process: str | None = None  # BT-23: Chorus Pro flows carry the frame there

    @classmethod
    def of(cls, invoice: Invoice) -> RoutingFacts:
        due = invoice.totals.payable if invoice.totals.payable is not None else Decimal("0")
        return cls(buyer_sirets(invoice), invoice.buyer_reference, invoice.order_ref, due, invoice.process_id)


FRAME_CODE = re.compile(r"^A[0-9]{1,2}(_[A-Z_]+)?$")
FRAMES = {**{f.code: f for f in Frame}, **{f.value: f for f in Frame}}
# The 2026 reform's billing modes (B goods, S services, M mixed; then 1 invoice, 2 already paid, 4 final
# invoice after advances, 5 subcontractor, 6 joint contractor, 7 e-reporting) in Chorus Pro's frames.
REFORM_MODE = re.compile(r"^[BSM][1-7]$")
REFORM_FRAMES = {
    "1": Frame.A1_FACTURE_FOURNISSEUR,
    "2": Frame.A2_FACTURE_FOURNISSEUR_DEJA_PAYEE,
    "4": Frame.A1_FACTURE_FOURNISSEUR,
    "5": Frame.A9_FACTURE_SOUSTRAITANT,
    "6": Frame.A12_FACTURE_COTRAITANT,
}


def _named_frame(process: str) -> tuple[Frame | None, bool]:
    """(the frame BT-23 names, whether it names one at all: a frame code the hub does not take counts)."""
    if REFORM_MODE.match(process):
        return REFORM_FRAMES.get(process[1]), True
    return FRAMES.get(process), bool(FRAME_CODE.match(process))


def frame_of(addressing: Addressing, facts: RoutingFacts, problems: list[Problem]) -> Frame:
    """The frame the depositor gave, or the one BT-23 names (a flux member has nothing else), or A1.

    BT-23 also carries other process identifiers (Peppol's, for one): only a Chorus Pro frame code or a
    reform billing mode counts.
    """
    process = (facts.process or "").strip().upper()
    named, is_frame = _named_frame(process)
    if named is None and is_frame:
        problems.append(
            Problem(
                "FH-FRAME-UNSUPPORTED",
                f"business process type (BT-23) names frame {process}; invoices take A1, A2, A9 or A12 "
                "(or the reform's billing modes B/S/M 1, 2, 4, 5, 6; mode 7 is e-reporting, not an invoice)",
                "frame",
                "BT-23",
            )
        )
    if addressing.frame is not None and named is not None and addressing.frame is not named:
        problems.append(
            Problem(
                "FH-FRAME-MISMATCH",
                f"frame given as {addressing.frame.code} but the invoice says {named.code} (BT-23): make them agree",
                "frame",
                "BT-23",
            )
        )
    return addressing.frame or named or Frame.A1_FACTURE_FOURNISSEUR


async def check_routing(
    session: AsyncSession, supplier: Structure, facts: RoutingFacts, addressing: Addressing, *, today: date
) -> tuple[Routing | None, list[Problem]]:
    """Recipient, service, engagement number, frame and validator, against the recipient's current settings.

    ``session`` is a cross-tenant transaction opened for the supplier (``privileged.across``): the recipient
    and the validator, once found in the directory, are included in it, so the deposit that follows writes
    their records in the same transaction as these reads.
    """
    problems: list[Problem] = []
    sirets = facts.buyer_sirets
    given = _compact(addressing.recipient_identifier) or None
    if given and sirets and given not in sirets:
        problems.append(
            Problem(
                "FH-RECIPIENT-MISMATCH",
                f"recipient given as {given} but the invoice's buyer is {', '.join(sirets)} (BT-46/BT-47)",
                "recipientIdentifier",
                "BT-47",
            )
        )
        return None, problems
    chosen = given or (sirets[0] if sirets else None)
    if chosen is None:
        problems.append(
            Problem(
                "FH-RECIPIENT-MISSING",
                "name the public recipient: its SIRET in the buyer party (BT-47, scheme 0009) or as recipientIdentifier",
                "recipientIdentifier",
                "BT-47",
            )
        )
        return None, problems
    found = await privileged.structures_with(session, chosen, "SIRET")
    recipient = found[0] if found else None
    if recipient is None:
        problems.append(
            Problem(
                "FH-RECIPIENT-UNKNOWN",
                f"no structure with SIRET {chosen} in the directory",
                "recipientIdentifier",
                "BT-47",
            )
        )
        return None, problems
    if not recipient.is_public:
        problems.append(
            Problem(
                "FH-RECIPIENT-NOT-PUBLIC",
                f"{recipient.name} ({chosen}) is not a public structure: the hub routes invoices to public entities only",
                "recipientIdentifier",
                "BT-47",
            )
        )
        return None, problems
    if not recipient.is_active:
        problems.append(
            Problem(
                "FH-RECIPIENT-INACTIVE",
                f"{recipient.name} ({chosen}) is inactive: it receives no invoices",
                "recipientIdentifier",
                "BT-47",
            )
        )
        return None, problems
    if recipient.id == supplier.id:
        problems.append(
            Problem("FH-RECIPIENT-IS-SUPPLIER", "a structure cannot invoice itself", "recipientIdentifier", "BT-47")
        )
        return None, problems
    privileged.include(session, recipient.id)

    explicit_service = (
        addressing.service_code.strip() if addressing.service_code and addressing.service_code.strip() else None
    )
    code = _agree(
        addressing.service_code,
        facts.buyer_reference,
        "FH-SERVICE-MISMATCH",
        "serviceCode",
        "BT-10",
        "service code",
        problems,
    )
    service: Service | None = None
    if code:
        service = await privileged.service_by_code(session, recipient.id, code)
        if service is None:
            # BT-10 is a free buyer reference too: only a code the depositor gave, or one the recipient demands, must exist.
            if explicit_service or recipient.service_code_required:
                problems.append(
                    Problem(
                        "FH-SERVICE-UNKNOWN",
                        f"{recipient.name} has no service '{code}': pick one of its services in the directory",
                        "serviceCode",
                        "BT-10",
                    )
                )
            code = None
        elif not service.is_active or _outside(service, today):
            problems.append(
                Problem(
                    "FH-SERVICE-INACTIVE", f"service '{code}' of {recipient.name} is not active", "serviceCode", "BT-10"
                )
            )
    if recipient.service_code_required and not code:
        problems.append(
            Problem(
                "FH-SERVICE-REQUIRED",
                f"{recipient.name} requires a service code (BT-10 buyer reference, or serviceCode)",
                "serviceCode",
                "BT-10",
            )
        )

    engagement = _agree(
        addressing.engagement_number,
        facts.order_ref,
        "FH-ENGAGEMENT-MISMATCH",
        "engagementNumber",
        "BT-13",
        "engagement number",
        problems,
    )
    if engagement and len(engagement) > MAX_ENGAGEMENT:
        problems.append(
            Problem(
                "FH-ENGAGEMENT-FORMAT",
                f"engagement number is {len(engagement)} characters; at most 50",
                "engagementNumber",
                "BT-13",
            )
        )
    needs_engagement = recipient.engagement_required or (service is not None and service.engagement_required)
    if needs_engagement and not engagement:
        where = (
            f"service '{service.code}' of {recipient.name}"
            if service and service.engagement_required
            else recipient.name
        )
        problems.append(
            Problem(
                "FH-ENGAGEMENT-REQUIRED",
                f"{where} requires an engagement number (BT-13 purchase order reference, or engagementNumber)",
                "engagementNumber",
                "BT-13",
            )
        )
    if recipient.service_or_engagement_required and not code and not engagement:
        problems.append(
            Problem(
                "FH-SERVICE-OR-ENGAGEMENT-REQUIRED",
                f"{recipient.name} requires a service code (BT-10) or an engagement number (BT-13)",
                "serviceCode",
                "BT-10",
            )
        )

    frame = frame_of(addressing, facts, problems)
    validator = await _check_frame(session, supplier, frame, facts, addressing, problems)
    if problems:
        return None, problems
    return Routing(recipient, service, code, engagement, frame, validator), problems


def _outside(service: Service, today: date) -> bool:
    return (service.start_date is not None and today < service.start_date) or (
        service.end_date is not None and today > service.end_date
    )


async def _check_frame(
    session: AsyncSession,
    supplier: Structure,
    frame: Frame,
    facts: RoutingFacts,
    addressing: Addressing,
    problems: list[Problem],
) -> Structure | None:
    if frame is Frame.A2_FACTURE_FOURNISSEUR_DEJA_PAYEE:
        due = facts.amount_due
        if due != 0:
            problems.append(
                Problem(
                    "FH-FRAME-A2-AMOUNT-DUE",
                    f"an invoice already paid (A2) leaves nothing to pay: amount due (BT-115) is {due}, it must be 0",
                    "frame",
                    "BT-115",
                )
            )
    wanted = _compact(addressing.validator_identifier) or None
    if not frame.needs_validation:
        if wanted:
            problems.append(
                Problem(
                    "FH-VALIDATOR-NOT-EXPECTED",
                    f"only subcontractor (A9) and joint-contractor (A12) invoices have a validator, not {frame.value}",
                    "validatorIdentifier",
                )
            )
        return None
    if not wanted:
        problems.append(
            Problem(
                "FH-VALIDATOR-REQUIRED",
                f"a {frame.value} invoice is validated first by the main contractor: give its identifier (validatorIdentifier)",
                "validatorIdentifier",
            )
        )
        return None
    # Identifiers are stored as written (CHE-123.456.788 outside the EU): look that up first, then compacted.
    as_written = (addressing.validator_identifier or "").strip()
    found = await privileged.structures_with(session, as_written)
    if not found and wanted != as_written:
        found = await privileged.structures_with(session, wanted)
    if len(found) != 1:
        problems.append(
            Problem(
                "FH-VALIDATOR-UNKNOWN",
                f"no structure with identifier {wanted} to validate this invoice",
                "validatorIdentifier",
            )
        )
        return None
    validator = found[0]
    if validator.id == supplier.id:
        problems.append(
            Problem(
                "FH-VALIDATOR-IS-SUPPLIER",
                "the validator must be another structure than the supplier",
                "validatorIdentifier",
            )
        )
        return None
    privileged.include(session, validator.id)
    return validator
