"""A byte-level look at an XML document's prolog, before any parser sees it.

libxml2 opens what a DOCTYPE names (an external subset, a parameter entity) even with DTD loading off in
some option combinations, and SaxonC's parser always does: the error then differs for an existing file, a
directory and a missing path, which tells a client what exists on the server. So a DOCTYPE is refused here,
from the bytes, with one answer whatever it names. The scan decides the encoding as XML parsers do (byte
order mark, then the first bytes, then the declaration), accepts only encodings in which it can read the
markup exactly, and reads only as far as the root element's start tag.
"""

from __future__ import annotations

import codecs
import re

from invoicing.formats.errors import InvoiceInputError
from invoicing.platform_codes import PlatformCode

# The whole prolog is read in one pass; a prolog longer than this window (long comments) is read again in
# full, so the work stays linear in the document, which the size limit already bounds.
_WINDOW = 64 * 1024
_SPACE = " \t\r\n"
_DECLARATION = re.compile(r"<\?xml[ \t\r\n]")
_ENCODING = re.compile(r"""encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')""")
# Encodings in which every markup character is the ASCII byte, so the bytes read as Latin-1 show the markup
# exactly; anything else (UTF-7, EBCDIC, UCS-4...) could hide a DOCTYPE from a byte scan and is refused.
_ASCII_COMPATIBLE = frozenset(
    ["utf-8", "ascii", "latin-1"]
    + [f"iso8859-{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16)]
    + [f"cp{n}" for n in range(1250, 1259)]
)
_UTF16 = frozenset(["utf-16", "utf-16-le", "utf-16-be"])


def _not_xml(reason: str) -> InvoiceInputError:
    return InvoiceInputError(PlatformCode.NOT_XML, PlatformCode.NOT_XML.words(reason=reason))


def _detect(data: bytes) -> tuple[str, int]:
    """(Python codec, bytes to skip) from the byte order mark or the first four bytes (XML 1.0 appendix F)."""
    head = data[:4]
    if head.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")) or head in (
        b"\x00\x00\x00<",
        b"<\x00\x00\x00",
        b"\x00\x00<\x00",
        b"\x00<\x00\x00",
    ):
        raise _not_xml("UCS-4/UTF-32 documents are not accepted; send UTF-8")
    if head == b"\x4c\x6f\xa7\x94":
        raise _not_xml("EBCDIC documents are not accepted; send UTF-8")
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be", 2
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le", 2
    if head.startswith(b"<\x00"):
        return "utf-16-le", 0
    if head.startswith(b"\x00<"):
        return "utf-16-be", 0
    return "latin-1", 0  # an ASCII-compatible encoding; the declaration says which


def _declared(name: str, detected: str, bom: bool) -> None:
    """Refuse a declared encoding the scan could not read exactly, or one that contradicts the bytes."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise _not_xml(f"unsupported encoding '{name}'") from None
    if detected.startswith("utf-16"):
        ok = codec in _UTF16
    elif bom:
        ok = codec == "utf-8"
    else:
        ok = codec in _ASCII_COMPATIBLE
    if not ok:
        raise _not_xml(f"encoding '{name}' is not accepted here; send UTF-8")


def _scan(text: str, complete: bool, detected: str, bom: bool) -> bool:
    """True once the root element starts; False when the window ended first (only when not ``complete``)."""
    pos = 0
    if _DECLARATION.match(text):
        end = text.find("?>")
        if end < 0:
            if complete:
                raise _not_xml("unterminated XML declaration")
            return False
        found = _ENCODING.search(text, 0, end)
        if found is not None:
            _declared(found.group(1) if found.group(1) is not None else found.group(2), detected, bom)
        pos = end + 2
    size = len(text)
    while True:
        while pos < size and text[pos] in _SPACE:
            pos += 1
        if pos >= size:
            if complete:
                raise _not_xml("no root element")
            return False
        if text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                if complete:
                    raise _not_xml("unterminated comment before the root element")
                return False
            pos = end + 3
        elif text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                if complete:
                    raise _not_xml("unterminated processing instruction before the root element")
                return False
            pos = end + 2
        elif text.startswith("<!", pos):
            # <!DOCTYPE, or any other declaration no prolog may hold: never handed to a parser.
            raise InvoiceInputError(PlatformCode.DOCTYPE, PlatformCode.DOCTYPE.words())
        elif text.startswith("<", pos) and pos + 1 < size:
            return True
        elif text.startswith("<", pos) and not complete:
            return False
        else:
            raise _not_xml("content before the root element")


def check(data: bytes) -> None:
    """Raise :class:`InvoiceInputError` unless ``data``'s prolog is free of any DOCTYPE and readable.

    ``FH-DOCTYPE`` for a DOCTYPE (one message, whatever it names), ``FH-NOT-XML`` for an encoding the scan
    cannot read exactly or a prolog that is not XML.
    """
    detected, skip = _detect(data)
    bom = skip > 0
    for window in (_WINDOW, len(data)):
        chunk = data[skip : skip + window]
        complete = skip + window >= len(data)
        if detected.startswith("utf-16"):
            chunk = chunk[: len(chunk) - len(chunk) % 2]
        # errors="replace": a window may cut a character in two; only ASCII markup matters here.
        if _scan(chunk.decode(detected, errors="replace"), complete, detected, bom):
            return
        if complete:
            break
    raise _not_xml("no root element")
