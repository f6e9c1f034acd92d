"""Query limits that run before any resolver: validation (cached), text arguments and a cost ceiling.

Cost follows GitHub/Shopify: every field with a selection counts 1, scaled by the `first`/`last` of
the connections around it and, for a field that answers one item per item of a list argument
(`nodes(ids:)`), by the length of that list; leaves are free. Arguments are taken as execution will
take them: the variables sent, else the operation's declared defaults, else the argument's default.
The cost is reported in ``extensions.cost``.

Text arguments (searches, filters, lookups, cursors) are capped and may hold no control character; a
900 kB search would reach SQLite's LIKE ("pattern too complex") and a NUL PostgreSQL's comparisons.
The arguments of a mutation itself are its `input`, checked by the mutation with user errors
(``api.core.mutation.CheckedText``); the arguments of the fields it returns are checked here.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_argument_values,
    get_named_type,
    get_variable_values,
)
from graphql import validate as validate_document_rules
from graphql.execution.values import VariableValues
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from api.core.errors import PublicError
from api.core.text import text_problem

MAX_TEXT_ARGUMENT = 200
# A cursor carries the sort key it resumes from (a structure's name: 200 characters, as UTF-8 in base64).
MAX_CURSOR = 2_000
_CURSORS = frozenset({"after", "before"})
_PAGE_SIZES = ("first", "last")


class ValidationCache:
    """Validation errors by query text, for one schema: its rules (the depth limit...) are part of the answer.

    Built with the schema and handed to each request's ``QueryCostLimit``: a cache shared by two schemas
    would answer one with the other's limits. Keyed by the text alone: hold nothing that depends on variables.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._errors: OrderedDict[str, list[GraphQLError]] = OrderedDict()

    def get(self, query: str) -> list[GraphQLError] | None:
        found = self._errors.get(query)
        if found is not None:
            self._errors.move_to_end(query)
        return found

    def put(self, query: str, errors: list[GraphQLError]) -> None:
        self._errors[query] = errors
        if len(self._errors) > self.size:
            self._errors.popitem(last=False)


class QueryCostLimit(SchemaExtension):
    max_cost = 5_000

    def __init__(self, *, validated: ValidationCache, max_cost: int | None = None) -> None:
        if max_cost is not None:
            self.max_cost = max_cost
        self.validated = validated
        self.cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.pre_execution_errors is None:
            errors = self._validate(context.query or "", document)
            if not errors:
                errors = self._limits(document)
            context.pre_execution_errors = errors
        yield

    def _validate(self, query: str, document: Any) -> list[GraphQLError]:
        # Validation depends on the document only; parsing is strawberry's (ParserCache), this caches the rules.
        cached = self.validated.get(query)
        if cached is not None:
            return cached
        context = self.execution_context
        # strawberry's validate_document, plus hide_suggestions: no "Did you mean" for arguments, enum values, types.
        rules = (*context.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule)
        errors = validate_document_rules(context.schema._schema, document, rules, hide_suggestions=True)
        self.validated.put(query, errors)
        return errors

    def _limits(self, document: DocumentNode) -> list[GraphQLError]:
        """Text arguments and cost, with this request's variables (so never cached)."""
        context = self.execution_context
        schema = context.schema._schema
        operation = _operation(document, context.operation_name)
        if operation is None:
            return []  # execution says why (no such operation; several and no name) and runs nothing
        variables = get_variable_values(schema, operation.variable_definitions or (), context.variables or {})
        if isinstance(variables, list):
            return []  # execution reports these coercion errors, and runs nothing
        walk = _Walk(schema, document, variables)
        self.cost = walk.operation(operation)
        errors: list[GraphQLError] = list(walk.text_errors.values())
        if self.cost > self.max_cost:
            errors.append(
                PublicError(
                    f"query cost {self.cost} exceeds the limit of {self.max_cost}: ask for smaller pages",
                    cost=self.cost,
                    maxCost=self.max_cost,
                )
            )
        return errors

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requestedQueryCost": self.cost, "maximumAvailable": self.max_cost}}


def query_cost(
    schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any], operation_name: str | None = None
) -> int:
    """The cost of an operation with these (raw) variables; 0 when it cannot run."""
    operation = _operation(document, operation_name)
    if operation is None:
        return 0
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
    return 0 if isinstance(coerced, list) else _Walk(schema, document, coerced).operation(operation)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name:
        return next((o for o in operations if o.name and o.name.value == name), None)
    return operations[0] if len(operations) == 1 else None


