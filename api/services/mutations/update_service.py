from __future__ import annotations

from datetime import date

import strawberry
from strawberry import UNSET, Info

from api.core.actor import event_actor
from api.core.context import Context
from api.core.errors import UserError, not_found
from api.core.ids import key_of
from api.core.inputs import keep_unset, keep_unset_required
from api.core.mutation import attempt
from api.core.permissions import requires
from api.services.types import Service
from auth.scopes import Scope
from tenancy import services


@strawberry.input(description="Fields left out keep their value; the code of a service never changes.")
class UpdateServiceInput:
    id: strawberry.ID
    name: str | None = UNSET
    description: str | None = UNSET
    is_active: bool | None = UNSET
    start_date: date | None = UNSET
    end_date: date | None = UNSET
    engagement_required: bool | None = UNSET


@strawberry.type
class UpdateServicePayload:
    service: Service | None
    user_errors: list[UserError]


@strawberry.mutation(permission_classes=[requires(Scope.WORKSPACE_ADMIN)], description="Change a service.")
async def update_service(info: Info[Context, None], input: UpdateServiceInput) -> UpdateServicePayload:
    key = key_of(input.id, "Service")
    if key is None:
        return UpdateServicePayload(service=None, user_errors=not_found("id", "service"))
    changes = services.ServiceChanges(
        name=keep_unset_required(input.name),
        description=keep_unset(input.description),
        is_active=keep_unset_required(input.is_active),
        start_date=keep_unset(input.start_date),
        end_date=keep_unset(input.end_date),
        engagement_required=keep_unset_required(input.engagement_required),
    )
    actor = await event_actor(info.context)
    row, errors = await attempt(
        info.context, lambda s: services.update_service(s, info.context.principal.tenant, key, changes, actor=actor)
    )
    return UpdateServicePayload(service=Service.of(row) if row else None, user_errors=errors)
