"""Who the token speaks for, and the workspaces a user can switch to."""

from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.identifiers import IdentifierTypeEnum
from api.core.pagination import Connection, ConnectionArgs, connection_args
from api.joining.types import OwnInvitation, OwnMembershipRequest, own_invitations, own_requests
from api.members.types import AccessEnum, RoleEnum, User, load_user
from tenancy import privileged
from tenancy.enums import Access, IdentifierType, Role


@strawberry.type(description="One structure the user belongs to.")
class WorkspaceMembership:
    identifier: str
    identifier_type: IdentifierTypeEnum
    name: str
    is_public: bool
    role: RoleEnum
    access: AccessEnum
    current: bool = strawberry.field(description="This is the workspace the token acts in.")


@strawberry.type(description="The caller: a user through an app, or an app on its own (technical account).")
class Viewer:
    subject: str
    client_id: str
    scopes: list[str]
    role: RoleEnum | None

    @strawberry.field
    async def user(self, info: Info[Context, None]) -> User | None:
        user_id = info.context.principal.user_id
        if user_id is None:
            return None
        return await load_user(info.context, user_id)

    @strawberry.field(description="The requests to join a structure the user made, newest first.")
    @connection_args
    async def membership_requests(
        self, info: Info[Context, None], page: ConnectionArgs
    ) -> Connection[OwnMembershipRequest]:
        return await own_requests(info, page)

    @strawberry.field(
        description="Usable invitations addressed to the user's e-mail, newest first; each is answered from its mail."
    )
    @connection_args
    async def invitations(self, info: Info[Context, None], page: ConnectionArgs) -> Connection[OwnInvitation]:
        return await own_invitations(info, page)

    @strawberry.field(
        description="The structures the user belongs to; empty for a technical account (client credentials)."
    )
    async def workspaces(self, info: Info[Context, None]) -> list[WorkspaceMembership]:
        principal = info.context.principal
        if principal.user_id is None:
            return []
        rows = await privileged.workspaces_of_user(info.context.db, principal.user_id)
        return [
            WorkspaceMembership(
                identifier=s.identifier,
                identifier_type=IdentifierType(s.identifier_type),
                name=s.name,
                is_public=s.is_public,
                role=Role(m.role),
                access=Access(m.access),
                current=s.id == principal.tenant,
            )
            for m, s in rows
        ]
