"""A workspace's events: the typed event, its filter and order, and the connection over the log.

Oldest first by default: a client that was away passes the last cursor it saw as ``after`` and gets
exactly what came since, in the order it happened; ids are handed out in commit order (see
``tenancy.events.table``), so nothing committed later lands before that cursor. ``NEWEST_FIRST`` serves
a notification list; its cursors are the same values, so either order resumes from either.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.errors import PublicError
from api.core.ids import from_global_id, to_global_id
from api.core.pagination import Connection, ConnectionArgs, encode_cursor, tenant_connection
from api.events.details import (
    ApiClientEventDetails,
    FluxEventDetails,
    InvoiceEventDetails,
    MemberEventDetails,
    ServiceEventDetails,
)
from auth.principal import Principal
from auth.scopes import Scope
from tenancy import base64url
from tenancy.events import log
from tenancy.events.table import Event
from tenancy.events.types import ActorKind, EventType, ObjectKind

WorkspaceEventType = Annotated[
    EventType, strawberry.enum(name="WorkspaceEventType", description="What happened, by concern (invoice.*...).")
]
EventActorKind = Annotated[ActorKind, strawberry.enum(name="EventActorKind")]

# Who may read an event: the scope that reads what it is about (None: any token of the workspace, as
# the workspace's services are).
READ_SCOPE: dict[str, Scope | None] = {
    "invoice": Scope.INVOICES_READ,
    "flux": Scope.INVOICES_READ,
    "member": Scope.WORKSPACE_ADMIN,
    "api_client": Scope.WORKSPACE_ADMIN,
    "service": None,
}
# The node type each kind of object opens as.
NODE_TYPE = {
    ObjectKind.INVOICE: "Invoice",
    ObjectKind.FLUX: "Flux",
    ObjectKind.MEMBER: "Member",
    ObjectKind.API_CLIENT: "ApiClient",
    ObjectKind.SERVICE: "Service",
}
KIND_OF_NODE = {name: kind for kind, name in NODE_TYPE.items()}


@strawberry.enum
class EventOrder(StrEnum):
    OLDEST_FIRST = "OLDEST_FIRST"
    NEWEST_FIRST = "NEWEST_FIRST"


@strawberry.input(description="Event filters; all given ones must match.")
class EventFilter:
    types: list[WorkspaceEventType] | None = strawberry.field(
        default=None, description="Only these types (each needs the scope that reads it)."
    )
    object_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only events about this object (an Invoice, Flux, Member, ApiClient or Service id)."
    )
    since: datetime | None = strawberry.field(default=None, description="Only events that occurred at or after.")


@strawberry.type(description="Who did it, as the workspace's history names them.")
class EventAuthor:
    name: str
    kind: EventActorKind


@strawberry.type(description="One change this workspace can see, in the order its log recorded it.")
class WorkspaceEvent:
    id: strawberry.ID = strawberry.field(description="The event's id in this workspace's log.")
    cursor: str = strawberry.field(description="Pass as `events(after:)` to get what came after this event.")
    type: WorkspaceEventType
    occurred_at: datetime
    actor: EventAuthor
    object_id: strawberry.ID = strawberry.field(
        description="The object it is about, as this workspace opens it with `node(id:)` (null there once removed)."
    )
    invoice: InvoiceEventDetails | None = strawberry.field(description="For invoice.* events.")
    flux: FluxEventDetails | None = strawberry.field(description="For flux.* events.")
    member: MemberEventDetails | None = strawberry.field(description="For member.* events.")
    api_client: ApiClientEventDetails | None = strawberry.field(description="For api_client.* events.")
    service: ServiceEventDetails | None = strawberry.field(description="For service.* events.")

    @classmethod
    def of(cls, row: Event) -> WorkspaceEvent:
        kind = EventType(row.type)
        concern, payload = kind.concern, row.payload
        return cls(
            id=strawberry.ID(base64url.encode(f"WorkspaceEvent:{row.id}".encode())),
            cursor=encode_cursor([row.id]),
            type=kind,
            occurred_at=row.occurred_at,
            actor=EventAuthor(name=row.actor_name, kind=ActorKind(row.actor_kind)),
            object_id=strawberry.ID(to_global_id(NODE_TYPE[ObjectKind(row.object_kind)], row.object_id)),
            invoice=InvoiceEventDetails.of(payload) if concern == "invoice" else None,
            flux=FluxEventDetails.of(payload) if concern == "flux" else None,
            member=MemberEventDetails.of(payload) if concern == "member" else None,
            api_client=ApiClientEventDetails.of(payload) if concern == "api_client" else None,
            service=ServiceEventDetails.of(payload) if concern == "service" else None,
        )


def readable_types(principal: Principal) -> list[EventType]:
    return [t for t in EventType if (scope := READ_SCOPE[t.concern]) is None or principal.has(scope)]


def _types(principal: Principal, asked: list[EventType] | None) -> list[EventType]:
    readable = readable_types(principal)
    if asked is None:
        return readable
    for kind in asked:
        if kind not in readable:
            scope = READ_SCOPE[kind.concern]
            raise PublicError(f"reading {kind.value} events needs the '{scope}' scope, which this token lacks")
    return list(dict.fromkeys(asked))


def _query(principal: Principal, flt: EventFilter | None) -> log.EventQuery:
    types = _types(principal, flt.types if flt else None)
    target: tuple[ObjectKind, uuid.UUID] | None = None
    if flt is not None and flt.object_id is not None:
        decoded = from_global_id(str(flt.object_id))
        kind = KIND_OF_NODE.get(decoded[0]) if decoded else None
        if decoded is None or kind is None:
            types = []  # a malformed or unknown id matches nothing, as a missing object would
        else:
            target = (kind, decoded[1])
    return log.EventQuery(types=types, object=target, since=flt.since if flt else None)


async def events(
    info: Info[Context, None], page: ConnectionArgs, flt: EventFilter | None, order: EventOrder
) -> Connection[WorkspaceEvent]:
    principal = info.context.principal
    stmt = log.events_query(principal.tenant, _query(principal, flt))
    keys = log.NEWEST_FIRST if order is EventOrder.NEWEST_FIRST else log.OLDEST_FIRST
    return await tenant_connection(info, stmt, keys, WorkspaceEvent.of, page)
