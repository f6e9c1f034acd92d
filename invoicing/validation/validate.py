"""Validation of one document: XSD, then the official EN 16931 rules, then the Factur-X profile rules."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from lxml import etree

from invoicing.formats import xmlsafe
from invoicing.formats.document import Loaded, load_or_refusal
from invoicing.formats.errors import InvoiceInputError, internal_error
from invoicing.formats.syntax import Syntax
from invoicing.platform_codes import PlatformCode
from invoicing.validation import saxon
from invoicing.validation.artefacts import Stylesheet, cen_stylesheet, profile_xsd, xsd_path
from invoicing.validation.report import Finding, Flag, Report, Source, business_term
from invoicing.validation.rule_words import PROFILE_XSD_RULE, XSD_RULE, RuleWords

_SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_SPACES = re.compile(r"\s+")
_KNOWN = (Syntax.UBL_INVOICE, Syntax.UBL_CREDITNOTE, Syntax.CII)


@functools.cache
def _schema_at(path: str) -> Any:
    return etree.XMLSchema(xmlsafe.parse_trusted_file(path))


def _schema(syntax: Syntax) -> Any:
    if syntax in (Syntax.UBL_INVOICE, Syntax.UBL_CREDITNOTE):
        return _ubl_schema()
    return _schema_at(str(xsd_path(syntax)))


@functools.cache
def _ubl_schema() -> Any:
    """One schema importing both UBL maindoc schemas: they share nearly all their size (the common
    components, extensions and signatures), which this compiles once instead of twice, a third of
    ``facturehub validate``'s start-up in lxml. The root element picks its declaration, so each document is
    checked exactly as by its own maindoc schema (same verdicts and messages on every UBL file of the corpus).
    """
    invoice, credit_note = xsd_path(Syntax.UBL_INVOICE), xsd_path(Syntax.UBL_CREDITNOTE)
    both = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" schemaLocation="{invoice.name}"/>'
        '<xs:import namespace="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" '
        f'schemaLocation="{credit_note.name}"/></xs:schema>'
    )
    assert invoice.parent == credit_note.parent
    # Named beside them so the imports resolve there (a name of its own: libxml2 refuses a self-import).
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.fromstring(both.encode(), parser, base_url=str(invoice.parent / "both-ubl.xsd")))


def profile_of(specification_id: str | None) -> Stylesheet | None:
    """The Factur-X profile stylesheet BT-24 calls for, when the profile is not a full EN 16931 invoice.

    MINIMUM and BASIC WL carry no lines, so they fail the EN 16931 rules by design; their own profile
    schematron says whether they are good examples of what they claim to be.
    """
    if not specification_id:
        return None
    # Older ZUGFeRD 2.0 ids (urn:zugferd.de:2p0:minimum) name the same profiles.
    spec = specification_id.strip().lower()
    if spec.endswith(":minimum"):
        return Stylesheet.FX_MINIMUM
    if spec.endswith(":basicwl"):
        return Stylesheet.FX_BASICWL
    return None


def xsd_findings(loaded: Loaded) -> list[Finding]:
    """The syntax's XSD errors (the first 50), in document order; empty when the document is schema-valid."""
    schema = _schema(loaded.syntax)
    if schema.validate(loaded.tree):
        return []
    messages = [(_SPACES.sub(" ", e.message), f"line {e.line}") for e in list(schema.error_log)[:50]]
    return [
        Finding(XSD_RULE, "fatal", message, line, None, "xsd", RuleWords(XSD_RULE, message, loaded.syntax))
        for message, line in messages
    ]


def _text_for_saxon(loaded: Loaded) -> str:
    if (loaded.tree.docinfo.encoding or "UTF-8").upper() in ("UTF-8", "UTF8"):
        return loaded.xml.decode("utf-8").lstrip("\ufeff")
    # Another encoding: hand Saxon lxml's decoded view (no declaration left to contradict the text).
    return str(etree.tostring(loaded.tree, encoding="unicode"))


