"""Policy: every root field and every mutation carries a permission class that fails closed.

Strawberry enforces ``permission_classes`` through a ``PermissionExtension`` on the field, so that is
what is inspected (a field given only ``extensions=[PermissionExtension(...)]`` counts too). Exceptions
must be listed, with a reason, in ``UNGUARDED_ROOT_FIELDS``; there are none.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
import strawberry
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types.field import StrawberryField

from api.core.errors import Forbidden
from api.core.mutation import CheckedText
from api.core.permissions import IsAuthenticated
from api.schema import build_schema

# "Root.fieldName" -> why it may run without a permission class. Keep it empty unless reviewed.
UNGUARDED_ROOT_FIELDS: dict[str, str] = {}

SCHEMA = build_schema()


def root_fields(schema: strawberry.Schema) -> dict[str, StrawberryField]:
    roots = {"Query": schema.query, "Mutation": schema.mutation}
    graphql_name = schema.config.name_converter.get_graphql_name
    return {
        f"{root}.{graphql_name(field)}": field
        for root, cls in roots.items()
        if cls is not None
        for field in cls.__strawberry_definition__.fields
    }


def permissions_of(field: StrawberryField) -> list[BasePermission]:
    return [
        permission
        for extension in field.extensions
        if isinstance(extension, PermissionExtension)
        for permission in extension.permissions
    ]


def policy_violations(fields: dict[str, StrawberryField]) -> list[str]:
    """Why each field breaks the policy (empty when all is well)."""
    problems = []
    for name, field in sorted(fields.items()):
        if name in UNGUARDED_ROOT_FIELDS:
            continue
        extensions = [e for e in field.extensions if isinstance(e, PermissionExtension)]
        if not permissions_of(field):
            problems.append(f"{name} has no permission class")
        if any(e.fail_silently for e in extensions):
            problems.append(f"{name} fails silently: a refused call must answer FORBIDDEN")
    return problems


def anonymous_info() -> Any:
    """What a permission sees when no principal was established (a bug upstream): it must refuse."""
    return SimpleNamespace(context=SimpleNamespace(principal=None))


def test_schema_has_query_and_mutation_roots() -> None:
    fields = root_fields(SCHEMA)
    assert any(name.startswith("Query.") for name in fields)
    assert any(name.startswith("Mutation.") for name in fields)


def test_every_root_field_and_mutation_has_a_permission_class() -> None:
    assert policy_violations(root_fields(SCHEMA)) == []


def test_the_allowlist_names_only_existing_fields() -> None:
    # Given a documented exception, when its field is renamed or removed, then the stale entry must go.
    assert set(UNGUARDED_ROOT_FIELDS) <= set(root_fields(SCHEMA))


@pytest.mark.parametrize("name", sorted(root_fields(SCHEMA)))
def test_permissions_refuse_a_request_without_principal_with_forbidden(name: str) -> None:
    field = root_fields(SCHEMA)[name]
    for permission in permissions_of(field):
        assert permission.has_permission(None, anonymous_info()) is False, f"{name}: {type(permission).__name__}"
        assert issubclass(permission.error_class, Forbidden), (
            f"{name}: {type(permission).__name__} must raise FORBIDDEN"
        )


def test_every_mutation_checks_its_text_input_inside_its_permission_check() -> None:
    # The last extension runs first: the permission check must run before the text check.
    for name, field in sorted(root_fields(SCHEMA).items()):
        if name.startswith("Mutation."):
            kinds = [type(extension) for extension in field.extensions]
            assert CheckedText in kinds, f"{name} does not check its text input"
            assert kinds.index(CheckedText) < kinds.index(PermissionExtension), f"{name} checks text before permission"


def test_the_check_catches_an_unguarded_mutation() -> None:
    # Given a mutation type where one field forgot its permission class
    @strawberry.type
    class Mutation:
        @strawberry.mutation(permission_classes=[IsAuthenticated])
        def guarded(self) -> bool:
            return True

        @strawberry.mutation
        def forgotten(self) -> bool:
            return True

        @strawberry.mutation(extensions=[PermissionExtension(permissions=[IsAuthenticated()], fail_silently=True)])
        def silent(self) -> bool | None:
            return True

    @strawberry.type
    class Query:
        @strawberry.field
        def open(self) -> bool:
            return True

    schema = strawberry.Schema(query=Query, mutation=Mutation)
    # When the policy runs, then exactly the unguarded and silent fields are reported
    assert policy_violations(root_fields(schema)) == [
        "Mutation.forgotten has no permission class",
        "Mutation.silent fails silently: a refused call must answer FORBIDDEN",
        "Query.open has no permission class",
    ]
