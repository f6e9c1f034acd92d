from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.errors import UserError, not_found
from api.core.ids import key_of
from api.core.mutation import attempt
from api.core.permissions import requires
from api.core.text import MULTI_LINE
from api.joining.hub import now
from api.joining.types import MembershipRequest
from auth.joining import requests
from auth.scopes import Scope


@strawberry.input
class DeclineMembershipRequestInput:
    id: strawberry.ID
    reason: str = strawberry.field(description="Why, in words the requester reads in their mail.", metadata=MULTI_LINE)


@strawberry.type
class DeclineMembershipRequestPayload:
    membership_request: MembershipRequest | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
    description="Decline a request to join, with a reason; the requester is told by mail.",
)
async def decline_membership_request(
    info: Info[Context, None], input: DeclineMembershipRequestInput
) -> DeclineMembershipRequestPayload:
    key = key_of(input.id, "MembershipRequest")
    if key is None:
        return DeclineMembershipRequestPayload(
            membership_request=None, user_errors=not_found("id", "membership request")
        )
    principal = info.context.principal
    row, errors = await attempt(
        info.context,
        lambda s: requests.decline_request(
            s, principal.tenant, decided_by=principal.user_id, request_id=key, reason=input.reason, now=now()
        ),
    )
    return DeclineMembershipRequestPayload(
        membership_request=MembershipRequest.of(row) if row else None, user_errors=errors
    )
