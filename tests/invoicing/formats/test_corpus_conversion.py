"""Over every document the official rules accept: same-syntax round trip, and conversion to the other syntax."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter

import pytest

from invoicing.formats.cii import writer as cii_writer
from invoicing.formats.reader import read_invoice
from invoicing.formats.ubl import writer as ubl_writer
from invoicing.validation.validate import validate
from tests.invoicing.corpus_files import CORPUS, SUMMARY, expected, needs_corpus, valid_documents

pytestmark = [needs_corpus, pytest.mark.slow]


def test_valid_corpus_round_trips_and_converts_to_valid_documents() -> None:
    start = time.perf_counter()
    names = valid_documents()
    round_trip_losses: dict[str, list[str]] = {}
    rewritten_invalid: dict[str, list[str]] = {}
    converted_invalid: dict[str, list[str]] = {}
    rules: Counter[str] = Counter()
    for name in names:
        invoice = read_invoice((CORPUS / name).read_bytes())
        source = expected()[name]["syntax"]
        if source == "CII":
            same, other = cii_writer.write(invoice), ubl_writer.write(invoice)
        else:
            same, other = ubl_writer.write(invoice, credit_note=source == "UBL CreditNote"), cii_writer.write(invoice)
        again = read_invoice(same)
        if again != invoice:
            left, right = dataclasses.asdict(invoice), dataclasses.asdict(again)
            round_trip_losses[name] = [key for key in left if left[key] != right[key]]
        rewritten = validate(same)
        if not rewritten.valid:
            rewritten_invalid[name] = rewritten.fatal or ["XSD"]
        converted = validate(other)
        if not converted.valid:
            converted_invalid[name] = converted.fatal or ["XSD"]
            rules.update(converted_invalid[name])
    summary = (
        f"{len(names)} valid documents: round trip kept every term in {len(names) - len(round_trip_losses)}, "
        f"rewritten valid {len(names) - len(rewritten_invalid)}, converted valid {len(names) - len(converted_invalid)} "
        f"({time.perf_counter() - start:.1f} s)"
    )
    print(summary)
    SUMMARY.append(summary)
    assert not round_trip_losses, f"{summary}; {dict(list(round_trip_losses.items())[:5])}"
    assert not rewritten_invalid, f"{summary}; {dict(list(rewritten_invalid.items())[:5])}"
    assert not converted_invalid, f"{summary}; rules: {dict(rules)}; {dict(list(converted_invalid.items())[:5])}"
