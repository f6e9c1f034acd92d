from __future__ import annotations

import strawberry
from strawberry import UNSET, Info

from api.core.context import Context
from api.core.errors import UserError
from api.core.inputs import keep_unset, keep_unset_required
from api.core.mutation import attempt
from api.core.permissions import requires
from api.workspace.types import Workspace
from auth.scopes import Scope
from tenancy import structures
from tenancy.changes import KEEP


@strawberry.input
class AddressInput:
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    postcode: str | None = None
    town: str | None = None
    country_code: str = "FR"
    country_name: str | None = None


@strawberry.input(description="Chorus Pro recipient parameters; all four are set together.")
class RecipientParametersInput:
    service_code_required: bool
    engagement_required: bool
    service_or_engagement_required: bool
    payment_status_reported: bool


@strawberry.input(description="Fields left out keep their value; null clears an optional one.")
class UpdateWorkspaceInput:
    name: str | None = UNSET
    vat_number: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    address: AddressInput | None = UNSET
    parameters: RecipientParametersInput | None = UNSET


@strawberry.type
class UpdateWorkspacePayload:
    workspace: Workspace | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
    description="Change the workspace's structure record and its recipient parameters.",
)
async def update_workspace(info: Info[Context, None], input: UpdateWorkspaceInput) -> UpdateWorkspacePayload:
    address = input.address
    parameters = input.parameters
    changes = structures.WorkspaceChanges(
        name=keep_unset_required(input.name),
        vat_number=keep_unset(input.vat_number),
        email=keep_unset(input.email),
        phone=keep_unset(input.phone),
        address=KEEP if not address else structures.Address(**vars(address)),
        parameters=KEEP if not parameters else structures.RecipientParameters(**vars(parameters)),
    )
    row, errors = await attempt(
        info.context, lambda s: structures.update_workspace(s, info.context.principal.tenant, changes)
    )
    return UpdateWorkspacePayload(workspace=Workspace.of(row) if row else None, user_errors=errors)
