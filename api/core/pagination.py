"""Relay connections over keyset pages: first/last required (at most 100), opaque cursors."""

from __future__ import annotations

import binascii
import functools
import inspect
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

import orjson
import strawberry
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import Info

from api.core.errors import PublicError
from tenancy import base64url
from tenancy.keyset import Page, PageRequest, SortKey, count, fetch_page

MAX_PAGE = 100
T = TypeVar("T")
N = TypeVar("N")
Decoder = Callable[[str], Any]


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T]
    page_info: PageInfo
    total_count: int | None = strawberry.field(description="Number of items matching, across all pages (when asked).")


@dataclass(frozen=True)
class ConnectionArgs:
    """The four arguments of every connection field, as one value for its resolver."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


_CONNECTION_ARGS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
    for name, annotation in (("first", int | None), ("after", str | None), ("last", int | None), ("before", str | None))
]


def connection_args(resolver: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """Give a resolver's ``page: ConnectionArgs`` parameter to GraphQL as `first`, `after`, `last`, `before`.

    The four arguments take the parameter's place (arguments before and after it keep their order), so
    every connection states them once, here, and the SDL reads as if each resolver spelled them out.
    """
    signature = inspect.signature(resolver)
    parameters = list(signature.parameters.values())
    index = next(i for i, p in enumerate(parameters) if p.name == "page")
    rest = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters[index + 1 :]]

    @functools.wraps(resolver)
    async def resolve(
        *args: Any,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        **kwargs: Any,
    ) -> T:
        return await resolver(*args, page=ConnectionArgs(first, after, last, before), **kwargs)

    resolve.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*parameters[:index], *_CONNECTION_ARGS, *rest]
    )
    return resolve


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, date | datetime) else str(v) for v in values]
    return base64url.encode(orjson.dumps(plain))


def decode_cursor(cursor: str, decoders: Sequence[Decoder]) -> tuple[Any, ...]:
    try:
        raw = orjson.loads(base64url.decode(cursor))
        if not isinstance(raw, list) or len(raw) != len(decoders) or not all(isinstance(v, str) for v in raw):
            raise ValueError
        if any("\x00" in v for v in raw):
            raise ValueError  # no key holds one, and PostgreSQL refuses NUL in a text comparison
        return tuple(decode(v) for decode, v in zip(decoders, raw, strict=True))
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise PublicError("invalid cursor: pass back a cursor from this connection, unchanged") from exc


def page_request(decoders: Sequence[Decoder], page: ConnectionArgs) -> PageRequest:
    first, after, last, before = page.first, page.after, page.last, page.before
    if (first is None) == (last is None):
        raise PublicError("pass exactly one of `first` or `last` (1 to 100)")
    size = first if first is not None else last
    assert size is not None
    if not 1 <= size <= MAX_PAGE:
        raise PublicError(f"`{'first' if first is not None else 'last'}` must be between 1 and {MAX_PAGE}")
    if first is not None and before is not None:
        raise PublicError("`first` goes with `after`; use `last` with `before`")
    if last is not None and after is not None:
        raise PublicError("`last` goes with `before`; use `first` with `after`")
    return PageRequest(
        first=first,
        after=decode_cursor(after, decoders) if after is not None else None,
        last=last,
        before=decode_cursor(before, decoders) if before is not None else None,
    )


def connection(
    page: Page[Any],
    to_node: Callable[[Any], N],
    key: Callable[[Any], Sequence[Any]],
    total: int | None = None,
    *,
    with_edges: bool = True,
) -> Connection[N]:
    """``with_edges=False`` when the query selected no ``edges``: a cursor per row is then wasted work."""
    nodes = [to_node(item) for item in page.items]
    items = page.items
    edges = (
        [Edge(cursor=encode_cursor(key(i)), node=n) for i, n in zip(items, nodes, strict=True)] if with_edges else []
    )
    return Connection(
        edges=edges,
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=encode_cursor(key(items[0])) if items else None,
            end_cursor=encode_cursor(key(items[-1])) if items else None,
        ),
        total_count=total,
    )


def wants(info: Info, name: str) -> bool:
    """Did the query select ``name`` directly under this field (fragments included)?"""

    def walk(selections: Sequence[Any]) -> bool:
        for s in selections:
            if getattr(s, "name", None) == name:
                return True
            inner = getattr(s, "selections", None)
            if inner and getattr(s, "type_condition", None) is not None and walk(inner):
                return True
            if inner and type(s).__name__ == "FragmentSpread" and walk(inner):
                return True
        return False

    return any(walk(field.selections) for field in info.selected_fields)


def selects(info: Info, name: str) -> bool:
    """Did the query select ``name`` anywhere below this field (fragments included)?"""

    def walk(selections: Sequence[Any]) -> bool:
        return any(getattr(s, "name", None) == name or walk(getattr(s, "selections", None) or []) for s in selections)

    return any(walk(field.selections) for field in info.selected_fields)


UUID_KEY: Decoder = uuid.UUID
TEXT_KEY: Decoder = str
DATETIME_KEY: Decoder = datetime.fromisoformat
DATE_KEY: Decoder = date.fromisoformat


_DECODERS: dict[type, Decoder] = {
    int: int,
    uuid.UUID: uuid.UUID,
    datetime: datetime.fromisoformat,
    date: date.fromisoformat,
    Decimal: Decimal,
}


def _decoders(keys: Sequence[SortKey]) -> list[Decoder]:
    return [_DECODERS.get(key.column.type.python_type, str) for key in keys]


async def tenant_connection(
    info: Info,
    stmt: Select[Any],
    keys: Sequence[SortKey],
    to_node: Callable[[Any], N],
    page_args: ConnectionArgs,
    *,
    scalars: bool = True,
    prefetch: Callable[[AsyncSession, Sequence[Any]], Awaitable[None]] | None = None,
) -> Connection[N]:
    """A connection over rows of the caller's tenant: a page query only when the page is asked (nodes, edges
    or pageInfo), and a count only when totalCount is (the inbox's tabs ask counts alone, one per status group).

    ``scalars=False`` for statements that select columns (plain rows) rather than one ORM entity;
    ``prefetch`` reads what the page's nodes need in the same transaction, before they are built.
    """
    request = page_request(_decoders(keys), page_args)  # a bad cursor or page size is refused all the same
    names = [str(key.column.key) for key in keys]
    wants_page = any(wants(info, name) for name in ("nodes", "edges", "pageInfo"))
    async with info.context.session.use() as session:
        page = await fetch_page(session, stmt, keys, request, scalars=scalars) if wants_page else Page([], False, False)
        total = await count(session, stmt) if wants(info, "totalCount") else None
        if prefetch is not None and page.items:
            await prefetch(session, page.items)
    return connection(
        page, to_node, lambda row: [getattr(row, name) for name in names], total, with_edges=wants(info, "edges")
    )
