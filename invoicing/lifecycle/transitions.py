"""The invoice life cycle: who may move an invoice from which status to which, for each frame.

Chorus Pro serves, per current status, the statuses a recipient may set next
(``recupererEtatsPossiblesPourTraitement``); optional statuses (SERVICE_FAIT, MANDATEE, the accountant's
ones) may be skipped, so this is an allow-list per (status, side, frame), not a linear order. Each status
also carries the code of the 2026 reform's life-cycle messages (CDAR flow 6, 200-213).
"""

from __future__ import annotations

from enum import StrEnum

from invoicing.refusal_codes import RefusalCode
from invoicing.wording import Said


class Status(StrEnum):
    A_VALIDER_1 = "A_VALIDER_1"
    VALIDEE_1 = "VALIDEE_1"
    REFUSEE_1 = "REFUSEE_1"
    ABSENCE_VALIDATION_1_HORS_DELAI = "ABSENCE_VALIDATION_1_HORS_DELAI"
    DEPOSEE = "DEPOSEE"
    MISE_A_DISPOSITION = "MISE_A_DISPOSITION"
    PRISE_EN_COMPTE_DESTINATAIRE = "PRISE_EN_COMPTE_DESTINATAIRE"
    SERVICE_FAIT = "SERVICE_FAIT"
    MANDATEE = "MANDATEE"
    MISE_A_DISPOSITION_COMPTABLE = "MISE_A_DISPOSITION_COMPTABLE"
    COMPTABILISEE = "COMPTABILISEE"
    MISE_EN_PAIEMENT = "MISE_EN_PAIEMENT"
    SUSPENDUE = "SUSPENDUE"
    COMPLETEE = "COMPLETEE"
    A_RECYCLER = "A_RECYCLER"
    REJETEE = "REJETEE"


class Side(StrEnum):
    """Who acts: the supplier that issued it, the public recipient, the validator (A9/A12), or the hub."""

    SUPPLIER = "SUPPLIER"
    RECIPIENT = "RECIPIENT"
    VALIDATOR = "VALIDATOR"
    SYSTEM = "SYSTEM"


class Frame(StrEnum):
    """Cadres de facturation of simple invoices (``recuperer/cadrefacturation`` for FACTURE)."""

    A1_FACTURE_FOURNISSEUR = "A1_FACTURE_FOURNISSEUR"
    A2_FACTURE_FOURNISSEUR_DEJA_PAYEE = "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE"
    A9_FACTURE_SOUSTRAITANT = "A9_FACTURE_SOUSTRAITANT"
    A12_FACTURE_COTRAITANT = "A12_FACTURE_COTRAITANT"

    @property
    def needs_validation(self) -> bool:
        return self in (Frame.A9_FACTURE_SOUSTRAITANT, Frame.A12_FACTURE_COTRAITANT)

    @property
    def code(self) -> str:
        """The short code Chorus Pro flows carry in BT-23 (business process type): A1, A2, A9, A12."""
        return self.value.split("_", 1)[0]


# Reform life-cycle codes (CDAR ProcessConditionCode). Chorus Pro statuses without a reform
# equivalent of their own take the nearest one, as in the reference mapping.
LIFECYCLE_CODE: dict[Status, int] = {
    Status.A_VALIDER_1: 202,
    Status.VALIDEE_1: 202,
    Status.REFUSEE_1: 210,
    Status.ABSENCE_VALIDATION_1_HORS_DELAI: 202,
    Status.DEPOSEE: 200,
    Status.MISE_A_DISPOSITION: 203,
    Status.PRISE_EN_COMPTE_DESTINATAIRE: 204,
    Status.SERVICE_FAIT: 205,
    Status.MANDATEE: 205,
    Status.MISE_A_DISPOSITION_COMPTABLE: 205,
    Status.COMPTABILISEE: 205,
    Status.MISE_EN_PAIEMENT: 211,
    Status.SUSPENDUE: 208,
    Status.COMPLETEE: 209,
    Status.A_RECYCLER: 210,
    Status.REJETEE: 210,
}

REASON_REQUIRED = frozenset({Status.SUSPENDUE, Status.REJETEE, Status.A_RECYCLER, Status.REFUSEE_1})
FINAL = frozenset({Status.REJETEE, Status.MISE_EN_PAIEMENT})

