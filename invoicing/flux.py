"""Fluxes: one archive (zip or tar.gz) of up to 500 invoices, checked at once, integrated in the background.

Synchronous part (``deposit_flux``): the archive is checked whole before anything is stored (size first,
then every member: count, names, types, sizes, compression ratio, nesting), then stored once
(content-addressed) as a flux ``IN_RECU`` with a Chorus Pro style number, and a job is enqueued in the
same transaction.

Background part (``run_job``): ``IN_EN_ATTENTE_TRAITEMENT_CPP`` -> ``IN_EN_COURS_TRAITEMENT_CPP`` ->
``IN_INTEGRE`` | ``IN_INTEGRE_PARTIEL`` | ``IN_REJETE`` (``IN_INCIDENTE`` when the stored archive cannot
be read or the job keeps failing). Each member is deposited with ``deposit.deposit`` in its own
transaction, and its outcome row (``flux_members``, primary key flux + member index) is written in that
same transaction: a worker that dies half-way leaves each member either fully deposited and recorded or
untouched, and the retry skips the recorded ones. A member that cannot be read, or makes validation
fail, is reported and the rest goes on.

Members: invoices only, ``.xml`` (UBL 2.1 or CII D16B) or ``.pdf`` (Factur-X / ZUGFeRD); directory
entries are ignored. Attachments travel inside the invoice (UBL ``AdditionalDocumentReference``, PDFs
embedded in Factur-X) or through ``submitInvoice``; any other file refuses the archive.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import posixpath
import re
import secrets
import stat
import tarfile
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import IO, Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing import deposit as deposit_module
from invoicing import jobs, storage
from invoicing.jobs import ClaimedJob, Clock
from invoicing.platform_codes import PlatformCode
from invoicing.problems import Problem
from invoicing.records import FluxMember, FluxRecord, InvoiceRecord
from invoicing.routing import Actor
from invoicing.rules import Addressing
from tenancy.db import Database

JOB_KIND = "flux"


@dataclass(frozen=True)
class Limits:
    archive_bytes: int = 100 * 1024 * 1024  # the upload itself, checked before opening it
    members: int = 500  # invoices per flux (Chorus Pro E1)
    member_bytes: int = 10 * 1024 * 1024  # one invoice, uncompressed
    total_bytes: int = 300 * 1024 * 1024  # all members, uncompressed
    ratio: int = 100  # uncompressed / compressed, for members over ratio_floor bytes
    ratio_floor: int = 1024 * 1024
    name_chars: int = 255


LIMITS = Limits()


class FluxStatus(StrEnum):
    IN_RECU = "IN_RECU"
    IN_EN_ATTENTE_TRAITEMENT_CPP = "IN_EN_ATTENTE_TRAITEMENT_CPP"
    IN_EN_COURS_TRAITEMENT_CPP = "IN_EN_COURS_TRAITEMENT_CPP"
    IN_INTEGRE = "IN_INTEGRE"
    IN_INTEGRE_PARTIEL = "IN_INTEGRE_PARTIEL"
    IN_REJETE = "IN_REJETE"
    IN_INCIDENTE = "IN_INCIDENTE"


FINAL = frozenset({FluxStatus.IN_INTEGRE, FluxStatus.IN_INTEGRE_PARTIEL, FluxStatus.IN_REJETE, FluxStatus.IN_INCIDENTE})
ACCEPTED, REJECTED = "ACCEPTED", "REJECTED"


class ArchiveRefused(Exception):
    """Why an archive cannot be a flux: a code and a message saying what to change."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ArchiveMember:
    index: int
    name: str
    content: bytes

    @property
    def media_type(self) -> str:
        return "application/pdf" if self.name.lower().endswith(".pdf") else "application/xml"


# --- reading archives safely --------------------------------------------------------------------------

_INVOICE_SUFFIXES = (".xml", ".pdf")
_NESTED_MAGIC = (
    (0, b"PK\x03\x04"),  # zip
    (0, b"PK\x05\x06"),  # empty zip
    (0, b"\x1f\x8b"),  # gzip
    (0, b"BZh"),  # bzip2
    (0, b"\xfd7zXZ\x00"),  # xz
    (0, b"7z\xbc\xaf\x27\x1c"),  # 7z
    (0, b"Rar!\x1a\x07"),  # rar
    (0, b"\x28\xb5\x2f\xfd"),  # zstd
    (257, b"ustar"),  # tar
)


