"""Pulling the invoice XML out of a Factur-X / ZUGFeRD 2 PDF, with every pypdf limit tightened."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from invoicing.formats.errors import InvoiceInputError
from invoicing.formats.xmlsafe import MAX_XML_BYTES
from invoicing.platform_codes import PlatformCode

if TYPE_CHECKING:
    import pypdf

MAX_PDF_BYTES = 20_000_000
PDF_MAGIC = b"%PDF-"
# Names in order of preference: when a PDF carries both a ZUGFeRD 1 and a Factur-X XML, the Factur-X one is
# the invoice (that is also the choice behind the official verdicts in the corpus).
INVOICE_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml")
MAX_ATTACHMENTS = 100

# A flate bomb is cut off at the XML size limit instead of pypdf's 75 MB default (P01/P02).
_LIMITS = {
    "maximum_declared_stream_length": MAX_PDF_BYTES,
    "array_based_stream_maximum_output_length": MAX_XML_BYTES,
    "lzw_maximum_output_length": MAX_XML_BYTES,
    "run_length_maximum_output_length": MAX_XML_BYTES,
    "zlib_maximum_output_length": MAX_XML_BYTES,
    "zlib_maximum_recovery_input_length": 1_000_000,
    "brotli_maximum_output_length": MAX_XML_BYTES,
    "jbig2_maximum_output_length": MAX_XML_BYTES,
    "stream_filters_maximum_length": 4,
    "stream_decoding_work_maximum_length": 4 * MAX_XML_BYTES,
    "jbig2dec_binary": None,
    "page_tree_maximum_entries": 10_000,
    "outline_maximum_entries": 10_000,
    "disable_legacy_handling": True,
}


@cache
def _configuration() -> pypdf.Configuration:
    # pypdf (and the active-content walk) load on the first PDF, not with this module: validating XML never
    # needs them (about 0.1 s of start-up for `facturehub validate`).
    import pypdf

    return pypdf.Configuration().with_overwrites(**_LIMITS)


logging.getLogger("pypdf").setLevel(logging.ERROR)

_T = TypeVar("_T")


@dataclass(frozen=True)
class Extracted:
    name: str
    xml: bytes
    attachments: list[str] = field(default_factory=list)


def is_pdf(data: bytes) -> bool:
    # PDF readers accept the header anywhere in the first 1024 bytes.
    return PDF_MAGIC in data[:1024]


def _af_files(reader: pypdf.PdfReader) -> dict[str, Any]:
    """File specifications listed under the catalog's /AF (PDF/A-3), used when /Names is broken."""
    from pypdf.generic import ArrayObject, DictionaryObject

    found: dict[str, Any] = {}
    catalog: Any = reader.trailer["/Root"]
    af = catalog.get_object().get("/AF")
    af = af.get_object() if af is not None else None
    if not isinstance(af, ArrayObject):
        return found
    for ref in af[:MAX_ATTACHMENTS]:
        spec = ref.get_object()
        if not isinstance(spec, DictionaryObject):
            continue
        name = spec.get("/UF") or spec.get("/F")
        ef = spec.get("/EF")
        ef = ef.get_object() if ef is not None else None
        if name is None or not isinstance(ef, DictionaryObject):
            continue
        stream = ef.get("/UF") or ef.get("/F")
        if stream is not None:
            found[str(name)] = stream
    return found


def _limited(work: Callable[[], _T], attachment: str | None = None) -> _T:
    """``work()`` under the tightened pypdf limits; every failure becomes an :class:`InvoiceInputError`
    (naming ``attachment`` when the PDF is one)."""
    import pypdf
    from pypdf.errors import LimitReachedError

    try:
        with warnings.catch_warnings(), pypdf.apply_configuration(_configuration()):
            # pypdf reports recoverable damage as warnings; the test suite turns warnings into errors.
            warnings.simplefilter("ignore")
            return work()
    except InvoiceInputError:
        raise
    except LimitReachedError as exc:
        size = PlatformCode.SIZE
        if attachment is not None:
            raise InvoiceInputError(size, size.words("attachment-stream", name=attachment, reason=exc)) from None
        raise InvoiceInputError(size, size.words("pdf-stream", reason=exc)) from None
    except Exception as exc:
        malformed, error = PlatformCode.PDF_MALFORMED, f"{type(exc).__name__}: {exc}"
        if attachment is not None:
            raise InvoiceInputError(malformed, malformed.words("attachment", name=attachment, error=error)) from None
        raise InvoiceInputError(malformed, malformed.words(error=error)) from None


def extract(data: bytes, *, max_bytes: int = MAX_PDF_BYTES) -> Extracted:
    """The embedded invoice XML of a Factur-X/ZUGFeRD PDF, or an :class:`InvoiceInputError`.

    A PDF with active content (:mod:`invoicing.formats.pdfactive`) is refused before anything is extracted.
    """
    if len(data) > max_bytes:
        raise InvoiceInputError(PlatformCode.SIZE, PlatformCode.SIZE.words("pdf", size=len(data), limit=max_bytes))
    return _limited(lambda: _extract(data))


def check_attachment(data: bytes, name: str) -> InvoiceInputError | None:
    """Why a PDF attachment is refused (active content, unreadable, encrypted beyond checking), or None."""

    def check() -> None:
        import pypdf

        from invoicing.formats import pdfactive

        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        # Restrictions-only encryption (an owner password) opens with the empty user password.
        if reader.is_encrypted and not reader.decrypt(""):
            encrypted = PlatformCode.PDF_ENCRYPTED
            raise InvoiceInputError(encrypted, encrypted.words("attachment", name=name))
        what = pdfactive.find(reader)
        if what is not None:
            raise pdfactive.refusal(what, name)

    try:
        _limited(check, name)
    except InvoiceInputError as exc:
        return exc
    return None


def _extract(data: bytes) -> Extracted:
    import pypdf

    from invoicing.formats import pdfactive

    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise InvoiceInputError(PlatformCode.PDF_ENCRYPTED, PlatformCode.PDF_ENCRYPTED.words())
    what = pdfactive.find(reader)
    if what is not None:
        raise pdfactive.refusal(what)
    attachments: dict[str, Any] = {}
    names: list[str] = []
    try:
        for entry in reader.attachment_list:
            if len(names) >= MAX_ATTACHMENTS:
                raise InvoiceInputError(
                    PlatformCode.PDF_ATTACHMENTS, PlatformCode.PDF_ATTACHMENTS.words(limit=MAX_ATTACHMENTS)
                )
            names.append(entry.name)
            attachments.setdefault(entry.name, entry)
    except InvoiceInputError:
        raise
    except Exception:  # noqa: S110 - a broken /Names tree is what the /AF fallback is for
        pass
    for name in INVOICE_NAMES:
        if name in attachments:
            return Extracted(name, _capped(attachments[name].content), sorted(names))
    af = _af_files(reader)
    for name in INVOICE_NAMES:
        if name in af:
            return Extracted(name, _capped(af[name].get_object().get_data()), sorted(names or af))
    listed = ", ".join(sorted(set(names) | set(af))) or "none"
    expected = ", ".join(INVOICE_NAMES)
    raise InvoiceInputError(PlatformCode.PDF_NO_XML, PlatformCode.PDF_NO_XML.words(expected=expected, found=listed))


def _capped(content: bytes) -> bytes:
    if len(content) > MAX_XML_BYTES:
        raise InvoiceInputError(PlatformCode.SIZE, PlatformCode.SIZE.words("embedded-xml", limit=MAX_XML_BYTES))
    return content
