from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.errors import UserError
from api.core.mutation import attempt
from api.core.permissions import requires
from api.workspace.types import Workspace
from auth.scopes import Scope
from tenancy import structures


@strawberry.input
class SetAdminTwoFactorInput:
    required: bool


@strawberry.type
class SetAdminTwoFactorPayload:
    workspace: Workspace | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
    description="Require (or stop requiring) a second factor of the workspace's administrators; one who has "
    "none is sent to enrol it at their next sign-in to the workspace.",
)
async def set_admin_two_factor(info: Info[Context, None], input: SetAdminTwoFactorInput) -> SetAdminTwoFactorPayload:
    required = input.required
    row, errors = await attempt(
        info.context, lambda s: structures.set_admin_two_factor(s, info.context.principal.tenant, required)
    )
    return SetAdminTwoFactorPayload(workspace=Workspace.of(row) if row else None, user_errors=errors)
