from __future__ import annotations

from datetime import date

import strawberry
from strawberry import Info

from api.core.actor import event_actor
from api.core.context import Context
from api.core.errors import UserError
from api.core.mutation import attempt
from api.core.permissions import requires
from api.services.types import Service
from auth.scopes import Scope
from tenancy import services


@strawberry.input
class CreateServiceInput:
    code: str
    name: str
    description: str | None = None
    is_active: bool = True
    start_date: date | None = None
    end_date: date | None = None
    engagement_required: bool = False


@strawberry.type
class CreateServicePayload:
    service: Service | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)], description="Add a service to the workspace."
)
async def create_service(info: Info[Context, None], input: CreateServiceInput) -> CreateServicePayload:
    draft = services.ServiceDraft(
        code=input.code,
        name=input.name,
        description=input.description,
        is_active=input.is_active,
        start_date=input.start_date,
        end_date=input.end_date,
        engagement_required=input.engagement_required,
    )
    actor = await event_actor(info.context)
    row, errors = await attempt(
        info.context, lambda s: services.create_service(s, info.context.principal.tenant, draft, actor=actor)
    )
    return CreateServicePayload(service=Service.of(row) if row else None, user_errors=errors)
