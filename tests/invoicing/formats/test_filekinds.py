"""Attachment kinds from their bytes: every extension Chorus Pro accepts has a kind, and the content decides."""

from __future__ import annotations

import bz2
import gzip
import io
import zipfile

import pytest

from invoicing.deposit.rules import ALLOWED_EXTENSIONS
from invoicing.formats import filekinds
from tests.invoicing.hostile import plain_pdf


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


SAMPLES = {
    "PDF": plain_pdf(),
    "PNG": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "JPG": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "GIF": b"GIF89a\x01\x00\x01\x00",
    "BMP": b"BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00",
    "TIF": b"II*\x00\x08\x00\x00\x00",
    "DOCX": _zip(),
    "DOC": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(32),
    "GZ": gzip.compress(b"x"),
    "BZ2": bz2.compress(b"x"),
    "RTF": b"{\\rtf1\\ansi Bonjour}",
    "P7S": b"\x30\x82\x01\x00\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\xa0",
    "TXT": "Livré le 3 mars\n".encode(),
    "CSV": "ligne;montant\n1;12,50\n".encode("cp1252"),
}


def test_every_accepted_extension_has_a_kind() -> None:
    covered = {extension for kind in filekinds.KINDS for extension in kind.types}
    assert covered == ALLOWED_EXTENSIONS


@pytest.mark.parametrize("extension", list(SAMPLES))
def test_the_content_decides_the_kind(extension: str) -> None:
    kind = filekinds.detect(SAMPLES[extension])
    assert kind is not None and extension in kind.types
    others = [e for e in SAMPLES if e not in kind.types]
    assert all(filekinds.media_type(other, SAMPLES[extension]) is None for other in others)


@pytest.mark.parametrize(
    ("content", "extension", "expected"),
    [
        (plain_pdf(), "pdf", "application/pdf"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "html", "application/octet-stream"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "svg", "application/octet-stream"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "pdf", None),
        (b"BMW: 3 pneus", "txt", "text/plain; charset=utf-8"),
        ("Réf. é".encode("cp1252"), "txt", "text/plain; charset=windows-1252"),
        ("Réf.".encode("utf-16"), "csv", "text/csv; charset=utf-16"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "pdf", None),
        (b"text\x00with a NUL", "txt", None),
    ],
)
def test_media_types(content: bytes, extension: str, expected: str | None) -> None:
    assert filekinds.media_type(extension, content) == expected
