from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.actor import event_actor
from api.core.context import Context
from api.core.errors import UserError, not_found
from api.core.ids import key_of
from api.core.mutation import attempt
from api.core.permissions import requires
from api.joining.hub import now, public_url
from api.joining.types import MembershipRequest
from api.members.types import AccessEnum, Member, RoleEnum
from auth.joining import requests
from auth.scopes import Scope
from tenancy.enums import Access, Role


@strawberry.input
class ApproveMembershipRequestInput:
    id: strawberry.ID
    role: RoleEnum
    access: AccessEnum = Access.WRITE


@strawberry.type
class ApproveMembershipRequestPayload:
    membership_request: MembershipRequest | None
    member: Member | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
    description="Attach the person who asked, with a role and access; they are told by mail.",
)
async def approve_membership_request(
    info: Info[Context, None], input: ApproveMembershipRequestInput
) -> ApproveMembershipRequestPayload:
    key = key_of(input.id, "MembershipRequest")
    if key is None:
        return ApproveMembershipRequestPayload(
            membership_request=None, member=None, user_errors=not_found("id", "membership request")
        )
    context = info.context
    principal = context.principal
    actor = await event_actor(context)
    done, errors = await attempt(
        context,
        lambda s: requests.approve_request(
            s,
            principal.tenant,
            actor_role=principal.role,
            decided_by=principal.user_id,
            request_id=key,
            role=Role(input.role),
            access=Access(input.access),
            base_url=public_url(context),
            actor=actor,
            now=now(),
        ),
    )
    if done is None:
        return ApproveMembershipRequestPayload(membership_request=None, member=None, user_errors=errors)
    row, member = done
    return ApproveMembershipRequestPayload(
        membership_request=MembershipRequest.of(row), member=Member.of(member), user_errors=[]
    )
