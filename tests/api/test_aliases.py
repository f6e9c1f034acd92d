"""api/core/aliases.py counts what strawberry's MaxAliasesLimiter counts, without walking a fragment twice."""

from __future__ import annotations

import time

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse
from strawberry.extensions.max_aliases import count_fields_with_alias

from api.core.aliases import count_aliases

DOCUMENTS = [
    "{ a: workspace { name } b: workspace { n: name } }",
    "query Q { ...F x: viewer { role } } fragment F on Query { w: workspace { ...G ...G } } fragment G on Workspace { n: name m: name }",
    "query Q { ... on Query { a: workspace { name } } } query R { b: viewer { c: role } }",
    "{ workspace { ...W } } fragment W on Workspace { services(first: 1) { nodes { ...S } } k: name } fragment S on Service { c: code d: code }",
    "{ ...Missing a: viewer { role } }",
]


def _expected(document: str) -> int:
    tree = parse(document)
    fragments = {d.name.value: d for d in tree.definitions if isinstance(d, FragmentDefinitionNode)}
    return sum(
        count_fields_with_alias(d, fragments) for d in tree.definitions if isinstance(d, OperationDefinitionNode)
    )


def _ours(document: str) -> int:
    return count_aliases(parse(document))


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_count_is_strawberrys(document: str) -> None:
    assert _ours(document) == _expected(document) > 0


def test_fragments_spreading_fragments_are_counted_once_each() -> None:
    # 30 aliased spreads a level, 6 levels: 30^6 aliases as expanded, counted in a walk of the document.
    levels = 6
    fragments = [f"fragment F{i} on Query {{ " + f"a: __typename ...F{i + 1} " * 30 + "}" for i in range(levels)]
    fragments.append(f"fragment F{levels} on Query {{ b: __typename }}")
    document = "{ ...F0 } " + " ".join(fragments)
    started = time.perf_counter()
    count = _ours(document)
    assert time.perf_counter() - started < 1
    assert count == sum(30**i for i in range(1, levels + 1)) + 30**levels
