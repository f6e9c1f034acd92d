"""What an attachment is, from its bytes: the kind its content shows, the extensions that kind may carry,
and the media type stored and served for it. What the client declared is never used.

The kinds are those of Chorus Pro's list of attachment extensions. No library decides them all (text, CSV,
XML and PKCS #7 signatures are not in the magic-number libraries, and the heuristic ones answer several
office formats for one zip), so the table is ours: a signature per binary kind, and a text test for the rest.
Within a kind the extension says which of its formats a file is (a zip named .docx is a Word document).
Markup a browser would run scripts from (HTML, XHTML, SVG) is kept, as Chorus Pro does, but stored as
``application/octet-stream``: whatever shows it, no browser ever renders it from the hub.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OCTET_STREAM = "application/octet-stream"


@dataclass(frozen=True)
class Kind:
    name: str  # what the refusal messages call it
    types: dict[str, str]  # extension (upper case) -> media type stored and served


PDF = Kind("a PDF", {"PDF": "application/pdf"})
_PNG = Kind("a PNG image", {"PNG": "image/png"})
_JPEG = Kind("a JPEG image", {"JPG": "image/jpeg", "JPEG": "image/jpeg"})
_GIF = Kind("a GIF image", {"GIF": "image/gif"})
_BMP = Kind("a BMP image", {"BMP": "image/bmp"})
_TIFF = Kind("a TIFF image", {"TIF": "image/tiff", "TIFF": "image/tiff", "FAX": "image/tiff"})
_ZIP = Kind(
    "a zip archive or office document",
    {
        "ZIP": "application/zip",
        "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "PPTX": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ODT": "application/vnd.oasis.opendocument.text",
        "ODS": "application/vnd.oasis.opendocument.spreadsheet",
        "ODP": "application/vnd.oasis.opendocument.presentation",
    },
)
_OLE = Kind(
    "a Microsoft Office 97-2003 document",
    {
        "DOC": "application/msword",
        "XLS": "application/vnd.ms-excel",
        "XLC": "application/vnd.ms-excel",
        "XLM": "application/vnd.ms-excel",
        "PPT": "application/vnd.ms-powerpoint",
        "PPS": "application/vnd.ms-powerpoint",
    },
)
_GZIP = Kind("a gzip archive", {"GZ": "application/gzip", "GZIP": "application/gzip", "TGZ": "application/gzip"})
_BZIP2 = Kind("a bzip2 archive", {"BZ2": "application/x-bzip2"})
_RTF = Kind("an RTF document", {"RTF": "application/rtf"})
_PKCS7 = Kind("a PKCS #7 signature", {"P7S": "application/pkcs7-signature"})

_SIGNATURES: list[tuple[bytes, Kind]] = [
    (b"\x89PNG\r\n\x1a\n", _PNG),
    (b"\xff\xd8\xff", _JPEG),
    (b"GIF87a", _GIF),
    (b"GIF89a", _GIF),
    (b"II*\x00", _TIFF),
    (b"MM\x00*", _TIFF),
    (b"PK\x03\x04", _ZIP),
    (b"PK\x05\x06", _ZIP),  # an empty zip
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _OLE),
    (b"\x1f\x8b", _GZIP),
    (b"{\\rtf", _RTF),
    (b"-----BEGIN PKCS7-----", _PKCS7),
    (b"-----BEGIN CMS-----", _PKCS7),
]
# DER SignedData: a SEQUENCE whose first element is the signedData OID (1.2.840.113549.1.7.2).
_SIGNED_DATA_OID = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f]")


def _text_kind(charset: str) -> Kind:
    return Kind(
        "text",
        {
            "TXT": f"text/plain; charset={charset}",
            "CSV": f"text/csv; charset={charset}",
            "XML": "application/xml",
            "SVG": OCTET_STREAM,
            "HTM": OCTET_STREAM,
            "HTML": OCTET_STREAM,
            "XHTML": OCTET_STREAM,
        },
    )


def _text(content: bytes) -> Kind | None:
    """Text (UTF-8, UTF-16 with a byte order mark, or Windows-1252) without control characters."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", "utf-16")]
    else:
        candidates = [("utf-8-sig", "utf-8"), ("cp1252", "windows-1252")]
    for codec, charset in candidates:
        try:
            text = content.decode(codec)
        except UnicodeDecodeError:
            continue
        return None if _CONTROL.search(text) else _text_kind(charset)
    return None


KINDS = (PDF, _PNG, _JPEG, _GIF, _BMP, _TIFF, _ZIP, _OLE, _GZIP, _BZIP2, _RTF, _PKCS7, _text_kind("utf-8"))


def detect(content: bytes) -> Kind | None:
    """The kind ``content`` is, or None when it is none of the accepted ones."""
    if content.startswith(b"%PDF-"):
        return PDF
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    # Two-letter signatures that text may start with: the bytes after them must be binary too.
    if content.startswith(b"BM") and content[6:10] == b"\0\0\0\0":
        return _BMP
    if content.startswith(b"BZh") and content[3:4].isdigit() and content[4:10] in (b"1AY&SY", b"\x17rE8P\x90"):
        return _BZIP2
    if content.startswith(b"\x30") and _SIGNED_DATA_OID in content[:24]:
        return _PKCS7
    text = _text(content)
    if text is None and b"%PDF-" in content[:1024]:
        return PDF  # PDF readers find the header anywhere in the first 1024 bytes, after binary junk too
    return text


def accepted_for(kind: Kind) -> str:
    return ", ".join(f".{extension.lower()}" for extension in kind.types)


def media_type(extension: str, content: bytes) -> str | None:
    """The media type to store for a file with ``extension`` and ``content``; None if they disagree."""
    kind = detect(content)
    return kind.types.get(extension.upper()) if kind is not None else None
