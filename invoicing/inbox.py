"""The invoice lists of a workspace (received, issued, to validate): filters, sort orders, keyset keys.

Every statement names its tenant explicitly (``tenant_id ==``), on top of the session's confinement.
Rows are read as plain column tuples, never ORM objects: a page of 50 is 50 tuples.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.deposit.records import (
    FluxMember,
    FluxRecord,
    FluxStatus,
    InvoiceAttachment,
    InvoiceEvent,
    InvoiceRecord,
    RecordSide,
)
from tenancy.keyset import SortKey
from tenancy.text import fold


class SortField(StrEnum):
    DEPOSITED_AT = "DEPOSITED_AT"
    ISSUE_DATE = "ISSUE_DATE"
    NUMBER = "NUMBER"
    AMOUNT = "AMOUNT"
    STATUS = "STATUS"


_SORT_COLUMNS: dict[SortField, Any] = {
    SortField.DEPOSITED_AT: InvoiceRecord.deposited_at,
    SortField.ISSUE_DATE: InvoiceRecord.issue_date,
    SortField.NUMBER: InvoiceRecord.number,
    SortField.AMOUNT: InvoiceRecord.total_with_vat,
    SortField.STATUS: InvoiceRecord.status,
}

# What a list row carries: everything the inbox shows, nothing of the (large) details JSON.
LIST_COLUMNS = (
    InvoiceRecord.id,
    InvoiceRecord.transmission_id,
    InvoiceRecord.side,
    InvoiceRecord.number,
    InvoiceRecord.issue_date,
    InvoiceRecord.type_code,
    InvoiceRecord.is_credit_note,
    InvoiceRecord.frame,
    InvoiceRecord.currency,
    InvoiceRecord.supplier_identifier,
    InvoiceRecord.supplier_name,
    InvoiceRecord.recipient_identifier,
    InvoiceRecord.recipient_name,
    InvoiceRecord.validator_identifier,
    InvoiceRecord.service_code,
    InvoiceRecord.engagement_number,
    InvoiceRecord.total_without_vat,
    InvoiceRecord.total_vat,
    InvoiceRecord.total_with_vat,
    InvoiceRecord.amount_due,
    InvoiceRecord.status,
    InvoiceRecord.status_at,
    InvoiceRecord.version,
    InvoiceRecord.deposited_at,
    InvoiceRecord.document_name,
    InvoiceRecord.syntax,
    InvoiceRecord.rejection_acknowledged_at,
)


@dataclass(frozen=True)
class InboxFilter:
    number: str | None = None
    statuses: Sequence[str] | None = None
    service_code: str | None = None
    engagement_number: str | None = None  # BT-13, exactly
    counterpart: str | None = None  # the other party's identifier (SIRET...)
    issue_date_from: date | None = None
    issue_date_to: date | None = None
    deposited_from: datetime | None = None
    deposited_to: datetime | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    search: str | None = None


def sort_keys(field: SortField, descending: bool) -> list[SortKey]:
    """The sort column, then the id as tie-breaker (same direction): a total order for keyset cursors."""
    return [SortKey(_SORT_COLUMNS[field], descending), SortKey(InvoiceRecord.id, descending)]


def list_query(tenant_id: uuid.UUID, side: RecordSide, flt: InboxFilter | None = None) -> Select[Any]:
    columns: tuple[Any, ...] = LIST_COLUMNS
    stmt: Select[Any] = select(*columns).where(InvoiceRecord.tenant_id == tenant_id, InvoiceRecord.side == side.value)
    f = flt or InboxFilter()
    conditions: list[ColumnElement[bool]] = []
    if f.number:
        conditions.append(InvoiceRecord.number == f.number.strip())
    if f.statuses:
        # Once each: a list repeating one status 40,000 times would exceed PostgreSQL's bound parameters.
        conditions.append(InvoiceRecord.status.in_(sorted(set(f.statuses))))
    if f.service_code:
        conditions.append(InvoiceRecord.service_code == f.service_code.strip())
    if f.engagement_number:
        conditions.append(InvoiceRecord.engagement_number == f.engagement_number.strip())
    if f.counterpart:
        other = InvoiceRecord.recipient_identifier if side is RecordSide.ISSUED else InvoiceRecord.supplier_identifier
        conditions.append(other == f.counterpart.strip())
    if f.issue_date_from:
        conditions.append(InvoiceRecord.issue_date >= f.issue_date_from)
    if f.issue_date_to:
        conditions.append(InvoiceRecord.issue_date <= f.issue_date_to)
    if f.deposited_from:
        conditions.append(InvoiceRecord.deposited_at >= f.deposited_from)
    if f.deposited_to:
        conditions.append(InvoiceRecord.deposited_at <= f.deposited_to)
    if f.amount_min is not None:
        conditions.append(InvoiceRecord.total_with_vat >= f.amount_min)
    if f.amount_max is not None:
        conditions.append(InvoiceRecord.total_with_vat <= f.amount_max)
    for word in fold(f.search).split() if f.search else ():
        conditions.append(InvoiceRecord.search_text.contains(word, autoescape=True))  # % and _ are not wildcards
    return stmt.where(*conditions) if conditions else stmt


async def get_record(session: AsyncSession, tenant_id: uuid.UUID, invoice_id: uuid.UUID) -> Any | None:
    """One invoice of the tenant, with its details, as a row (or None: missing and foreign look the same)."""
    stmt = select(*LIST_COLUMNS, InvoiceRecord.details, InvoiceRecord.document_sha256).where(
        InvoiceRecord.tenant_id == tenant_id, InvoiceRecord.id == invoice_id
    )
    return (await session.execute(stmt)).first()


async def get_details(
    session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    stmt = select(InvoiceRecord.id, InvoiceRecord.details).where(
        InvoiceRecord.tenant_id == tenant_id, InvoiceRecord.id.in_(list(ids))
    )
    return {row.id: row.details for row in await session.execute(stmt)}


async def histories(
    session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Any]]:
    """The history of each invoice, oldest first: one query for the whole page."""
    event = InvoiceEvent
    columns = (
        event.at,
        event.action,
        event.status_from,
        event.status_to,
        event.actor_side,
        event.actor_name,
        event.reason,
    )
    found = await _per_invoice(session, event, tenant_id, ids, columns, event.at)
    return {key: in_order(events) for key, events in found.items()}


def in_order(events: list[Any]) -> list[Any]:
    """Oldest first; the events of one step share their timestamp, so within it follow the status chain."""
    ordered: list[Any] = []
    group: list[Any] = []
    for row in events + [None]:
        if group and (row is None or row.at != group[0].at):
            ordered += _chain(group)
            group = []
        if row is not None:
            group.append(row)
    return ordered


def _chain(group: list[Any]) -> list[Any]:
    rest = list(group)
    result: list[Any] = []
    while rest:
        targets = {r.status_to for r in rest if r.status_to}
        first = next((r for r in rest if r.status_from is None or r.status_from not in targets), rest[0])
        result.append(first)
        rest.remove(first)
    return result


async def attachments(
    session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Any]]:
    attachment = InvoiceAttachment
    columns = (attachment.filename, attachment.media_type, attachment.size, attachment.kind, attachment.added_at)
    return await _per_invoice(session, attachment, tenant_id, ids, columns, attachment.added_at)


async def _per_invoice(
    session: AsyncSession,
    table: type[InvoiceEvent] | type[InvoiceAttachment],
    tenant_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
    columns: Sequence[Any],
    oldest_first_by: Any,
) -> dict[uuid.UUID, list[Any]]:
    """The rows of ``table`` under each invoice (``invoice_id``, ``id``, then ``columns``), every id a key."""
    stmt = (
        select(table.invoice_id, table.id, *columns)
        .where(table.tenant_id == tenant_id, table.invoice_id.in_(list(ids)))
        .order_by(table.invoice_id, oldest_first_by, table.id)
    )
    found: dict[uuid.UUID, list[Any]] = {i: [] for i in ids}
    for row in await session.execute(stmt):
        found[row.invoice_id].append(row)
    return found


# --- fluxes, as their depositor sees them ----------------------------------------------------------------


def fluxes_query(tenant_id: uuid.UUID, status: FluxStatus | None = None) -> Select[Any]:
    stmt = select(FluxRecord).where(FluxRecord.tenant_id == tenant_id)
    return stmt.where(FluxRecord.status == status.value) if status is not None else stmt


async def get_flux(session: AsyncSession, tenant_id: uuid.UUID, flux_id: uuid.UUID) -> FluxRecord | None:
    return await session.scalar(select(FluxRecord).where(FluxRecord.tenant_id == tenant_id, FluxRecord.id == flux_id))


def flux_invoices_query(tenant_id: uuid.UUID, flux_id: uuid.UUID) -> Select[Any]:
    """The invoices a flux brought (the supplier's records), as list rows (``LIST_COLUMNS``)."""
    columns: tuple[Any, ...] = LIST_COLUMNS
    return select(*columns).where(
        InvoiceRecord.tenant_id == tenant_id,
        InvoiceRecord.side == RecordSide.ISSUED.value,
        InvoiceRecord.flux_id == flux_id,
    )


async def flux_reports(
    session: AsyncSession, tenant_id: uuid.UUID, flux_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Any]]:
    """Each flux's member outcomes, in archive order (one query for all)."""
    grouped: dict[uuid.UUID, list[Any]] = defaultdict(list)
    rows = await session.execute(
        select(
            FluxMember.flux_id,
            FluxMember.index,
            FluxMember.name,
            FluxMember.status,
            FluxMember.invoice_id,
            FluxMember.invoice_number,
            FluxMember.problems,
        )
        .where(FluxMember.tenant_id == tenant_id, FluxMember.flux_id.in_(list(flux_ids)))
        .order_by(FluxMember.flux_id, FluxMember.index)
    )
    for row in rows.all():
        grouped[row.flux_id].append(row)
    return grouped
