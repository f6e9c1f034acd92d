"""Why an action on an existing invoice is refused: its code, its kind and its words.

The counterpart of :mod:`invoicing.platform_codes` for the life cycle (processing, validating, completing,
re-routing, acknowledging): a refused action changes nothing, and the code says what the actor can do
about it. Cases and templates work as there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from invoicing.wording import Template, Worded


class RefusalKind(StrEnum):
    """What the actor can do about a refusal."""

    ACCESS = "ACCESS"  # nothing: the invoice is not theirs to see (or does not exist; the same answer for both)
    LIFE_CYCLE = "LIFE_CYCLE"  # choose another move, or give what the move needs
    CONCURRENCY = "CONCURRENCY"  # reload: someone acted first
    REQUEST = "REQUEST"  # send what the action needs


@dataclass(frozen=True)
class Entry:
    kind: RefusalKind
    cases: Mapping[str, Template]


class RefusalCode(Worded, StrEnum):
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN_TRANSITION = "FORBIDDEN_TRANSITION"
    REASON_REQUIRED = "REASON_REQUIRED"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"

    @property
    def kind(self) -> RefusalKind:
        return CATALOGUE[self].kind

    @property
    def cases(self) -> Mapping[str, Template]:
        return CATALOGUE[self].cases


CATALOGUE: dict[RefusalCode, Entry] = {
    RefusalCode.NOT_FOUND: Entry(
        RefusalKind.ACCESS,
        {"": Template("aucune facture correspondante dans cet espace de travail", "no such invoice in this workspace")},
    ),
    RefusalCode.FORBIDDEN_TRANSITION: Entry(
        RefusalKind.LIFE_CYCLE,
        {
            "": Template(
                "{side} ne peut pas faire passer une facture de {current} à {target} (possibles : {allowed})",
                "{side} cannot move an invoice from {current} to {target} (allowed: {allowed})",
            ),
            "final": Template(
                "la facture est {status}, un statut final : rien ne peut le suivre",
                "the invoice is {status}, a final status: nothing can follow it",
            ),
            "supplier-status": Template(
                "le fournisseur complète (completeInvoice) ou réachemine (recycleInvoice) une facture ; il n'en "
                "fixe pas le statut",
                "the supplier completes (completeInvoice) or re-routes (recycleInvoice) an invoice; "
                "it does not set statuses",
            ),
            "acknowledge-side": Template(
                "seul le fournisseur prend acte d'un rejet", "only the supplier acknowledges a rejection"
            ),
            "acknowledge-status": Template(
                "la facture est {status}, pas REJETEE", "the invoice is {status}, not REJETEE"
            ),
        },
    ),
    RefusalCode.REASON_REQUIRED: Entry(
        RefusalKind.LIFE_CYCLE,
        {
            "": Template(
                "{status} demande un motif sur lequel le fournisseur puisse agir",
                "{status} needs a reason the supplier can act on",
            )
        },
    ),
    RefusalCode.CONFLICT: Entry(
        RefusalKind.CONCURRENCY,
        {
            "": Template(
                "quelqu'un a modifié cette facture entre-temps : rechargez-la et décidez à nouveau",
                "someone changed this invoice meanwhile: reload it and decide again",
            ),
            "version": Template(
                "la facture a changé depuis que vous l'avez vue (version {expected}, maintenant {current}) : "
                "rechargez-la",
                "the invoice changed since you saw it (version {expected}, now {current}): reload it",
            ),
        },
    ),
    RefusalCode.INVALID: Entry(
        RefusalKind.REQUEST,
        {
            "complete": Template(
                "complétez une facture suspendue par un commentaire, des documents, ou les deux",
                "complete a suspended invoice with a comment, documents, or both",
            ),
            "upload": Template("un fichier téléversé est attendu", "expected a file upload"),
        },
    ),
}
