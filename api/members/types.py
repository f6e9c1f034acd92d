"""GraphQL shapes of workspace members and users."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.ids import to_global_id
from api.core.node import Node
from auth.models import User as UserRow
from tenancy import members
from tenancy.enums import Access, Role
from tenancy.models import Membership

RoleEnum = Annotated[Role, strawberry.enum(name="Role", description="Chorus Pro roles in a structure.")]
AccessEnum = Annotated[Access, strawberry.enum(name="Access", description="Consultation only, or modification.")]


@strawberry.type
class User(Node):
    email: str
    display_name: str

    @classmethod
    def of(cls, row: UserRow) -> User:
        return cls(id=strawberry.ID(to_global_id("User", row.id)), email=row.email, display_name=row.display_name)


async def load_user(context: Context, key: uuid.UUID) -> User | None:
    row = await context.loaders.members.users.load(key)
    return User.of(row) if row is not None else None


@strawberry.type(description="A user's attachment to this workspace.")
class Member(Node):
    role: RoleEnum
    access: AccessEnum
    created_at: datetime
    user_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def user(self, info: Info[Context, None]) -> User:
        found = await load_user(info.context, self.user_id)
        assert found is not None  # a membership's user row is kept by a foreign key
        return found

    @classmethod
    def of(cls, row: Membership) -> Member:
        return cls(
            id=strawberry.ID(to_global_id("Member", row.id)),
            role=Role(row.role),
            access=Access(row.access),
            created_at=row.created_at,
            user_id=row.user_id,
        )


async def member_node(context: Context, key: uuid.UUID) -> Member | None:
    if not context.principal.has("workspace:admin"):
        return None
    async with context.session.use() as session:
        row = await members.get_member(session, context.principal.tenant, key)
    return Member.of(row) if row else None


async def user_node(context: Context, key: uuid.UUID) -> User | None:
    """A user is visible to the workspaces they belong to (and to themselves), nowhere else."""
    async with context.session.use() as session:
        attached = await members.is_member(session, context.principal.tenant, key)
    if not attached and context.principal.user_id != key:
        return None
    return await load_user(context, key)
