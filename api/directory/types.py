"""The directory (annuaire): public structures and their services, as every workspace may see them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.identifiers import IdentifierTypeEnum
from api.core.ids import to_global_id
from api.core.node import Node
from api.core.pagination import (
    TEXT_KEY,
    UUID_KEY,
    Connection,
    ConnectionArgs,
    connection,
    connection_args,
    page_request,
    wants,
)
from api.core.permissions import requires
from api.loaders.directory import BATCHED_SERVICES
from api.workspace.types import Address, RecipientParameters
from auth.scopes import Scope
from tenancy import privileged
from tenancy.enums import IdentifierType
from tenancy.keyset import Page
from tenancy.models import Service as ServiceRow
from tenancy.models import Structure


@strawberry.type(description="A service of a public structure, as listed in the directory.")
class DirectoryService(Node):
    code: str
    name: str
    is_active: bool
    start_date: date | None
    end_date: date | None
    engagement_required: bool

    @classmethod
    def of(cls, row: ServiceRow) -> DirectoryService:
        return cls(
            id=strawberry.ID(to_global_id("DirectoryService", row.id)),
            code=row.code,
            name=row.name,
            is_active=row.is_active,
            start_date=row.start_date,
            end_date=row.end_date,
            engagement_required=row.engagement_required,
        )


def _service_connection(page: Page[ServiceRow]) -> Connection[DirectoryService]:
    return connection(page, DirectoryService.of, lambda s: (s.code, s.id))


@strawberry.type(description="A public structure in the directory: where invoices can be addressed.")
class DirectoryStructure(Node):
    identifier: str
    identifier_type: IdentifierTypeEnum
    name: str
    is_active: bool
    address: Address
    parameters: RecipientParameters
    key: strawberry.Private[uuid.UUID]

    @strawberry.field
    @connection_args
    async def services(self, info: Info[Context, None], page: ConnectionArgs) -> Connection[DirectoryService]:
        request = page_request((TEXT_KEY, UUID_KEY), page)
        if request.first is not None and request.first <= BATCHED_SERVICES and request.after is None:
            batched = await info.context.loaders.directory.first_services.load(self.key)
            return _service_connection(Page(batched.items[: request.first], len(batched.items) > request.first, False))
        return _service_connection(await privileged.directory_services_page(info.context.db, self.key, request))

    @classmethod
    def of(cls, s: Structure) -> DirectoryStructure:
        return cls(
            id=strawberry.ID(to_global_id("DirectoryStructure", s.id)),
            identifier=s.identifier,
            identifier_type=IdentifierType(s.identifier_type),
            name=s.name,
            is_active=s.is_active,
            address=Address.of(s),
            parameters=RecipientParameters.of(s),
            key=s.id,
        )


@strawberry.type(description="Search the public structures that invoices can be addressed to.")
class Directory:
    @strawberry.field(permission_classes=[requires(Scope.DIRECTORY_READ)])
    @connection_args
    async def structures(
        self,
        info: Info[Context, None],
        search: Annotated[
            str | None, strawberry.argument(description="Words matched against name, identifier, postcode and town.")
        ] = None,
        include_inactive: bool = False,
        page: ConnectionArgs = ConnectionArgs(),
    ) -> Connection[DirectoryStructure]:
        request = page_request((TEXT_KEY, UUID_KEY), page)
        found, total = await privileged.directory_page(
            info.context.db,
            request,
            search=search,
            include_inactive=include_inactive,
            with_count=wants(info, "totalCount"),
        )
        return connection(found, DirectoryStructure.of, lambda s: (s.name, s.id), total)

    @strawberry.field(permission_classes=[requires(Scope.DIRECTORY_READ)])
    async def structure(self, info: Info[Context, None], identifier: str) -> DirectoryStructure | None:
        found = await privileged.directory_structure_by_identifier(info.context.db, identifier)
        return DirectoryStructure.of(found) if found else None


async def directory_structure_node(context: Context, key: uuid.UUID) -> DirectoryStructure | None:
    if not context.principal.has(Scope.DIRECTORY_READ.value):
        return None
    found = (await privileged.directory_structures(context.db, [key])).get(key)
    return DirectoryStructure.of(found) if found else None


async def directory_service_node(context: Context, key: uuid.UUID) -> DirectoryService | None:
    if not context.principal.has(Scope.DIRECTORY_READ.value):
        return None
    found = await privileged.directory_service(context.db, key)
    return DirectoryService.of(found) if found and found.is_active else None
