"""Reading a flux's archive (zip or tar.gz) safely: every member checked before anything is stored.

Checked, in order: the archive's size, then each member's count, name, type, size, compression ratio and
nesting. Pure: bytes in, the invoices out, or an ``ArchiveRefused`` saying what to change.
"""

from __future__ import annotations

import gzip
import io
import posixpath
import re
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any


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
