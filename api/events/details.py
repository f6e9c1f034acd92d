"""What each kind of event says, as typed fields: read from the payload the event was written with."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry

from api.core.ids import to_global_id
from api.fluxes.types import FluxMemberStatus, FluxMemberStatusValue, FluxStatusEnum
from api.invoices.types import InvoiceFrame, InvoiceStatus
from api.members.types import AccessEnum, RoleEnum
from invoicing.deposit.records import FluxStatus
from invoicing.lifecycle.transitions import Frame, Status
from tenancy.enums import Access, Role


def _status(value: Any) -> Status | None:
    return Status(value) if value else None


@strawberry.type(description="An invoice event, as this workspace's own record of the invoice shows it.")
class InvoiceEventDetails:
    number: str = strawberry.field(description="The invoice number (BT-1).")
    status: InvoiceStatus | None = strawberry.field(description="The status it has after this event.")
    from_status: InvoiceStatus | None = strawberry.field(description="The status it had before (status changes).")
    reason: str | None = strawberry.field(description="The reason or comment given with the change.")
    counterpart: str | None = strawberry.field(description="The other party's name (when the invoice arrives).")
    frame: InvoiceFrame | None

    @classmethod
    def of(cls, payload: dict[str, Any]) -> InvoiceEventDetails:
        return cls(
            number=str(payload.get("number", "")),
            status=_status(payload.get("status")),
            from_status=_status(payload.get("from_status")),
            reason=payload.get("reason"),
            counterpart=payload.get("counterpart"),
            frame=Frame(payload["frame"]) if payload.get("frame") else None,
        )


@strawberry.type(description="A flux event: its new state, one more member's outcome, or its final counts.")
class FluxEventDetails:
    number: str = strawberry.field(description="The flux number (CPP...).")
    status: FluxStatusEnum
    filename: str | None
    member_index: int | None = strawberry.field(description="The member just processed, from 0.")
    member_name: str | None
    member_status: FluxMemberStatus | None
    invoice_number: str | None
    accepted: int | None = strawberry.field(description="Members integrated (flux.finished).")
    rejected: int | None = strawberry.field(description="Members refused (flux.finished).")

    @classmethod
    def of(cls, payload: dict[str, Any]) -> FluxEventDetails:
        member_status = payload.get("member_status")
        return cls(
            number=str(payload.get("number", "")),
            status=FluxStatus(payload["status"]),
            filename=payload.get("filename"),
            member_index=payload.get("member_index"),
            member_name=payload.get("member_name"),
            member_status=FluxMemberStatusValue(member_status) if member_status else None,
            invoice_number=payload.get("invoice_number"),
            accepted=payload.get("accepted"),
            rejected=payload.get("rejected"),
        )


@strawberry.type(description="A member added, removed, or given another role or access.")
class MemberEventDetails:
    user_id: strawberry.ID = strawberry.field(description="The account (a `User` node).")
    role: RoleEnum
    access: AccessEnum
    from_role: RoleEnum | None
    from_access: AccessEnum | None

    @classmethod
    def of(cls, payload: dict[str, Any]) -> MemberEventDetails:
        return cls(
            user_id=strawberry.ID(to_global_id("User", uuid.UUID(str(payload["user_id"])))),
            role=Role(payload["role"]),
            access=Access(payload["access"]),
            from_role=Role(payload["from_role"]) if payload.get("from_role") else None,
            from_access=Access(payload["from_access"]) if payload.get("from_access") else None,
        )


@strawberry.type(description="An API client registered, given a new secret, or revoked (never the secret).")
class ApiClientEventDetails:
    client_id: str
    name: str

    @classmethod
    def of(cls, payload: dict[str, Any]) -> ApiClientEventDetails:
        return cls(client_id=str(payload["client_id"]), name=str(payload["name"]))


@strawberry.type(description="A service created or changed: what it is now.")
class ServiceEventDetails:
    code: str
    name: str
    is_active: bool

    @classmethod
    def of(cls, payload: dict[str, Any]) -> ServiceEventDetails:
        return cls(code=str(payload["code"]), name=str(payload["name"]), is_active=bool(payload["is_active"]))
