"""The request limits belong to the schema they were built with, never to the process."""

from __future__ import annotations

from api.schema import build_schema
from api.settings import Settings

# Depth 3: workspace, services, nodes.
DEEP = "{ workspace { services(first: 1) { nodes { code } } } }"


async def _depth_errors(max_depth: int) -> list[str]:
    result = await build_schema(Settings(max_query_depth=max_depth)).execute(DEEP)
    return [e.message for e in result.errors or [] if "depth" in e.message]


async def test_a_schema_answers_with_its_own_depth_limit_not_an_earlier_schemas() -> None:
    assert await _depth_errors(2) == ["'anonymous' exceeds maximum operation depth of 2"]
    # The same text again, to a schema with a higher limit: validated again, by that schema's rules.
    assert await _depth_errors(10) == []
    assert await _depth_errors(2) == ["'anonymous' exceeds maximum operation depth of 2"]
