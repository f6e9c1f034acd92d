"""Converting an invoice between syntaxes, always through the semantic model."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from invoicing.formats.model import Invoice


class Target(enum.StrEnum):
    UBL = "ubl"
    CII = "cii"
    FACTURX = "facturx"


# The readers and writers are imported by the functions that use them: the command line imports this module
# for Target alone, and ``facturehub validate`` should not load the writers, nor the PDF stack (reportlab,
# factur-x), before it checks the first file.


def write(invoice: Invoice, target: Target) -> bytes:
    if target is Target.UBL:
        from invoicing.formats.ubl import writer as ubl_writer

        return ubl_writer.write(invoice)
    if target is Target.CII:
        from invoicing.formats.cii import writer as cii_writer

        return cii_writer.write(invoice)
    from invoicing.formats import facturx as facturx_writer

    return facturx_writer.write(invoice)


def convert(data: bytes, target: Target) -> bytes:
    """``data`` (UBL, CII or Factur-X PDF) rewritten as ``target``; raises InvoiceInputError on bad input."""
    from invoicing.formats.reader import read_invoice

    return write(read_invoice(data), target)
