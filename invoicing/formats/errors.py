"""The one exception type the readers raise: an input we refuse, with the rule that refused it."""

from __future__ import annotations

import logging
import secrets

from invoicing.platform_codes import PlatformCode
from invoicing.wording import Said

log = logging.getLogger(__name__)


class InvoiceInputError(Exception):
    """A document refused before or while reading it.

    ``rule`` is a stable facturehub id (``FH-...``) so callers and reports can group refusals the same
    way they group EN 16931 rule ids; ``bt`` names the business term concerned when there is one.
    """

    def __init__(self, rule: PlatformCode, said: Said, *, location: str = "/", bt: str | None = None) -> None:
        self.message = said.text("en")
        super().__init__(f"[{rule}] {self.message}")
        self.rule = rule
        self.said = said
        self.location = location
        self.bt = bt


def internal_error(exc: BaseException, doing: str) -> InvoiceInputError:
    """An ``FH-INTERNAL`` refusal for a failure of ours: the details go to the log, under a reference the
    client gets instead (Saxon's and the JAXP parser's messages describe the server, not the document)."""
    reference = secrets.token_hex(6)
    log.error("%s reference %s: %s failed", PlatformCode.INTERNAL.value, reference, doing, exc_info=exc)
    return InvoiceInputError(PlatformCode.INTERNAL, PlatformCode.INTERNAL.words(reference=reference))