def archive_kind(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\x1f\x8b"):
        return "tar.gz"
    raise ArchiveRefused("FLUX_NOT_AN_ARCHIVE", "the flux must be a zip or tar.gz archive of invoices")


def _check_name(raw: str, limits: Limits) -> str:
    """Names are never used as paths here, but a name that would escape a folder says the archive is hostile."""
    name = raw.replace("\\", "/")
    parts = name.split("/")
    if (
        "\x00" in raw
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or ".." in parts
        or posixpath.normpath(name).startswith("..")
    ):
        raise ArchiveRefused("FLUX_UNSAFE_PATH", f"member {raw!r} has an absolute path or climbs out with '..'")
    if len(name) > limits.name_chars:
        raise ArchiveRefused("FLUX_UNSAFE_PATH", f"member name longer than {limits.name_chars} characters")
    return name


def _check_content(name: str, content: bytes) -> None:
    for offset, magic in _NESTED_MAGIC:
        if content[offset : offset + len(magic)] == magic:
            raise ArchiveRefused(
                "FLUX_NESTED_ARCHIVE", f"member {name!r} is itself an archive: put the invoices in one archive"
            )


def _check_suffix(name: str) -> None:
    if not name.lower().endswith(_INVOICE_SUFFIXES):
        raise ArchiveRefused(
            "FLUX_MEMBER_TYPE",
            f"member {name!r} is not an invoice: a flux holds .xml (UBL, CII) and .pdf (Factur-X) files only "
            "(attachments go inside the invoice, or through submitInvoice)",
        )


class _Budget:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.members = 0
        self.total = 0

    def member(self) -> int:
        self.members += 1
        if self.members > self.limits.members:
            raise ArchiveRefused("FLUX_TOO_MANY_MEMBERS", f"a flux holds at most {self.limits.members} invoices")
        return self.members - 1

    def spend(self, size: int, name: str) -> None:
        if size > self.limits.member_bytes:
            raise ArchiveRefused(
                "FLUX_MEMBER_TOO_LARGE", f"member {name!r} exceeds {self.limits.member_bytes} bytes uncompressed"
            )
        self.total += size
        if self.total > self.limits.total_bytes:
            raise ArchiveRefused(
                "FLUX_BOMB",
                f"the archive expands beyond {self.limits.total_bytes} bytes: refused as a decompression bomb",
            )


def _read_capped(stream: IO[bytes], cap: int, name: str) -> bytes:
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise ArchiveRefused("FLUX_MEMBER_TOO_LARGE", f"member {name!r} exceeds {cap} bytes uncompressed")
    return data


def _zip_members(data: bytes, limits: Limits) -> Iterator[ArchiveMember]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveRefused("FLUX_NOT_AN_ARCHIVE", f"the zip archive cannot be read: {exc}") from exc
    budget = _Budget(limits)
    files = [i for i in infos if not i.is_dir()]
    if len(files) > limits.members:
        raise ArchiveRefused(
            "FLUX_TOO_MANY_MEMBERS", f"a flux holds at most {limits.members} invoices ({len(files)} here)"
        )
    declared = sum(i.file_size for i in files)
    if declared > limits.total_bytes:
        raise ArchiveRefused(
            "FLUX_BOMB", f"the archive declares {declared} bytes uncompressed, over {limits.total_bytes}"
        )
    with archive:
        for info in files:
            name = _check_name(info.filename, limits)
            kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver wrote no Unix mode
            if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
                raise ArchiveRefused(
                    "FLUX_LINK", f"member {name!r} is a link or a device: only plain files are accepted"
                )
            if info.flag_bits & 0x1:
                raise ArchiveRefused("FLUX_ENCRYPTED", f"member {name!r} is encrypted")
            _check_suffix(name)
            if info.file_size > limits.member_bytes:
                raise ArchiveRefused(
                    "FLUX_MEMBER_TOO_LARGE", f"member {name!r} exceeds {limits.member_bytes} bytes uncompressed"
                )
            if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
                raise ArchiveRefused(
                    "FLUX_BOMB",
                    f"member {name!r} compresses more than {limits.ratio}:1: refused as a decompression bomb",
                )
            index = budget.member()
            try:
                # ZipExtFile stops at the declared size and checks the CRC: a member larger than it says fails here.
                with archive.open(info) as stream:
                    content = _read_capped(stream, limits.member_bytes, name)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
                raise ArchiveRefused("FLUX_CORRUPT", f"member {name!r} cannot be decompressed: {exc}") from exc
            if len(content) != info.file_size:
                raise ArchiveRefused("FLUX_CORRUPT", f"member {name!r} is not the size the archive declares")
            budget.spend(len(content), name)
            _check_content(name, content)
            yield ArchiveMember(index, name, content)


class _CappedReader(io.RawIOBase):
    """Decompressed bytes, at most ``cap`` of them: a gzip bomb stops here, whatever tarfile asks for."""

    def __init__(self, inner: IO[bytes] | gzip.GzipFile, cap: int) -> None:
        self.inner = inner
        self.cap = cap
        self.read_so_far = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.inner.read(min(len(buffer), self.cap + 1 - self.read_so_far))
        self.read_so_far += len(chunk)
        if self.read_so_far > self.cap:
            raise ArchiveRefused(
                "FLUX_BOMB", f"the archive expands beyond {self.cap} bytes: refused as a decompression bomb"
            )
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _tar_members(data: bytes, limits: Limits) -> Iterator[ArchiveMember]:
    # Headers and padding count too: allow them on top of the members' own budget.
    cap = limits.total_bytes + (limits.members + 16) * 2048
    raw = _CappedReader(gzip.GzipFile(fileobj=io.BytesIO(data)), cap)
    budget = _Budget(limits)
    try:
        with tarfile.open(fileobj=io.BufferedReader(raw), mode="r|") as archive:
            for info in archive:
                name = _check_name(info.name, limits)
                if info.isdir():
                    continue
                if not info.isreg():
                    raise ArchiveRefused(
                        "FLUX_LINK", f"member {name!r} is a link or a device: only plain files are accepted"
                    )
                _check_suffix(name)
                index = budget.member()
                budget.spend(info.size, name)
                stream = archive.extractfile(info)
                assert stream is not None  # a regular file
                content = _read_capped(stream, limits.member_bytes, name)
                _check_content(name, content)
                yield ArchiveMember(index, name, content)
    except ArchiveRefused:
        raise
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise ArchiveRefused("FLUX_NOT_AN_ARCHIVE", f"the tar.gz archive cannot be read: {exc}") from exc


def read_archive(data: bytes, limits: Limits = LIMITS) -> Iterator[ArchiveMember]:
    """The archive's invoices one at a time (never all in memory); ArchiveRefused on the first violation."""
    if len(data) > limits.archive_bytes:
        raise ArchiveRefused("FLUX_TOO_LARGE", f"the archive exceeds {limits.archive_bytes} bytes")
    if archive_kind(data) == "zip":
        yield from _zip_members(data, limits)
    else:
        yield from _tar_members(data, limits)


def inspect(data: bytes, limits: Limits = LIMITS) -> list[str]:
    """Check the whole archive; the members' names, in order."""
    names = [member.name for member in read_archive(data, limits)]
    if not names:
        raise ArchiveRefused("FLUX_EMPTY", "the archive holds no invoice")
    return names


# --- deposit (synchronous) ----------------------------------------------------------------------------


def new_number(now: datetime) -> str:
    """Chorus Pro style: CPP + 22 digits (25 characters), time first so numbers sort by deposit."""
    return f"CPP{now:%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


async def deposit_flux(
    db: Database, actor: Actor, filename: str, data: bytes, *, now: datetime, limits: Limits = LIMITS
) -> FluxRecord:
    """Check the archive, store it and queue its processing; ArchiveRefused (nothing stored) otherwise."""
    await asyncio.to_thread(inspect, data, limits)  # decompressing it all is CPU work: off the event loop
    media_type = "application/zip" if archive_kind(data) == "zip" else "application/gzip"
    async with db.tenant_session(actor.tenant_id) as session:
        sha = await storage.store(session, data, media_type)
        flux = FluxRecord(
            tenant_id=actor.tenant_id,
            id=uuid.uuid4(),
            number=new_number(now),
            filename=(filename or "flux")[:200],
            archive_sha256=sha,
            status=FluxStatus.IN_RECU.value,
            deposited_at=now,
            updated_at=now,
            depositor=actor.name[:200],
            report=[],
        )
        session.add(flux)
        await session.flush()
        await jobs.enqueue(session, JOB_KIND, {"flux_id": str(flux.id)}, for_tenant=actor.tenant_id, run_at=now)
    return flux


# --- processing (background) --------------------------------------------------------------------------


async def _set_status(db: Database, tenant: uuid.UUID, flux_id: uuid.UUID, status: FluxStatus, now: datetime) -> None:
    async with db.tenant_session(tenant) as session:
        await session.execute(
            update(FluxRecord)
            .where(FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id)
            .values(status=status.value, updated_at=now)
            .execution_options(synchronize_session=False)
        )


async def run_job(db: Database, job: ClaimedJob, clock: Clock) -> None:
    tenant = job.for_tenant
    assert tenant is not None, "a flux job names the depositor's workspace"
    flux_id = uuid.UUID(str(job.payload["flux_id"]))
    async with db.tenant_session(tenant) as session:
        flux = await session.scalar(select(FluxRecord).where(FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id))
        if flux is None or FluxStatus(flux.status) in FINAL:
            return
        stored = await storage.fetch(session, flux.archive_sha256)
        done = set(
            await session.scalars(
                select(FluxMember.index).where(FluxMember.tenant_id == tenant, FluxMember.flux_id == flux_id)
            )
        )
    if FluxStatus(flux.status) is FluxStatus.IN_RECU:
        await _set_status(db, tenant, flux_id, FluxStatus.IN_EN_ATTENTE_TRAITEMENT_CPP, clock.now())
    await _set_status(db, tenant, flux_id, FluxStatus.IN_EN_COURS_TRAITEMENT_CPP, clock.now())
    actor = Actor(tenant_id=tenant, name=flux.depositor, subject=f"flux:{flux.number}")
    try:
        if stored is None:
            raise ArchiveRefused("FLUX_CORRUPT", "the stored archive is missing")
        for member in read_archive(stored.content):
            if member.index in done:
                continue
            if await _start_member(db, tenant, flux_id, member.index) > MAX_MEMBER_STARTS:
                await _record(db, tenant, flux_id, member, clock.now(), REJECTED, [_crashed(member)])
                continue
            await process_member(db, actor, flux_id, member, now=clock.now())
    except ArchiveRefused as refused:
        await _finish(db, tenant, flux_id, clock.now(), incident=refused.message)
        return
    await _finish(db, tenant, flux_id, clock.now())


MAX_MEMBER_STARTS = 2  # a member whose processing started twice and never ended killed the worker twice


async def _start_member(db: Database, tenant: uuid.UUID, flux_id: uuid.UUID, index: int) -> int:
    """Note that member ``index`` is under way; how many times its processing has started (this one included)."""
    async with db.tenant_session(tenant) as session:
        row = (
            await session.execute(
                select(FluxRecord.member_in_progress, FluxRecord.member_starts).where(
                    FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id
                )
            )
        ).one()
        starts = (row.member_starts or 0) + 1 if row.member_in_progress == index else 1
        await session.execute(
            update(FluxRecord)
            .where(FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id)
            .values(member_in_progress=index, member_starts=starts)
            .execution_options(synchronize_session=False)
        )
    return starts


def _crashed(member: ArchiveMember) -> Problem:
    return Problem(
        PlatformCode.FLUX_MEMBER_CRASHED,
        PlatformCode.FLUX_MEMBER_CRASHED.message("en", starts=MAX_MEMBER_STARTS),
        "document",
    )


async def _record(
    db: Database,
    tenant: uuid.UUID,
    flux_id: uuid.UUID,
    member: ArchiveMember,
    now: datetime,
    status: str,
    problems: list[Problem],
    *,
    number: str | None = None,
) -> None:
    try:
        async with db.tenant_session(tenant) as session:
            session.add(_outcome(tenant, flux_id, member, now, status, problems=problems, number=number))
    except IntegrityError:
        pass  # recorded already (as accepted by a concurrent run, or rejected by an earlier one)


def _is_infrastructure(exc: BaseException) -> bool:
    """Failures of the database or the machine: the job retries them, they say nothing about the member."""
    return isinstance(exc, SQLAlchemyError | OSError | TimeoutError | MemoryError)


async def process_member(
    db: Database, actor: Actor, flux_id: uuid.UUID, member: ArchiveMember, *, now: datetime
) -> None:
    """Deposit one member and record its outcome, in the deposit's transaction when it is accepted."""
    tenant = actor.tenant_id

    async def record_accepted(session: AsyncSession, issued: InvoiceRecord) -> None:
        session.add(_outcome(tenant, flux_id, member, now, ACCEPTED, issued=issued))
        await session.flush()  # a member already recorded (a retry racing another worker) undoes this deposit

    document = deposit_module.DocumentFile(member.name.rsplit("/", 1)[-1], member.content, member.media_type)
    number: str | None = None
    try:
        result = await deposit_module.deposit(
            db, actor, document, [], Addressing(), flux_id=flux_id, now=now, within=record_accepted
        )
        problems, number = result.checked.problems, result.checked.number
        if result.accepted:
            return
    except Exception as exc:
        if _is_infrastructure(exc):
            raise
        problems = [
            Problem(
                PlatformCode.FLUX_MEMBER_UNREADABLE,
                PlatformCode.FLUX_MEMBER_UNREADABLE.message("en", error=type(exc).__name__),
                "document",
            )
        ]
    await _record(db, tenant, flux_id, member, now, REJECTED, problems, number=number)


NUMBER_CHARS = 20  # the hub's longest invoice number (FH-NUMBER-FORMAT), and the report column's width


def _shown_number(number: str | None) -> str | None:
    """A refused document's number may be longer than any accepted one (that may be why it was refused):
    cut to the column, with an ellipsis so that nobody takes the cut for the number."""
    if number is None or len(number) <= NUMBER_CHARS:
        return number
    return number[: NUMBER_CHARS - 1] + "\u2026"


def _outcome(
    tenant: uuid.UUID,
    flux_id: uuid.UUID,
    member: ArchiveMember,
    now: datetime,
    status: str,
    *,
    issued: InvoiceRecord | None = None,
    problems: list[Problem] | None = None,
    number: str | None = None,
) -> FluxMember:
    """A member's outcome; ``number`` is what a refused document states as BT-1 (an accepted one's is issued's)."""
    return FluxMember(
        tenant_id=tenant,
        flux_id=flux_id,
        index=member.index,
        name=member.name[:255],
        status=status,
        invoice_id=issued.id if issued else None,
        invoice_number=issued.number if issued else _shown_number(number),
        problems=[p.as_json() for p in problems or []],
        processed_at=now,
    )


def report_entry(row: FluxMember) -> dict[str, Any]:
    return {
        "index": row.index,
        "name": row.name,
        "status": row.status,
        "invoiceId": str(row.invoice_id) if row.invoice_id else None,
        "number": row.invoice_number,
        "problems": row.problems,
    }


async def _finish(
    db: Database, tenant: uuid.UUID, flux_id: uuid.UUID, now: datetime, *, incident: str | None = None
) -> None:
    """The final state, and the frozen report (the members' outcomes, as consulterCRDetaille returns them)."""
    async with db.tenant_session(tenant) as session:
        rows = list(
            await session.scalars(
                select(FluxMember)
                .where(FluxMember.tenant_id == tenant, FluxMember.flux_id == flux_id)
                .order_by(FluxMember.index)
            )
        )
        accepted = sum(1 for r in rows if r.status == ACCEPTED)
        if incident is not None:
            status = FluxStatus.IN_INCIDENTE
        elif accepted == len(rows):
            status = FluxStatus.IN_INTEGRE
        elif accepted == 0:
            status = FluxStatus.IN_REJETE
        else:
            status = FluxStatus.IN_INTEGRE_PARTIEL
        report = [report_entry(r) for r in rows]
        if incident is not None:
            report.append(
                {
                    "index": None,
                    "name": None,
                    "status": "INCIDENT",
                    "problems": [{"code": PlatformCode.FLUX_INCIDENT, "message": incident}],
                }
            )
        await session.execute(
            update(FluxRecord)
            .where(FluxRecord.tenant_id == tenant, FluxRecord.id == flux_id)
            .values(status=status.value, updated_at=now, report=report)
            .execution_options(synchronize_session=False)
        )


async def mark_incident(db: Database, job: ClaimedJob, error: str, *, now: datetime) -> None:
    """The job gave up (it kept failing): the flux is IN_INCIDENTE, to be deposited again."""
    if job.for_tenant is None:
        return
    flux_id = uuid.UUID(str(job.payload["flux_id"]))
    await _finish(db, job.for_tenant, flux_id, now, incident=PlatformCode.FLUX_INCIDENT.message("en", error=error))


async def member_counts(session: AsyncSession, tenant: uuid.UUID, flux_id: uuid.UUID) -> dict[str, int]:
    rows = await session.execute(
        select(FluxMember.status, func.count())
        .where(FluxMember.tenant_id == tenant, FluxMember.flux_id == flux_id)
        .group_by(FluxMember.status)
    )
    return {status: count for status, count in rows.all()}
