from __future__ import annotations

import strawberry
from strawberry import Info

from api.apiclients.types import ApiClient
from api.core.actor import event_actor
from api.core.context import Context
from api.core.errors import UserError
from api.core.mutation import attempt
from api.core.permissions import requires
from auth import clients
from auth.scopes import Scope


@strawberry.input
class RegisterApiClientInput:
    name: str
    redirect_uris: list[str] = strawberry.field(
        default_factory=list,
        description="Exact URIs; https, or http://127.0.0.1 / http://[::1] (any port) for native apps.",
    )
    confidential: bool = strawberry.field(description="true for a server-side app that can keep a secret.")
    grant_types: list[str] = strawberry.field(
        description="authorization_code, refresh_token (with authorization_code), client_credentials (confidential)."
    )
    scopes: list[str] = strawberry.field(description="The most the client may be granted; within your own token's.")


@strawberry.type
class RegisterApiClientPayload:
    api_client: ApiClient | None
    client_secret: str | None = strawberry.field(
        description="Shown this once (confidential clients); only a digest is kept. Null for public clients."
    )
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
    description="Register an application bound to this workspace.",
)
async def register_api_client(info: Info[Context, None], input: RegisterApiClientInput) -> RegisterApiClientPayload:
    principal = info.context.principal
    draft = clients.ClientDraft(
        name=input.name,
        redirect_uris=input.redirect_uris,
        confidential=input.confidential,
        grant_types=input.grant_types,
        scopes=input.scopes,
    )
    actor = await event_actor(info.context)
    made, errors = await attempt(
        info.context,
        lambda s: clients.register_client(
            s, principal.tenant, draft, allowed_scopes=principal.scopes, created_by=principal.user_id, actor=actor
        ),
    )
    if made is None:
        return RegisterApiClientPayload(api_client=None, client_secret=None, user_errors=errors)
    row, secret = made
    return RegisterApiClientPayload(api_client=ApiClient.of(row), client_secret=secret, user_errors=[])
