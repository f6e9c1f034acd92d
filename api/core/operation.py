"""The operation a request runs: named on its access line, and never guessed among several."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from api.core.context import Context
from api.core.errors import PublicError
from api.logs import note


class OperationNotDetermined(PublicError):
    """GetOperation() failed (GraphQL spec 6.1): a request error, answered 400 by GraphQL over HTTP."""


class OperationName(SchemaExtension):
    """Runs after validation has been decided (place it after QueryCostLimit, which validates)."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            # strawberry runs the first operation when none is named (its operation_name falls back to the
            # first one's); GraphQL's GetOperation() refuses to guess. `_provided_operation_name` is what the
            # request said, which strawberry keeps only there.
            named = context._provided_operation_name is not None
            if not named and len(operations) > 1:
                if not context.pre_execution_errors:
                    message = "the document has several operations: name the one to run in `operationName`"
                    context.pre_execution_errors = [OperationNotDetermined(message)]
            elif isinstance(context.context, Context):
                note(context.context.request.scope, operation=context.operation_name)
        yield
