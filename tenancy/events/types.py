"""The vocabulary of the event log: what happened, to what kind of object, done by whom.

One catalogue for every layer (tenancy writes the member and service events, auth the API clients',
invoicing the invoices' and fluxes'), so that a reader filters on one list of dotted names: the concern
first, then what happened to it.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    # invoices, each side's record its own event in its own workspace
    INVOICE_DEPOSITED = "invoice.deposited"  # the supplier's record, at deposit
    INVOICE_RECEIVED = "invoice.received"  # the recipient's record, when it is delivered
    INVOICE_TO_VALIDATE = "invoice.to_validate"  # the validator's record (A9/A12), at deposit
    INVOICE_STATUS_CHANGED = "invoice.status_changed"  # from a status to another, with the reason
    INVOICE_VALIDATED = "invoice.validated"  # the validator's decision (A9/A12)
    INVOICE_REFUSED = "invoice.refused"  # the validator's refusal (A9/A12)
    INVOICE_COMPLETED = "invoice.completed"  # the supplier answered a suspension
    INVOICE_REROUTED = "invoice.rerouted"  # the supplier re-addressed an invoice sent back
    INVOICE_REJECTION_ACKNOWLEDGED = "invoice.rejection_acknowledged"
    # fluxes (archives of invoices), in the depositor's workspace
    FLUX_DEPOSITED = "flux.deposited"
    FLUX_PROGRESSED = "flux.progressed"  # a new processing state, or one more member done
    FLUX_FINISHED = "flux.finished"
    # the workspace itself
    MEMBER_ADDED = "member.added"
    MEMBER_REMOVED = "member.removed"
    MEMBER_ROLE_CHANGED = "member.role_changed"  # role or access mode
    API_CLIENT_CREATED = "api_client.created"
    API_CLIENT_SECRET_ROTATED = "api_client.secret_rotated"  # noqa: S105  (an event name, not a secret)
    API_CLIENT_REVOKED = "api_client.revoked"
    SERVICE_CREATED = "service.created"
    SERVICE_UPDATED = "service.updated"

    @property
    def concern(self) -> str:
        """``invoice``, ``flux``, ``member``, ``api_client`` or ``service``: who may read it follows from it."""
        return self.value.split(".", 1)[0]


class ObjectKind(StrEnum):
    """What an event is about; with the object's id, what the workspace can open."""

    INVOICE = "invoice"  # the workspace's own record of the invoice, never another side's
    FLUX = "flux"
    MEMBER = "member"
    API_CLIENT = "api_client"
    SERVICE = "service"


class ActorKind(StrEnum):
    USER = "user"  # a person, through an app or the hub's own frontend
    CLIENT = "client"  # an app on its own (client credentials: a technical account)
    SYSTEM = "system"  # the hub (timers, background processing, the operator's commands)
