"""Every platform rule (invoicing/rules.py, and the duplicate number in deposit.py), each with an invoice built
to break it, on both engines: the exact code, field and business term, and nothing written on refusal.

Each refusal goes through ``deposit.deposit`` (the real path, not only the preview) and counts the rows of
every invoice table before and after: a refused deposit leaves no record, event, attachment or document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from invoicing.deposit import service as deposit
from invoicing.deposit.problems import Problem
from invoicing.deposit.records import InvoiceAttachment, InvoiceEvent, InvoiceRecord, StoredDocument
from invoicing.deposit.rules import MAX_ATTACHMENT, Addressing, AttachmentFile
from invoicing.deposit.transmission import Actor
from invoicing.formats.model import Identifier, PrecedingInvoice
from invoicing.lifecycle.transitions import Frame
from tenancy import privileged
from tenancy.db import Database
from tenancy.enums import IdentifierType
from tenancy.models import Structure
from tenancy.structures import Address, RecipientParameters, StructureDraft
from tests.factories import make_service, make_siret, make_structure
from tests.invoicing.hostile import ACTIVE_CONTENT, plain_pdf, with_additions
from tests.invoicing.parties import french_vat, invoice_between, ubl

NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
TABLES = (InvoiceRecord, InvoiceEvent, InvoiceAttachment, StoredDocument)


def _doc(supplier: Structure, recipient: Structure, **overrides: Any) -> deposit.DocumentFile:
    return deposit.DocumentFile(
        "facture.xml", ubl(invoice_between(supplier, recipient, **overrides)), "application/xml"
    )


async def _counts(db: Database, tenants: Iterable[uuid.UUID]) -> dict[str, int]:
    async with privileged.across(db, tenants) as session:
        return {t.__tablename__: int(await session.scalar(select(func.count()).select_from(t)) or 0) for t in TABLES}


async def _deposit(
    db: Database,
    supplier: Structure,
    document: deposit.DocumentFile,
    attachments: Sequence[AttachmentFile] = (),
    addressing: Addressing | None = None,
) -> deposit.Deposited:
    actor = Actor(supplier.id, "Marie Durand", "user:test")
    return await deposit.deposit(db, actor, document, attachments, addressing or Addressing(), now=NOW)


async def _refused(
    db: Database,
    supplier: Structure,
    document: deposit.DocumentFile,
    attachments: Sequence[AttachmentFile] = (),
    addressing: Addressing | None = None,
    *,
    parties: Iterable[Structure] = (),
) -> list[Problem]:
    tenants = {supplier.id, *(p.id for p in parties)}
    before = await _counts(db, tenants)
    done = await _deposit(db, supplier, document, attachments, addressing)
    assert not done.accepted and done.issued is None
    assert done.checked.problems, "a refusal says why"
    assert await _counts(db, tenants) == before, "a refused deposit wrote something"
    return done.checked.problems


async def _accepted(
    db: Database,
    supplier: Structure,
    document: deposit.DocumentFile,
    attachments: Sequence[AttachmentFile] = (),
    addressing: Addressing | None = None,
) -> InvoiceRecord:
    done = await _deposit(db, supplier, document, attachments, addressing)
    assert done.accepted, [p.as_json() for p in done.checked.problems]
    assert done.issued is not None
    return done.issued


def _only(problems: list[Problem], code: str, field: str | None, bt: str | None) -> Problem:
    """The deposit broke exactly this rule, and says where."""
    assert [p.code for p in problems] == [code], [p.as_json() for p in problems]
    [problem] = problems
    assert (problem.field, problem.bt) == (field, bt), problem.as_json()
    assert problem.message
    return problem


async def _parties(db: Database, **recipient: Any) -> tuple[Structure, Structure]:
    supplier = await make_structure(db, name="Atelier Durand")
    public = await make_structure(db, public=True, name="Mairie de Villeneuve", **recipient)
    return supplier, public


async def _inactive_public(db: Database) -> Structure:
    return await privileged.create_structure(
        db,
        StructureDraft(
            identifier_type=IdentifierType.SIRET,
            identifier=make_siret(),
            name="Mairie fermée",
            is_public=True,
            is_active=False,
            address=Address(line1="1 place", postcode="69001", town="Lyon"),
        ),
    )


# --- the clean invoice, and what an accepted deposit writes -----------------------------------------


async def test_a_clean_invoice_passes_every_rule_and_is_written_once(db: Database) -> None:
    supplier, recipient = await _parties(db)
    tenants = {supplier.id, recipient.id}
    before = await _counts(db, tenants)
    preview = await deposit.check(db, supplier.id, _doc(supplier, recipient), [], Addressing(), now=NOW)
    assert preview.accepted and preview.problems == []
    assert await _counts(db, tenants) == before, "the preview stores nothing"

    issued = await _accepted(db, supplier, _doc(supplier, recipient))
    assert (issued.status, issued.recipient_id, issued.frame) == (
        "MISE_A_DISPOSITION",
        recipient.id,
        "A1_FACTURE_FOURNISSEUR",
    )
    after = await _counts(db, tenants)
    # Two records (issued, received), DEPOSIT + MISE_A_DISPOSITION on each, the document stored once.
    assert after == {"invoices": 2, "invoice_events": 4, "invoice_attachments": 0, "documents": 1}


# --- document facts --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["F 2026 1", "F-2026-000000000000042", "F#42", "FACTURE.42"])
async def test_invoice_number_format(db: Database, number: str) -> None:
    supplier, recipient = await _parties(db)
    problems = await _refused(db, supplier, _doc(supplier, recipient, number=number), parties=[recipient])
    _only(problems, "FH-NUMBER-FORMAT", "document", "BT-1")


@pytest.mark.parametrize("number", ["A", "F-2026_00/42+bis", "X" * 20])
async def test_invoice_numbers_within_the_format_pass(db: Database, number: str) -> None:
    supplier, recipient = await _parties(db)
    issued = await _accepted(db, supplier, _doc(supplier, recipient, number=number))
    assert issued.number == number


async def test_the_seller_must_be_the_depositing_structure(db: Database) -> None:
    supplier, recipient = await _parties(db)
    someone_else = await make_structure(db, name="Autre fournisseur")
    problems = await _refused(db, supplier, _doc(someone_else, recipient), parties=[recipient])
    problem = _only(problems, "FH-SELLER-MISMATCH", "document", "BT-30")
    assert supplier.identifier in problem.message


async def test_a_seller_named_by_siren_alone_or_by_vat_number_alone_is_the_supplier(db: Database) -> None:
    supplier, recipient = await _parties(db)
    base = invoice_between(supplier, recipient)
    # Only the SIREN (BT-30, scheme 0002) names the supplier: the VAT number is its VAT group's (BT-31).
    by_siren = dataclasses.replace(
        base.seller,
        identifiers=[],
        legal_registration=Identifier(supplier.identifier[:9], "0002"),
        vat_id=french_vat(make_siret()),
        electronic_address=None,
    )
    await _accepted(db, supplier, _doc(supplier, recipient, seller=by_siren))

    foreign = await make_structure(
        db, name="Müller GmbH", identifier="DE136695976", identifier_type=IdentifierType.UE_HORS_FRANCE
    )
    foreign_invoice = invoice_between(foreign, recipient)
    by_vat = dataclasses.replace(
        foreign_invoice.seller, identifiers=[], legal_registration=None, vat_id="DE136695976", electronic_address=None
    )
    issued = await _accepted(db, foreign, _doc(foreign, recipient, seller=by_vat))
    assert issued.supplier_identifier == "DE136695976"


async def test_a_credit_note_names_the_invoice_it_corrects(db: Database) -> None:
    supplier, recipient = await _parties(db)
    problems = await _refused(
        db, supplier, _doc(supplier, recipient, type_code="381", number="AV-1", preceding=[]), parties=[recipient]
    )
    _only(problems, "FH-CREDIT-NOTE-ORIGIN", "document", "BT-25")

    preceding = [PrecedingInvoice("F-2026-0042", dt.date(2026, 11, 2))]
    issued = await _accepted(
        db, supplier, _doc(supplier, recipient, type_code="381", number="AV-1", preceding=preceding)
    )
    assert issued.is_credit_note


async def test_the_same_number_twice_in_a_year_by_the_same_supplier_is_refused(db: Database) -> None:
    supplier, recipient = await _parties(db)
    other_supplier = await make_structure(db, name="Autre")
    await _accepted(db, supplier, _doc(supplier, recipient))
    problems = await _refused(db, supplier, _doc(supplier, recipient), parties=[recipient])
    problem = _only(problems, "FH-DUPLICATE-NUMBER", "document", "BT-1")
    assert "2026" in problem.message
    # The same number another year, or by another supplier, is another invoice.
    await _accepted(db, supplier, _doc(supplier, recipient, issue_date=dt.date(2025, 12, 30)))
    await _accepted(db, other_supplier, _doc(other_supplier, recipient))


async def test_an_en16931_fatal_rule_refuses_the_deposit_with_its_rule_id(db: Database) -> None:
    supplier, recipient = await _parties(db)
    base = invoice_between(supplier, recipient)
    broken = dataclasses.replace(base.totals, payable=Decimal("1.00"))
    problems = await _refused(db, supplier, _doc(supplier, recipient, totals=broken), parties=[recipient])
    codes = {p.code for p in problems}
    assert "BR-CO-16" in codes and not any(c.startswith("FH-") for c in codes), codes
    assert all(p.field == "document" for p in problems)


async def test_a_file_that_is_no_invoice_is_refused_with_the_input_layer_code(db: Database) -> None:
    supplier, recipient = await _parties(db)
    problems = await _refused(db, supplier, deposit.DocumentFile("x.xml", b"<html/>"), parties=[recipient])
    assert [p.code for p in problems] == ["FH-UNKNOWN-SYNTAX"]
    problems = await _refused(db, supplier, deposit.DocumentFile("x.txt", b"hello"), parties=[recipient])
    assert [p.code for p in problems] == ["FH-NOT-XML"]


# --- attachments ----------------------------------------------------------------------------------


def _attachment(name: str = "bon.pdf", size: int | None = None) -> AttachmentFile:
    content = b"" if size == 0 else b"%" * size if size and size > MAX_ATTACHMENT else plain_pdf(size=size)
    return AttachmentFile(name, content, "application/pdf")


@pytest.mark.parametrize(
    ("attachment", "code"),
    [
        (_attachment(size=0), "FH-ATTACHMENT-EMPTY"),
        (_attachment(size=MAX_ATTACHMENT + 1), "FH-ATTACHMENT-SIZE"),
        (_attachment("b" * 47 + ".pdf"), "FH-ATTACHMENT-NAME"),
        (_attachment(""), "FH-ATTACHMENT-NAME"),
        (_attachment("programme.exe"), "FH-ATTACHMENT-TYPE"),
        (_attachment("sans-extension"), "FH-ATTACHMENT-TYPE"),
    ],
    ids=["empty", "over-10MB", "name-51", "no-name", "exe", "no-extension"],
)
async def test_attachment_rules(db: Database, attachment: AttachmentFile, code: str) -> None:
    supplier, recipient = await _parties(db)
    ok = _attachment("annexe.pdf")
    problems = await _refused(db, supplier, _doc(supplier, recipient), [ok, attachment], parties=[recipient])
    if attachment.filename == "":
        # No name means no extension either: both are said.
        assert [p.code for p in problems] == ["FH-ATTACHMENT-NAME", "FH-ATTACHMENT-TYPE"]
        assert {p.field for p in problems} == {"attachments.1"}
        return
    _only(problems, code, "attachments.1", None)


async def test_attachments_within_limits_pass_and_are_stored_once(db: Database) -> None:
    supplier, recipient = await _parties(db)
    files = [
        _attachment("b" * 46 + ".pdf", size=MAX_ATTACHMENT),  # 50 characters, exactly 10 MB
        AttachmentFile("Relevé.XLSX", b"PK\x05\x06" + bytes(18), "application/vnd.ms-excel"),  # case does not matter
        AttachmentFile("photo.jpeg", b"\xff\xd8\xff\xe0" + bytes(16), "image/jpeg"),
    ]
    await _accepted(db, supplier, _doc(supplier, recipient), files)
    counts = await _counts(db, {supplier.id, recipient.id})
    assert (counts["invoice_attachments"], counts["documents"]) == (6, 4)  # 3 per record; 3 files + the invoice


async def test_the_invoice_and_its_attachments_weigh_at_most_120_mb(db: Database) -> None:
    supplier, recipient = await _parties(db)
    ten = plain_pdf(size=MAX_ATTACHMENT)  # one buffer, twelve references: 120 MB of attachments, plus the invoice
    files = [AttachmentFile(f"piece-{i}.pdf", ten, "application/pdf") for i in range(12)]
    problems = await _refused(db, supplier, _doc(supplier, recipient), files, parties=[recipient])
    _only(problems, "FH-ATTACHMENTS-TOTAL", "attachments", None)


async def test_an_attachment_must_be_what_its_extension_says(db: Database) -> None:
    supplier, recipient = await _parties(db)
    html = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
    files = [
        AttachmentFile("x.pdf", html, "application/pdf"),
        AttachmentFile("photo.png", plain_pdf(), "image/png"),
        AttachmentFile("setup.zip", b"MZ\x90\x00" + bytes(60), "application/zip"),
    ]
    problems = await _refused(db, supplier, _doc(supplier, recipient), files, parties=[recipient])
    assert [(p.code, p.field) for p in problems] == [("FH-ATTACHMENT-TYPE", f"attachments.{i}") for i in range(3)]
    assert problems[0].message == (
        "attachment 'x.pdf': its content is text, not what its extension .pdf says "
        "(for text: .txt, .csv, .xml, .svg, .htm, .html, .xhtml)"
    )
    assert "its content is a PDF, not what its extension .png says" in problems[1].message
    assert "'setup.zip': its content is not a kind of file the hub accepts" in problems[2].message


@pytest.mark.parametrize("where", ["OpenAction JavaScript", "Names JavaScript", "annotation AA", "Launch"])
async def test_a_pdf_attachment_with_active_content_is_refused(db: Database, where: str) -> None:
    supplier, recipient = await _parties(db)
    active = with_additions(plain_pdf(), ACTIVE_CONTENT[where])
    problems = await _refused(
        db,
        supplier,
        _doc(supplier, recipient),
        [_attachment("annexe.pdf"), AttachmentFile("bon.pdf", active)],
        parties=[recipient],
    )
    problem = _only(problems, "FH-PDF-ACTIVE-CONTENT", "attachments.1", None)
    assert problem.message.startswith("attachment 'bon.pdf' holds active content (")


# --- recipient ------------------------------------------------------------------------------------


async def test_recipient_unknown(db: Database) -> None:
    supplier = await make_structure(db)
    ghost = Structure(id=uuid.uuid4(), identifier=make_siret(), identifier_type="SIRET", name="Mairie fantôme")
    problems = await _refused(db, supplier, _doc(supplier, ghost))
    problem = _only(problems, "FH-RECIPIENT-UNKNOWN", "recipientIdentifier", "BT-47")
    assert ghost.identifier in problem.message


async def test_recipient_private(db: Database) -> None:
    supplier = await make_structure(db)
    private = await make_structure(db, name="Entreprise privée")
    problems = await _refused(db, supplier, _doc(supplier, private), parties=[private])
    _only(problems, "FH-RECIPIENT-NOT-PUBLIC", "recipientIdentifier", "BT-47")


async def test_recipient_inactive(db: Database) -> None:
    supplier = await make_structure(db)
    closed = await _inactive_public(db)
    problems = await _refused(db, supplier, _doc(supplier, closed), parties=[closed])
    _only(problems, "FH-RECIPIENT-INACTIVE", "recipientIdentifier", "BT-47")


async def test_recipient_is_the_supplier_itself(db: Database) -> None:
    public = await make_structure(db, public=True, name="Régie municipale")
    problems = await _refused(db, public, _doc(public, public))
    _only(problems, "FH-RECIPIENT-IS-SUPPLIER", "recipientIdentifier", "BT-47")


async def test_recipient_missing_from_the_document_and_the_addressing(db: Database) -> None:
    supplier, recipient = await _parties(db)
    base = invoice_between(supplier, recipient)
    anonymous = dataclasses.replace(base.buyer, identifiers=[], legal_registration=None, electronic_address=None)
    problems = await _refused(db, supplier, _doc(supplier, recipient, buyer=anonymous), parties=[recipient])
    _only(problems, "FH-RECIPIENT-MISSING", "recipientIdentifier", "BT-47")
    # What the document lacks, the depositor gives.
    issued = await _accepted(
        db, supplier, _doc(supplier, recipient, buyer=anonymous), addressing=Addressing(recipient.identifier)
    )
    assert issued.recipient_id == recipient.id


async def test_explicit_recipient_that_agrees_with_the_document_passes(db: Database) -> None:
    supplier, recipient = await _parties(db)
    spaced = f"{recipient.identifier[:3]} {recipient.identifier[3:6]} {recipient.identifier[6:]}"
    issued = await _accepted(db, supplier, _doc(supplier, recipient), addressing=Addressing(spaced))
    assert issued.recipient_id == recipient.id


async def test_explicit_recipient_that_disagrees_with_the_document_is_refused(db: Database) -> None:
    supplier, recipient = await _parties(db)
    other = await make_structure(db, public=True, name="Autre mairie")
    problems = await _refused(
        db, supplier, _doc(supplier, recipient), addressing=Addressing(other.identifier), parties=[recipient, other]
    )
    problem = _only(problems, "FH-RECIPIENT-MISMATCH", "recipientIdentifier", "BT-47")
    assert other.identifier in problem.message and recipient.identifier in problem.message


# --- service code -----------------------------------------------------------------------------------


async def test_service_required_by_the_recipient(db: Database) -> None:
    supplier, recipient = await _parties(db, parameters=RecipientParameters(service_code_required=True))
    await make_service(db, recipient, "FINANCES")
    problems = await _refused(db, supplier, _doc(supplier, recipient), parties=[recipient])
    problem = _only(problems, "FH-SERVICE-REQUIRED", "serviceCode", "BT-10")
    assert recipient.name in problem.message
    by_document = await _accepted(db, supplier, _doc(supplier, recipient, number="F-1", buyer_reference="FINANCES"))
    by_addressing = await _accepted(
        db, supplier, _doc(supplier, recipient, number="F-2"), addressing=Addressing(service_code="FINANCES")
    )
    assert by_document.service_code == by_addressing.service_code == "FINANCES"


async def test_service_unknown_when_given_explicitly(db: Database) -> None:
    supplier, recipient = await _parties(db)
    problems = await _refused(
        db, supplier, _doc(supplier, recipient), addressing=Addressing(service_code="NOPE"), parties=[recipient]
    )
    _only(problems, "FH-SERVICE-UNKNOWN", "serviceCode", "BT-10")


async def test_service_unknown_in_the_document_when_the_recipient_requires_services(db: Database) -> None:
    supplier, recipient = await _parties(db, parameters=RecipientParameters(service_code_required=True))
    problems = await _refused(db, supplier, _doc(supplier, recipient, buyer_reference="NOPE"), parties=[recipient])
    # Unknown, hence no usable service code: both are said.
    assert [p.code for p in problems] == ["FH-SERVICE-UNKNOWN", "FH-SERVICE-REQUIRED"]
    assert {(p.field, p.bt) for p in problems} == {("serviceCode", "BT-10")}


async def test_an_unknown_buyer_reference_is_a_free_reference_when_no_service_is_required(db: Database) -> None:
    supplier, recipient = await _parties(db)
    issued = await _accepted(db, supplier, _doc(supplier, recipient, buyer_reference="Commande de M. Dupont"))
    assert issued.service_code is None


@pytest.mark.parametrize(
    "service",
    [
        {"is_active": False},
        {"start_date": dt.date(2027, 1, 1)},
        {"end_date": dt.date(2026, 6, 30)},
    ],
    ids=["inactive", "not-yet-open", "closed"],
)
async def test_service_inactive_or_outside_its_dates(db: Database, service: dict[str, Any]) -> None:
    supplier, recipient = await _parties(db)
    await make_service(db, recipient, "ECOLES", **service)
    problems = await _refused(db, supplier, _doc(supplier, recipient, buyer_reference="ECOLES"), parties=[recipient])
    _only(problems, "FH-SERVICE-INACTIVE", "serviceCode", "BT-10")


async def test_service_within_its_dates_passes(db: Database) -> None:
    supplier, recipient = await _parties(db)
    await make_service(db, recipient, "ECOLES", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 11, 20))
    issued = await _accepted(db, supplier, _doc(supplier, recipient, buyer_reference="ECOLES"))
    assert issued.service_code == "ECOLES"


async def test_explicit_service_that_agrees_vs_disagrees_with_the_document(db: Database) -> None:
    supplier, recipient = await _parties(db)
    await make_service(db, recipient, "ECOLES")
    await make_service(db, recipient, "FINANCES")
    issued = await _accepted(
        db,
        supplier,
        _doc(supplier, recipient, buyer_reference="ECOLES"),
        addressing=Addressing(service_code=" ECOLES "),
    )
    assert issued.service_code == "ECOLES"
    problems = await _refused(
        db,
        supplier,
        _doc(supplier, recipient, number="F-2", buyer_reference="ECOLES"),
        addressing=Addressing(service_code="FINANCES"),
        parties=[recipient],
    )
    _only(problems, "FH-SERVICE-MISMATCH", "serviceCode", "BT-10")


# --- engagement number ------------------------------------------------------------------------------


async def test_engagement_required_by_the_structure(db: Database) -> None:
    supplier, recipient = await _parties(db, parameters=RecipientParameters(engagement_required=True))
    problems = await _refused(db, supplier, _doc(supplier, recipient), parties=[recipient])
    problem = _only(problems, "FH-ENGAGEMENT-REQUIRED", "engagementNumber", "BT-13")
    assert recipient.name in problem.message
    issued = await _accepted(db, supplier, _doc(supplier, recipient, order_ref="EJ-2026-001"))
    assert issued.engagement_number == "EJ-2026-001"


async def test_engagement_required_by_the_service(db: Database) -> None:
    supplier, recipient = await _parties(db)
    await make_service(db, recipient, "TECHNIQUE", engagement_required=True)
    problems = await _refused(db, supplier, _doc(supplier, recipient, buyer_reference="TECHNIQUE"), parties=[recipient])
    problem = _only(problems, "FH-ENGAGEMENT-REQUIRED", "engagementNumber", "BT-13")
    assert "TECHNIQUE" in problem.message
    issued = await _accepted(
        db,
        supplier,
        _doc(supplier, recipient, buyer_reference="TECHNIQUE"),
        addressing=Addressing(engagement_number="EJ-77"),
    )
    assert (issued.service_code, issued.engagement_number) == ("TECHNIQUE", "EJ-77")


async def test_explicit_engagement_that_agrees_vs_disagrees_with_the_document(db: Database) -> None:
    supplier, recipient = await _parties(db)
    await _accepted(
        db, supplier, _doc(supplier, recipient, order_ref="EJ-1"), addressing=Addressing(engagement_number="EJ-1")
    )
    problems = await _refused(
        db,
        supplier,
        _doc(supplier, recipient, number="F-2", order_ref="EJ-1"),
        addressing=Addressing(engagement_number="EJ-2"),
        parties=[recipient],
    )
    _only(problems, "FH-ENGAGEMENT-MISMATCH", "engagementNumber", "BT-13")


async def test_engagement_number_at_most_50_characters(db: Database) -> None:
    supplier, recipient = await _parties(db)
    problems = await _refused(db, supplier, _doc(supplier, recipient, order_ref="E" * 51), parties=[recipient])
    _only(problems, "FH-ENGAGEMENT-FORMAT", "engagementNumber", "BT-13")
    await _accepted(db, supplier, _doc(supplier, recipient, order_ref="E" * 50))


async def test_service_or_engagement_required(db: Database) -> None:
    supplier, recipient = await _parties(db, parameters=RecipientParameters(service_or_engagement_required=True))
    await make_service(db, recipient, "ACHATS")
    problems = await _refused(db, supplier, _doc(supplier, recipient), parties=[recipient])
    _only(problems, "FH-SERVICE-OR-ENGAGEMENT-REQUIRED", "serviceCode", "BT-10")
    await _accepted(db, supplier, _doc(supplier, recipient, number="F-1", buyer_reference="ACHATS"))
    await _accepted(db, supplier, _doc(supplier, recipient, number="F-2", order_ref="EJ-9"))


async def test_every_problem_is_listed_at_once(db: Database) -> None:
    supplier, recipient = await _parties(
        db, parameters=RecipientParameters(service_code_required=True, engagement_required=True)
    )
    problems = await _refused(
        db, supplier, _doc(supplier, recipient, number="F 1"), [_attachment("x.exe")], parties=[recipient]
    )
    assert sorted(p.code for p in problems) == [
        "FH-ATTACHMENT-TYPE",
        "FH-ENGAGEMENT-REQUIRED",
        "FH-NUMBER-FORMAT",
        "FH-SERVICE-REQUIRED",
    ]


# --- frame and validator ------------------------------------------------------------------------------


def _paid(supplier: Structure, recipient: Structure) -> dict[str, Any]:
    totals = invoice_between(supplier, recipient).totals
    return {"totals": dataclasses.replace(totals, prepaid=totals.with_vat, payable=Decimal("0.00"))}


async def test_a2_already_paid_with_an_amount_due_is_refused(db: Database) -> None:
    supplier, recipient = await _parties(db)
    a2 = Addressing(frame=Frame.A2_FACTURE_FOURNISSEUR_DEJA_PAYEE)
    problems = await _refused(db, supplier, _doc(supplier, recipient), addressing=a2, parties=[recipient])
    _only(problems, "FH-FRAME-A2-AMOUNT-DUE", "frame", "BT-115")
    issued = await _accepted(db, supplier, _doc(supplier, recipient, **_paid(supplier, recipient)), addressing=a2)
    assert (issued.frame, issued.amount_due) == ("A2_FACTURE_FOURNISSEUR_DEJA_PAYEE", Decimal("0"))


@pytest.mark.parametrize("frame", [Frame.A9_FACTURE_SOUSTRAITANT, Frame.A12_FACTURE_COTRAITANT])
async def test_subcontractor_frames_need_a_known_other_validator(db: Database, frame: Frame) -> None:
    supplier, recipient = await _parties(db)
    contractor = await make_structure(db, name="Entreprise générale")

    problems = await _refused(
        db, supplier, _doc(supplier, recipient), addressing=Addressing(frame=frame), parties=[recipient]
    )
    _only(problems, "FH-VALIDATOR-REQUIRED", "validatorIdentifier", None)

    unknown = Addressing(frame=frame, validator_identifier=make_siret())
    problems = await _refused(db, supplier, _doc(supplier, recipient), addressing=unknown, parties=[recipient])
    _only(problems, "FH-VALIDATOR-UNKNOWN", "validatorIdentifier", None)

    itself = Addressing(frame=frame, validator_identifier=supplier.identifier)
    problems = await _refused(db, supplier, _doc(supplier, recipient), addressing=itself, parties=[recipient])
    _only(problems, "FH-VALIDATOR-IS-SUPPLIER", "validatorIdentifier", None)

    issued = await _accepted(
        db,
        supplier,
        _doc(supplier, recipient),
        addressing=Addressing(frame=frame, validator_identifier=contractor.identifier),
    )
    assert (issued.status, issued.validator_id) == ("A_VALIDER_1", contractor.id)
    counts = await _counts(db, {supplier.id, recipient.id, contractor.id})
    assert counts["invoices"] == 2  # the supplier's and the validator's: the recipient waits for validation
    async with privileged.across(db, {recipient.id}) as session:
        assert await session.scalar(select(func.count()).select_from(InvoiceRecord)) == 0


async def test_the_frame_comes_from_bt23_when_the_depositor_gives_none(db: Database) -> None:
    # Given documents naming their frame in BT-23, as Chorus Pro flows do, and no frame beside them
    supplier, recipient = await _parties(db)
    contractor = await make_structure(db, name="Entreprise générale")
    paid = _doc(supplier, recipient, process_id="A2", number="F-A2-1", **_paid(supplier, recipient))
    # Then an A2 document is an A2 invoice, and an A9 or A12 one goes to its validator first
    assert (await _accepted(db, supplier, paid)).frame == "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE"
    for n, code in enumerate(("A9", "A12_FACTURE_COTRAITANT")):
        document = _doc(supplier, recipient, process_id=code, number=f"F-SUB-{n}")
        _only(
            await _refused(db, supplier, document, parties=[recipient]),
            "FH-VALIDATOR-REQUIRED",
            "validatorIdentifier",
            None,
        )
        issued = await _accepted(
            db, supplier, document, addressing=Addressing(validator_identifier=contractor.identifier)
        )
        assert (issued.frame[:3].rstrip("_"), issued.status) == (code[:3].rstrip("_"), "A_VALIDER_1")
    # And the 2026 reform's billing modes name the same frames (S5: services by a subcontractor)
    reform = _doc(supplier, recipient, process_id="S5", number="F-S5-1")
    validated = Addressing(validator_identifier=contractor.identifier)
    assert (await _accepted(db, supplier, reform, addressing=validated)).frame == "A9_FACTURE_SOUSTRAITANT"
    # And a process identifier that is no frame (Peppol's) leaves the default, A1
    peppol = _doc(supplier, recipient, process_id="urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", number="F-P-1")
    assert (await _accepted(db, supplier, peppol)).frame == "A1_FACTURE_FOURNISSEUR"


async def test_a_frame_given_beside_the_document_must_agree_with_bt23(db: Database) -> None:
    supplier, recipient = await _parties(db)
    document = _doc(supplier, recipient, process_id="A9")
    a1 = Addressing(frame=Frame.A1_FACTURE_FOURNISSEUR)
    problem = _only(
        await _refused(db, supplier, document, addressing=a1, parties=[recipient]),
        "FH-FRAME-MISMATCH",
        "frame",
        "BT-23",
    )
    assert "A1" in problem.message and "A9" in problem.message


async def test_a_frame_in_bt23_that_invoices_do_not_take_is_refused(db: Database) -> None:
    supplier, recipient = await _parties(db)
    for process in ("B7", "A3_MEMOIRE_JUSTICE"):  # e-reporting; a justice memo
        document = _doc(supplier, recipient, process_id=process)
        refused = await _refused(db, supplier, document, parties=[recipient])
        assert process in _only(refused, "FH-FRAME-UNSUPPORTED", "frame", "BT-23").message


async def test_a_validator_outside_france_is_found_by_its_identifier_as_written(db: Database) -> None:
    supplier, recipient = await _parties(db)
    swiss = await make_structure(
        db, name="Helvetia AG", identifier="CHE-123.456.788", identifier_type=IdentifierType.HORS_UE
    )
    addressing = Addressing(frame=Frame.A9_FACTURE_SOUSTRAITANT, validator_identifier="CHE-123.456.788")
    issued = await _accepted(db, supplier, _doc(supplier, recipient), addressing=addressing)
    assert issued.validator_id == swiss.id


async def test_a_validator_is_only_for_subcontractor_frames(db: Database) -> None:
    supplier, recipient = await _parties(db)
    contractor = await make_structure(db)
    addressing = Addressing(validator_identifier=contractor.identifier)
    problems = await _refused(db, supplier, _doc(supplier, recipient), addressing=addressing, parties=[recipient])
    _only(problems, "FH-VALIDATOR-NOT-EXPECTED", "validatorIdentifier", None)


def test_every_rule_code_in_the_rules_module_is_exercised_here() -> None:
    """A new rule in invoicing/rules.py must come with its test in this file."""
    import inspect
    import re

    from invoicing.deposit import rules

    in_rules = set(re.findall(r'"(FH-[A-Z0-9-]+)"', inspect.getsource(rules)))
    in_deposit = set(re.findall(r'"(FH-[A-Z0-9-]+)"', inspect.getsource(deposit)))
    here = set(re.findall(r'"(FH-[A-Z0-9-]+)"', inspect.getsource(inspect.getmodule(_only))))  # type: ignore[arg-type]
    assert in_rules | in_deposit <= here, sorted((in_rules | in_deposit) - here)
