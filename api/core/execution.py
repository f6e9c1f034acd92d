"""A shorter path through graphql-core for plain leaf fields (a number, a status, a date of a row).

A list of 50 invoices completes about a thousand such fields. For each, graphql-core builds a resolve
info, looks up arguments and calls strawberry's default resolver through two wrappers before it coerces
the value; that bookkeeping costs several times the work itself. Here a field that has no resolver, no
arguments and a scalar or enum type is read and coerced directly. Anything unusual (no value where one is
required, a value the type refuses, an exception) goes the standard way, so errors, their paths and
locations are exactly graphql-core's.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

# Kept in the field definition's own extensions (it lives and dies with its schema): whether the field
# takes the short path, and with what (strawberry field, leaf type, required).
_PLAIN = "facturehub-plain-leaf"
Plain = tuple[Any, GraphQLScalarType | GraphQLEnumType, bool]


def _plain_leaf(field_def: GraphQLField) -> Plain | None:
    extensions = field_def.extensions
    if _PLAIN in extensions:
        found: Plain | None = extensions[_PLAIN]
        return found
    found = None
    field = extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if field is not None and not field_def.args and getattr(field_def.resolve, "_is_default", False):
        inner = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            found = (field, inner, isinstance(field_def.type, GraphQLNonNull))
    extensions[_PLAIN] = found
    return found


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        node = field_details_list[0].node
        middleware = self.middleware_manager  # strawberry always passes one; ours has no middleware in it
        if not node.arguments and (middleware is None or getattr(middleware, "_middleware_resolvers", None) is None):
            field_def = parent_type.fields.get(node.name.value)
            plain = _plain_leaf(field_def) if field_def is not None else None
            if plain is not None:
                field, leaf, required = plain
                try:
                    value = field.default_resolver(source, field.python_name)
                    if value is None:
                        if not required:
                            return None
                    else:
                        coerced = leaf.coerce_output_value(value)
                        if coerced is not Undefined and coerced is not None:
                            return coerced
                except Exception:  # noqa: S110  (the standard path below raises it again, located)
                    pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
