from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.errors import UserError, not_found
from api.core.ids import key_of, to_global_id
from api.core.mutation import attempt
from api.core.permissions import IsAuthenticated
from auth import consents
from auth.scopes import Scope


@strawberry.input
class RevokeAuthorizationInput:
    id: strawberry.ID = strawberry.field(description="An AuthorizedApp id.")


@strawberry.type
class RevokeAuthorizationPayload:
    revoked_authorization_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.mutation(
    # Any member may withdraw their own authorization; the domain lets administrators withdraw anyone's.
    permission_classes=[IsAuthenticated],
    description="Withdraw an app's authorization in this workspace; its refresh tokens stop working.",
)
async def revoke_authorization(
    info: Info[Context, None], input: RevokeAuthorizationInput
) -> RevokeAuthorizationPayload:
    key = key_of(input.id, "AuthorizedApp")
    if key is None:
        return RevokeAuthorizationPayload(revoked_authorization_id=None, user_errors=not_found("id", "authorization"))
    principal = info.context.principal
    row, errors = await attempt(
        info.context,
        lambda s: consents.revoke_consent(
            s, principal.tenant, key, actor=principal.user_id, admin=principal.has(Scope.WORKSPACE_ADMIN.value)
        ),
    )
    revoked = strawberry.ID(to_global_id("AuthorizedApp", row.id)) if row else None
    return RevokeAuthorizationPayload(revoked_authorization_id=revoked, user_errors=errors)
