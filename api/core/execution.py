"""A shorter path through graphql-core for plain fields (a number, a status, the parties of a row).

A list of 50 invoices completes about a thousand such fields. For each, graphql-core builds a resolve
info, looks up arguments and calls strawberry's default resolver through two wrappers before it completes
the value; that bookkeeping costs several times the work itself. Here a field that has no resolver and no
arguments is read directly: a scalar or enum is coerced at once, an object (of a type with no
``is_type_of`` check) has its own fields executed. A leaf that is missing where required, or a value its
type refuses, goes the standard way instead, and errors in an object's fields are handled as graphql-core
handles them, so errors, their paths and locations are exactly graphql-core's.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    Undefined,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

# Kept in the field definition's own extensions (it lives and dies with its schema): whether the field
# takes the short path, and with what (strawberry field, the type without its non-null wrapper, required).
_PLAIN = "facturehub-plain-field"
Plain = tuple[Any, GraphQLScalarType | GraphQLEnumType | GraphQLObjectType, bool]


def _plain(field_def: GraphQLField) -> Plain | None:
    extensions = field_def.extensions
    if _PLAIN in extensions:
        known: Plain | None = extensions[_PLAIN]
        return known
    found = None
    field = extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if field is not None and not field_def.args and getattr(field_def.resolve, "_is_default", False):
        inner = field_def.type.of_type if isinstance(field_def.type, GraphQLNonNull) else field_def.type
        required = isinstance(field_def.type, GraphQLNonNull)
        if (
            isinstance(inner, GraphQLScalarType | GraphQLEnumType)
            or isinstance(inner, GraphQLObjectType)
            and inner.is_type_of is None
        ):
            found = (field, inner, required)
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
            plain = _plain(field_def) if field_def is not None else None
            if plain is not None:
                field, inner, required = plain
                try:
                    value = field.default_resolver(source, field.python_name)
                except Exception:
                    value = Undefined
                if value is None and not required:
                    return None
                if value is not None and value is not Undefined:
                    if isinstance(inner, GraphQLObjectType):
                        return self._object(field_def.type, inner, field_details_list, path, value, position_context)
                    try:
                        coerced = inner.coerce_output_value(value)
                    except Exception:
                        coerced = Undefined
                    if coerced is not Undefined and coerced is not None:
                        return coerced
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _object(
        self,
        return_type: GraphQLOutputType,
        inner: GraphQLObjectType,
        field_details_list: Any,
        path: Path,
        value: Any,
        position_context: Any,
    ) -> Any:
        """What ``complete_object_value`` does for a type without ``is_type_of``, with ``execute_field``'s
        handling of the errors of the object's own fields."""
        try:
            completed = self.collect_and_execute_subfields(inner, field_details_list, path, value, position_context)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        if self.is_awaitable(completed):

            async def await_completed() -> Any:
                try:
                    return await completed
                except Exception as raw_error:
                    self.handle_field_error(raw_error, return_type, field_details_list, path)
                    return None

            return await_completed()
        return completed
