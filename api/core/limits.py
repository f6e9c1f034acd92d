"""Query limits that run before any resolver: validation (cached) and a cost ceiling.

Cost follows GitHub/Shopify: every field with a selection counts 1, scaled by the `first`/`last` of
the connections around it; leaves are free. It is computed with the request's variables and
reported in ``extensions.cost``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql import validate as validate_document_rules
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from api.core.errors import PublicError

_VALIDATION_CACHE: OrderedDict[str, list[GraphQLError]] = OrderedDict()
_VALIDATION_CACHE_SIZE = 256


class QueryCostLimit(SchemaExtension):
    max_cost = 5_000

    def __init__(self, *, max_cost: int | None = None) -> None:
        if max_cost is not None:
            self.max_cost = max_cost
        self.cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            errors = self._validate(context.query or "", document)
            if not errors:
                self.cost = query_cost(document, context.variables or {}, context.operation_name)
                if self.cost > self.max_cost:
                    errors = [
                        PublicError(
                            f"query cost {self.cost} exceeds the limit of {self.max_cost}: ask for smaller pages",
                            cost=self.cost,
                            maxCost=self.max_cost,
                        )
                    ]
            context.pre_execution_errors = errors
        yield

    def _validate(self, query: str, document: Any) -> list[GraphQLError]:
        # Validation depends on the document only; parsing is strawberry's (ParserCache), this caches the rules.
        cached = _VALIDATION_CACHE.get(query)
        if cached is not None:
            _VALIDATION_CACHE.move_to_end(query)
            return cached
        context = self.execution_context
        # strawberry's validate_document, plus hide_suggestions: no "Did you mean" for arguments, enum values, types.
        rules = (*context.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule)
        errors = validate_document_rules(context.schema._schema, document, rules, hide_suggestions=True)
        _VALIDATION_CACHE[query] = errors
        if len(_VALIDATION_CACHE) > _VALIDATION_CACHE_SIZE:
            _VALIDATION_CACHE.popitem(last=False)
        return errors

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requestedQueryCost": self.cost, "maximumAvailable": self.max_cost}}


def query_cost(document: Any, variables: dict[str, Any], operation_name: str | None) -> int:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if not operations:
        return 0
    return _selection_cost(operations[0].selection_set, fragments, variables, set())


def _selection_cost(
    selection_set: SelectionSetNode | None, fragments: dict[str, Any], variables: dict[str, Any], seen: set[str]
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.selection_set is None:
                continue
            inner = 1 + _selection_cost(selection.selection_set, fragments, variables, seen)
            total += inner * _page_size(selection, variables)
        elif isinstance(selection, InlineFragmentNode):
            total += _selection_cost(selection.selection_set, fragments, variables, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:  # cycles are a validation error; never loop on them
                total += _selection_cost(fragments[name].selection_set, fragments, variables, seen | {name})
    return total


def _page_size(node: FieldNode, variables: dict[str, Any]) -> int:
    for argument in node.arguments or ():
        if argument.name.value not in ("first", "last"):
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(1, int(value.value))
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            if isinstance(given, int):
                return max(1, given)
    return 1
