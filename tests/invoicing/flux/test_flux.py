"""Fluxes on both engines: hostile archives refused with nothing stored; a flux integrated in the background
with each member's outcome; a retry after a crash neither loses nor repeats a member; tacit validation."""

from __future__ import annotations

import dataclasses
import io
import os
import time
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from invoicing.background import hub_worker
from invoicing.deposit import service as deposit
from invoicing.deposit.records import FluxMember, FluxRecord, InvoiceRecord, StoredDocument
from invoicing.deposit.rules import Addressing
from invoicing.deposit.transmission import Actor
from invoicing.flux import archive
from invoicing.flux import service as flux
from invoicing.flux.archive import ArchiveRefused
from invoicing.lifecycle.transitions import Frame
from tenancy.db import Database
from tenancy.jobs import queue as jobs
from tenancy.jobs.table import Job
from tenancy.models import Structure
from tests.clock import FakeClock
from tests.factories import make_structure
from tests.invoicing.fluxes import members, tar_gz_of, zip_of
from tests.invoicing.parties import cii, invoice_between, ubl

FLUX_SIZE = int(os.environ.get("FACTUREHUB_TEST_FLUX_SIZE", "500"))


async def _count(db: Database, tenant, model, *where) -> int:
    async with db.tenant_session(tenant) as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def _stored_documents(db: Database) -> int:
    async with db.bare_session() as session:
        return int(await session.scalar(select(func.count()).select_from(StoredDocument)) or 0)


async def _flux(db: Database, tenant, flux_id) -> FluxRecord:
    async with db.tenant_session(tenant) as session:
        row = await session.scalar(select(FluxRecord).where(FluxRecord.id == flux_id))
    assert row is not None
    return row


# --- hostile archives: refused before anything is stored --------------------------------------------


async def _a_flux_of(db: Database, count: int) -> tuple[Structure, Structure, FakeClock, FluxRecord]:
    """A supplier's archive of ``count`` invoices to a public recipient, deposited and not processed yet."""
    supplier = await make_structure(db)
    recipient = await make_structure(db, public=True)
    clock = FakeClock()
    archive_bytes = zip_of(members(supplier, recipient, count))
    done = await flux.deposit_flux(db, Actor(supplier.id, "Marie", "user:m"), "a.zip", archive_bytes, now=clock.now())
    return supplier, recipient, clock, done


