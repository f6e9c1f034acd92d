"""Running a mutation: its text input checked first, its domain work all or nothing, refusals as user errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeGuard, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import UNSET, Info
from strawberry.extensions import FieldExtension
from strawberry.schema.name_converter import NameConverter
from strawberry.types.base import (
    StrawberryContainer,
    StrawberryList,
    StrawberryObjectDefinition,
    StrawberryOptional,
)
from strawberry.types.field import StrawberryField

from api.core.context import Context
from api.core.errors import UserError, user_errors
from api.core.text import is_multi_line, text_problem
from tenancy.errors import DomainError
from tenancy.events import record as event_log

T = TypeVar("T")


async def attempt(context: Context, work: Callable[[AsyncSession], Awaitable[T]]) -> tuple[T | None, list[UserError]]:
    """Run ``work`` in a savepoint of the request's transaction; a refusal leaves nothing behind."""
    async with context.session.use() as session:
        mark = event_log.kept_mark(session)
        try:
            async with session.begin_nested():
                return await work(session), []
        except DomainError as refusal:
            event_log.drop_kept_since(session, mark)  # the refused change's events go with its savepoint
            return None, user_errors(refusal)


class CheckedText(FieldExtension):
    """Every text of a mutation's input checked in one place, before the mutation does anything.

    A control character (see ``api.core.text``) would otherwise reach the XML writer or PostgreSQL and
    come back as ``Unexpected error.``; here it is a user error on its field (``['input', 'lines', '0',
    'itemName']``), code INVALID, and the payload carries nothing else. Ids are left alone (a malformed id
    answers like a missing one); a field marked ``MULTI_LINE`` may hold tabs and line breaks.

    The schema puts it on every mutation, inside the permission check: a caller without the scope is
    told FORBIDDEN, never what is wrong with their text.
    """

    def apply(self, field: StrawberryField) -> None:
        self.field = field
        self.refusal: Callable[[list[tuple[list[str], str]]], Any] | None = None
        if any(_holds_text(argument.type) for argument in field.arguments):
            self.refusal = _refusal_of(field.type, field.python_name)

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any) -> Any:
        problems = self._problems(info, kwargs)
        if problems and self.refusal:
            return self.refusal(problems)
        return await next_(source, info, **kwargs)

    def _problems(self, info: Info, kwargs: dict[str, Any]) -> list[tuple[list[str], str]]:
        names = info.schema.config.name_converter
        problems = []
        for argument in self.field.arguments:
            if _unwrapped(argument.type) is strawberry.ID:
                continue
            root = names.get_graphql_name(argument)
            for path, text, multi_line in _texts(names, kwargs.get(argument.python_name), [root], False):
                problem = text_problem(".".join(path[1:]) or root, text, multi_line=multi_line)
                if problem is not None:
                    problems.append((path, problem))
        return problems


def _unwrapped(type_: Any) -> Any:
    while isinstance(type_, StrawberryContainer):
        type_ = type_.of_type
    return type_


def _is_input(definition: Any) -> TypeGuard[StrawberryObjectDefinition]:
    return isinstance(definition, StrawberryObjectDefinition) and definition.is_input


def _holds_text(type_: Any) -> bool:
    type_ = _unwrapped(type_)
    if type_ is str:
        return True
    definition = getattr(type_, "__strawberry_definition__", None)
    return _is_input(definition) and any(_holds_text(f.type) for f in definition.fields)


def _texts(
    names: NameConverter, value: Any, path: list[str], multi_line: bool
) -> Iterator[tuple[list[str], str, bool]]:
    """Every text in an input value: (GraphQL path, text, may it span lines). Enum values are not texts."""
    if type(value) is str:
        yield path, value, multi_line
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(names, item, [*path, str(index)], multi_line)
    elif _is_input(definition := getattr(type(value), "__strawberry_definition__", None)):
        for field in definition.fields:
            inner = getattr(value, field.python_name, None)
            if inner is None or inner is UNSET or _unwrapped(field.type) is strawberry.ID:
                continue
            yield from _texts(names, inner, [*path, names.get_graphql_name(field)], is_multi_line(field.metadata))


def _refusal_of(payload: Any, mutation: str) -> Callable[[list[tuple[list[str], str]]], Any]:
    """How the payload says "refused": its user errors, every other field null (false for a yes/no)."""
    definition = getattr(payload, "__strawberry_definition__", None)
    fields = definition.fields if definition is not None else []
    errors = next((f for f in fields if f.python_name == "user_errors"), None)
    error_type = _unwrapped(errors.type) if errors is not None and isinstance(errors.type, StrawberryList) else None
    if error_type is None or not hasattr(error_type, "for_input"):
        raise TypeError(f"{mutation} takes text: its payload needs userErrors of a type with for_input()")
    empty: dict[str, Any] = {}
    for field in fields:
        if field is errors:
            continue
        if isinstance(field.type, StrawberryOptional):
            empty[field.python_name] = None
        elif field.type is bool:
            empty[field.python_name] = False
        else:
            raise TypeError(f"{mutation}: nothing to say in {field.python_name} when its input is refused")

    def refusal(problems: list[tuple[list[str], str]]) -> Any:
        return payload(**empty, user_errors=[error_type.for_input(path, message) for path, message in problems])

    return refusal
