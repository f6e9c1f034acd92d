"""OAuth scopes and how a member's role caps them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from tenancy.enums import Access, Role


class Scope(StrEnum):
    INVOICES_READ = "invoices:read"
    INVOICES_SUBMIT = "invoices:submit"
    INVOICES_PROCESS = "invoices:process"
    DIRECTORY_READ = "directory:read"
    WORKSPACE_ADMIN = "workspace:admin"
    WEBHOOKS_MANAGE = "webhooks:manage"


ALL_SCOPES: frozenset[str] = frozenset(s.value for s in Scope)
READ_SCOPES: frozenset[str] = frozenset({Scope.INVOICES_READ.value, Scope.DIRECTORY_READ.value})

_ROLE_SCOPES: dict[Role, frozenset[str]] = {
    Role.GESTIONNAIRE_PRINCIPAL: ALL_SCOPES,
    Role.GESTIONNAIRE: ALL_SCOPES,
    Role.UTILISATEUR: frozenset(
        {Scope.INVOICES_READ, Scope.INVOICES_SUBMIT, Scope.INVOICES_PROCESS, Scope.DIRECTORY_READ}
    ),
}


def scopes_for(role: Role, access: Access) -> frozenset[str]:
    """The most a member may hold in a workspace: by role, then read-only access keeps reads only."""
    allowed = _ROLE_SCOPES[role]
    return allowed & READ_SCOPES if access is Access.READ_ONLY else allowed


def cap_scopes(requested: Iterable[str] | None, allowed: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(granted, refused): nothing requested means everything allowed."""
    wanted = frozenset(requested) if requested is not None else allowed
    return wanted & allowed, wanted - allowed


def parse_scope(value: str) -> frozenset[str]:
    return frozenset(part for part in value.split() if part)
