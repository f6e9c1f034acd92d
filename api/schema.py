"""The GraphQL schema: root fields, mutations and the request limits."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import strawberry
from graphql import GraphQLError
from strawberry import Info
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext as StrawberryExecutionContext

import api.apiclients.types as apiclient_types
import api.directory.types as directory_types
import api.fluxes.types as flux_types
import api.invoices.types as invoice_types
import api.members.types as member_types
import api.services.types as service_types
from api.apiclients.mutations.register_api_client import register_api_client
from api.apiclients.mutations.revoke_api_client import revoke_api_client
from api.apiclients.mutations.revoke_authorization import revoke_authorization
from api.apiclients.mutations.rotate_api_client_secret import rotate_api_client_secret
from api.core.context import Context
from api.core.depth import depth_limit
from api.core.errors import PublicError, should_mask
from api.core.execution import ExecutionContext
from api.core.limits import QueryCostLimit, ValidationCache
from api.core.mutation import CheckedText
from api.core.node import Node, resolve_node
from api.core.operation import OperationName
from api.core.permissions import IsAuthenticated, requires
from api.core.scalars import DECIMAL
from api.directory.types import Directory
from api.fluxes.mutations.deposit_flux import deposit_flux
from api.invoices.mutations.acknowledge_rejection import acknowledge_rejection
from api.invoices.mutations.complete_invoice import complete_invoice
from api.invoices.mutations.create_invoice import create_invoice
from api.invoices.mutations.preview_invoice import preview_invoice
from api.invoices.mutations.process_invoice import process_invoice
from api.invoices.mutations.recycle_invoice import recycle_invoice
from api.invoices.mutations.submit_invoice import submit_invoice
from api.invoices.mutations.validate_subcontract_invoice import validate_subcontract_invoice
from api.logs import ERRORS
from api.members.mutations.add_member import add_member
from api.members.mutations.remove_member import remove_member
from api.members.mutations.update_member import update_member
from api.services.mutations.create_service import create_service
from api.services.mutations.update_service import update_service
from api.settings import Settings
from api.viewer.types import Viewer
from api.workspace.mutations.update_workspace import update_workspace
from api.workspace.types import Workspace, load_workspace
from auth.scopes import Scope

MAX_NODES = 100


@strawberry.type
class Query:
    @strawberry.field(permission_classes=[IsAuthenticated], description="Any object by its global id, or null.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        return await resolve_node(info.context, id)

    @strawberry.field(permission_classes=[IsAuthenticated], description="Objects by global id (at most 100).")
    async def nodes(self, info: Info[Context, None], ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise PublicError(f"at most {MAX_NODES} ids per call")
        return [await resolve_node(info.context, i) for i in ids]

    @strawberry.field(permission_classes=[IsAuthenticated])
    def viewer(self, info: Info[Context, None]) -> Viewer:
        p = info.context.principal
        return Viewer(subject=p.subject, client_id=p.client_id, scopes=sorted(p.scopes), role=p.role)

    @strawberry.field(permission_classes=[IsAuthenticated], description="The structure this token acts for.")
    async def workspace(self, info: Info[Context, None]) -> Workspace:
        return await load_workspace(info.context)

    @strawberry.field(permission_classes=[requires(Scope.DIRECTORY_READ)])
    def directory(self) -> Directory:
        return Directory()


@strawberry.type
class Mutation:
    create_service = create_service
    update_service = update_service
    update_workspace = update_workspace
    add_member = add_member
    update_member = update_member
    remove_member = remove_member
    register_api_client = register_api_client
    rotate_api_client_secret = rotate_api_client_secret
    revoke_api_client = revoke_api_client
    revoke_authorization = revoke_authorization
    deposit_flux = deposit_flux
    submit_invoice = submit_invoice
    create_invoice = create_invoice
    preview_invoice = preview_invoice
    process_invoice = process_invoice
    complete_invoice = complete_invoice
    recycle_invoice = recycle_invoice
    acknowledge_rejection = acknowledge_rejection
    validate_subcontract_invoice = validate_subcontract_invoice


def _check_text_inputs(mutation: type) -> None:
    """Every mutation checks its text input first (``CheckedText``), a new one included."""
    for field in mutation.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        if not any(isinstance(e, CheckedText) for e in field.extensions):
            # First is innermost: the permission check (from permission_classes, appended) runs before it.
            field.extensions.insert(0, CheckedText())


_check_text_inputs(Mutation)


# Every concrete Node type, so the schema knows them even where only the interface is returned.
NODE_TYPES: list[type] = [
    Workspace,
    service_types.Service,
    member_types.Member,
    member_types.User,
    directory_types.DirectoryStructure,
    directory_types.DirectoryService,
    apiclient_types.ApiClient,
    apiclient_types.AuthorizedApp,
    flux_types.Flux,
    invoice_types.Invoice,
]


def extensions(settings: Settings) -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    # Factories, not instances: an instance would share its state between concurrent requests. What
    # outlives a request (the validation cache) belongs to this schema alone.
    validated = ValidationCache()
    return [
        lambda: ParserCache(maxsize=256),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: depth_limit(settings.max_query_depth),
        lambda: QueryCostLimit(validated=validated, max_cost=settings.max_query_cost),
        OperationName,
        lambda: MaskErrors(should_mask_error=should_mask, error_message="Unexpected error."),
    ]


class HubSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: StrawberryExecutionContext | None = None
    ) -> None:
        """Log what nobody meant to happen, with its traceback (the client sees `Unexpected error.`).

        A client's mistakes (syntax, validation, limits, scopes, bad arguments) are answered to the client
        and summed up by the request's access line; a traceback for each would bury the real failures.
        """
        operation = execution_context.operation_name if execution_context is not None else None
        for error in errors:
            if should_mask(error):
                cause = error.original_error
                ERRORS.error(
                    "unexpected error in %s at %s: %r",
                    operation or "an anonymous operation",
                    ".".join(str(step) for step in error.path or ()) or "(no path)",
                    cause,
                    exc_info=cause,
                    extra={"operation": operation},
                )


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    settings = settings or Settings()
    return HubSchema(
        query=Query,
        mutation=Mutation,
        types=NODE_TYPES,
        extensions=extensions(settings),
        config=StrawberryConfig(disable_field_suggestions=True, relay_max_results=100, scalar_map={Decimal: DECIMAL}),
        execution_context_class=ExecutionContext,
    )
