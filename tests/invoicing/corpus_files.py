"""Where the shared conformance corpus is, and its official verdicts (never copied into the repository)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"

# Count lines the corpus tests report; tests/invoicing/conftest.py prints them in the terminal summary.
SUMMARY: list[str] = []

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "expected.json").is_file(),
    reason=f"the shared conformance corpus is not at {CORPUS} (it lives beside the repository, not in it)",
)


@cache
def expected() -> dict[str, Any]:
    return json.loads((CORPUS / "expected.json").read_text())  # type: ignore[no-any-return]


@cache
def expectations() -> dict[str, Any]:
    return json.loads((CORPUS / "en16931" / "unit" / "EXPECTATIONS.json").read_text())  # type: ignore[no-any-return]


def real_documents() -> list[str]:
    return sorted(k for k in expected() if not k.startswith("en16931/unit/"))


def valid_documents() -> list[str]:
    return [
        k
        for k in real_documents()
        if expected()[k]["syntax"] in ("UBL Invoice", "UBL CreditNote", "CII")
        and not expected()[k].get("fatal")
        and expected()[k].get("xsd_valid")
    ]
