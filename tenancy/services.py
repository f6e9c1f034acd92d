"""A structure's services (codes service): create, change, list."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tenancy import checks
from tenancy.changes import KEEP, Keep, kept
from tenancy.errors import DomainError, ErrorCode
from tenancy.events.actor import EventActor
from tenancy.events.record import record_one
from tenancy.events.types import EventType, ObjectKind
from tenancy.keyset import SortKey
from tenancy.models import Service

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-./ ]{0,99}$")
SERVICE_KEYS = (SortKey(Service.code), SortKey(Service.id))


@dataclass(frozen=True)
class ServiceDraft:
    code: str
    name: str
    description: str | None = None
    is_active: bool = True
    start_date: date | None = None
    end_date: date | None = None
    engagement_required: bool = False


@dataclass(frozen=True)
class ServiceChanges:
    name: str | Keep = KEEP
    description: str | None | Keep = KEEP
    is_active: bool | Keep = KEEP
    start_date: date | None | Keep = KEEP
    end_date: date | None | Keep = KEEP
    engagement_required: bool | Keep = KEEP


def check_code(code: str) -> str:
    value = (code or "").strip()
    if not value:
        raise DomainError.single("code", ErrorCode.REQUIRED, "code is required")
    if len(value) > 100:
        raise DomainError.single("code", ErrorCode.TOO_LONG, f"code is {len(value)} characters long; at most 100")
    if not CODE.match(value):
        raise DomainError.single(
            "code", ErrorCode.INVALID, f"code '{value}' may hold letters, digits and _ - . / or spaces only"
        )
    return value


def check_dates(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise DomainError.single(
            "endDate",
            ErrorCode.INVALID_DATE_RANGE,
            f"endDate {end.isoformat()} is before startDate {start.isoformat()}",
        )


async def create_service(
    session: AsyncSession, tenant_id: uuid.UUID, draft: ServiceDraft, *, actor: EventActor
) -> Service:
    code = check_code(draft.code)
    check_dates(draft.start_date, draft.end_date)
    service = Service(
        tenant_id=tenant_id,
        id=uuid.uuid4(),
        code=code,
        name=checks.required_text("name", draft.name, max_length=200),
        description=checks.text("description", draft.description, max_length=2000),
        is_active=draft.is_active,
        start_date=draft.start_date,
        end_date=draft.end_date,
        engagement_required=draft.engagement_required,
    )
    if await find_by_code(session, tenant_id, code) is not None:
        raise _duplicate(code)
    session.add(service)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:  # a concurrent creation with the same code won the race
        raise _duplicate(code) from exc
    await session.refresh(service)
    await _logged(session, service, EventType.SERVICE_CREATED, actor)
    return service


async def update_service(
    session: AsyncSession, tenant_id: uuid.UUID, service_id: uuid.UUID, changes: ServiceChanges, *, actor: EventActor
) -> Service:
    service = await get_service(session, tenant_id, service_id)
    if service is None:
        raise DomainError.single("id", ErrorCode.NOT_FOUND, "no such service in this workspace")
    start = kept(changes.start_date, service.start_date)
    end = kept(changes.end_date, service.end_date)
    check_dates(start, end)
    service.name = checks.required_text("name", kept(changes.name, service.name), max_length=200)
    if changes.description is not KEEP:
        service.description = checks.text("description", changes.description, max_length=2000)
    service.is_active = kept(changes.is_active, service.is_active)
    service.engagement_required = kept(changes.engagement_required, service.engagement_required)
    service.start_date, service.end_date = start, end
    service.updated_at = func.now()
    await session.flush()
    await session.refresh(service)
    await _logged(session, service, EventType.SERVICE_UPDATED, actor)
    return service


async def _logged(session: AsyncSession, service: Service, type_: EventType, actor: EventActor) -> None:
    payload = {"code": service.code, "name": service.name, "is_active": service.is_active}
    await record_one(session, service.tenant_id, type_, ObjectKind.SERVICE, service.id, actor, payload)


async def get_service(session: AsyncSession, tenant_id: uuid.UUID, service_id: uuid.UUID) -> Service | None:
    return await session.scalar(select(Service).where(Service.tenant_id == tenant_id, Service.id == service_id))


async def find_by_code(session: AsyncSession, tenant_id: uuid.UUID, code: str) -> Service | None:
    return await session.scalar(select(Service).where(Service.tenant_id == tenant_id, Service.code == code))


def services_query(tenant_id: uuid.UUID, *, active: bool | None = None, search: str | None = None) -> Select[Service]:
    stmt = select(Service).where(Service.tenant_id == tenant_id)
    if active is not None:
        stmt = stmt.where(Service.is_active == active)
    if search and search.strip():
        # autoescape: a % or _ typed in is searched for, not a wildcard.
        term = search.strip().lower()
        stmt = stmt.where(
            or_(
                func.lower(Service.code).contains(term, autoescape=True),
                func.lower(Service.name).contains(term, autoescape=True),
            )
        )
    return stmt


def _duplicate(code: str) -> DomainError:
    return DomainError.single("code", ErrorCode.DUPLICATE, f"a service with code '{code}' already exists")
