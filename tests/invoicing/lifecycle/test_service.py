"""Deposit and life cycle at the domain level, on both engines: both parties' records move together."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from invoicing.deposit import service as deposit
from invoicing.deposit.records import InvoiceEvent, InvoiceRecord
from invoicing.deposit.rules import Addressing
from invoicing.deposit.transmission import Actor
from invoicing.formats.convert import Target, write
from invoicing.lifecycle import service as lifecycle_service
from invoicing.lifecycle.transitions import Status
from tenancy.db import Database
from tests.factories import make_structure
from tests.invoicing.parties import invoice_between


async def _deposit(db: Database, supplier, recipient, **overrides):
    document = deposit.DocumentFile(
        "f.xml", write(invoice_between(supplier, recipient, **overrides), Target.UBL), "application/xml"
    )
    return await deposit.deposit(db, Actor(supplier.id, "Marie Durand", "user:x"), document, [], Addressing())


async def _records(db: Database, tenant, transmission):
    async with db.tenant_session(tenant.id) as session:
        return list(await session.scalars(select(InvoiceRecord).where(InvoiceRecord.transmission_id == transmission)))


async def test_a_deposit_writes_both_records_and_the_life_cycle_moves_them_together(db: Database) -> None:
    supplier = await make_structure(db, name="Atelier")
    recipient = await make_structure(db, public=True, name="Mairie")
    done = await _deposit(db, supplier, recipient)
    assert done.accepted, done.checked.problems
    issued = done.issued
    [received] = await _records(db, recipient, issued.transmission_id)
    assert (issued.status, received.status) == ("MISE_A_DISPOSITION", "MISE_A_DISPOSITION")
    assert received.side == "RECEIVED" and received.supplier_name == "Atelier"

    buyer = Actor(recipient.id, "Paul Martin", "user:y")
    seller = Actor(supplier.id, "Marie Durand", "user:x")
    with pytest.raises(lifecycle_service.ActionRefused, match="reason"):
        await lifecycle_service.change_status(db, buyer, received.id, Status.SUSPENDUE)
    await lifecycle_service.change_status(db, buyer, received.id, Status.SUSPENDUE, "Bon de livraison manquant")
    [mine] = await _records(db, supplier, issued.transmission_id)
    assert mine.status == "SUSPENDUE"
    with pytest.raises(lifecycle_service.ActionRefused) as refused:
        await lifecycle_service.change_status(db, seller, issued.id, Status.MISE_EN_PAIEMENT)
    assert refused.value.code == "FORBIDDEN_TRANSITION"
    await lifecycle_service.complete(db, seller, issued.id, "Voici le bon", [])
    await lifecycle_service.change_status(db, buyer, received.id, Status.MISE_EN_PAIEMENT)
    [mine] = await _records(db, supplier, issued.transmission_id)
    assert mine.status == "MISE_EN_PAIEMENT"
    async with db.tenant_session(supplier.id) as session:
        history = [
            (e.status_from, e.status_to)
            for e in await session.scalars(
                select(InvoiceEvent).where(InvoiceEvent.invoice_id == mine.id).order_by(InvoiceEvent.at)
            )
        ]
    assert ("COMPLETEE", "MISE_EN_PAIEMENT") in history and ("MISE_A_DISPOSITION", "SUSPENDUE") in history


async def test_two_people_acting_at_once_one_wins_the_other_gets_a_conflict(db: Database) -> None:
    supplier = await make_structure(db)
    recipient = await make_structure(db, public=True)
    done = await _deposit(db, supplier, recipient)
    [received] = await _records(db, recipient, done.issued.transmission_id)
    buyer = Actor(recipient.id, "A", "user:a")
    results = await asyncio.gather(
        lifecycle_service.change_status(db, buyer, received.id, Status.SUSPENDUE, "x", expected_version=1),
        lifecycle_service.change_status(db, buyer, received.id, Status.REJETEE, "y", expected_version=1),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and refused[0].code == "CONFLICT", results
    [after] = await _records(db, recipient, done.issued.transmission_id)
    assert after.version == 2


async def test_the_same_number_twice_in_a_year_is_refused(db: Database) -> None:
    supplier = await make_structure(db)
    recipient = await make_structure(db, public=True)
    assert (await _deposit(db, supplier, recipient)).accepted
    again = await _deposit(db, supplier, recipient)
    assert not again.accepted
    assert [p.code for p in again.checked.problems] == ["FH-DUPLICATE-NUMBER"]
