"""The one exception type the readers raise: an input we refuse, with the rule that refused it."""

from __future__ import annotations


class InvoiceInputError(Exception):
    """A document refused before or while reading it.

    ``rule`` is a stable facturehub id (``FH-...``) so callers and reports can group refusals the same
    way they group EN 16931 rule ids; ``bt`` names the business term concerned when there is one.
    """

    def __init__(self, rule: str, message: str, *, location: str = "/", bt: str | None = None) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule = rule
        self.message = message
        self.location = location
        self.bt = bt
