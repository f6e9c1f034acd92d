"""A structure's own record: what a workspace reads and edits about itself."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tenancy import checks
from tenancy.changes import KEEP, Keep, kept
from tenancy.db import Database
from tenancy.enums import IdentifierType
from tenancy.errors import DomainError, ErrorCode
from tenancy.identifiers import InvalidIdentifier, check_vat, normalize_identifier
from tenancy.models import Structure
from tenancy.text import search_text


@dataclass(frozen=True)
class Address:
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    postcode: str | None = None
    town: str | None = None
    country_code: str = "FR"
    country_name: str | None = None


@dataclass(frozen=True)
class RecipientParameters:
    """Chorus Pro's recipient settings: what a supplier must put on an invoice addressed here."""

    service_code_required: bool = False
    engagement_required: bool = False
    service_or_engagement_required: bool = False
    payment_status_reported: bool = True


@dataclass(frozen=True)
class StructureDraft:
    identifier_type: IdentifierType
    identifier: str
    name: str
    is_public: bool
    is_active: bool = True
    vat_number: str | None = None
    email: str | None = None
    phone: str | None = None
    address: Address = field(default_factory=Address)
    parameters: RecipientParameters = field(default_factory=RecipientParameters)
    is_moa: bool = False
    is_moa_only: bool = False
    edi_emitter: bool = False
    edi_receiver: bool = False


@dataclass(frozen=True)
class WorkspaceChanges:
    name: str | Keep = KEEP
    vat_number: str | None | Keep = KEEP
    email: str | None | Keep = KEEP
    phone: str | None | Keep = KEEP
    address: Address | Keep = KEEP
    parameters: RecipientParameters | Keep = KEEP


def check_identifier(identifier_type: IdentifierType, identifier: str, *, is_public: bool) -> str:
    if is_public and identifier_type is not IdentifierType.SIRET:
        raise DomainError.single(
            "identifierType", ErrorCode.INVALID_IDENTIFIER, "a public structure is identified by its SIRET"
        )
    try:
        return normalize_identifier(identifier_type, identifier)
    except InvalidIdentifier as exc:
        raise DomainError.single("identifier", ErrorCode.INVALID_IDENTIFIER, str(exc)) from exc


def check_vat_number(value: str | None) -> str | None:
    checked = checks.text("vatNumber", value, max_length=20)
    if checked is None:
        return None
    try:
        return check_vat(checked)
    except InvalidIdentifier as exc:
        raise DomainError.single("vatNumber", ErrorCode.INVALID_IDENTIFIER, str(exc)) from exc


def check_address(address: Address) -> Address:
    country = (address.country_code or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise DomainError.single(
            ("address", "countryCode"), ErrorCode.INVALID, "countryCode must be a 2-letter ISO 3166 code"
        )
    return Address(
        line1=checks.text("address.line1", address.line1, max_length=200),
        line2=checks.text("address.line2", address.line2, max_length=200),
        line3=checks.text("address.line3", address.line3, max_length=200),
        postcode=checks.text("address.postcode", address.postcode, max_length=20),
        town=checks.text("address.town", address.town, max_length=100),
        country_code=country,
        country_name=checks.text("address.countryName", address.country_name, max_length=100),
    )


def apply_address(structure: Structure, address: Address) -> None:
    structure.address_line1 = address.line1
    structure.address_line2 = address.line2
    structure.address_line3 = address.line3
    structure.postcode = address.postcode
    structure.town = address.town
    structure.country_code = address.country_code
    structure.country_name = address.country_name


def apply_parameters(structure: Structure, parameters: RecipientParameters) -> None:
    structure.service_code_required = parameters.service_code_required
    structure.engagement_required = parameters.engagement_required
    structure.service_or_engagement_required = parameters.service_or_engagement_required
    structure.payment_status_reported = parameters.payment_status_reported


def refresh_search_text(structure: Structure) -> None:
    structure.search_text = search_text(structure.name, structure.identifier, structure.postcode, structure.town)


def new_structure(draft: StructureDraft) -> Structure:
    """Check a draft and build the row (not yet added to any session)."""
    structure = Structure(
        id=uuid.uuid4(),
        identifier_type=draft.identifier_type.value,
        identifier=check_identifier(draft.identifier_type, draft.identifier, is_public=draft.is_public),
        name=checks.required_text("name", draft.name, max_length=200),
        is_public=draft.is_public,
        is_active=draft.is_active,
        vat_number=check_vat_number(draft.vat_number),
        email=checks.email("email", draft.email),
        phone=checks.text("phone", draft.phone, max_length=40),
        is_moa=draft.is_moa,
        is_moa_only=draft.is_moa_only,
        edi_emitter=draft.edi_emitter,
        edi_receiver=draft.edi_receiver,
    )
    apply_address(structure, check_address(draft.address))
    apply_parameters(structure, draft.parameters)
    refresh_search_text(structure)
    return structure


async def get_workspace(session: AsyncSession, tenant_id: uuid.UUID) -> Structure:
    structure = await session.scalar(select(Structure).where(Structure.id == tenant_id))
    if structure is None:
        raise LookupError("workspace structure missing")  # a token for a deleted tenant: a bug, not user input
    return structure


async def read_workspace(db: Database, tenant_id: uuid.UUID) -> Structure:
    """The workspace's structure, read in a transaction of its own."""
    async with db.tenant_session(tenant_id) as session:
        return await get_workspace(session, tenant_id)


async def update_workspace(session: AsyncSession, tenant_id: uuid.UUID, changes: WorkspaceChanges) -> Structure:
    structure = await get_workspace(session, tenant_id)
    structure.name = checks.required_text("name", kept(changes.name, structure.name), max_length=200)
    if changes.vat_number is not KEEP:
        structure.vat_number = check_vat_number(changes.vat_number)
    if changes.email is not KEEP:
        structure.email = checks.email("email", changes.email)
    if changes.phone is not KEEP:
        structure.phone = checks.text("phone", changes.phone, max_length=40)
    if changes.address is not KEEP:
        apply_address(structure, check_address(changes.address))
    if changes.parameters is not KEEP:
        apply_parameters(structure, changes.parameters)
    structure.updated_at = func.now()
    refresh_search_text(structure)
    await session.flush()
    await session.refresh(structure)
    return structure


async def set_admin_two_factor(session: AsyncSession, tenant_id: uuid.UUID, required: bool) -> Structure:
    """Whether the workspace's administrators need a second factor to get a token for it (auth enforces it)."""
    structure = await get_workspace(session, tenant_id)
    structure.require_admin_two_factor = required
    structure.updated_at = func.now()
    await session.flush()
    await session.refresh(structure)
    return structure
