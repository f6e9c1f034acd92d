"""The operation depth limit, in time proportional to the document.

strawberry's ``QueryDepthLimiter`` walks a fragment again at every spread: fragments spreading fragments
(30 spreads a level, 5 levels: under 2,000 tokens) took 97 s of CPU before any resolver ran. Here the
height of each fragment is computed once. Depth is counted as strawberry and graphql-depth-limit count
it (``{ a { b } }`` has depth 1), introspection fields (``__schema``...) are not counted.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphql import FieldNode, GraphQLError, ValidationContext, ValidationRule
from strawberry.extensions import AddValidationRules

from api.core.fragments import FragmentWalk


def depth_limit(max_depth: int) -> AddValidationRules:
    class DepthLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            heights = _Heights(context.document)
            for operation in heights.operations:
                name = operation.name.value if operation.name else "anonymous"
                if heights.of(operation.selection_set) > max_depth:
                    context.report_error(
                        GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth}", [operation])
                    )

    return AddValidationRules([DepthLimit])


class _Heights(FragmentWalk):
    def field(self, node: FieldNode) -> int:
        if node.name.value.startswith("__") or node.selection_set is None:
            return 0
        return 1 + self.of(node.selection_set)

    def combine(self, measures: Iterable[int]) -> int:
        return max(measures, default=0)
