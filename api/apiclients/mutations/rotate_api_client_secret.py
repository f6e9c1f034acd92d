from __future__ import annotations

import strawberry
from strawberry import Info

from api.apiclients.types import ApiClient
from api.core.actor import event_actor
from api.core.context import Context
from api.core.errors import UserError, not_found
from api.core.ids import key_of
from api.core.mutation import attempt
from api.core.permissions import requires
from auth import clients
from auth.scopes import Scope


@strawberry.input
class RotateApiClientSecretInput:
    id: strawberry.ID


@strawberry.type
class RotateApiClientSecretPayload:
    api_client: ApiClient | None
    client_secret: str | None = strawberry.field(description="The new secret, shown this once; the old one is dead.")
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
    description="Give a confidential client a new secret; the previous one stops working at once.",
)
async def rotate_api_client_secret(
    info: Info[Context, None], input: RotateApiClientSecretInput
) -> RotateApiClientSecretPayload:
    key = key_of(input.id, "ApiClient")
    if key is None:
        return RotateApiClientSecretPayload(
            api_client=None, client_secret=None, user_errors=not_found("id", "API client")
        )
    tenant = info.context.principal.tenant
    actor = await event_actor(info.context)
    made, errors = await attempt(info.context, lambda s: clients.rotate_secret(s, tenant, key, actor=actor))
    if made is None:
        return RotateApiClientSecretPayload(api_client=None, client_secret=None, user_errors=errors)
    row, secret = made
    return RotateApiClientSecretPayload(api_client=ApiClient.of(row), client_secret=secret, user_errors=[])
