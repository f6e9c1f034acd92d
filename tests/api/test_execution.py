"""The short path for plain leaf fields answers exactly what graphql-core's standard path answers.

Each query runs twice over the same objects, once with strawberry's execution context and once with
ours, and the two responses (data and errors, with their messages, paths and locations) must be equal.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.core.execution import ExecutionContext


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Party:
    identifier: str
    name: str | None

    @strawberry.field
    async def checked(self) -> str:
        await asyncio.sleep(0)
        if self.identifier == "boom":
            raise ValueError("refused identifier")
        return self.identifier


@strawberry.type
class Item:
    name: str
    note: str | None
    colour: Colour
    at: dt.datetime
    amount: Decimal
    count: int
    seller: Party
    buyer: Party | None

    @strawberry.field
    def shout(self, times: int = 1) -> str:
        return self.name.upper() * times

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.name


AT = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def _item(
    name: Any, note: Any, colour: Any, at: Any, amount: Any, count: Any, seller: Any = None, buyer: Any = None
) -> Item:
    return Item(
        name=name,
        note=note,
        colour=colour,
        at=at,
        amount=amount,
        count=count,
        seller=seller if seller is not None else Party(identifier="S1", name="Seller"),
        buyer=buyer,
    )


GOOD = [
    _item("a", None, Colour.RED, AT, Decimal("1.50"), 1, buyer=Party(identifier="B1", name=None)),
    _item("b", "n", Colour.BLUE, AT, Decimal("2"), 2),
]
# What a buggy resolver could hand over: no value where one is required, values the types refuse.
BAD = [
    _item(None, None, Colour.RED, AT, Decimal("1"), 1),
    _item("c", None, "green", AT, Decimal("1"), 1),
    _item("d", None, Colour.RED, "not a date", Decimal("1"), "many"),
    _item("e", None, Colour.RED, AT, Decimal("1"), 1, buyer=Party(identifier=None, name="x")),  # type: ignore[arg-type]
    _item("f", None, Colour.RED, AT, Decimal("1"), 1, seller=Party(identifier=None, name="x")),  # type: ignore[arg-type]
    _item("g", None, Colour.RED, AT, Decimal("1"), 1, buyer=Party(identifier="boom", name="x")),
    _item("h", None, Colour.RED, AT, Decimal("1"), 1, seller=Party(identifier="boom", name="x")),
]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return GOOD

    @strawberry.field
    def broken(self) -> list[Item | None]:
        return BAD


def _run(context_class: type[StrawberryGraphQLCoreExecutionContext], query: str) -> dict[str, Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=context_class)
    result = asyncio.run(schema.execute(query))
    errors = sorted((e.formatted for e in result.errors or []), key=str)
    return {"data": result.data, "errors": errors}


QUERIES = [
    "{ items { name note colour at amount count } }",
    "{ items { n: name name2: name colour ...F } } fragment F on Item { at amount }",
    "query ($no: Boolean!) { items { name note @include(if: $no) count @skip(if: true) } }".replace(
        "$no: Boolean!", "$no: Boolean = false"
    ),
    "{ items { shout shout3: shout(times: 3) later } }",
    "{ broken { name } }",
    "{ broken { colour } }",
    "{ broken { at count amount } }",
    "{ broken { name colour at count } }",
    "{ items { seller { identifier name } buyer { identifier name checked } } }",
    "{ broken { name seller { identifier } buyer { identifier name } } }",
    "{ broken { seller { checked } buyer { checked } } }",
    "{ broken { s: seller { ...P } b: buyer { ...P } } } fragment P on Party { identifier checked }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_short_path_answers_as_graphql_core_does(query: str) -> None:
    standard = _run(StrawberryGraphQLCoreExecutionContext, query)
    ours = _run(ExecutionContext, query)
    assert ours == standard


def test_refused_values_still_fail_with_graphql_cores_errors() -> None:
    # The bad rows do fail, with a located error each; the short path only keeps out of their way
    result = _run(ExecutionContext, "{ broken { name colour at count } }")
    paths = sorted(tuple(e["path"]) for e in result["errors"])
    assert ("broken", 0, "name") in paths and ("broken", 1, "colour") in paths and ("broken", 2, "at") in paths
    assert result["data"]["broken"][:3] == [None, None, None]


def test_plain_leaves_take_the_short_path_and_the_rest_does_not() -> None:
    # Given our execution context, when a query reads plain leaves, resolvers and arguments
    schema = strawberry.Schema(query=Query, execution_context_class=ExecutionContext)
    query = "{ items { name colour at seller { name } shout(times: 2) later } }"
    assert asyncio.run(schema.execute(query)).errors is None
    # Then the plain leaves were taken on the short path, and the resolver fields were not
    fields = schema._schema.type_map["Item"].fields  # type: ignore[union-attr]
    marks = {name: fields[name].extensions.get("facturehub-plain-field") for name in ("name", "colour", "at", "seller")}
    assert all(mark is not None for mark in marks.values()), marks
    assert fields["shout"].extensions.get("facturehub-plain-field") is None
    assert fields["later"].extensions.get("facturehub-plain-field") is None
