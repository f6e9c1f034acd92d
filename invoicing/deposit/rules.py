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

from invoicing.deposit.problems import Problem, platform_problem
from invoicing.formats import filekinds, pdf
from invoicing.formats.model import Invoice
from invoicing.lifecycle.transitions import Frame
from invoicing.platform_codes import PlatformCode
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
        problems.append(platform_problem(PlatformCode.NUMBER_FORMAT, "document", "BT-1", number=invoice.number))
    if not (_seller_ids(invoice) & _structure_ids(supplier)):
        problems.append(
            platform_problem(
                PlatformCode.SELLER_MISMATCH,
                "document",
                "BT-30",
                identifier_type=supplier.identifier_type,
                identifier=supplier.identifier,
                name=supplier.name,
            )
        )
    if invoice.is_credit_note and not invoice.preceding:
        problems.append(platform_problem(PlatformCode.CREDIT_NOTE_ORIGIN, "document", "BT-25"))
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
            problems.append(platform_problem(PlatformCode.ATTACHMENT_EMPTY, field, name=name))
        if len(attachment.content) > MAX_ATTACHMENT:
            problems.append(
                platform_problem(PlatformCode.ATTACHMENT_SIZE, field, name=name, size=len(attachment.content))
            )
        if not name or len(name) > MAX_ATTACHMENT_NAME:
            problems.append(platform_problem(PlatformCode.ATTACHMENT_NAME, field, name=name, limit=MAX_ATTACHMENT_NAME))
        if extension not in ALLOWED_EXTENSIONS:
            problems.append(
                platform_problem(
                    PlatformCode.ATTACHMENT_TYPE,
                    field,
                    None,
                    "extension",
                    name=name,
                    extension=extension or "none",
                    accepted=", ".join(sorted(ALLOWED_EXTENSIONS)),
                )
            )
        elif attachment.content and len(attachment.content) <= MAX_ATTACHMENT:
            problems.extend(_content_problems(name, extension, attachment.content, field))
    if total > MAX_TOTAL:
        problems.append(platform_problem(PlatformCode.ATTACHMENTS_TOTAL, "attachments", size=total))
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
            platform_problem(
                PlatformCode.ATTACHMENT_TYPE, field, None, "unknown-content", name=name, extension=extension.lower()
            )
        ]
    if extension not in kind.types:
        return [
            platform_problem(
                PlatformCode.ATTACHMENT_TYPE,
                field,
                None,
                "content-mismatch",
                name=name,
                kind=kind.name,
                extension=extension.lower(),
                accepted=filekinds.accepted_for(kind),
            )
        ]
    if kind is filekinds.PDF:
        refused = pdf.check_attachment(content, name)
        if refused is not None:
            return [Problem(refused.rule, refused.message, field, said=refused.said)]
    return []


