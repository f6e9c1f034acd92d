"""Bytes in, a parsed and identified invoice document out: the single entry point for untrusted input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from invoicing.formats import pdf, xmlsafe
from invoicing.formats.errors import InvoiceInputError, internal_error
from invoicing.formats.namespaces import CII_NS, UBL_NS
from invoicing.formats.syntax import Syntax, detect


@dataclass(frozen=True)
class Loaded:
    tree: Any
    syntax: Syntax
    xml: bytes
    container: str | None = None
    embedded_file: str | None = None

    @property
    def specification_id(self) -> str | None:
        """BT-24, which decides the profile rules to run."""
        root = self.tree.getroot()
        if self.syntax is Syntax.CII:
            found = root.findtext(
                "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
                namespaces=CII_NS,
            )
        elif self.syntax in (Syntax.UBL_INVOICE, Syntax.UBL_CREDITNOTE):
            found = root.findtext("cbc:CustomizationID", namespaces=UBL_NS)
        else:
            return None
        return found.strip() if found and found.strip() else None

    @property
    def number(self) -> str | None:
        """BT-1 as the document states it, read even when the rest of the document cannot be."""
        root = self.tree.getroot()
        if self.syntax is Syntax.CII:
            found = root.findtext("rsm:ExchangedDocument/ram:ID", namespaces=CII_NS)
        elif self.syntax in (Syntax.UBL_INVOICE, Syntax.UBL_CREDITNOTE):
            found = root.findtext("cbc:ID", namespaces=UBL_NS)
        else:
            return None
        return found.strip() if found and found.strip() else None


def load(data: bytes) -> Loaded:
    """Parse ``data`` (XML or Factur-X PDF) safely; the syntax may be UNKNOWN, nothing else escapes.

    Raises only :class:`InvoiceInputError`.
    """
    container = embedded = None
    if pdf.is_pdf(data):
        extracted = pdf.extract(data)
        data, container, embedded = extracted.xml, "pdf", extracted.name
    tree = xmlsafe.parse(data)
    return Loaded(tree, detect(tree), data, container, embedded)


def load_or_refusal(data: bytes) -> Loaded | InvoiceInputError:
    try:
        return load(data)
    except InvoiceInputError as exc:
        return exc
    except Exception as exc:
        return internal_error(exc, "reading the document")
