"""Which EN 16931 syntax a document is in, decided from its root element alone."""

from __future__ import annotations

import enum
from typing import Any

from invoicing.formats.errors import InvoiceInputError
from invoicing.formats.namespaces import CII_ROOT_NS, UBL_CREDITNOTE_NS, UBL_INVOICE_NS
from invoicing.platform_codes import PlatformCode


class Syntax(enum.StrEnum):
    UBL_INVOICE = "UBL Invoice"
    UBL_CREDITNOTE = "UBL CreditNote"
    CII = "CII"
    UNKNOWN = "unknown"
    NOT_XML = "not-xml"


_ROOTS = {
    f"{{{UBL_INVOICE_NS}}}Invoice": Syntax.UBL_INVOICE,
    f"{{{UBL_CREDITNOTE_NS}}}CreditNote": Syntax.UBL_CREDITNOTE,
    f"{{{CII_ROOT_NS}}}CrossIndustryInvoice": Syntax.CII,
}

# Formats people send that look like invoices but are not EN 16931 syntaxes: named so the refusal says why.
_KNOWN_OTHERS = {
    "urn:ferd:CrossIndustryDocument:invoice:1p0": "ZUGFeRD 1.0",
    "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2": "FatturaPA",
    "http://www.fatturapa.gov.it/sdi/fatturapa/v1.2": "FatturaPA",
}


def root_qname(tree: Any) -> str:
    tag = tree.getroot().tag
    return tag if isinstance(tag, str) else ""


def detect(tree: Any) -> Syntax:
    return _ROOTS.get(root_qname(tree), Syntax.UNKNOWN)


def require_known(tree: Any) -> Syntax:
    """The syntax of ``tree``, or an :class:`InvoiceInputError` naming what was found instead."""
    syntax = detect(tree)
    if syntax is Syntax.UNKNOWN:
        qname = root_qname(tree)
        namespace = qname[1:].split("}", 1)[0] if qname.startswith("{") else ""
        known = _KNOWN_OTHERS.get(namespace)
        code = PlatformCode.UNKNOWN_SYNTAX
        if known:
            raise InvoiceInputError(code, code.words("other-syntax", syntax=known))
        raise InvoiceInputError(code, code.words("not-invoice", root=qname or "?"))
    return syntax