def _agree(
    given: str | None, in_document: str | None, code: PlatformCode, field: str, bt: str, problems: list[Problem]
) -> str | None:
    given = given.strip() if given and given.strip() else None
    in_document = in_document.strip() if in_document and in_document.strip() else None
    if given and in_document and given != in_document:
        problems.append(platform_problem(code, field, bt, given=given, in_document=in_document))
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
        problems.append(platform_problem(PlatformCode.FRAME_UNSUPPORTED, "frame", "BT-23", process=process))
    if addressing.frame is not None and named is not None and addressing.frame is not named:
        problems.append(
            platform_problem(
                PlatformCode.FRAME_MISMATCH, "frame", "BT-23", given=addressing.frame.code, in_document=named.code
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
            platform_problem(
                PlatformCode.RECIPIENT_MISMATCH, "recipientIdentifier", "BT-47", given=given, buyers=", ".join(sirets)
            )
        )
        return None, problems
    chosen = given or (sirets[0] if sirets else None)
    if chosen is None:
        problems.append(platform_problem(PlatformCode.RECIPIENT_MISSING, "recipientIdentifier", "BT-47"))
        return None, problems
    found = await privileged.structures_with(session, chosen, "SIRET")
    recipient = found[0] if found else None
    if recipient is None:
        problems.append(platform_problem(PlatformCode.RECIPIENT_UNKNOWN, "recipientIdentifier", "BT-47", siret=chosen))
        return None, problems
    if not recipient.is_public:
        problems.append(
            platform_problem(
                PlatformCode.RECIPIENT_NOT_PUBLIC, "recipientIdentifier", "BT-47", name=recipient.name, siret=chosen
            )
        )
        return None, problems
    if not recipient.is_active:
        problems.append(
            platform_problem(
                PlatformCode.RECIPIENT_INACTIVE, "recipientIdentifier", "BT-47", name=recipient.name, siret=chosen
            )
        )
        return None, problems
    if recipient.id == supplier.id:
        problems.append(platform_problem(PlatformCode.RECIPIENT_IS_SUPPLIER, "recipientIdentifier", "BT-47"))
        return None, problems
    privileged.include(session, recipient.id)

    explicit_service = (
        addressing.service_code.strip() if addressing.service_code and addressing.service_code.strip() else None
    )
    code = _agree(
        addressing.service_code,
        facts.buyer_reference,
        PlatformCode.SERVICE_MISMATCH,
        "serviceCode",
        "BT-10",
        problems,
    )
    service: Service | None = None
    if code:
        service = await privileged.service_by_code(session, recipient.id, code)
        if service is None:
            # BT-10 is a free buyer reference too: only a code the depositor gave, or one the recipient demands, must exist.
            if explicit_service or recipient.service_code_required:
                problems.append(
                    platform_problem(
                        PlatformCode.SERVICE_UNKNOWN, "serviceCode", "BT-10", recipient=recipient.name, code=code
                    )
                )
            code = None
        elif not service.is_active or _outside(service, today):
            problems.append(
                platform_problem(
                    PlatformCode.SERVICE_INACTIVE, "serviceCode", "BT-10", code=code, recipient=recipient.name
                )
            )
    if recipient.service_code_required and not code:
        problems.append(
            platform_problem(PlatformCode.SERVICE_REQUIRED, "serviceCode", "BT-10", recipient=recipient.name)
        )

    engagement = _agree(
        addressing.engagement_number,
        facts.order_ref,
        PlatformCode.ENGAGEMENT_MISMATCH,
        "engagementNumber",
        "BT-13",
        problems,
    )
    if engagement and len(engagement) > MAX_ENGAGEMENT:
        problems.append(
            platform_problem(PlatformCode.ENGAGEMENT_FORMAT, "engagementNumber", "BT-13", length=len(engagement))
        )
    needs_engagement = recipient.engagement_required or (service is not None and service.engagement_required)
    if needs_engagement and not engagement:
        case = "service" if service is not None and service.engagement_required else ""
        code_of_service = service.code if service is not None else None
        problems.append(
            platform_problem(
                PlatformCode.ENGAGEMENT_REQUIRED,
                "engagementNumber",
                "BT-13",
                case,
                service=code_of_service,
                recipient=recipient.name,
            )
        )
    if recipient.service_or_engagement_required and not code and not engagement:
        problems.append(
            platform_problem(
                PlatformCode.SERVICE_OR_ENGAGEMENT_REQUIRED, "serviceCode", "BT-10", recipient=recipient.name
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
            problems.append(platform_problem(PlatformCode.FRAME_A2_AMOUNT_DUE, "frame", "BT-115", due=due))
    wanted = _compact(addressing.validator_identifier) or None
    if not frame.needs_validation:
        if wanted:
            problems.append(
                platform_problem(PlatformCode.VALIDATOR_NOT_EXPECTED, "validatorIdentifier", frame=frame.value)
            )
        return None
    if not wanted:
        problems.append(platform_problem(PlatformCode.VALIDATOR_REQUIRED, "validatorIdentifier", frame=frame.value))
        return None
    # Identifiers are stored as written (CHE-123.456.788 outside the EU): look that up first, then compacted.
    as_written = (addressing.validator_identifier or "").strip()
    found = await privileged.structures_with(session, as_written)
    if not found and wanted != as_written:
        found = await privileged.structures_with(session, wanted)
    if len(found) != 1:
        problems.append(platform_problem(PlatformCode.VALIDATOR_UNKNOWN, "validatorIdentifier", identifier=wanted))
        return None
    validator = found[0]
    if validator.id == supplier.id:
        problems.append(platform_problem(PlatformCode.VALIDATOR_IS_SUPPLIER, "validatorIdentifier"))
        return None
    privileged.include(session, validator.id)
    return validator
