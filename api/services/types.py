"""GraphQL shape of a service of the caller's workspace."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry

from api.core.context import Context
from api.core.ids import to_global_id
from api.core.node import Node
from tenancy import services
from tenancy.models import Service as ServiceRow


@strawberry.type(description="A unit of the workspace's structure that invoices are addressed to (code service).")
class Service(Node):
    code: str
    name: str
    description: str | None
    is_active: bool
    start_date: date | None
    end_date: date | None
    engagement_required: bool = strawberry.field(
        description="Invoices to this service must carry an engagement number."
    )

    @classmethod
    def of(cls, row: ServiceRow) -> Service:
        return cls(
            id=strawberry.ID(to_global_id("Service", row.id)),
            code=row.code,
            name=row.name,
            description=row.description,
            is_active=row.is_active,
            start_date=row.start_date,
            end_date=row.end_date,
            engagement_required=row.engagement_required,
        )


@strawberry.input
class ServiceFilter:
    active: bool | None = None
    search: str | None = strawberry.field(default=None, description="Part of the code or name.")


async def service_node(context: Context, key: uuid.UUID) -> Service | None:
    async with context.session.use() as session:
        row = await services.get_service(session, context.principal.tenant, key)
    return Service.of(row) if row else None
