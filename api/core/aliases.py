"""The alias limit, in time proportional to the document.

strawberry's ``MaxAliasesLimiter`` walks a fragment again at every spread, so fragments spreading fragments
(30 spreads a level, 5 levels: under 2,000 tokens) cost 26 million calls, 17 to 45 s of CPU per request,
before the cost limit could refuse them. Here the aliases under each fragment are counted once. The count is
strawberry's: aliases of each operation, with every fragment spread expanded where it is spread.
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


def alias_limit(max_aliases: int) -> AddValidationRules:
    class AliasLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            definitions = context.document.definitions
            aliases = _Aliases({d.name.value: d for d in definitions if isinstance(d, FragmentDefinitionNode)})
            total = sum(aliases.under(d.selection_set) for d in definitions if isinstance(d, OperationDefinitionNode))
            if total > max_aliases:
                context.report_error(GraphQLError(f"{total} aliases found. Allowed: {max_aliases}"))

    return AddValidationRules([AliasLimit])


class _Aliases:
    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.known: dict[str, int] = {}

    def under(self, selection_set: SelectionSetNode | None) -> int:
        return 0 if selection_set is None else sum(self._selection(s) for s in selection_set.selections)

    def _selection(self, node: Any) -> int:
        if isinstance(node, FieldNode):
            return (1 if node.alias else 0) + self.under(node.selection_set)
        if isinstance(node, InlineFragmentNode):
            return self.under(node.selection_set)
        if isinstance(node, FragmentSpreadNode):
            name = node.name.value
            if name not in self.known:
                self.known[name] = 0  # a cycle is a validation error of its own: never loop on one
                fragment = self.fragments.get(name)
                if fragment is not None:
                    self.known[name] = self.under(fragment.selection_set)
            return self.known[name]
        return 0
