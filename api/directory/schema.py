"""The directory's root field."""

from __future__ import annotations

import strawberry

from api.core.permissions import requires
from api.directory.types import Directory
from auth.scopes import Scope


@strawberry.type
class DirectoryQuery:
    @strawberry.field(permission_classes=[requires(Scope.DIRECTORY_READ)])
    def directory(self) -> Directory:
        return Directory()
