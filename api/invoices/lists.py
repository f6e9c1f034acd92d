"""The invoice connections of a workspace: received, issued, to validate; filters and sort orders."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import strawberry
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import Info

from api.core.context import Context
from api.core.pagination import Connection, ConnectionArgs, selects, tenant_connection
from api.invoices.types import Invoice, InvoiceStatus
from invoicing import inbox
from invoicing.deposit.records import RecordSide
from tenancy.keyset import SortKey

InvoiceSortField = Annotated[inbox.SortField, strawberry.enum(name="InvoiceSortField")]


@strawberry.enum
class SortDirection(StrEnum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="Invoice list filters; all given ones must match.")
class InvoiceFilter:
    number: str | None = strawberry.field(default=None, description="Exactly this number (BT-1).")
    statuses: list[InvoiceStatus] | None = None
    service_code: str | None = None
    engagement_number: str | None = strawberry.field(
        default=None, description="Exactly this engagement number (BT-13)."
    )
    counterpart: str | None = strawberry.field(default=None, description="The other party's identifier (SIRET).")
    issue_date_from: date | None = None
    issue_date_to: date | None = None
    deposited_from: datetime | None = None
    deposited_to: datetime | None = None
    amount_min: Decimal | None = strawberry.field(default=None, description="Total with VAT (BT-112), at least.")
    amount_max: Decimal | None = None
    search: str | None = strawberry.field(default=None, description="Words of the number or the counterpart's name.")


@strawberry.input
class InvoiceSort:
    field: InvoiceSortField = inbox.SortField.DEPOSITED_AT
    direction: SortDirection = SortDirection.DESC


async def invoice_connection(
    info: Info[Context, None],
    side: RecordSide,
    filter: InvoiceFilter | None,
    sort_by: InvoiceSort | None,
    page: ConnectionArgs,
) -> Connection[Invoice]:
    flt = (
        inbox.InboxFilter(
            number=filter.number,
            statuses=[str(s) for s in filter.statuses] if filter.statuses else None,
            service_code=filter.service_code,
            engagement_number=filter.engagement_number,
            counterpart=filter.counterpart,
            issue_date_from=filter.issue_date_from,
            issue_date_to=filter.issue_date_to,
            deposited_from=filter.deposited_from,
            deposited_to=filter.deposited_to,
            amount_min=filter.amount_min,
            amount_max=filter.amount_max,
            search=filter.search,
        )
        if filter
        else None
    )
    sort = sort_by or InvoiceSort()
    keys = inbox.sort_keys(inbox.SortField(sort.field), sort.direction is SortDirection.DESC)
    stmt = inbox.list_query(info.context.principal.tenant, side, flt)
    return await invoice_page(info, stmt, keys, page)


async def invoice_page(
    info: Info[Context, None],
    stmt: Select[Any],
    keys: Sequence[SortKey],
    page: ConnectionArgs,
) -> Connection[Invoice]:
    """A connection of invoice rows (``inbox.LIST_COLUMNS``), with their histories when the query asks."""
    tenant = info.context.principal.tenant
    events: dict[uuid.UUID, list[Any]] = defaultdict(list)

    async def histories(session: AsyncSession, rows: Sequence[Any]) -> None:
        events.update(await inbox.histories(session, tenant, [row.id for row in rows]))

    whole = selects(info, "history")
    wanted = whole or selects(info, "lastEvent")
    # Only the last event asked (the inbox): build that one, not the whole history, per row.
    tail = slice(None) if whole else slice(-1, None)
    return await tenant_connection(
        info,
        stmt,
        keys,
        lambda row: Invoice.of(row, events[row.id][tail]),
        page,
        scalars=False,
        prefetch=histories if wanted else None,
    )
