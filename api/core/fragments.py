"""A walk of a GraphQL document that measures each fragment once.

strawberry's limiters walk a fragment again at every spread, so fragments spreading fragments (30 spreads a
level, 5 levels: under 2,000 tokens) cost tens of millions of calls. A ``FragmentWalk`` keeps the measure of
each fragment the first time it is spread; a limit says only what a field adds and how a selection set's
measures combine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)


class FragmentWalk(ABC):
    def __init__(self, document: DocumentNode) -> None:
        definitions = document.definitions
        self.operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
        self.fragments = {d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)}
        self.known: dict[str, int] = {}

    @abstractmethod
    def field(self, node: FieldNode) -> int:
        """The measure of one field, its selection set included."""

    @abstractmethod
    def combine(self, measures: Iterable[int]) -> int:
        """The measure of a selection set from those of its selections."""

    def of(self, selection_set: SelectionSetNode | None) -> int:
        return 0 if selection_set is None else self.combine(self._selection(s) for s in selection_set.selections)

    def _selection(self, node: Any) -> int:
        if isinstance(node, FieldNode):
            return self.field(node)
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
