"""The viewer's root field: who the token speaks for."""

from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.permissions import IsAuthenticated
from api.viewer.types import Viewer


@strawberry.type
class ViewerQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    def viewer(self, info: Info[Context, None]) -> Viewer:
        p = info.context.principal
        return Viewer(subject=p.subject, client_id=p.client_id, scopes=sorted(p.scopes), role=p.role)
