"""The catalogues of codes (invoicing/platform_codes.py, invoicing/refusal_codes.py) are whole and are the only source.

Every code has its words in French and English; no ``FH-*`` literal lives outside the catalogue; and every
platform code an input can bring about has, below, the input that brings it about: a new code without a
message or without such a case fails here.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from collections.abc import Awaitable, Callable, Collection, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update

from invoicing.background import hub_worker
from invoicing.deposit import service as deposit
from invoicing.deposit import typed, vat_categories
from invoicing.deposit.records import FluxRecord, StoredDocument
from invoicing.deposit.rules import MAX_ATTACHMENT, Addressing, AttachmentFile, check_attachments
from invoicing.deposit.transmission import Actor
from invoicing.flux import service as flux
from invoicing.formats import pdf, xmlsafe
from invoicing.formats.errors import InvoiceInputError
from invoicing.formats.reader import read_invoice
from invoicing.formats.ubl import writer as ubl_writer
from invoicing.lifecycle.transitions import Frame
from invoicing.platform_codes import CATALOGUE as PLATFORM_CATALOGUE
from invoicing.platform_codes import CodeKind, PlatformCode
from invoicing.refusal_codes import CATALOGUE as REFUSAL_CATALOGUE
from invoicing.refusal_codes import RefusalCode
from invoicing.validation import validate as validation
from invoicing.wording import LOCALES, Template
from tenancy.db import Database
from tenancy.models import Structure
from tenancy.structures import RecipientParameters
from tests.clock import FakeClock
from tests.factories import make_service, make_siret, make_structure
from tests.invoicing import builder
from tests.invoicing.deposit.test_rules import NOW, _doc, _inactive_public, _parties
from tests.invoicing.fluxes import members, zip_of
from tests.invoicing.formats.test_hardening import too_many_attributes_for_saxon
from tests.invoicing.hostile import ACTIVE_CONTENT, encrypted_pdf, pdf_with_files, plain_pdf, with_additions
from tests.invoicing.parties import invoice_between

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {PlatformCode: PLATFORM_CATALOGUE, RefusalCode: REFUSAL_CATALOGUE}

# --- (a) every code has its words ----------------------------------------------------------------------


def _templates() -> Iterator[tuple[str, str, Template]]:
    for enum, catalogue in CATALOGUES.items():
        assert set(catalogue) == set(enum), f"{enum.__name__} members without a catalogue entry"
        for code in enum:
            assert catalogue[code].cases, f"{code.value} has no message"
            for case, template in catalogue[code].cases.items():
                yield code.value, case, template


@pytest.mark.parametrize(
    ("code", "case", "template"), list(_templates()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_message_exists_in_french_and_english_with_the_same_parameters(
    code: str, case: str, template: Template
) -> None:
    assert template.fr.strip() and template.en.strip()
    assert template.fr != template.en, f"{code} {case!r}: the French message is the English one"
    assert template.params("fr") == template.params("en"), (code, case)
    params = dict.fromkeys(template.params("en"), 1234)  # a number: some fields format as one ({high:,})
    for locale in LOCALES:
        text = template.render(locale, params)
        assert "{" not in text and "}" not in text, text


def test_message_renders_the_case_asked_for_in_the_locale_asked_for() -> None:
    assert PlatformCode.NOT_XML.message("en", "empty") == "empty document"
    assert PlatformCode.NOT_XML.message("fr", "empty") == "document vide"
    assert PlatformCode.SIZE.message("en", "pdf", size=5, limit=3) == "PDF is 5 bytes, the limit is 3"
    assert RefusalCode.REASON_REQUIRED.message("en", status="REJETEE") == (
        "REJETEE needs a reason the supplier can act on"
    )
    with pytest.raises(KeyError):
        PlatformCode.NOT_XML.message("en", "no-such-case")


def test_the_code_is_the_value_reports_carry_and_of_finds_only_the_hubs_codes() -> None:
    assert all(code.value.startswith("FH-") for code in PlatformCode)
    assert PlatformCode.of("FH-NOT-XML") is PlatformCode.NOT_XML
    assert PlatformCode.of("BR-CO-15") is None and PlatformCode.of("FX-XSD") is None
    assert PlatformCode.DUPLICATE_NUMBER.kind is CodeKind.DUPLICATE
    assert {code.kind for code in PlatformCode} == set(CodeKind), "a kind no code has"


def test_the_api_answers_every_refusal_code_with_its_error_code() -> None:
    from api.invoices.errors import _OF_REFUSAL, InvoiceErrorCodeValue

    assert set(_OF_REFUSAL) == set(RefusalCode)
    assert all(_OF_REFUSAL[code] is InvoiceErrorCodeValue(code.value) for code in RefusalCode)


def test_a_code_no_input_brings_about_says_why() -> None:
    for code in PlatformCode:
        entry = PLATFORM_CATALOGUE[code]
        assert entry.by_input or entry.why_not_by_input, code


# --- (b) the catalogue is the only source ------------------------------------------------------------------

_CODE = re.compile(r"FH-[A-Z]")
_RAISERS = {"InvoiceInputError", "ActionRefused", "TransitionRefused"}


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _literals_outside_the_catalogues() -> list[str]:
    catalogues = {ROOT / "invoicing" / "platform_codes.py", ROOT / "invoicing" / "refusal_codes.py"}
    found = []
    for package in ("invoicing", "api", "auth", "tenancy", "migrations"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path in catalogues:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = _docstrings(tree)
            where = path.relative_to(ROOT)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and _CODE.search(node.value)
                ):
                    found.append(f"{where}:{node.lineno}: {node.value[:60]!r}")
                if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                    if name in _RAISERS:
                        found.append(f"{where}:{node.lineno}: {name}({node.args[0].value!r}, ...)")
    return found


def test_no_code_is_written_outside_its_catalogue() -> None:
    assert _literals_outside_the_catalogues() == []


def test_the_scan_sees_a_literal_code() -> None:
    tree = ast.parse('"""FH-DOCSTRING is fine."""\nraise InvoiceInputError("FH-SIZE", "x")\n')
    constants = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in _docstrings(tree)]
    assert [c.value for c in constants if _CODE.search(c.value)] == ["FH-SIZE"]


# --- (c) every code has an input that brings it about ------------------------------------------------------


def _raised(work: Callable[[], object]) -> set[str]:
    try:
        work()
    except InvoiceInputError as error:
        return {error.rule}
    return set()


def _validated(data: bytes) -> set[str]:
    return {f.rule for f in validation.validate(data).findings}


def _attachments(*files: AttachmentFile) -> set[str]:
    return {p.code for p in check_attachments(0, files)}


def _ubl_with(old: bytes, new: bytes) -> bytes:
    xml = ubl_writer.write(builder.invoice())
    assert old in xml
    return xml.replace(old, new, 1)


def _facturx() -> bytes:
    from invoicing.formats.cii import writer as cii_writer

    return pdf_with_files({"factur-x.xml": cii_writer.write(builder.invoice())})


# Inputs checked without a database: the file, its PDF, its attachments, typed-in lines.
INPUT_CASES: dict[PlatformCode, Callable[[], Collection[str]]] = {
    PlatformCode.SIZE: lambda: _raised(lambda: xmlsafe.parse(b"<a/>" + b" " * 100, max_bytes=50)),
    PlatformCode.NOT_XML: lambda: _validated(b"hello, this is no XML"),
    PlatformCode.DOCTYPE: lambda: _validated(b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'),
    PlatformCode.UNKNOWN_SYNTAX: lambda: _validated(b"<html/>"),
    PlatformCode.MISSING: lambda: _raised(
        lambda: read_invoice(_ubl_with(b"<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", b""))
    ),
    PlatformCode.NUMBER: lambda: _raised(lambda: read_invoice(_ubl_with(b">4.50<", b">4,50<"))),
    PlatformCode.DATE: lambda: _raised(lambda: read_invoice(_ubl_with(b"<cbc:IssueDate>", b"<cbc:IssueDate>x"))),
    PlatformCode.PDF_MALFORMED: lambda: _raised(lambda: pdf.extract(b"%PDF-1.7\nthis is no PDF at all\n%%EOF")),
    PlatformCode.PDF_ENCRYPTED: lambda: _raised(lambda: read_invoice(encrypted_pdf({"factur-x.xml": b"<a/>"}))),
    PlatformCode.PDF_ACTIVE_CONTENT: lambda: _raised(
        lambda: read_invoice(with_additions(_facturx(), ACTIVE_CONTENT["OpenAction JavaScript"]))
    ),
    PlatformCode.PDF_ATTACHMENTS: lambda: _raised(
        lambda: read_invoice(pdf_with_files({f"f{i}.txt": b"x" for i in range(pdf.MAX_ATTACHMENTS + 1)}))
    ),
    PlatformCode.PDF_NO_XML: lambda: _raised(lambda: read_invoice(pdf_with_files({"bon.txt": b"x"}))),
    PlatformCode.LINE_AMOUNT: lambda: {
        p.code for p in typed.line_problems([typed.LineDraft("Ramette", Decimal("1e10"), Decimal(1))])
    },
    PlatformCode.VAT_CATEGORY: lambda: {
        p.code
        for p in vat_categories.problems(
            [typed.LineDraft("Conseil", Decimal(1), Decimal(1), vat_category="E")],
            seller_vat="FR32123456789",
            buyer_vat=None,
            delivery_date=None,
        )
    },
    PlatformCode.ATTACHMENT_EMPTY: lambda: _attachments(AttachmentFile("bon.pdf", b"")),
    PlatformCode.ATTACHMENT_SIZE: lambda: _attachments(AttachmentFile("bon.pdf", b"%" * (MAX_ATTACHMENT + 1))),
    PlatformCode.ATTACHMENT_NAME: lambda: _attachments(AttachmentFile("b" * 47 + ".pdf", plain_pdf())),
    PlatformCode.ATTACHMENT_TYPE: lambda: _attachments(AttachmentFile("programme.exe", plain_pdf())),
    PlatformCode.ATTACHMENTS_TOTAL: lambda: _attachments(
        *(AttachmentFile(f"piece-{i}.pdf", plain_pdf(size=MAX_ATTACHMENT)) for i in range(13))
    ),
    PlatformCode.INTERNAL: lambda: _validated(too_many_attributes_for_saxon()),
}


async def _checked(
    db: Database, supplier: Structure, document: deposit.DocumentFile, addressing: Addressing | None = None
) -> set[str]:
    checked = await deposit.check(db, supplier.id, document, [], addressing or Addressing(), now=NOW)
    return {p.code for p in checked.problems}


async def _between(db: Database, addressing: Addressing | None = None, **overrides: object) -> set[str]:
    supplier, recipient = await _parties(db)
    return await _checked(db, supplier, _doc(supplier, recipient, **overrides), addressing)


async def _seller_mismatch(db: Database) -> set[str]:
    supplier, recipient = await _parties(db)
    someone_else = await make_structure(db, name="Autre fournisseur")
    return await _checked(db, supplier, _doc(someone_else, recipient))


async def _duplicate(db: Database) -> set[str]:
    supplier, recipient = await _parties(db)
    done = await deposit.deposit(
        db, Actor(supplier.id, "Marie", "user:m"), _doc(supplier, recipient), [], Addressing(), now=NOW
    )
    assert done.accepted
    return await _checked(db, supplier, _doc(supplier, recipient))


async def _to(db: Database, recipient: Structure, addressing: Addressing | None = None) -> set[str]:
    supplier = await make_structure(db)
    return await _checked(db, supplier, _doc(supplier, recipient), addressing)


async def _recipient_mismatch(db: Database) -> set[str]:
    other = await make_structure(db, public=True, name="Autre mairie")
    return await _between(db, Addressing(other.identifier))


async def _recipient_missing(db: Database) -> set[str]:
    supplier, recipient = await _parties(db)
    buyer = invoice_between(supplier, recipient).buyer
    anonymous = dataclasses.replace(buyer, identifiers=[], legal_registration=None, electronic_address=None)
    return await _checked(db, supplier, _doc(supplier, recipient, buyer=anonymous))


async def _recipient_not_public(db: Database) -> set[str]:
    return await _to(db, await make_structure(db, name="Entreprise privée"))


async def _recipient_inactive(db: Database) -> set[str]:
    return await _to(db, await _inactive_public(db))


async def _recipient_is_supplier(db: Database) -> set[str]:
    public = await make_structure(db, public=True, name="Régie municipale")
    return await _checked(db, public, _doc(public, public))


async def _requiring(db: Database, parameters: RecipientParameters, **overrides: object) -> set[str]:
    supplier, recipient = await _parties(db, parameters=parameters)
    return await _checked(db, supplier, _doc(supplier, recipient, **overrides))


async def _service_inactive(db: Database) -> set[str]:
    supplier, recipient = await _parties(db)
    await make_service(db, recipient, "ECOLES", is_active=False)
    return await _checked(db, supplier, _doc(supplier, recipient, buyer_reference="ECOLES"))


async def _service_mismatch(db: Database) -> set[str]:
    supplier, recipient = await _parties(db)
    await make_service(db, recipient, "ECOLES")
    await make_service(db, recipient, "FINANCES")
    document = _doc(supplier, recipient, buyer_reference="ECOLES")
    return await _checked(db, supplier, document, Addressing(service_code="FINANCES"))


async def _a2_with_amount_due(db: Database) -> set[str]:
    return await _between(db, Addressing(frame=Frame.A2_FACTURE_FOURNISSEUR_DEJA_PAYEE))


async def _validator(db: Database, identifier: str | None, frame: Frame = Frame.A9_FACTURE_SOUSTRAITANT) -> set[str]:
    supplier, recipient = await _parties(db)
    addressing = Addressing(frame=frame, validator_identifier=identifier or supplier.identifier)
    return await _checked(db, supplier, _doc(supplier, recipient), addressing)


async def _flux_report_codes(db: Database, *, crash: bool) -> set[str]:
    supplier = await make_structure(db)
    recipient = await make_structure(db, public=True)
    clock, actor = FakeClock(), Actor(supplier.id, "Marie", "user:m")
    done = await flux.deposit_flux(db, actor, "a.zip", zip_of(members(supplier, recipient, 2)), now=clock.now())
    if crash:  # two workers died on member 0: it is set aside
        async with db.tenant_session(supplier.id) as session:
            await session.execute(
                update(FluxRecord).where(FluxRecord.id == done.id).values(member_in_progress=0, member_starts=2)
            )
    else:  # the stored archive went bad before its processing
        async with db.bare_session() as session:
            await session.execute(
                update(StoredDocument)
                .where(StoredDocument.sha256 == done.archive_sha256)
                .values(content=b"PK\x03\x04broken")
            )
    assert await hub_worker(db, clock=clock, listen=False).run_until_idle() == 1
    async with db.tenant_session(supplier.id) as session:
        record = await session.get(FluxRecord, (supplier.id, done.id))
    assert record is not None and record.report is not None
    return {problem["code"] for entry in record.report for problem in entry["problems"]}


# Inputs whose refusal reads the directory: the deposit's preview (deposit.check), or a flux's report.
DEPOSIT_CASES: dict[PlatformCode, Callable[[Database], Awaitable[Collection[str]]]] = {
    PlatformCode.NUMBER_FORMAT: lambda db: _between(db, number="F 2026 1"),
    PlatformCode.SELLER_MISMATCH: _seller_mismatch,
    PlatformCode.CREDIT_NOTE_ORIGIN: lambda db: _between(db, type_code="381", number="AV-1", preceding=[]),
    PlatformCode.DUPLICATE_NUMBER: _duplicate,
    PlatformCode.FRAME_UNSUPPORTED: lambda db: _between(db, process_id="B7"),
    PlatformCode.FRAME_MISMATCH: lambda db: _between(
        db, Addressing(frame=Frame.A1_FACTURE_FOURNISSEUR), process_id="A9"
    ),
    PlatformCode.RECIPIENT_MISMATCH: _recipient_mismatch,
    PlatformCode.RECIPIENT_MISSING: _recipient_missing,
    PlatformCode.RECIPIENT_UNKNOWN: lambda db: _to(
        db, Structure(identifier=make_siret(), identifier_type="SIRET", name="Mairie fantôme")
    ),
    PlatformCode.RECIPIENT_NOT_PUBLIC: _recipient_not_public,
    PlatformCode.RECIPIENT_INACTIVE: _recipient_inactive,
    PlatformCode.RECIPIENT_IS_SUPPLIER: _recipient_is_supplier,
    PlatformCode.SERVICE_MISMATCH: _service_mismatch,
    PlatformCode.SERVICE_UNKNOWN: lambda db: _between(db, Addressing(service_code="NOPE")),
    PlatformCode.SERVICE_INACTIVE: _service_inactive,
    PlatformCode.SERVICE_REQUIRED: lambda db: _requiring(db, RecipientParameters(service_code_required=True)),
    PlatformCode.ENGAGEMENT_MISMATCH: lambda db: _between(db, Addressing(engagement_number="EJ-2"), order_ref="EJ-1"),
    PlatformCode.ENGAGEMENT_FORMAT: lambda db: _between(db, order_ref="E" * 51),
    PlatformCode.ENGAGEMENT_REQUIRED: lambda db: _requiring(db, RecipientParameters(engagement_required=True)),
    PlatformCode.SERVICE_OR_ENGAGEMENT_REQUIRED: lambda db: _requiring(
        db, RecipientParameters(service_or_engagement_required=True)
    ),
    PlatformCode.FRAME_A2_AMOUNT_DUE: _a2_with_amount_due,
    PlatformCode.VALIDATOR_NOT_EXPECTED: lambda db: _validator(db, make_siret(), Frame.A1_FACTURE_FOURNISSEUR),
    PlatformCode.VALIDATOR_REQUIRED: lambda db: _between(db, Addressing(frame=Frame.A9_FACTURE_SOUSTRAITANT)),
    PlatformCode.VALIDATOR_UNKNOWN: lambda db: _validator(db, make_siret()),
    PlatformCode.VALIDATOR_IS_SUPPLIER: lambda db: _validator(db, None),
    PlatformCode.FLUX_MEMBER_CRASHED: lambda db: _flux_report_codes(db, crash=True),
    PlatformCode.FLUX_INCIDENT: lambda db: _flux_report_codes(db, crash=False),
}


def test_every_code_an_input_brings_about_has_its_case_and_no_other_has_one() -> None:
    assert not set(INPUT_CASES) & set(DEPOSIT_CASES)
    assert set(INPUT_CASES) | set(DEPOSIT_CASES) == {code for code in PlatformCode if code.by_input}


@pytest.mark.parametrize("code", list(INPUT_CASES), ids=str)
def test_the_input_case_of_a_code_brings_it_about(code: PlatformCode) -> None:
    assert set(INPUT_CASES[code]()) == {code}


@pytest.mark.parametrize("code", list(DEPOSIT_CASES), ids=str)
async def test_the_deposit_case_of_a_code_brings_it_about(db: Database, code: PlatformCode) -> None:
    assert set(await DEPOSIT_CASES[code](db)) == {code}
