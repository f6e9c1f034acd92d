"""The operation depth limit, in time proportional to the document.

strawberry's ``QueryDepthLimiter`` walks a fragment again at every spread: fragments spreading fragments
(30 spreads a level, 5 levels: under 2,000 tokens) took 97 s of CPU before any resolver ran. Here the
height of each fragment is computed once. Depth is counted as strawberry and graphql-depth-limit count
it (``{ a { b } }`` has depth 1), introspection fields (``__schema``...) are not counted.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import AddValidationRules


def depth_limit(max_depth: int) -> AddValidationRules:
    class DepthLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            definitions = context.document.definitions
            heights = _Heights({d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)})
            for operation in definitions:
                if isinstance(operation, OperationDefinitionNode):
                    name = operation.name.value if operation.name else "anonymous"
                    if heights.of(operation.selection_set) > max_depth:
                        context.report_error(
                            GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth}", [operation])
                        )

    return AddValidationRules([DepthLimit])


class _Heights:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.known: dict[str, int] = {}

    def of(self, selection_set: SelectionSetNode) -> int:
        return max((self._selection(s) for s in selection_set.selections), default=0)

    def _selection(self, node: Any) -> int:
        if isinstance(node, FieldNode):
            if node.name.value.startswith("__") or node.selection_set is None:
                return 0
            return 1 + self.of(node.selection_set)
        if isinstance(node, InlineFragmentNode):
            return self.of(node.selection_set)
        if isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name not in self.known:
                self.known[name] = 0  # a cycle is a validation error of its own: never loop on one
                fragment = self.fragments.get(name)
                if fragment is not None:
                    self.known[name] = self.of(fragment.selection_set)
            return self.known[name]
        return 0
