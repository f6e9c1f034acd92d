"""The Chorus Pro directory file (annuaire des destinataires): ';'-separated CSV, import and export.

Import is all or nothing: every line is checked first and the errors name the line and the column;
only a clean file is written, in one transaction.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from tenancy import privileged
from tenancy.db import Database
from tenancy.enums import IdentifierType
from tenancy.errors import DomainError
from tenancy.models import Structure
from tenancy.structures import Address, RecipientParameters, StructureDraft, new_structure

COLUMNS = (
    "TypeIdentifiant", "Identifiant", "RaisonSociale", "EmetteurEdi", "RecepteurEdi", "GestionStatutMiseEnPaiement",
    "GestionEngagement", "GestionService", "GestionServiceEngagement", "EstMOA", "EstMOAUniquement",
    "StructureActive", "Adresse", "ComplementAdresse1", "ComplementAdresse2", "CodePostal", "Ville",
    "NumTelephone", "Courriel", "CodePays", "LibellePays",
)  # fmt: skip
MAX_BYTES = 256 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_REPORTED = 50
TRUE = frozenset({"true", "1", "oui", "o", "yes", "y", "vrai"})
FALSE = frozenset({"false", "0", "non", "n", "no", "faux", ""})


class DirectoryImportError(Exception):
    def __init__(self, errors: list[str], total: int | None = None) -> None:
        shown = errors[:MAX_REPORTED]
        more = (total or len(errors)) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more"] if more > 0 else [])))
        self.errors = errors


def _flag(row: dict[str, str], column: str, line: int, errors: list[str]) -> bool:
    value = (row.get(column) or "").strip().lower()
    if value in TRUE:
        return True
    if value not in FALSE:
        errors.append(f"line {line}, column {column}: '{value}' is not a yes/no value (true/false, 1/0, oui/non)")
    return False


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Files saved by spreadsheet software on French systems are often Windows-1252.
        return data.decode("cp1252", errors="strict")


def _parse(data: bytes) -> tuple[list[StructureDraft], dict[tuple[str, str], int]]:
    """The drafts, and the line of each (identifier type, canonical identifier)."""
    if len(data) > MAX_BYTES:
        raise DirectoryImportError([f"the file is {len(data)} bytes; at most {MAX_BYTES}"])
    try:
        text = _decode(data)
    except UnicodeDecodeError as exc:
        raise DirectoryImportError(["the file is neither UTF-8 nor Windows-1252 text"]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DirectoryImportError([f"line 1: missing columns {', '.join(missing)} (expected {';'.join(COLUMNS)})"])
    reader.fieldnames = header
    drafts: list[StructureDraft] = []
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(reader):
        line = reader.line_num  # the physical line: blank lines are skipped, quoted fields may span lines
        if index >= MAX_ROWS:
            raise DirectoryImportError([f"more than {MAX_ROWS} lines"])
        if None in row:
            errors.append(f"line {line}: {len(header) + len(row[None])} fields; the header has {len(header)}")
            continue
        line_errors: list[str] = []
        draft = _draft(row, line, line_errors)
        if draft is not None and not line_errors:
            try:
                checked = new_structure(draft)  # identifier checksums, lengths, e-mail...
            except DomainError as exc:
                line_errors += [f"line {line}, column {_column_of(e.field)}: {e.message}" for e in exc.errors]
            else:
                key = (checked.identifier_type, checked.identifier)
                if key in seen:
                    line_errors.append(f"line {line}: {key[1]} already appears on line {seen[key]}")
                seen[key] = line
        errors += line_errors
        if draft is not None and not line_errors:
            drafts.append(draft)
    if errors:
        raise DirectoryImportError(errors)
    return drafts, seen


def _draft(row: dict[str, str], line: int, errors: list[str]) -> StructureDraft | None:
    kind = (row["TypeIdentifiant"] or "").strip()
    try:
        identifier_type = IdentifierType(kind)
    except ValueError:
        errors.append(f"line {line}, column TypeIdentifiant: '{kind}' is not one of {', '.join(IdentifierType)}")
        return None
    flags = {c: _flag(row, c, line, errors) for c in COLUMNS[3:12]}
    return StructureDraft(
        identifier_type=identifier_type,
        identifier=row["Identifiant"] or "",
        name=row["RaisonSociale"] or "",
        is_public=True,
        is_active=flags["StructureActive"],
        email=row["Courriel"] or None,
        phone=row["NumTelephone"] or None,
        address=Address(
            line1=row["Adresse"] or None,
            line2=row["ComplementAdresse1"] or None,
            line3=row["ComplementAdresse2"] or None,
            postcode=row["CodePostal"] or None,
            town=row["Ville"] or None,
            country_code=(row["CodePays"] or "FR").strip() or "FR",
            country_name=row["LibellePays"] or None,
        ),
        parameters=RecipientParameters(
            service_code_required=flags["GestionService"],
            engagement_required=flags["GestionEngagement"],
            service_or_engagement_required=flags["GestionServiceEngagement"],
            payment_status_reported=flags["GestionStatutMiseEnPaiement"],
        ),
        is_moa=flags["EstMOA"],
        is_moa_only=flags["EstMOAUniquement"],
        edi_emitter=flags["EmetteurEdi"],
        edi_receiver=flags["RecepteurEdi"],
    )


_FIELD_COLUMNS = {
    "identifier": "Identifiant", "identifierType": "TypeIdentifiant", "name": "RaisonSociale", "email": "Courriel",
    "phone": "NumTelephone", "address.line1": "Adresse", "address.line2": "ComplementAdresse1",
    "address.line3": "ComplementAdresse2", "address.postcode": "CodePostal", "address.town": "Ville",
    "address.countryName": "LibellePays", "address": "CodePays",
}  # fmt: skip


def _column_of(field: tuple[str, ...]) -> str:
    return _FIELD_COLUMNS.get(field[0], field[0])


async def import_directory(db: Database, stream: BinaryIO) -> tuple[int, int]:
    data = stream.read(MAX_BYTES + 1)
    drafts, lines = _parse(data)
    try:
        return await privileged.import_public_structures(db, drafts)
    except privileged.IdentifiersTaken as exc:
        raise DirectoryImportError(
            [
                f"line {lines[key]}, column Identifiant: {key[0]} {key[1]} belongs to a private structure (a supplier)"
                for key in exc.keys
            ]
        ) from exc


def _yes(value: bool) -> str:
    return "true" if value else "false"


def format_row(s: Structure) -> list[str]:
    return [
        s.identifier_type, s.identifier, s.name, _yes(s.edi_emitter), _yes(s.edi_receiver),
        _yes(s.payment_status_reported), _yes(s.engagement_required), _yes(s.service_code_required),
        _yes(s.service_or_engagement_required), _yes(s.is_moa), _yes(s.is_moa_only), _yes(s.is_active),
        s.address_line1 or "", s.address_line2 or "", s.address_line3 or "", s.postcode or "", s.town or "",
        s.phone or "", s.email or "", s.country_code, s.country_name or "",
    ]  # fmt: skip


async def export_directory(db: Database) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    for structure in await privileged.public_structures(db):
        writer.writerow(format_row(structure))
    return out.getvalue()
