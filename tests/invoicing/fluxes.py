"""Building flux archives (zip, tar.gz) of generated invoices, well-formed or hostile."""

from __future__ import annotations

import dataclasses
import io
import tarfile
import zipfile

from invoicing.formats.model import Invoice
from tenancy.models import Structure
from tests.invoicing.parties import cii, invoice_between, ubl


def invoices(supplier: Structure, recipient: Structure, count: int, *, prefix: str = "FX") -> list[Invoice]:
    base = invoice_between(supplier, recipient)
    return [dataclasses.replace(base, number=f"{prefix}-{i:04d}") for i in range(count)]


def members(
    supplier: Structure, recipient: Structure, count: int, *, broken: set[int] = frozenset(), prefix: str = "FX"
) -> list[tuple[str, bytes]]:  # type: ignore[assignment]
    """``count`` invoices, UBL and CII in turn; those in ``broken`` are damaged in various ways."""
    out: list[tuple[str, bytes]] = []
    for i, invoice in enumerate(invoices(supplier, recipient, count, prefix=prefix)):
        if i in broken:
            kind = i % 3
            if kind == 0:  # an EN 16931 problem: the total does not add up
                bad = dataclasses.replace(
                    invoice, totals=dataclasses.replace(invoice.totals, payable=invoice.totals.payable + 1)
                )
                out.append((f"invoices/{i:04d}.xml", ubl(bad)))
            elif kind == 1:  # not XML at all
                out.append((f"invoices/{i:04d}.xml", b"this is not an invoice \x00\xff"))
            else:  # hostile XML
                out.append(
                    (
                        f"invoices/{i:04d}.xml",
                        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
                    )
                )
        else:
            out.append((f"invoices/{i:04d}.xml", ubl(invoice) if i % 2 == 0 else cii(invoice)))
    return out


def zip_of(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def tar_gz_of(files: list[tuple[str, bytes]], *, links: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()
