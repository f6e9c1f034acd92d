"""Keyset pagination: pages are cut by the sort key values, never by OFFSET, so deep pages stay cheap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

T = TypeVar("T")


@dataclass(frozen=True)
class SortKey:
    column: ColumnElement[Any] | InstrumentedAttribute[Any]
    descending: bool = False


@dataclass(frozen=True)
class PageRequest:
    first: int | None = None
    after: tuple[Any, ...] | None = None
    last: int | None = None
    before: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    has_next_page: bool
    has_previous_page: bool


def _beyond(keys: Sequence[SortKey], values: tuple[Any, ...], *, forward: bool) -> ColumnElement[bool]:
    """Rows strictly after (forward) or before the position ``values``, as (a > x) OR (a = x AND b > y)...

    Spelled out rather than as a row-value comparison: it mixes directions, and SQLite plans it with the index.
    """
    clauses: list[ColumnElement[bool]] = []
    for i, key in enumerate(keys):
        ahead = forward != key.descending
        step = key.column > values[i] if ahead else key.column < values[i]
        equal = [keys[j].column == values[j] for j in range(i)]
        clauses.append(and_(*equal, step) if equal else step)
    return or_(*clauses)


def _ordered(stmt: Select[Any], keys: Sequence[SortKey], *, reverse: bool) -> Select[Any]:
    order = [k.column.desc() if k.descending != reverse else k.column.asc() for k in keys]
    return stmt.order_by(*order)


async def fetch_page(
    session: AsyncSession, stmt: Select[Any], keys: Sequence[SortKey], request: PageRequest, *, scalars: bool = True
) -> Page[Any]:
    if request.after is not None:
        stmt = stmt.where(_beyond(keys, request.after, forward=True))
    if request.before is not None:
        stmt = stmt.where(_beyond(keys, request.before, forward=False))
    if request.first is not None:
        limit, reverse = request.first, False
    elif request.last is not None:
        limit, reverse = request.last, True
    else:
        raise ValueError("a page needs first or last")
    stmt = _ordered(stmt, keys, reverse=reverse).limit(limit + 1)
    result = await session.execute(stmt)
    rows: list[Any] = list(result.scalars() if scalars else result.all())
    more = len(rows) > limit
    rows = rows[:limit]
    if reverse:
        rows.reverse()
        return Page(rows, has_next_page=request.before is not None, has_previous_page=more)
    return Page(rows, has_next_page=more, has_previous_page=request.after is not None)


async def count(session: AsyncSession, stmt: Select[Any]) -> int:
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return int(total or 0)
