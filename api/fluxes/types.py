"""GraphQL shape of a flux: its Chorus Pro state, its integration report and the invoices it brought."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.ids import to_global_id
from api.core.node import Node
from api.core.pagination import Connection, ConnectionArgs, connection_args, tenant_connection
from api.core.said import Explained
from api.invoices.lists import invoice_page
from api.invoices.types import Invoice
from auth.scopes import Scope
from invoicing import inbox
from invoicing.deposit.problems import Problem
from invoicing.deposit.records import FluxRecord, FluxStatus, InvoiceRecord
from invoicing.wording import Said
from tenancy.keyset import SortKey
from tenancy.moments import aware

FluxStatusEnum = Annotated[
    FluxStatus, strawberry.enum(name="FluxStatus", description="Chorus Pro flux states (etatCourantFlux), verbatim.")
]


class FluxMemberStatusValue(StrEnum):
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


FluxMemberStatus = Annotated[FluxMemberStatusValue, strawberry.enum(name="FluxMemberStatus")]
FLUX_KEYS = (SortKey(FluxRecord.deposited_at, descending=True), SortKey(FluxRecord.id, descending=True))
INVOICE_KEYS = (SortKey(InvoiceRecord.number), SortKey(InvoiceRecord.id))


@strawberry.type(description="Why an archive member was not integrated: what to change, where.")
class FluxProblem(Explained):
    code: str = strawberry.field(description="The rule: an EN 16931 id (BR-CO-15...), XSD, or FH-*.")
    field: str | None
    location: str | None

    @classmethod
    def of(cls, entry: dict[str, Any]) -> FluxProblem:
        problem = Problem.from_json(entry)
        return cls(code=problem.code, field=problem.field, bt=problem.bt, location=problem.location, said=problem)


@strawberry.type(description="One archive member's outcome (the detailed integration report).")
class FluxReportEntry:
    index: int = strawberry.field(description="Position of the member in the archive, from 0.")
    name: str = strawberry.field(description="The member's name in the archive.")
    status: FluxMemberStatus
    invoice_number: str | None = strawberry.field(
        description="BT-1: the invoice's number when accepted; when refused, the number its document states, if "
        "any (one over 20 characters, too long for any invoice, is cut and ends with '…')."
    )
    invoice_id: strawberry.ID | None = strawberry.field(description="The invoice created, when accepted.")
    problems: list[FluxProblem]

    @classmethod
    def of(cls, row: Any) -> FluxReportEntry:
        return cls(
            index=row.index,
            name=row.name,
            status=FluxMemberStatusValue(row.status),
            invoice_number=row.invoice_number,
            invoice_id=strawberry.ID(to_global_id("Invoice", row.invoice_id)) if row.invoice_id else None,
            problems=[FluxProblem.of(p) for p in row.problems or []],
        )


@strawberry.type(description="An archive of invoices deposited at once and integrated in the background.")
class Flux(Node):
    number: str = strawberry.field(description="numeroFluxDepot: CPP and 22 digits.")
    filename: str
    status: FluxStatusEnum
    deposited_at: datetime
    updated_at: datetime
    depositor: str
    key: strawberry.Private[uuid.UUID]
    incident_said: strawberry.Private[Said | None]

    @strawberry.field(description="Why the flux is IN_INCIDENTE (deposit it again), in the request's language.")
    def incident(self, info: Info[Context, None]) -> str | None:
        return None if self.incident_said is None else self.incident_said.text(info.context.locale)

    @classmethod
    def of(cls, row: Any) -> Flux:
        incidents = [e for e in row.report or [] if e.get("status") == "INCIDENT"]
        return cls(
            id=strawberry.ID(to_global_id("Flux", row.id)),
            number=row.number,
            filename=row.filename,
            status=FluxStatus(row.status),
            deposited_at=aware(row.deposited_at),
            updated_at=aware(row.updated_at),
            depositor=row.depositor,
            incident_said=Problem.from_json(incidents[0]["problems"][0]) if incidents else None,
            key=row.id,
        )

    @strawberry.field(description="Each member processed so far, in archive order, with its outcome.")
    async def report(self, info: Info[Context, None]) -> list[FluxReportEntry]:
        rows = await info.context.loaders.fluxes.report.load(self.key)
        return [FluxReportEntry.of(r) for r in rows]

    # No permission class of its own: a Flux is only reached with invoices:read (workspace.fluxes, node).
    @strawberry.field(description="The invoices it brought (the supplier's records).")
    @connection_args
    async def invoices(self, info: Info[Context, None], page: ConnectionArgs) -> Connection[Invoice]:
        stmt = inbox.flux_invoices_query(info.context.principal.tenant, self.key)
        return await invoice_page(info, stmt, INVOICE_KEYS, page)


async def fluxes(info: Info[Context, None], page: ConnectionArgs, status: FluxStatus | None) -> Connection[Flux]:
    stmt = inbox.fluxes_query(info.context.principal.tenant, status)
    return await tenant_connection(info, stmt, FLUX_KEYS, Flux.of, page)


async def flux_node(context: Context, key: uuid.UUID) -> Flux | None:
    if not context.principal.has(Scope.INVOICES_READ.value):
        return None
    async with context.session.use() as session:
        row = await inbox.get_flux(session, context.principal.tenant, key)
    return Flux.of(row) if row is not None else None
