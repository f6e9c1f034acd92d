"""The alias limit, in time proportional to the document.

strawberry's ``MaxAliasesLimiter`` walks a fragment again at every spread, so fragments spreading fragments
(30 spreads a level, 5 levels: under 2,000 tokens) cost 26 million calls, 17 to 45 s of CPU per request,
before the cost limit could refuse them. Here the aliases under each fragment are counted once. The count is
strawberry's: aliases of each operation, with every fragment spread expanded where it is spread.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphql import DocumentNode, FieldNode, GraphQLError, ValidationContext, ValidationRule
from strawberry.extensions import AddValidationRules

from api.core.fragments import FragmentWalk


def alias_limit(max_aliases: int) -> AddValidationRules:
    class AliasLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            total = count_aliases(context.document)
            if total > max_aliases:
                context.report_error(GraphQLError(f"{total} aliases found. Allowed: {max_aliases}"))

    return AddValidationRules([AliasLimit])


def count_aliases(document: DocumentNode) -> int:
    aliases = _Aliases(document)
    return sum(aliases.of(operation.selection_set) for operation in aliases.operations)


class _Aliases(FragmentWalk):
    def field(self, node: FieldNode) -> int:
        return (1 if node.alias else 0) + self.of(node.selection_set)

    def combine(self, measures: Iterable[int]) -> int:
        return sum(measures)
