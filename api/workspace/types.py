"""GraphQL shapes of a structure: the caller's workspace, and the parts the directory shares."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from strawberry import Info

from api.apiclients.types import ApiClient, AuthorizedApp, api_clients, authorized_apps
from api.core.context import Context
from api.core.identifiers import IdentifierTypeEnum
from api.core.ids import to_global_id
from api.core.node import Node
from api.core.pagination import Connection, ConnectionArgs, connection_args, tenant_connection
from api.core.permissions import IsAuthenticated, requires
from api.events.types import EventFilter, EventOrder, WorkspaceEvent
from api.events.types import events as event_connection
from api.fluxes.types import Flux, FluxStatusEnum
from api.fluxes.types import fluxes as flux_connection
from api.invoices.lists import InvoiceFilter, InvoiceSort, invoice_connection
from api.invoices.types import Invoice
from api.joining.types import (
    Invitation,
    InvitationStatusEnum,
    MembershipRequest,
    RequestStatusEnum,
    membership_requests,
    workspace_invitations,
)
from api.members.types import Member
from api.services.types import Service, ServiceFilter
from auth.scopes import Scope
from invoicing.deposit.records import RecordSide
from tenancy import members as member_domain
from tenancy import services as service_domain
from tenancy import structures
from tenancy.enums import IdentifierType
from tenancy.joining.models import RequestStatus
from tenancy.models import Structure


@strawberry.type
class Address:
    line1: str | None
    line2: str | None
    line3: str | None
    postcode: str | None
    town: str | None
    country_code: str
    country_name: str | None

    @classmethod
    def of(cls, s: Structure) -> Address:
        return cls(
            line1=s.address_line1,
            line2=s.address_line2,
            line3=s.address_line3,
            postcode=s.postcode,
            town=s.town,
            country_code=s.country_code,
            country_name=s.country_name,
        )


@strawberry.type(description="What a supplier must put on an invoice addressed to this structure (Chorus Pro).")
class RecipientParameters:
    service_code_required: bool
    engagement_required: bool
    service_or_engagement_required: bool
    payment_status_reported: bool

    @classmethod
    def of(cls, s: Structure) -> RecipientParameters:
        return cls(
            service_code_required=s.service_code_required,
            engagement_required=s.engagement_required,
            service_or_engagement_required=s.service_or_engagement_required,
            payment_status_reported=s.payment_status_reported,
        )


def _invoice_list(side: RecordSide, description: str) -> Any:
    """One of the workspace's invoice lists: the same arguments and resolver, one side of the records."""

    @connection_args
    async def resolve(
        info: Info[Context, None],
        page: ConnectionArgs,
        filter: InvoiceFilter | None = None,
        sort_by: InvoiceSort | None = None,
    ) -> Connection[Invoice]:
        return await invoice_connection(info, side, filter, sort_by, page)

    return strawberry.field(
        resolver=resolve, permission_classes=[requires(Scope.INVOICES_READ)], description=description
    )


