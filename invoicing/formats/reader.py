"""The reader entry point: untrusted bytes (UBL, CII or Factur-X PDF) to the semantic model."""

from __future__ import annotations

from collections.abc import Callable

from invoicing.formats.cii import reader as cii_reader
from invoicing.formats.document import Loaded, load
from invoicing.formats.errors import InvoiceInputError
from invoicing.formats.model import Invoice
from invoicing.formats.syntax import Syntax, require_known
from invoicing.formats.ubl import reader as ubl_reader
from invoicing.platform_codes import PlatformCode


def read_loaded(loaded: Loaded) -> Invoice:
    syntax = require_known(loaded.tree)
    if syntax is Syntax.CII:
        return cii_reader.read(loaded.tree)
    return ubl_reader.read(loaded.tree)


def read_invoice(data: bytes) -> Invoice:
    """The invoice in ``data``; raises :class:`InvoiceInputError` (and nothing else) naming what is wrong."""
    return read_checked(lambda: load(data))


def read_checked(source: Callable[[], Loaded] | Loaded) -> Invoice:
    """Like :func:`read_invoice` for a document already loaded (or a loader): only InvoiceInputError escapes."""
    try:
        return read_loaded(source if isinstance(source, Loaded) else source())
    except InvoiceInputError:
        raise
    except RecursionError:
        raise InvoiceInputError(PlatformCode.MALFORMED, PlatformCode.MALFORMED.words("nested")) from None
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise InvoiceInputError(PlatformCode.MALFORMED, PlatformCode.MALFORMED.words(error=error)) from None
