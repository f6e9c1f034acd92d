"""Fuzzing the reader entry point: whatever the bytes, a model or a reasoned refusal, quickly."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoicing.formats.cii import writer as cii_writer
from invoicing.formats.errors import InvoiceInputError
from invoicing.formats.model import Invoice
from invoicing.formats.reader import read_invoice
from invoicing.formats.ubl import writer as ubl_writer
from invoicing.validation.validate import validate
from tests.invoicing import builder

SEEDS = [ubl_writer.write(builder.invoice()), cii_writer.write(builder.rich_invoice())]
BUDGET = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A real invoice with a few bytes replaced, inserted or cut: reaches far deeper than random noise."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"<", b">", b"&", b"<x>", b"]]>", b"\x00", b"'", b"1E999", b"-"]))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            del data[at:]
    return bytes(data)


def _check(data: bytes) -> None:
    start = time.perf_counter()
    try:
        invoice = read_invoice(data)
    except InvoiceInputError as exc:
        assert exc.rule.startswith("FH-") and exc.message
    else:
        assert isinstance(invoice, Invoice)
    assert time.perf_counter() - start < 2.0


@BUDGET
@given(st.binary(max_size=2000))
def test_random_bytes_never_escape_the_reader(data: bytes) -> None:
    _check(data)


@BUDGET
@given(mutated())
def test_mutated_invoices_never_escape_the_reader(data: bytes) -> None:
    _check(data)


@settings(max_examples=40, deadline=None, database=None)
@given(mutated())
def test_mutated_invoices_never_escape_validation(data: bytes) -> None:
    report = validate(data)
    assert all(f.rule for f in report.findings)
    assert report.valid == (
        report.xsd_valid and not report.fatal and not report.refusals and report.syntax != "unknown"
    )
