"""The Node interface and its resolver registry (node/nodes look ids up through it)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from api.core.ids import from_global_id


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID


NodeResolver = Callable[[Any, uuid.UUID], Awaitable[Node | None]]
_RESOLVERS: dict[str, NodeResolver] = {}


def node_type(type_name: str) -> Callable[[NodeResolver], NodeResolver]:
    """Register how to fetch a node of ``type_name`` *within the caller's tenant* (or the public directory)."""

    def register(resolver: NodeResolver) -> NodeResolver:
        _RESOLVERS[type_name] = resolver
        return resolver

    return register


async def resolve_node(context: Any, global_id: str) -> Node | None:
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] not in _RESOLVERS:
        return None
    return await _RESOLVERS[decoded[0]](context, decoded[1])
