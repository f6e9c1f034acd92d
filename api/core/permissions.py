"""Permission classes for root fields, edges and mutations; leaf fields carry none (they are cheap)."""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import GraphQLError
from strawberry import Info
from strawberry.permission import BasePermission

from api.core.errors import Forbidden
from auth.scopes import Scope


class IsAuthenticated(BasePermission):
    """Any verified token (the HTTP layer already refused the others); used where no scope applies."""

    message = "authentication required"
    error_class: type[GraphQLError] = Forbidden

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return getattr(info.context, "principal", None) is not None


class _ScopePermission(BasePermission):
    scope: str = ""
    error_class: type[GraphQLError] = Forbidden

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        principal = getattr(info.context, "principal", None)
        return principal is not None and principal.has(self.scope)


@cache
def requires(scope: Scope) -> type[BasePermission]:
    """A permission class demanding one scope, e.g. ``permission_classes=[requires(Scope.WORKSPACE_ADMIN)]``."""
    name = "Requires" + "".join(part.title() for part in scope.value.replace(":", "_").split("_"))
    message = f"this token lacks the '{scope.value}' scope"
    return type(name, (_ScopePermission,), {"scope": scope.value, "message": message})
