from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.errors import UserError, not_found
from api.core.ids import key_of
from api.core.mutation import attempt
from api.core.permissions import requires
from api.joining.hub import now
from api.joining.types import Invitation
from auth.scopes import Scope
from tenancy.joining import invitations


@strawberry.input
class WithdrawInvitationInput:
    id: strawberry.ID


@strawberry.type
class WithdrawInvitationPayload:
    invitation: Invitation | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
    description="Withdraw a pending invitation: its link no longer works.",
)
async def withdraw_invitation(info: Info[Context, None], input: WithdrawInvitationInput) -> WithdrawInvitationPayload:
    key = key_of(input.id, "Invitation")
    if key is None:
        return WithdrawInvitationPayload(invitation=None, user_errors=not_found("id", "invitation"))
    tenant = info.context.principal.tenant
    row, errors = await attempt(info.context, lambda s: invitations.withdraw(s, tenant, key, now()))
    return WithdrawInvitationPayload(invitation=Invitation.of(row) if row else None, user_errors=errors)
