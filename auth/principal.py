"""Who is calling: a user through an app, or an app on its own, in one workspace."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tenancy.enums import Role


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    client_id: str
    tenant: uuid.UUID
    scopes: frozenset[str]
    role: Role | None
    token_id: str = ""

    @property
    def user_id(self) -> uuid.UUID | None:
        """Users are subjects ``user:<uuid>``; technical accounts (client credentials) are ``client:<id>``."""
        kind, _, value = self.subject.partition(":")
        return uuid.UUID(value) if kind == "user" else None

    def has(self, scope: str) -> bool:
        return scope in self.scopes
