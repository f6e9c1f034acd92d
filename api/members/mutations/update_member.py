from __future__ import annotations

import strawberry
from strawberry import UNSET, Info

from api.core.actor import event_actor
from api.core.context import Context
from api.core.errors import UserError, not_found
from api.core.ids import key_of
from api.core.inputs import keep_unset_required
from api.core.mutation import attempt
from api.core.permissions import requires
from api.members.types import AccessEnum, Member, RoleEnum
from auth.scopes import Scope
from tenancy import members


@strawberry.input
class UpdateMemberInput:
    id: strawberry.ID
    role: RoleEnum | None = UNSET
    access: AccessEnum | None = UNSET


@strawberry.type
class UpdateMemberPayload:
    member: Member | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)], description="Change a member's role or access."
)
async def update_member(info: Info[Context, None], input: UpdateMemberInput) -> UpdateMemberPayload:
    key = key_of(input.id, "Member")
    if key is None:
        return UpdateMemberPayload(member=None, user_errors=not_found("id", "member"))
    principal = info.context.principal
    actor = await event_actor(info.context)
    row, errors = await attempt(
        info.context,
        lambda s: members.update_member(
            s,
            principal.tenant,
            actor_role=principal.role,
            member_id=key,
            role=keep_unset_required(input.role),
            access=keep_unset_required(input.access),
            actor=actor,
        ),
    )
    return UpdateMemberPayload(member=Member.of(row) if row else None, user_errors=errors)