_PROCESSING = frozenset(
    {
        Status.PRISE_EN_COMPTE_DESTINATAIRE,
        Status.SERVICE_FAIT,
        Status.MANDATEE,
        Status.MISE_A_DISPOSITION_COMPTABLE,
        Status.COMPTABILISEE,
        Status.MISE_EN_PAIEMENT,
        Status.SUSPENDUE,
        Status.A_RECYCLER,
        Status.REJETEE,
    }
)
# The accountant's statuses only move forward: a mandate after payment would be incoherent.
_AFTER: dict[Status, frozenset[Status]] = {
    Status.MISE_A_DISPOSITION: _PROCESSING,
    Status.COMPLETEE: _PROCESSING,
    Status.PRISE_EN_COMPTE_DESTINATAIRE: _PROCESSING - {Status.PRISE_EN_COMPTE_DESTINATAIRE},
    Status.SERVICE_FAIT: frozenset(
        {
            Status.MANDATEE,
            Status.MISE_A_DISPOSITION_COMPTABLE,
            Status.COMPTABILISEE,
            Status.MISE_EN_PAIEMENT,
            Status.SUSPENDUE,
            Status.REJETEE,
        }
    ),  # fmt: skip
    Status.MANDATEE: frozenset({Status.MISE_A_DISPOSITION_COMPTABLE, Status.COMPTABILISEE, Status.MISE_EN_PAIEMENT}),
    Status.MISE_A_DISPOSITION_COMPTABLE: frozenset({Status.COMPTABILISEE, Status.MISE_EN_PAIEMENT}),
    Status.COMPTABILISEE: frozenset({Status.MISE_EN_PAIEMENT}),
}

_TABLE: dict[tuple[Status, Side], frozenset[Status]] = {
    **{(status, Side.RECIPIENT): targets for status, targets in _AFTER.items()},
    (Status.SUSPENDUE, Side.SUPPLIER): frozenset({Status.COMPLETEE}),
    # Re-routing keeps the number: the invoice goes through DEPOSEE again, at the new recipient.
    (Status.A_RECYCLER, Side.SUPPLIER): frozenset({Status.DEPOSEE}),
    (Status.A_VALIDER_1, Side.VALIDATOR): frozenset({Status.VALIDEE_1, Status.REFUSEE_1}),
    (Status.A_VALIDER_1, Side.SYSTEM): frozenset({Status.ABSENCE_VALIDATION_1_HORS_DELAI}),
    (Status.VALIDEE_1, Side.SYSTEM): frozenset({Status.DEPOSEE}),
    (Status.ABSENCE_VALIDATION_1_HORS_DELAI, Side.SYSTEM): frozenset({Status.DEPOSEE}),
    (Status.DEPOSEE, Side.SYSTEM): frozenset({Status.MISE_A_DISPOSITION}),
}

# An invoice already paid (A2) has nothing left to pay: payment statuses make no sense for it.
_NOT_FOR_ALREADY_PAID = frozenset(
    {Status.MANDATEE, Status.MISE_A_DISPOSITION_COMPTABLE, Status.COMPTABILISEE, Status.MISE_EN_PAIEMENT}
)


def first_status(frame: Frame) -> Status:
    """Where a deposited invoice starts: with its validator for A9/A12, else deposited."""
    return Status.A_VALIDER_1 if frame.needs_validation else Status.DEPOSEE


def allowed_transitions(current: Status, side: Side, frame: Frame) -> frozenset[Status]:
    targets = _TABLE.get((current, side), frozenset())
    if frame is Frame.A2_FACTURE_FOURNISSEUR_DEJA_PAYEE:
        targets = targets - _NOT_FOR_ALREADY_PAID
    return targets


class TransitionRefused(Exception):
    def __init__(self, code: RefusalCode, said: Said) -> None:
        self.message = said.text("en")
        super().__init__(self.message)
        self.code = code
        self.said = said


def check_transition(current: Status, target: Status, side: Side, frame: Frame, reason: str | None) -> None:
    """Raise TransitionRefused (code FORBIDDEN_TRANSITION or REASON_REQUIRED) unless the move is allowed."""
    if target not in allowed_transitions(current, side, frame):
        forbidden = RefusalCode.FORBIDDEN_TRANSITION
        if current in FINAL:
            message = forbidden.words("final", status=current.value)
        else:
            allowed = ", ".join(sorted(allowed_transitions(current, side, frame))) or "none"
            message = forbidden.words(
                side=side.value.lower(), current=current.value, target=target.value, allowed=allowed
            )
        raise TransitionRefused(forbidden, message)
    if target in REASON_REQUIRED and not (reason and reason.strip()):
        required = RefusalCode.REASON_REQUIRED
        raise TransitionRefused(required, required.words(status=target.value))
