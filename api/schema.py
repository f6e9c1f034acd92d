"""The GraphQL schema: root fields, mutations and the request limits."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext as StrawberryExecutionContext

import api.apiclients.types as apiclients
import api.directory.types as directory
import api.fluxes.types as fluxes
import api.invoices.types as invoices
import api.joining.types as joining
import api.members.types as members
import api.services.types as services
import api.workspace.types as workspace
from api.apiclients.schema import ApiClientMutation
from api.core.aliases import alias_limit
from api.core.depth import depth_limit
from api.core.errors import should_mask
from api.core.execution import ExecutionContext
from api.core.limits import QueryCostLimit, ValidationCache
from api.core.mutation import CheckedText
from api.core.node import NodeRegistry, node_query
from api.core.operation import OperationName
from api.core.scalars import DECIMAL
from api.directory.schema import DirectoryQuery
from api.fluxes.schema import FluxMutation
from api.invoices.schema import InvoiceMutation
from api.joining.schema import JoiningMutation
from api.logs import ERRORS
from api.members.schema import MemberMutation
from api.services.schema import ServiceMutation
from api.settings import Settings
from api.viewer.schema import ViewerQuery
from api.workspace.schema import WorkspaceMutation, WorkspaceQuery

# Each domain brings its root fields; the order of the parts is the order of the fields in the SDL.
Mutation = merge_types(
    "Mutation",
    (
        ServiceMutation,
        WorkspaceMutation,
        MemberMutation,
        JoiningMutation,
        ApiClientMutation,
        FluxMutation,
        InvoiceMutation,
    ),
)


def _check_text_inputs(mutation: type) -> None:
    """Every mutation checks its text input first (``CheckedText``), a new one included."""
    for field in mutation.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        if not any(isinstance(e, CheckedText) for e in field.extensions):
            # First is innermost: the permission check (from permission_classes, appended) runs before it.
            field.extensions.insert(0, CheckedText())


_check_text_inputs(Mutation)


def nodes() -> NodeRegistry:
    """Every concrete Node type and how to fetch one by id."""
    return NodeRegistry(
        {
            workspace.Workspace: workspace.workspace_node,
            services.Service: services.service_node,
            members.Member: members.member_node,
            members.User: members.user_node,
            joining.MembershipRequest: joining.request_node,
            joining.Invitation: joining.invitation_node,
            directory.DirectoryStructure: directory.directory_structure_node,
            directory.DirectoryService: directory.directory_service_node,
            apiclients.ApiClient: apiclients.api_client_node,
            apiclients.AuthorizedApp: apiclients.authorized_app_node,
            fluxes.Flux: fluxes.flux_node,
            invoices.Invoice: invoices.invoice_node,
        }
    )


def extensions(settings: Settings) -> list[Callable[[], SchemaExtension] | type[SchemaExtension]]:
    # Factories, not instances: an instance would share its state between concurrent requests. What
    # outlives a request (the validation cache) belongs to this schema alone.
    validated = ValidationCache()
    return [
        lambda: ParserCache(maxsize=256),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: alias_limit(settings.max_aliases),
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
    registry = nodes()
    return HubSchema(
        query=merge_types("Query", (node_query(registry), ViewerQuery, WorkspaceQuery, DirectoryQuery)),
        mutation=Mutation,
        types=registry.types,
        extensions=extensions(settings),
        config=StrawberryConfig(disable_field_suggestions=True, relay_max_results=100, scalar_map={Decimal: DECIMAL}),
        execution_context_class=ExecutionContext,
    )