def _zip_raw(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def _symlink_zip() -> bytes:
    info = zipfile.ZipInfo("invoices/link.xml")
    info.external_attr = 0o120777 << 16  # S_IFLNK
    return _zip_raw([(info, b"/etc/passwd")])


def _lying_zip() -> bytes:
    """A member that declares 100 bytes and holds 5 MB of zeros: the CRC/size check must catch it."""
    data = bytearray(zip_of([("a.xml", b"\x00" * 5_000_000)]))
    central = data.rfind(b"PK\x01\x02")
    for offset in (22, central + 24):  # local header and central directory uncompressed size
        data[offset : offset + 4] = (100).to_bytes(4, "little")
    return bytes(data)


HOSTILE = {
    "traversal": (lambda: zip_of([("../../etc/cron.d/evil.xml", b"<x/>")]), "FLUX_UNSAFE_PATH", "climbs out"),
    "absolute": (lambda: tar_gz_of([("/etc/evil.xml", b"<x/>")]), "FLUX_UNSAFE_PATH", "absolute"),
    "symlink-tar": (lambda: tar_gz_of([], links={"a.xml": "/etc/passwd"}), "FLUX_LINK", "link"),
    "symlink-zip": (_symlink_zip, "FLUX_LINK", "link"),
    "bomb-zip": (lambda: zip_of([("a.xml", b"<" + b"x" * 9_000_000 + b">")]), "FLUX_BOMB", "bomb"),
    "lying-sizes": (_lying_zip, "FLUX_CORRUPT", "a.xml"),
    "too-large-member": (
        lambda: tar_gz_of([("a.xml", os.urandom(11 * 1024 * 1024))]),
        "FLUX_MEMBER_TOO_LARGE",
        "exceeds",
    ),
    "too-many": (lambda: zip_of([(f"{i}.xml", b"<x/>") for i in range(501)]), "FLUX_TOO_MANY_MEMBERS", "at most 500"),
    "nested-zip": (
        lambda: zip_of([("inner.xml", zip_of([("a.xml", b"<x/>")]))]),
        "FLUX_NESTED_ARCHIVE",
        "itself an archive",
    ),
    "nested-by-name": (lambda: zip_of([("inner.zip", b"PK")]), "FLUX_MEMBER_TYPE", "not an invoice"),
    "not-an-archive": (lambda: b"<Invoice/>", "FLUX_NOT_AN_ARCHIVE", "zip or tar.gz"),
    "truncated-zip": (lambda: zip_of([("a.xml", b"<x/>" * 1000)])[:60], "FLUX_NOT_AN_ARCHIVE", "cannot be read"),
    "gzip-not-tar": (lambda: __import__("gzip").compress(b"<Invoice/>" * 100), "FLUX_NOT_AN_ARCHIVE", "cannot be read"),
    "empty": (lambda: zip_of([]), "FLUX_EMPTY", "no invoice"),
    "attachment": (lambda: zip_of([("a.xml", b"<x/>"), ("photo.jpg", b"\xff\xd8")]), "FLUX_MEMBER_TYPE", "photo.jpg"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
async def test_a_hostile_archive_is_refused_with_a_clear_message_and_nothing_stored(case: str, db: Database) -> None:
    build, code, words = HOSTILE[case]
    supplier = await make_structure(db)
    before = await _stored_documents(db)
    started = time.monotonic()
    with pytest.raises(ArchiveRefused) as refused:
        await flux.deposit_flux(db, Actor(supplier.id, "Marie", "user:m"), "f.zip", build(), now=FakeClock().now())
    assert time.monotonic() - started < 10
    assert refused.value.code == code and words in refused.value.message, refused.value.message
    assert await _stored_documents(db) == before
    assert await _count(db, supplier.id, FluxRecord) == 0
    async with db.bare_session() as session:
        assert await session.scalar(select(func.count()).select_from(Job)) == 0


def test_a_tar_gz_expanding_beyond_the_total_budget_is_a_bomb() -> None:
    small = archive.Limits(member_bytes=1_000_000, total_bytes=2_000_000)
    bomb = tar_gz_of([(f"{i}.xml", b"\x00" * 900_000) for i in range(5)])
    assert len(bomb) < 20_000
    with pytest.raises(ArchiveRefused) as refused:
        archive.inspect(bomb, small)
    assert refused.value.code == "FLUX_BOMB" and "decompression bomb" in refused.value.message


def test_an_oversized_archive_is_refused_before_it_is_opened() -> None:
    with pytest.raises(ArchiveRefused) as refused:
        archive.inspect(b"PK\x03\x04" + b"\x00" * 2000, archive.Limits(archive_bytes=1000))
    assert refused.value.code == "FLUX_TOO_LARGE"


# --- processing ------------------------------------------------------------------------------------


async def test_a_flux_with_broken_invoices_is_partially_integrated_and_reports_each_member(db: Database) -> None:
    supplier = await make_structure(db, name="Atelier Flux")
    recipient = await make_structure(db, public=True, name="Mairie Flux")
    broken = set(range(3, FLUX_SIZE, max(FLUX_SIZE // 12, 4)))
    files = members(supplier, recipient, FLUX_SIZE, broken=broken)
    clock = FakeClock()
    done = await flux.deposit_flux(
        db, Actor(supplier.id, "Marie", "user:m"), "lot.tar.gz", tar_gz_of(files), now=clock.now()
    )
    assert done.status == "IN_RECU" and done.number.startswith("CPP") and len(done.number) == 25

    worker = hub_worker(db, clock=clock, listen=False)
    assert await worker.run_until_idle() == 1
    row = await _flux(db, supplier.id, done.id)
    assert row.status == "IN_INTEGRE_PARTIEL"
    assert [e["index"] for e in row.report] == list(range(FLUX_SIZE))
    for entry in row.report:
        if entry["index"] in broken:
            assert entry["status"] == "REJECTED" and entry["problems"] and entry["invoiceId"] is None, entry
            assert all(p["code"] and p["message"] for p in entry["problems"])
        else:
            assert entry["status"] == "ACCEPTED" and entry["number"] == f"FX-{entry['index']:04d}", entry
    accepted = FLUX_SIZE - len(broken)
    assert await _count(db, supplier.id, InvoiceRecord, InvoiceRecord.flux_id == done.id) == accepted
    assert await _count(db, recipient.id, InvoiceRecord, InvoiceRecord.flux_id == done.id) == accepted
    total_problem = next(e for e in row.report if e["index"] in broken and e["index"] % 3 == 0)
    assert any(p["code"].startswith("BR-") for p in total_problem["problems"])


async def test_all_good_is_integre_all_bad_is_rejete(db: Database) -> None:
    supplier = await make_structure(db)
    recipient = await make_structure(db, public=True)
    actor = Actor(supplier.id, "Marie", "user:m")
    clock = FakeClock()
    good = await flux.deposit_flux(
        db, actor, "a.zip", zip_of(members(supplier, recipient, 3, prefix="OK")), now=clock.now()
    )
    bad = await flux.deposit_flux(
        db, actor, "b.zip", zip_of(members(supplier, recipient, 2, broken={0, 1}, prefix="KO")), now=clock.now()
    )
    await hub_worker(db, clock=clock, listen=False).run_until_idle()
    assert (await _flux(db, supplier.id, good.id)).status == "IN_INTEGRE"
    assert (await _flux(db, supplier.id, bad.id)).status == "IN_REJETE"


async def test_a_flux_member_takes_its_frame_from_bt23(db: Database) -> None:
    # Given a flux holding an A1 invoice, an already-paid A2 one and an A9 one (BT-23, as Chorus Pro flows say it)
    supplier = await make_structure(db)
    recipient = await make_structure(db, public=True)
    base = invoice_between(supplier, recipient)
    paid = dataclasses.replace(base.totals, prepaid=base.totals.with_vat, payable=Decimal("0.00"))
    files = [
        ("a1.xml", ubl(dataclasses.replace(base, number="FR-A1", process_id="A1"))),
        ("a2.xml", ubl(dataclasses.replace(base, number="FR-A2", process_id="A2", totals=paid))),
        ("a9.xml", ubl(dataclasses.replace(base, number="FR-A9", process_id="A9_FACTURE_SOUSTRAITANT"))),
    ]
    clock = FakeClock()
    done = await flux.deposit_flux(
        db, Actor(supplier.id, "Marie", "user:m"), "frames.zip", zip_of(files), now=clock.now()
    )
    await hub_worker(db, clock=clock, listen=False).run_until_idle()
    # Then the A1 and A2 invoices are deposited in their frames
    async with db.tenant_session(supplier.id) as session:
        frames = {n: f for n, f in await session.execute(select(InvoiceRecord.number, InvoiceRecord.frame))}
    assert frames == {"FR-A1": "A1_FACTURE_FOURNISSEUR", "FR-A2": "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE"}
    # And the A9 one, whose validator a document cannot name, is reported as such
    row = await _flux(db, supplier.id, done.id)
    [a9] = [e for e in row.report if e["name"].endswith("a9.xml")]
    assert a9["status"] == "REJECTED" and [p["code"] for p in a9["problems"]] == ["FH-VALIDATOR-REQUIRED"], a9


async def test_a_refused_member_reports_the_invoice_number_its_document_states(db: Database) -> None:
    # Given a flux of documents refused for different reasons, most of them stating an invoice number (BT-1)
    supplier = await make_structure(db)
    recipient = await make_structure(db, public=True)
    base = invoice_between(supplier, recipient)
    unbalanced = dataclasses.replace(base.totals, payable=base.totals.payable + 1)
    bad_date = ubl(dataclasses.replace(base, number="KO-DATE-UBL")).replace(
        b"<cbc:IssueDate>", b"<cbc:IssueDate>not-", 1
    )
    bad_cii_date = cii(dataclasses.replace(base, number="KO-DATE-CII")).replace(
        b'<udt:DateTimeString format="102">', b'<udt:DateTimeString format="102">x', 1
    )
    files = [
        ("ok.xml", ubl(dataclasses.replace(base, number="OK-1"))),
        ("en16931.xml", cii(dataclasses.replace(base, number="KO-TOTALS", totals=unbalanced))),
        ("duplicate.xml", ubl(dataclasses.replace(base, number="OK-1"))),
        ("too-long.xml", ubl(dataclasses.replace(base, number="FACTURE-2026-NUMERO-TROP-LONG"))),
        ("unreadable-ubl.xml", bad_date),
        ("unreadable-cii.xml", bad_cii_date),
        ("not-xml.xml", b"this is not an invoice"),
    ]
    clock = FakeClock()
    done = await flux.deposit_flux(db, Actor(supplier.id, "Marie", "user:m"), "ko.zip", zip_of(files), now=clock.now())
    await hub_worker(db, clock=clock, listen=False).run_until_idle()
    # Then each report line names the number, refused or not; a number too long for any invoice is cut, visibly
    row = await _flux(db, supplier.id, done.id)
    report = {e["name"]: (e["status"], e["number"], [p["code"] for p in e["problems"]]) for e in row.report}
    assert report["ok.xml"] == ("ACCEPTED", "OK-1", [])
    assert report["en16931.xml"][:2] == ("REJECTED", "KO-TOTALS") and "BR-CO-16" in report["en16931.xml"][2]
    assert report["duplicate.xml"] == ("REJECTED", "OK-1", ["FH-DUPLICATE-NUMBER"])
    assert report["too-long.xml"][:2] == ("REJECTED", "FACTURE-2026-NUMERO\u2026"), report["too-long.xml"]
    assert "FH-NUMBER-FORMAT" in report["too-long.xml"][2]
    assert report["unreadable-ubl.xml"][:2] == ("REJECTED", "KO-DATE-UBL"), report["unreadable-ubl.xml"]
    assert report["unreadable-cii.xml"][:2] == ("REJECTED", "KO-DATE-CII"), report["unreadable-cii.xml"]
    # And a document that states none (not even XML) has none
    assert report["not-xml.xml"][:2] == ("REJECTED", None)


async def test_a_retry_after_a_crash_continues_where_it_stopped(db: Database) -> None:
    """Members 0-1 were deposited (and recorded) before the worker died; the retry does the rest, once."""
    supplier = await make_structure(db)
    recipient = await make_structure(db, public=True)
    actor = Actor(supplier.id, "Marie", "user:m")
    clock = FakeClock()
    files = members(supplier, recipient, 5, prefix="CR")
    done = await flux.deposit_flux(db, actor, "a.zip", zip_of(files), now=clock.now())
    # The first worker claims it and gets through two members, then dies without a word.
    job = await jobs.claim(db, "dead", now=clock.now())
    assert job is not None
    for member in list(archive.read_archive(zip_of(files)))[:2]:
        await flux.process_member(db, actor, done.id, member, now=clock.now())
    # Depositing member 1 again (a duplicate run) changes nothing: its outcome is recorded already.
    again = list(archive.read_archive(zip_of(files)))[1]
    await flux.process_member(db, actor, done.id, again, now=clock.now())
    assert await _count(db, supplier.id, FluxMember, FluxMember.flux_id == done.id) == 2
    clock.advance(jobs.DEFAULT_LEASE + timedelta(seconds=1))
    await hub_worker(db, clock=clock, listen=False).run_until_idle()
    row = await _flux(db, supplier.id, done.id)
    assert row.status == "IN_INTEGRE" and [e["status"] for e in row.report] == ["ACCEPTED"] * 5
    assert await _count(db, supplier.id, InvoiceRecord, InvoiceRecord.flux_id == done.id) == 5
    assert await _count(db, recipient.id, InvoiceRecord, InvoiceRecord.flux_id == done.id) == 5


async def test_each_job_works_in_its_own_tenant(db: Database) -> None:
    a, b = await make_structure(db, name="A"), await make_structure(db, name="B")
    recipient = await make_structure(db, public=True)
    clock = FakeClock()
    fa = await flux.deposit_flux(
        db, Actor(a.id, "a", "user:a"), "a.zip", zip_of(members(a, recipient, 2, prefix="A")), now=clock.now()
    )
    fb = await flux.deposit_flux(
        db, Actor(b.id, "b", "user:b"), "b.zip", zip_of(members(b, recipient, 2, prefix="B")), now=clock.now()
    )
    await hub_worker(db, clock=clock, listen=False).run_until_idle()
    assert (await _flux(db, a.id, fa.id)).status == "IN_INTEGRE" and (
        await _flux(db, b.id, fb.id)
    ).status == "IN_INTEGRE"
    assert await _count(db, a.id, InvoiceRecord) == 2 and await _count(db, b.id, InvoiceRecord) == 2
    assert await _count(db, a.id, FluxRecord) == 1  # A sees its flux only


# --- tacit validation ---------------------------------------------------------------------------------


async def _to_validate(
    db: Database, frame: Frame
) -> tuple[Structure, Structure, Structure, FakeClock, deposit.Deposited]:
    """A subcontractor's (or co-contractor's) invoice deposited for the main contractor to validate."""
    subcontractor = await make_structure(db, name="Sous-traitant")
    main = await make_structure(db, name="Titulaire")
    recipient = await make_structure(db, public=True, name="Mairie")
    clock = FakeClock()
    document = deposit.DocumentFile("a9.xml", ubl(invoice_between(subcontractor, recipient)), "application/xml")
    done = await deposit.deposit(
        db,
        Actor(subcontractor.id, "Sam", "user:s"),
        document,
        [],
        Addressing(frame=frame, validator_identifier=main.identifier),
        now=clock.now(),
    )
    return subcontractor, main, recipient, clock, done


async def test_tacit_validation_fires_after_15_days_on_the_fake_clock(db: Database) -> None:
    subcontractor, _main, recipient, clock, done = await _to_validate(db, Frame.A9_FACTURE_SOUSTRAITANT)
    assert done.accepted and done.issued is not None, done.checked.problems
    assert done.issued.status == "A_VALIDER_1"
    worker = hub_worker(db, clock=clock, listen=False)
    clock.advance(timedelta(days=15) - timedelta(minutes=1))
    assert await worker.run_until_idle() == 0  # not yet
    assert await _count(db, recipient.id, InvoiceRecord) == 0
    clock.advance(timedelta(minutes=1))
    assert await worker.run_until_idle() == 1
    async with db.tenant_session(subcontractor.id) as session:
        issued = await session.get(InvoiceRecord, (subcontractor.id, done.issued.id))
    assert issued is not None and issued.status == "MISE_A_DISPOSITION"
    assert await _count(db, recipient.id, InvoiceRecord) == 1  # delivered at last


async def test_an_invoice_validated_in_time_is_left_alone_by_its_timer(db: Database) -> None:
    from invoicing.lifecycle import service as lifecycle_service
    from invoicing.lifecycle.transitions import Status

    subcontractor, main, recipient, clock, done = await _to_validate(db, Frame.A12_FACTURE_COTRAITANT)
    assert done.issued is not None
    async with db.tenant_session(main.id) as session:
        mine = await session.scalar(select(InvoiceRecord))
    assert mine is not None
    await lifecycle_service.change_status(
        db, Actor(main.id, "Tim", "user:t"), mine.id, Status.REFUSEE_1, "pas conforme", now=clock.now()
    )
    clock.advance(timedelta(days=16))
    assert await hub_worker(db, clock=clock, listen=False).run_until_idle() == 1
    async with db.tenant_session(subcontractor.id) as session:
        issued = await session.get(InvoiceRecord, (subcontractor.id, done.issued.id))
    assert issued is not None and issued.status == "REFUSEE_1"
    assert await _count(db, recipient.id, InvoiceRecord) == 0


async def test_an_archive_unreadable_at_processing_time_makes_the_flux_incidente(db: Database) -> None:
    supplier, recipient, clock, done = await _a_flux_of(db, 2)
    async with db.bare_session() as session:  # the stored bytes went bad (disk, restore...)
        await session.execute(
            update(StoredDocument)
            .where(StoredDocument.sha256 == done.archive_sha256)
            .values(content=b"PK\x03\x04broken")
        )
    assert await hub_worker(db, clock=clock, listen=False).run_until_idle() == 1
    row = await _flux(db, supplier.id, done.id)
    assert row.status == "IN_INCIDENTE"
    assert row.report[-1]["status"] == "INCIDENT" and "cannot be read" in row.report[-1]["problems"][0]["message"]
    assert await _count(db, supplier.id, InvoiceRecord) == 0


async def test_a_member_that_killed_the_worker_twice_is_set_aside_and_the_rest_goes_on(db: Database) -> None:
    supplier, recipient, clock, done = await _a_flux_of(db, 4)
    # Members 0 and 1 were done, then two workers died while on member 2 (two starts that never ended).
    actor = Actor(supplier.id, "Marie", "user:m")
    for member in list(archive.read_archive(zip_of(members(supplier, recipient, 4))))[:2]:
        await flux.process_member(db, actor, done.id, member, now=clock.now())
    async with db.tenant_session(supplier.id) as session:
        await session.execute(
            update(FluxRecord).where(FluxRecord.id == done.id).values(member_in_progress=2, member_starts=2)
        )
    # (A single death, the usual crash, does not count against a member: test_worker_process retries it.)
    assert await hub_worker(db, clock=clock, listen=False).run_until_idle() == 1
    row = await _flux(db, supplier.id, done.id)
    assert row.status == "IN_INTEGRE_PARTIEL"
    assert [e["status"] for e in row.report] == ["ACCEPTED", "ACCEPTED", "REJECTED", "ACCEPTED"]
    assert row.report[2]["problems"][0]["code"] == "FH-FLUX-MEMBER-CRASHED"
