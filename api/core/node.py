"""The Node interface, the registry of how each node type is fetched, and the root `node`/`nodes` fields."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping

import strawberry
from strawberry import Info
from strawberry.types.base import get_object_definition

from api.core.context import Context
from api.core.errors import PublicError
from api.core.ids import from_global_id
from api.core.permissions import IsAuthenticated

MAX_NODES = 100


@strawberry.interface(description="An object with a global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID


NodeResolver = Callable[[Context, uuid.UUID], Awaitable[Node | None]]


class NodeRegistry:
    """How to fetch a node of each type *within the caller's tenant* (or the public directory).

    Built with the schema, from the types it names: the schema knows every concrete type even where only
    the interface is returned, and an id of a type it does not name resolves to null.
    """

    def __init__(self, resolvers: Mapping[type[Node], NodeResolver]) -> None:
        self.types: list[type] = list(resolvers)
        self._by_name = {get_object_definition(t, strict=True).name: r for t, r in resolvers.items()}

    async def resolve(self, context: Context, global_id: str) -> Node | None:
        decoded = from_global_id(global_id)
        resolver = self._by_name.get(decoded[0]) if decoded is not None else None
        if decoded is None or resolver is None:
            return None
        return await resolver(context, decoded[1])


def node_query(registry: NodeRegistry) -> type:
    """The root `node` and `nodes` fields, answering through ``registry``."""

    @strawberry.type
    class NodeQuery:
        @strawberry.field(permission_classes=[IsAuthenticated], description="Any object by its global id, or null.")
        async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
            return await registry.resolve(info.context, id)

        @strawberry.field(permission_classes=[IsAuthenticated], description="Objects by global id (at most 100).")
        async def nodes(self, info: Info[Context, None], ids: list[strawberry.ID]) -> list[Node | None]:
            if len(ids) > MAX_NODES:
                raise PublicError(f"at most {MAX_NODES} ids per call")
            return [await registry.resolve(info.context, i) for i in ids]

    return NodeQuery
