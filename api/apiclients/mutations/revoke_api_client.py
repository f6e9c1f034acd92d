from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.actor import event_actor
from api.core.context import Context
from api.core.errors import UserError, not_found
from api.core.ids import key_of, to_global_id
from api.core.mutation import attempt
from api.core.permissions import requires
from auth import clients
from auth.scopes import Scope


@strawberry.input
class RevokeApiClientInput:
    id: strawberry.ID


@strawberry.type
class RevokeApiClientPayload:
    revoked_api_client_id: strawberry.ID | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
    description="Retire a client: no token is issued to it any more and its refresh tokens stop working.",
)
async def revoke_api_client(info: Info[Context, None], input: RevokeApiClientInput) -> RevokeApiClientPayload:
    key = key_of(input.id, "ApiClient")
    if key is None:
        return RevokeApiClientPayload(revoked_api_client_id=None, user_errors=not_found("id", "API client"))
    tenant = info.context.principal.tenant
    actor = await event_actor(info.context)
    row, errors = await attempt(info.context, lambda s: clients.revoke_client(s, tenant, key, actor=actor))
    revoked = strawberry.ID(to_global_id("ApiClient", row.id)) if row else None
    return RevokeApiClientPayload(revoked_api_client_id=revoked, user_errors=errors)
