"""The one door to cross-tenant rows: directory reads, tenant creation, a user's workspaces.

Everything here runs in a *system* session (PostgreSQL role ``facturehub_system``, BYPASSRLS). Keep
this module small and read-mostly; a test fails if ``_system_session`` is used anywhere else.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenancy.db import Database
from tenancy.enums import Access, Role
from tenancy.errors import DomainError, ErrorCode
from tenancy.joining.models import Invitation, InvitationStatus, MembershipRequest
from tenancy.keyset import Page, PageRequest, SortKey, count, fetch_page
from tenancy.models import Membership, Service, Structure
from tenancy.structures import (
    Address,
    RecipientParameters,
    StructureDraft,
    apply_address,
    apply_parameters,
    new_structure,
    refresh_search_text,
)
from tenancy.text import fold

DIRECTORY_KEYS = (SortKey(Structure.name), SortKey(Structure.id))
DIRECTORY_SERVICE_KEYS = (SortKey(Service.code), SortKey(Service.id))


# --- tenants ---------------------------------------------------------------------------------


async def create_structure(db: Database, draft: StructureDraft) -> Structure:
    structure = new_structure(draft)
    async with db._system_session() as session:
        if await _by_identifier(session, structure.identifier_type, structure.identifier) is not None:
            raise DomainError.single(
                "identifier",
                ErrorCode.DUPLICATE,
                f"a structure with {draft.identifier_type} {structure.identifier} exists",
            )
        session.add(structure)
    return structure


async def create_structure_with_manager(
    db: Database, draft: StructureDraft, *, user_id: uuid.UUID, role: Role, access: Access
) -> Structure:
    """A new structure and its first member in one transaction: a workspace never exists without its manager.

    The identifier is taken by the first to commit: a second one (checked before, or caught by the unique
    index when two sign-ups race) gets the same DUPLICATE refusal."""
    structure = new_structure(draft)
    taken = DomainError.single(
        "identifier", ErrorCode.DUPLICATE, f"a structure with {draft.identifier_type} {structure.identifier} exists"
    )
    try:
        async with db._system_session() as session:
            if await _by_identifier(session, structure.identifier_type, structure.identifier) is not None:
                raise taken
            session.add(structure)
            await session.flush()
            session.add(Membership(tenant_id=structure.id, id=uuid.uuid4(), user_id=user_id, role=role, access=access))
    except IntegrityError as exc:
        raise taken from exc
    return structure


async def upsert_structure(db: Database, draft: StructureDraft) -> Structure:
    """Create, or bring an existing structure (same identifier) in line with the draft."""
    fresh = new_structure(draft)
    async with db._system_session() as session:
        existing = await _by_identifier(session, fresh.identifier_type, fresh.identifier)
        if existing is None:
            session.add(fresh)
            return fresh
        _copy_into(existing, fresh)
        return existing


async def find_structure(db: Database, identifier: str, identifier_type: str | None = None) -> list[Structure]:
    """Structures with this identifier (all types unless one is named): the caller resolves ambiguity."""
    async with db._system_session() as session:
        return await structures_with(session, identifier, identifier_type)


async def structures_with(
    session: AsyncSession, identifier: str, identifier_type: str | None = None
) -> list[Structure]:
    """``find_structure`` inside an open cross-tenant transaction (structures are not tenant rows)."""
    stmt = select(Structure).where(Structure.identifier == identifier.strip())
    if identifier_type is not None:
        stmt = stmt.where(Structure.identifier_type == identifier_type)
    return list(await session.scalars(stmt))


async def workspaces_of_user(db: Database, user_id: uuid.UUID) -> list[tuple[Membership, Structure]]:
    stmt = (
        select(Membership, Structure)
        .join(Structure, Structure.id == Membership.tenant_id)
        .where(Membership.user_id == user_id)
        .order_by(Structure.name, Structure.id)
    )
    async with db._system_session() as session:
        return [(m, s) for m, s in (await session.execute(stmt)).all()]


@asynccontextmanager
async def across(db: Database, tenants: Iterable[uuid.UUID]) -> AsyncIterator[AsyncSession]:
    """One transaction over a few named tenants: the parties of one transmission (routing, life cycle).

    It runs as the system role, and the application filter confines every ORM statement on a
    tenant-owned table to ``tenants``: the rows of any other tenant stay out of reach.
    """
    confined = frozenset(tenants)
    if not confined:
        raise ValueError("a cross-tenant transaction names its tenants")
    async with db._system_session(confined) as session:
        yield session


def include(session: AsyncSession, tenant: uuid.UUID) -> None:
    """Widen a cross-tenant transaction to one more party, once the caller has found it (a deposit's
    recipient or validator, looked up in the directory inside the same transaction)."""
    confined = session.info.get("tenants")
    if not session.info.get("system") or not confined:
        raise ValueError("only a cross-tenant transaction opened with across() is widened")
    session.info["tenants"] = confined | {tenant}


# --- joining: what one person asked or was offered, across structures ---------------------------

VIEWER_INVITATION_KEYS = (SortKey(Invitation.created_at, descending=True), SortKey(Invitation.id, descending=True))
VIEWER_REQUEST_KEYS = (
    SortKey(MembershipRequest.created_at, descending=True),
    SortKey(MembershipRequest.id, descending=True),
)


async def invitations_for(
    db: Database, email: str, request: PageRequest, *, now: datetime, with_count: bool
) -> tuple[Page[tuple[Invitation, Structure]], int | None]:
    """The usable invitations addressed to ``email``, with the structure each one is into."""
    # Rows of two entities: typed as the keyset pages take any statement.
    stmt = cast(
        "Select[Any]",
        select(Invitation, Structure)
        .join(Structure, Structure.id == Invitation.tenant_id)
        .where(
            Invitation.email == email.strip().lower(),
            Invitation.status == InvitationStatus.PENDING,
            Invitation.expires_at > now,
        ),
    )
    async with db._system_session() as session:
        page = await fetch_page(session, stmt, VIEWER_INVITATION_KEYS, request, scalars=False)
        total = await count(session, stmt) if with_count else None
    return Page([(i, s) for i, s in page.items], page.has_next_page, page.has_previous_page), total


async def requests_of(
    db: Database, user_id: uuid.UUID, request: PageRequest, *, with_count: bool
) -> tuple[Page[tuple[MembershipRequest, Structure]], int | None]:
    """The requests to join that one person made, answered or not, with the structure each one asked."""
    # Rows of two entities: typed as the keyset pages take any statement.
    stmt = cast(
        "Select[Any]",
        select(MembershipRequest, Structure)
        .join(Structure, Structure.id == MembershipRequest.tenant_id)
        .where(MembershipRequest.user_id == user_id),
    )
    async with db._system_session() as session:
        page = await fetch_page(session, stmt, VIEWER_REQUEST_KEYS, request, scalars=False)
        total = await count(session, stmt) if with_count else None
    return Page([(r, s) for r, s in page.items], page.has_next_page, page.has_previous_page), total


# --- directory (annuaire): public structures and their services ------------------------------------


def _directory_query(search: str | None, include_inactive: bool) -> Select[Structure]:
    stmt = select(Structure).where(Structure.is_public.is_(True))
    if not include_inactive:
        stmt = stmt.where(Structure.is_active.is_(True))
    for word in fold(search).split():
        stmt = stmt.where(Structure.search_text.contains(word, autoescape=True))  # % and _ are not wildcards
    return stmt


async def directory_page(
    db: Database, request: PageRequest, *, search: str | None = None, include_inactive: bool = False, with_count: bool
) -> tuple[Page[Structure], int | None]:
    stmt = _directory_query(search, include_inactive)
    async with db._system_session() as session:
        page = await fetch_page(session, stmt, DIRECTORY_KEYS, request)
        total = await count(session, stmt) if with_count else None
    return page, total


async def directory_structures(db: Database, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Structure]:
    if not ids:
        return {}
    stmt = select(Structure).where(Structure.id.in_(ids), Structure.is_public.is_(True))
    async with db._system_session() as session:
        return {s.id: s for s in await session.scalars(stmt)}


async def directory_structure_by_identifier(db: Database, identifier: str) -> Structure | None:
    stmt = select(Structure).where(Structure.identifier == identifier.strip(), Structure.is_public.is_(True))
    async with db._system_session() as session:
        return await session.scalar(stmt)


async def directory_services(
    db: Database, structure_ids: Sequence[uuid.UUID], *, first: int, include_inactive: bool = False
) -> dict[uuid.UUID, Page[Service]]:
    """The first services of many public structures at once (one query, not one per structure)."""
    if not structure_ids:
        return {}
    # ROW_NUMBER per structure: each structure contributes at most first + 1 rows, however many it has.
    position = (
        func.row_number().over(partition_by=Service.tenant_id, order_by=(Service.code, Service.id)).label("position")
    )
    ranked = (
        select(Service.tenant_id, Service.id, position)
        .join(Structure, and_(Structure.id == Service.tenant_id, Structure.is_public.is_(True)))
        .where(Service.tenant_id.in_(structure_ids))
    )
    if not include_inactive:
        ranked = ranked.where(Service.is_active.is_(True))
    window = ranked.subquery()
    stmt = (
        select(Service)
        .join(window, and_(window.c.tenant_id == Service.tenant_id, window.c.id == Service.id))
        .where(window.c.position <= first + 1)
        .order_by(Service.tenant_id, Service.code, Service.id)
    )
    grouped: dict[uuid.UUID, list[Service]] = defaultdict(list)
    async with db._system_session() as session:
        for service in await session.scalars(stmt):
            grouped[service.tenant_id].append(service)
    return {
        sid: Page(grouped[sid][:first], has_next_page=len(grouped[sid]) > first, has_previous_page=False)
        for sid in structure_ids
    }


async def directory_services_page(
    db: Database, structure_id: uuid.UUID, request: PageRequest, *, include_inactive: bool = False
) -> Page[Service]:
    stmt = (
        select(Service)
        .join(Structure, and_(Structure.id == Service.tenant_id, Structure.is_public.is_(True)))
        .where(Service.tenant_id == structure_id)
    )
    if not include_inactive:
        stmt = stmt.where(Service.is_active.is_(True))
    async with db._system_session() as session:
        return await fetch_page(session, stmt, DIRECTORY_SERVICE_KEYS, request)


async def directory_service(db: Database, service_id: uuid.UUID) -> Service | None:
    stmt = (
        select(Service)
        .join(Structure, and_(Structure.id == Service.tenant_id, Structure.is_public.is_(True)))
        .where(Service.id == service_id)
    )
    async with db._system_session() as session:
        return await session.scalar(stmt)


async def service_by_code(session: AsyncSession, structure_id: uuid.UUID, code: str) -> Service | None:
    """A structure's service by code, active or not (deposit rules say which one it is), inside an open
    cross-tenant transaction that includes ``structure_id``."""
    stmt = select(Service).where(Service.tenant_id == structure_id, Service.code == code.strip())
    return await session.scalar(stmt)


# --- bulk directory import / export ---------------------------------------------------------------


class IdentifiersTaken(Exception):
    """Directory rows whose identifier already belongs to a private structure (a supplier's workspace)."""

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__(", ".join(f"{kind} {identifier}" for kind, identifier in keys))
        self.keys = keys


async def import_public_structures(db: Database, drafts: Iterable[StructureDraft]) -> tuple[int, int]:
    """Upsert checked drafts in one transaction: (created, updated); IdentifiersTaken writes nothing."""
    created = updated = 0
    rows = [new_structure(d) for d in drafts]
    async with db._system_session() as session:
        existing = {
            (s.identifier_type, s.identifier): s
            for s in await session.scalars(select(Structure).where(Structure.is_public.is_(True)))
        }
        held: set[tuple[str, str]] = set()
        wanted = sorted({r.identifier for r in rows})
        for start in range(0, len(wanted), 1000):  # only the imported identifiers, never every supplier
            private = select(Structure.identifier_type, Structure.identifier).where(
                Structure.is_public.is_(False), Structure.identifier.in_(wanted[start : start + 1000])
            )
            held.update((kind, identifier) for kind, identifier in (await session.execute(private)).all())
        taken = [(r.identifier_type, r.identifier) for r in rows if (r.identifier_type, r.identifier) in held]
        if taken:
            raise IdentifiersTaken(taken)
        for row in rows:
            current = existing.get((row.identifier_type, row.identifier))
            if current is None:
                session.add(row)
                created += 1
            else:
                _copy_into(current, row)
                updated += 1
    return created, updated


async def public_structures(db: Database) -> list[Structure]:
    stmt = (
        select(Structure).where(Structure.is_public.is_(True)).order_by(Structure.identifier_type, Structure.identifier)
    )
    async with db._system_session() as session:
        return list(await session.scalars(stmt))


# --- helpers ---------------------------------------------------------------------------------


async def _by_identifier(session: AsyncSession, identifier_type: str, identifier: str) -> Structure | None:
    return await session.scalar(
        select(Structure).where(Structure.identifier_type == identifier_type, Structure.identifier == identifier)
    )


def _copy_into(target: Structure, source: Structure) -> None:
    for column in ("name", "is_public", "is_active", "vat_number", "email", "phone",
                   "is_moa", "is_moa_only", "edi_emitter", "edi_receiver"):  # fmt: skip
        setattr(target, column, getattr(source, column))
    apply_address(target, _address_of(source))
    apply_parameters(target, _parameters_of(source))
    refresh_search_text(target)


def _address_of(s: Structure) -> Address:
    return Address(
        s.address_line1, s.address_line2, s.address_line3, s.postcode, s.town, s.country_code, s.country_name
    )


def _parameters_of(s: Structure) -> RecipientParameters:
    return RecipientParameters(
        s.service_code_required, s.engagement_required, s.service_or_engagement_required, s.payment_status_reported
    )