def svrl_findings(svrl: str, source: Source) -> list[Finding]:
    if "failed-assert" not in svrl:
        # Most invoices break no rule: skip parsing an SVRL that only lists the rules that fired.
        return []
    root = etree.fromstring(svrl.encode("utf-8"), parser=xmlsafe.safe_parser())
    found = []
    for node in root.iter(f"{_SVRL}failed-assert"):
        message = _SPACES.sub(" ", node.findtext(f"{_SVRL}text") or "").strip()
        flag: Flag = "warning" if node.get("flag") in ("warning", "information") else "fatal"
        rule = node.get("id") or "FX-PROFILE"
        found.append(Finding(rule, flag, message, node.get("location", "/"), business_term(message), source))
    return found


class _Job:
    """One document going through the phases of a batch."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.report = Report(loaded.syntax, container=loaded.container, embedded_file=loaded.embedded_file)
        self.text = ""
        self.sheets: list[tuple[Stylesheet, Source]] = []
        self.outputs: list[tuple[str, Source]] = []

    def fail(self, exc: Exception) -> None:
        error = internal_error(exc, f"validating a {self.loaded.syntax} document")
        self.report = Report(
            self.loaded.syntax, findings=[Finding(error.rule, "fatal", error.message, "/", None, "input", error.said)]
        )
        self.sheets = []
        self.outputs = []


def _prepare(job: _Job) -> None:
    """Everything lxml does: syntax, BT-24, XSD (and the profile XSD); then the text Saxon will parse."""
    loaded, report = job.loaded, job.report
    if loaded.syntax not in _KNOWN:
        said = PlatformCode.UNKNOWN_SYNTAX.words("root", root=loaded.tree.getroot().tag)
        report.findings.append(
            Finding(PlatformCode.UNKNOWN_SYNTAX, "fatal", said.text("en"), "/*", None, "input", said)
        )
        return
    report.profile = loaded.specification_id
    xsd = xsd_findings(loaded)
    report.xsd_valid = not xsd
    report.findings.extend(xsd)
    job.sheets.append((cen_stylesheet(loaded.syntax), "en16931"))
    profile = profile_of(report.profile) if loaded.syntax is Syntax.CII else None
    if profile is not None:
        schema = _schema_at(str(profile_xsd(profile)))
        if not schema.validate(loaded.tree):
            report.findings.extend(
                Finding(PROFILE_XSD_RULE, "fatal", _SPACES.sub(" ", e.message), f"line {e.line}", None, "profile")
                for e in list(schema.error_log)[:50]
            )
        job.sheets.append((profile, "profile"))
    job.text = _text_for_saxon(loaded)


def _run_rules(job: _Job) -> None:
    job.outputs = [(saxon.run(sheet, job.text), source) for sheet, source in job.sheets]


def _collect(job: _Job) -> None:
    for svrl, source in job.outputs:
        job.report.findings.extend(svrl_findings(svrl, source))


def validate_loaded(loaded: Loaded) -> Report:
    return _run_batch([_Job(loaded)])[0]


def _run_batch(jobs: list[_Job]) -> list[Report]:
    # Phase by phase rather than document by document: lxml's schemas and Saxon's compiled stylesheets each
    # stay warm in the CPU caches for a whole batch, which measurably cuts the cost around the official check.
    for phase in (_prepare, _run_rules, _collect):
        for job in jobs:
            if phase is not _prepare and not job.sheets:
                continue
            try:
                phase(job)
            except Exception as exc:  # one broken document must not stop the batch
                job.fail(exc)
    return [job.report for job in jobs]


def refusal_report(error: InvoiceInputError) -> Report:
    syntax = Syntax.NOT_XML if error.rule is PlatformCode.NOT_XML else Syntax.UNKNOWN
    finding = Finding(error.rule, "fatal", error.message, error.location, error.bt, "input", error.said)
    return Report(syntax, findings=[finding])


def validate_many(documents: Sequence[bytes]) -> list[Report]:
    """Reports for ``documents`` (XML or PDF), in order; never raises (see :func:`validate`)."""
    reports: list[Report | None] = []
    jobs: list[_Job] = []
    for data in documents:
        loaded = load_or_refusal(data)
        if isinstance(loaded, InvoiceInputError):
            reports.append(refusal_report(loaded))
        else:
            reports.append(None)
            jobs.append(_Job(loaded))
    done = iter(_run_batch(jobs))
    return [report if report is not None else next(done) for report in reports]


def validate(data: bytes) -> Report:
    """Validate ``data`` (XML or PDF); never raises: refusals and failures come back inside the report."""
    return validate_many([data])[0]
