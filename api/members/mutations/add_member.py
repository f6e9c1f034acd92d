from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.actor import event_actor
from api.core.context import Context
from api.core.errors import UserError
from api.core.mutation import attempt
from api.core.permissions import requires
from api.members.types import AccessEnum, Member, RoleEnum
from auth import users
from auth.scopes import Scope
from tenancy.enums import Access, Role


@strawberry.input
class AddMemberInput:
    email: str = strawberry.field(description="The e-mail of an existing facturehub account.")
    role: RoleEnum
    access: AccessEnum = Access.WRITE


@strawberry.type
class AddMemberPayload:
    member: Member | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)], description="Attach a user to the workspace."
)
async def add_member(info: Info[Context, None], input: AddMemberInput) -> AddMemberPayload:
    principal = info.context.principal
    actor = await event_actor(info.context)
    row, errors = await attempt(
        info.context,
        lambda s: users.add_member_by_email(
            s,
            principal.tenant,
            actor_role=principal.role,
            email=input.email,
            role=Role(input.role),
            access=Access(input.access),
            actor=actor,
        ),
    )
    return AddMemberPayload(member=Member.of(row) if row else None, user_errors=errors)
