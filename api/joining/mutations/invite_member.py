from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.errors import UserError
from api.core.mutation import attempt
from api.core.permissions import requires
from api.joining.hub import Language, LanguageEnum, now, public_url
from api.joining.types import Invitation
from api.members.types import AccessEnum, RoleEnum
from auth import users
from auth.joining import invitations
from auth.scopes import Scope
from tenancy.enums import Access, Role


@strawberry.input
class InviteMemberInput:
    email: str = strawberry.field(description="Who to invite; they need no account yet.")
    role: RoleEnum
    access: AccessEnum = Access.WRITE
    language: LanguageEnum = strawberry.field(default=Language.FR, description="The language of the mail.")


@strawberry.type
class InviteMemberPayload:
    invitation: Invitation | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
    description="Invite an e-mail address into the workspace: a mail carries a link, single-use, valid seven days.",
)
async def invite_member(info: Info[Context, None], input: InviteMemberInput) -> InviteMemberPayload:
    context = info.context
    principal = context.principal
    inviter = await users.actor_name(context.db, principal.tenant, principal.user_id, principal.client_id)
    row, errors = await attempt(
        context,
        lambda s: invitations.invite_member(
            s,
            principal.tenant,
            actor_role=principal.role,
            inviter_id=principal.user_id,
            inviter_name=inviter,
            email=input.email,
            role=Role(input.role),
            access=Access(input.access),
            locale=input.language.value,
            base_url=public_url(context),
            now=now(),
        ),
    )
    return InviteMemberPayload(invitation=Invitation.of(row) if row else None, user_errors=errors)
