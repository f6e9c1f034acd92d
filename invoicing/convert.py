"""Converting an invoice between syntaxes, always through the semantic model."""

from __future__ import annotations

import enum

from invoicing import cii_writer, facturx_writer, ubl_writer
from invoicing.model import Invoice
from invoicing.reader import read_invoice


class Target(enum.StrEnum):
    UBL = "ubl"
    CII = "cii"
    FACTURX = "facturx"


def write(invoice: Invoice, target: Target) -> bytes:
    if target is Target.UBL:
        return ubl_writer.write(invoice)
    if target is Target.CII:
        return cii_writer.write(invoice)
    return facturx_writer.write(invoice)


def convert(data: bytes, target: Target) -> bytes:
    """``data`` (UBL, CII or Factur-X PDF) rewritten as ``target``; raises InvoiceInputError on bad input."""
    return write(read_invoice(data), target)