@strawberry.type(description="The structure the token acts for: its record, its services and its members.")
class Workspace(Node):
    identifier: str
    identifier_type: IdentifierTypeEnum
    name: str
    is_public: bool
    is_active: bool
    vat_number: str | None
    email: str | None
    phone: str | None
    address: Address
    parameters: RecipientParameters
    require_admin_two_factor: bool = strawberry.field(
        description="Administrators (members whose role allows workspace:admin) get no token for this workspace "
        "before they enrol a second factor."
    )

    @strawberry.field(permission_classes=[IsAuthenticated])
    @connection_args
    async def services(
        self, info: Info[Context, None], page: ConnectionArgs, filter: ServiceFilter | None = None
    ) -> Connection[Service]:
        stmt = service_domain.services_query(
            info.context.principal.tenant,
            active=filter.active if filter else None,
            search=filter.search if filter else None,
        )
        return await tenant_connection(info, stmt, service_domain.SERVICE_KEYS, Service.of, page)

    @strawberry.field(permission_classes=[requires(Scope.WORKSPACE_ADMIN)])
    @connection_args
    async def members(self, info: Info[Context, None], page: ConnectionArgs) -> Connection[Member]:
        stmt = member_domain.members_query(info.context.principal.tenant)
        return await tenant_connection(info, stmt, member_domain.MEMBER_KEYS, Member.of, page)

    @strawberry.field(
        permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
        description="Requests to join this workspace, oldest first (pending ones unless another status is named).",
    )
    @connection_args
    async def membership_requests(
        self,
        info: Info[Context, None],
        page: ConnectionArgs,
        status: RequestStatusEnum | None = RequestStatus.PENDING,
    ) -> Connection[MembershipRequest]:
        return await membership_requests(info, page, status)

    @strawberry.field(
        permission_classes=[requires(Scope.WORKSPACE_ADMIN)],
        description="Invitations into this workspace, newest first (all of them unless a status is named).",
    )
    @connection_args
    async def invitations(
        self, info: Info[Context, None], page: ConnectionArgs, status: InvitationStatusEnum | None = None
    ) -> Connection[Invitation]:
        return await workspace_invitations(info, page, status)

    @strawberry.field(
        permission_classes=[requires(Scope.WORKSPACE_ADMIN)], description="Applications registered by this workspace."
    )
    @connection_args
    async def api_clients(self, info: Info[Context, None], page: ConnectionArgs) -> Connection[ApiClient]:
        return await api_clients(info, page)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Apps members authorized in this workspace.")
    @connection_args
    async def authorized_apps(self, info: Info[Context, None], page: ConnectionArgs) -> Connection[AuthorizedApp]:
        return await authorized_apps(info, page)

    received_invoices = _invoice_list(RecordSide.RECEIVED, "Invoices addressed to this workspace.")
    issued_invoices = _invoice_list(RecordSide.ISSUED, "Invoices this workspace deposited.")
    invoices_to_validate = _invoice_list(
        RecordSide.TO_VALIDATE, "Subcontractor and co-contractor invoices (A9/A12) this workspace validates."
    )

    @strawberry.field(
        permission_classes=[requires(Scope.INVOICES_READ)], description="Archives of invoices deposited (fluxes)."
    )
    @connection_args
    async def fluxes(
        self, info: Info[Context, None], page: ConnectionArgs, status: FluxStatusEnum | None = None
    ) -> Connection[Flux]:
        return await flux_connection(info, page, status)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="The workspace's event log: every change it can see, each type as far as the token's scopes "
        "read it (invoice.* and flux.*: invoices:read; member.* and api_client.*: workspace:admin). Oldest first "
        "by default: pass the last cursor seen as `after` to catch up on exactly what came since.",
    )
    @connection_args
    async def events(
        self,
        info: Info[Context, None],
        page: ConnectionArgs,
        filter: EventFilter | None = None,
        order: EventOrder = EventOrder.OLDEST_FIRST,
    ) -> Connection[WorkspaceEvent]:
        return await event_connection(info, page, filter, order)

    @classmethod
    def of(cls, s: Structure) -> Workspace:
        return cls(
            id=strawberry.ID(to_global_id("Workspace", s.id)),
            identifier=s.identifier,
            identifier_type=IdentifierType(s.identifier_type),
            name=s.name,
            is_public=s.is_public,
            is_active=s.is_active,
            vat_number=s.vat_number,
            email=s.email,
            phone=s.phone,
            address=Address.of(s),
            parameters=RecipientParameters.of(s),
            require_admin_two_factor=s.require_admin_two_factor,
        )


async def load_workspace(context: Context) -> Workspace:
    async with context.session.use() as session:
        return Workspace.of(await structures.get_workspace(session, context.principal.tenant))


async def workspace_node(context: Context, key: uuid.UUID) -> Workspace | None:
    return await load_workspace(context) if key == context.principal.tenant else None
