"""The life cycle's events at the domain level, on both engines: a validator's decision and a re-routing
write each party's own events, and a former recipient hears only that the invoice left."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from invoicing.deposit import service as deposit
from invoicing.deposit.records import InvoiceRecord
from invoicing.deposit.rules import Addressing
from invoicing.deposit.transmission import Actor
from invoicing.lifecycle import service as lifecycle
from invoicing.lifecycle.transitions import Frame, Status
from tenancy.db import Database
from tenancy.events.table import Event
from tenancy.events.types import EventType
from tenancy.models import Structure
from tests.factories import make_structure
from tests.invoicing.parties import invoice_between, ubl


async def _log(db: Database, tenant: Structure) -> list[tuple[EventType, str | None, uuid.UUID]]:
    async with db.tenant_session(tenant.id) as session:
        rows = await session.scalars(select(Event).order_by(Event.id))
        return [(r.type, r.payload.get("status"), r.object_id) for r in rows]


async def _record(db: Database, tenant: Structure) -> InvoiceRecord:
    async with db.tenant_session(tenant.id) as session:
        found = await session.scalar(select(InvoiceRecord))
    assert found is not None
    return found


async def _deposit(db: Database, supplier: Structure, recipient: Structure, addressing: Addressing) -> InvoiceRecord:
    document = deposit.DocumentFile(
        "f.xml", ubl(invoice_between(supplier, recipient, number="F-LC-1")), "application/xml"
    )
    done = await deposit.deposit(db, Actor(supplier.id, "Sam", "user:s"), document, [], addressing)
    assert done.issued is not None, done.checked.problems
    return done.issued


async def test_a_validators_decision_then_delivery_to_the_recipient(db: Database) -> None:
    supplier, validator = await make_structure(db, name="Sous-traitant"), await make_structure(db, name="Titulaire")
    recipient = await make_structure(db, public=True, name="Mairie")
    a9 = Addressing(frame=Frame.A9_FACTURE_SOUSTRAITANT, validator_identifier=validator.identifier)
    issued = await _deposit(db, supplier, recipient, a9)
    pending = await _record(db, validator)
    assert await _log(db, validator) == [(EventType.INVOICE_TO_VALIDATE, "A_VALIDER_1", pending.id)]
    assert await _log(db, recipient) == []  # nothing reaches the recipient before validation

    await lifecycle.change_status(db, Actor(validator.id, "Hugo", "user:h"), pending.id, Status.VALIDEE_1)

    steps = [
        (EventType.INVOICE_VALIDATED, "VALIDEE_1"),
        (EventType.INVOICE_STATUS_CHANGED, "DEPOSEE"),
        (EventType.INVOICE_STATUS_CHANGED, "MISE_A_DISPOSITION"),
    ]
    assert await _log(db, supplier) == [(EventType.INVOICE_DEPOSITED, "A_VALIDER_1", issued.id)] + [
        (kind, status, issued.id) for kind, status in steps
    ]
    assert (await _log(db, validator))[1:] == [(kind, status, pending.id) for kind, status in steps]
    received = await _record(db, recipient)
    assert await _log(db, recipient) == [(EventType.INVOICE_RECEIVED, "MISE_A_DISPOSITION", received.id)]


async def test_a_rerouted_invoice_leaves_its_former_recipient_and_arrives_at_the_new_one(db: Database) -> None:
    supplier = await make_structure(db)
    wrong, right = await make_structure(db, public=True), await make_structure(db, public=True)
    issued = await _deposit(db, supplier, wrong, Addressing())
    sent_back = await _record(db, wrong)
    await lifecycle.change_status(db, Actor(wrong.id, "W", "user:w"), sent_back.id, Status.A_RECYCLER, "Pas chez nous")

    await lifecycle.recycle(
        db, Actor(supplier.id, "Sam", "user:s"), issued.id, Addressing(recipient_identifier=right.identifier)
    )

    assert [kind for kind, _, _ in await _log(db, supplier)] == [
        EventType.INVOICE_DEPOSITED,
        EventType.INVOICE_STATUS_CHANGED,
        EventType.INVOICE_REROUTED,
        EventType.INVOICE_STATUS_CHANGED,
    ]
    # The former recipient: its own story, then that the invoice left (nothing of where it went)
    assert [kind for kind, _, _ in await _log(db, wrong)] == [
        EventType.INVOICE_RECEIVED,
        EventType.INVOICE_STATUS_CHANGED,
        EventType.INVOICE_REROUTED,
    ]
    async with db.tenant_session(wrong.id) as session:
        left = (await session.scalars(select(Event).order_by(Event.id.desc()))).first()
    assert left is not None and right.name not in str(left.payload) and right.identifier not in str(left.payload)
    arrived = await _record(db, right)
    assert await _log(db, right) == [(EventType.INVOICE_RECEIVED, "MISE_A_DISPOSITION", arrived.id)]
