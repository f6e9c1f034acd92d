"""facturehub's verdicts against the official CEN artefacts' verdicts recorded in the shared corpus."""

from __future__ import annotations

import time

import pytest

from invoicing.formats.document import load
from invoicing.validation.validate import validate, xsd_findings
from tests.invoicing.corpus_files import CORPUS, SUMMARY, expectations, expected, needs_corpus, real_documents

pytestmark = [needs_corpus, pytest.mark.slow]


def _agreement(name: str) -> list[str]:
    want = expected()[name]
    got = validate((CORPUS / name).read_bytes())
    problems = []
    if str(got.syntax) != want["syntax"]:
        problems.append(f"syntax {got.syntax} != {want['syntax']}")
    if got.fatal != want.get("fatal", []):
        problems.append(f"fatal {got.fatal} != {want.get('fatal', [])}")
    if "xsd_valid" in want and got.xsd_valid != want["xsd_valid"]:
        problems.append(f"xsd_valid {got.xsd_valid} != {want['xsd_valid']}")
    if want["syntax"] in ("unknown", "not-xml") and got.valid:
        problems.append("refused format reported valid")
    return problems


def test_real_documents_agree_with_official_verdicts() -> None:
    start = time.perf_counter()
    names = real_documents()
    disagreements = {name: p for name in names if (p := _agreement(name))}
    summary = (
        f"documents agreeing: {len(names) - len(disagreements)}/{len(names)} ({time.perf_counter() - start:.1f} s)"
    )
    print(summary)
    SUMMARY.append(summary)
    assert not disagreements, f"{summary}; first disagreements: {dict(list(disagreements.items())[:10])}"


def test_unit_fragments_meet_every_cen_expectation() -> None:
    start = time.perf_counter()
    cases = expectations()
    total = met = 0
    failures = []
    for name, case in sorted(cases.items()):
        report = validate((CORPUS / name).read_bytes())
        for flag, ids, should_fire in (
            ("fatal", report.fatal, True),
            ("warning", report.warning, True),
        ):
            key = "error" if flag == "fatal" else "warning"
            for rule in case.get(key, []):
                total += 1
                if (rule in ids) == should_fire:
                    met += 1
                else:
                    failures.append(f"{name}: {rule} should fire as {flag}")
        fired = set(report.fatal) | set(report.warning)
        for rule in case.get("success", []):
            total += 1
            if rule not in fired:
                met += 1
            else:
                failures.append(f"{name}: {rule} should not fire")
    summary = f"expectations met: {met}/{total} over {len(cases)} fragments ({time.perf_counter() - start:.1f} s)"
    print(summary)
    SUMMARY.append(summary)
    assert total == 1142, f"EXPECTATIONS.json changed: {total} expectations"
    assert met == total, f"{summary}; first failures: {failures[:10]}"


def test_the_cii_xsd_verdict_and_first_error_agree_on_every_cii_document() -> None:
    # Every CII document with an official verdict, the CEN unit fragments included: same verdict and, when
    # invalid, the same first error as the D16B uncoupled schema gave the oracle (xsd_error).
    names = sorted(k for k, v in expected().items() if v["syntax"] == "CII")
    assert len(names) == 195
    disagreements = {}
    for name in names:
        want = expected()[name]
        loaded = load((CORPUS / name).read_bytes())
        found = xsd_findings(loaded)
        got = (not found, f"{found[0].location}: {found[0].message}" if found else None)
        if got != (want["xsd_valid"], want.get("xsd_error")):
            disagreements[name] = got
    summary = f"CII XSD verdicts agreeing: {len(names) - len(disagreements)}/{len(names)} (first error included)"
    SUMMARY.append(summary)
    assert not disagreements, f"{summary}; {dict(list(disagreements.items())[:5])}"