class _Walk:
    """One pass over an operation: its cost, and what is wrong with its text arguments.

    A fragment is walked once however often it is spread (its cost is remembered), so the work stays
    proportional to the document: fragments spreading fragments cannot make it explode.
    """

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: VariableValues) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.fragment_costs: dict[str, int] = {}
        self.text_errors: dict[str, GraphQLError] = {}  # by message: a problem is told once

    def operation(self, operation: OperationDefinitionNode) -> int:
        root = self.schema.get_root_type(operation.operation)
        return 0 if root is None else self._selections(operation.selection_set, root)

    def _selections(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None) -> int:
        total = 0
        spread: set[str] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                total += self._selections(selection.selection_set, self._type(selection.type_condition, parent))
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in spread:
                spread.add(selection.name.value)  # as in execution: spread twice in one selection set, run once
                total += self._fragment(selection.name.value)
        return total

    def _fragment(self, name: str) -> int:
        if name not in self.fragment_costs:
            fragment = self.fragments.get(name)
            self.fragment_costs[name] = 0  # a cycle is a validation error: never loop on one
            if fragment is not None:
                parent = self._type(fragment.type_condition, None)
                self.fragment_costs[name] = self._selections(fragment.selection_set, parent)
        return self.fragment_costs[name]

    def _type(self, condition: NamedTypeNode | None, parent: GraphQLNamedType | None) -> GraphQLNamedType | None:
        return parent if condition is None else self.schema.get_type(condition.name.value)

    def _field(self, node: FieldNode, parent: GraphQLNamedType | None) -> int:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            return 0  # not after validation
        definition = self.schema.get_field(parent, node.name.value)
        if definition is None:
            return 0
        arguments = self._arguments(definition, node)
        if parent is not self.schema.mutation_type:
            self._check_text(f"{parent.name}.{node.name.value}", definition, arguments)
        if node.selection_set is None:
            return 0
        inner = 1 + self._selections(node.selection_set, get_named_type(definition.type))
        return inner * _multiplier(definition, arguments)

    def _arguments(self, definition: GraphQLField, node: FieldNode) -> dict[str, Any]:
        """Argument values by GraphQL name, as execution will coerce them."""
        try:
            values = get_argument_values(definition, node, self.variables)
        except GraphQLError:
            return {}  # execution reports it on the field
        return {name: values.get(arg.out_name or name) for name, arg in definition.args.items()}

    def _check_text(self, field: str, definition: GraphQLField, arguments: dict[str, Any]) -> None:
        for name, argument in definition.args.items():
            limit = MAX_CURSOR if name in _CURSORS else MAX_TEXT_ARGUMENT
            for path, text in _strings(argument.type, arguments.get(name), name):
                problem = text_problem(path, text, multi_line=True, max_length=limit)
                if problem is not None:
                    message = f"{problem} (an argument of `{field}`)"
                    self.text_errors.setdefault(message, PublicError(message, argument=path, field=field))


def _multiplier(definition: GraphQLField, arguments: dict[str, Any]) -> int:
    factor = 1
    for name in _PAGE_SIZES:
        size = arguments.get(name)
        if isinstance(size, int) and not isinstance(size, bool) and name in definition.args:
            factor = max(factor, size)
    returned = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else definition.type
    if isinstance(returned, GraphQLList):
        # A list answered item by item for a list given (nodes(ids:)): each item is resolved on its own.
        for name, argument in definition.args.items():
            given = arguments.get(name)
            if isinstance(given, list) and isinstance(_nullable(argument.type), GraphQLList):
                factor *= max(1, len(given))
    return factor


def _nullable(type_: GraphQLInputType) -> GraphQLInputType:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _strings(type_: GraphQLInputType, value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every String in an argument's value (IDs aside: a malformed id answers like a missing one)."""
    type_ = _nullable(type_)
    if value is None:
        return
    if isinstance(type_, GraphQLList) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(type_.of_type, item, f"{path}.{index}")
    elif isinstance(type_, GraphQLInputObjectType) and isinstance(value, dict):
        for name, field in type_.fields.items():
            yield from _strings(field.type, value.get(field.out_name or name), f"{path}.{name}")
    elif isinstance(type_, GraphQLScalarType) and type_.name == "String" and isinstance(value, str):
        yield path, value
