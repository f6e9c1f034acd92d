from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.actor import event_actor
from api.core.context import Context
from api.core.errors import UserError, not_found
from api.core.ids import key_of, to_global_id
from api.core.mutation import attempt
from api.core.permissions import requires
from auth.scopes import Scope
from tenancy import members


@strawberry.input
class RemoveMemberInput:
    id: strawberry.ID


@strawberry.type
class RemoveMemberPayload:
    removed_member_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)], description="Detach a user from the workspace."
)
async def remove_member(info: Info[Context, None], input: RemoveMemberInput) -> RemoveMemberPayload:
    key = key_of(input.id, "Member")
    if key is None:
        return RemoveMemberPayload(removed_member_id=None, user_errors=not_found("id", "member"))
    principal = info.context.principal
    actor = await event_actor(info.context)
    removed, errors = await attempt(
        info.context,
        lambda s: members.remove_member(s, principal.tenant, actor_role=principal.role, member_id=key, actor=actor),
    )
    return RemoveMemberPayload(
        removed_member_id=strawberry.ID(to_global_id("Member", removed)) if removed else None, user_errors=errors
    )
