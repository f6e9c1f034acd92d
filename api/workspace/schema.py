"""The workspace's root field and mutation."""

from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.permissions import IsAuthenticated
from api.workspace.mutations.set_admin_two_factor import set_admin_two_factor
from api.workspace.mutations.update_workspace import update_workspace
from api.workspace.types import Workspace, load_workspace


@strawberry.type
class WorkspaceQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The structure this token acts for.")
    async def workspace(self, info: Info[Context, None]) -> Workspace:
        return await load_workspace(info.context)


@strawberry.type
class WorkspaceMutation:
    update_workspace = update_workspace
    set_admin_two_factor = set_admin_two_factor
