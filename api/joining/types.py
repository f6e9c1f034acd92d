"""GraphQL shapes of requests to join and invitations: as the workspace's admins see them, and as the viewer does."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.identifiers import IdentifierTypeEnum
from api.core.ids import to_global_id
from api.core.node import Node
from api.core.pagination import (
    DATETIME_KEY,
    UUID_KEY,
    Connection,
    ConnectionArgs,
    connection,
    page_request,
    tenant_connection,
    wants,
)
from api.joining.hub import now as _now
from api.members.types import AccessEnum, RoleEnum, User, load_user
from tenancy import privileged
from tenancy.enums import Access, IdentifierType, Role
from tenancy.joining import invitations, requests
from tenancy.joining.models import Invitation as InvitationRow
from tenancy.joining.models import InvitationStatus, RequestStatus
from tenancy.joining.models import MembershipRequest as RequestRow
from tenancy.keyset import Page
from tenancy.models import Structure

RequestStatusEnum = Annotated[
    RequestStatus, strawberry.enum(name="MembershipRequestStatus", description="Where a request to join stands.")
]
InvitationStatusEnum = Annotated[
    InvitationStatus,
    strawberry.enum(name="InvitationStatus", description="Where an invitation stands; EXPIRED after seven days."),
]


@strawberry.type(description="Someone asks to be attached to this workspace (demande de rattachement).")
class MembershipRequest(Node):
    status: RequestStatusEnum
    message: str | None
    role: RoleEnum | None = strawberry.field(description="The role granted, once approved.")
    access: AccessEnum | None
    reason: str | None = strawberry.field(description="Why it was declined, as the requester was told.")
    created_at: datetime
    decided_at: datetime | None
    user_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="Who asks.")
    async def requester(self, info: Info[Context, None]) -> User:
        found = await load_user(info.context, self.user_id)
        assert found is not None  # kept by a foreign key
        return found

    @classmethod
    def of(cls, row: RequestRow) -> MembershipRequest:
        return cls(
            id=strawberry.ID(to_global_id("MembershipRequest", row.id)),
            status=RequestStatus(row.status),
            message=row.message,
            role=Role(row.role) if row.role else None,
            access=Access(row.access) if row.access else None,
            reason=row.reason,
            created_at=row.created_at,
            decided_at=row.decided_at,
            user_id=row.user_id,
        )


@strawberry.type(description="An e-mail address invited into this workspace, with a role.")
class Invitation(Node):
    email: str
    role: RoleEnum
    access: AccessEnum
    status: InvitationStatusEnum
    created_at: datetime
    expires_at: datetime
    answered_at: datetime | None
    invited_by_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="The administrator who invited (none once their account is gone).")
    async def invited_by(self, info: Info[Context, None]) -> User | None:
        return await load_user(info.context, self.invited_by_id) if self.invited_by_id else None

    @classmethod
    def of(cls, row: InvitationRow) -> Invitation:
        return cls(
            id=strawberry.ID(to_global_id("Invitation", row.id)),
            email=row.email,
            role=Role(row.role),
            access=Access(row.access),
            status=invitations.status_at(row, _now()),
            created_at=row.created_at,
            expires_at=row.expires_at,
            answered_at=row.answered_at,
            invited_by_id=row.invited_by,
        )


async def membership_requests(
    info: Info[Context, None], page: ConnectionArgs, status: RequestStatus | None
) -> Connection[MembershipRequest]:
    stmt = requests.requests_query(info.context.principal.tenant, status)
    return await tenant_connection(info, stmt, requests.REQUEST_KEYS, MembershipRequest.of, page)


async def workspace_invitations(
    info: Info[Context, None], page: ConnectionArgs, status: InvitationStatus | None
) -> Connection[Invitation]:
    stmt = invitations.invitations_query(info.context.principal.tenant, status, _now())
    return await tenant_connection(info, stmt, invitations.INVITATION_KEYS, Invitation.of, page)


async def request_node(context: Context, key: uuid.UUID) -> MembershipRequest | None:
    if not context.principal.has("workspace:admin"):
        return None
    async with context.session.use() as session:
        row = await requests.get_request(session, context.principal.tenant, key)
    return MembershipRequest.of(row) if row else None


async def invitation_node(context: Context, key: uuid.UUID) -> Invitation | None:
    if not context.principal.has("workspace:admin"):
        return None
    async with context.session.use() as session:
        row = await invitations.get_invitation(session, context.principal.tenant, key)
    return Invitation.of(row) if row else None


# --- the viewer's own -----------------------------------------------------------------------------


@strawberry.type(description="A structure, as named to someone joining it.")
class JoinedStructure:
    identifier: str
    identifier_type: IdentifierTypeEnum
    name: str

    @classmethod
    def of(cls, s: Structure) -> JoinedStructure:
        return cls(identifier=s.identifier, identifier_type=IdentifierType(s.identifier_type), name=s.name)


@strawberry.type(description="A request to join a structure that the viewer made.")
class OwnMembershipRequest:
    structure: JoinedStructure
    status: RequestStatusEnum
    message: str | None
    role: RoleEnum | None
    reason: str | None
    created_at: datetime
    decided_at: datetime | None


@strawberry.type(description="An invitation addressed to the viewer's e-mail; it is accepted from its mail's link.")
class OwnInvitation:
    structure: JoinedStructure
    role: RoleEnum
    access: AccessEnum
    created_at: datetime
    expires_at: datetime


def _own_request(pair: tuple[RequestRow, Structure]) -> OwnMembershipRequest:
    row, structure = pair
    return OwnMembershipRequest(
        structure=JoinedStructure.of(structure),
        status=RequestStatus(row.status),
        message=row.message,
        role=Role(row.role) if row.role else None,
        reason=row.reason,
        created_at=row.created_at,
        decided_at=row.decided_at,
    )


def _own_invitation(pair: tuple[InvitationRow, Structure]) -> OwnInvitation:
    row, structure = pair
    return OwnInvitation(
        structure=JoinedStructure.of(structure),
        role=Role(row.role),
        access=Access(row.access),
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


_VIEWER_DECODERS = (DATETIME_KEY, UUID_KEY)  # (created_at, id), newest first


async def own_requests(info: Info[Context, None], page: ConnectionArgs) -> Connection[OwnMembershipRequest]:
    request = page_request(_VIEWER_DECODERS, page)
    user_id = info.context.principal.user_id
    if user_id is None:  # a technical account asks nothing
        return connection(Page([], False, False), _own_request, _key)
    found, total = await privileged.requests_of(info.context.db, user_id, request, with_count=wants(info, "totalCount"))
    return connection(found, _own_request, _key, total, with_edges=wants(info, "edges"))


async def own_invitations(info: Info[Context, None], page: ConnectionArgs) -> Connection[OwnInvitation]:
    request = page_request(_VIEWER_DECODERS, page)
    user_id = info.context.principal.user_id
    user = await load_user(info.context, user_id) if user_id is not None else None
    if user is None:
        return connection(Page([], False, False), _own_invitation, _key)
    found, total = await privileged.invitations_for(
        info.context.db, user.email, request, now=_now(), with_count=wants(info, "totalCount")
    )
    return connection(found, _own_invitation, _key, total, with_edges=wants(info, "edges"))


def _key(pair: tuple[RequestRow, Structure] | tuple[InvitationRow, Structure]) -> tuple[datetime, uuid.UUID]:
    return pair[0].created_at, pair[0].id
