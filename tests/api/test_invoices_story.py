"""The whole story through GraphQL with real tokens, across a supplier, public entities, a validator and an
unrelated supplier that must see nothing at any point."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.core.ids import key_of, to_global_id
from invoicing.lifecycle import service as lifecycle_service
from tenancy.db import Database
from tests.api import invoice_calls as calls
from tests.factories import make_member, make_structure, make_user, token_for
from tests.invoicing.hostile import plain_pdf
from tests.invoicing.parties import invoice_between


@dataclasses.dataclass
class Party:
    structure: Any
    token: str
    person: str


async def party(app: Starlette, db: Database, name: str, person: str, *, public: bool = False) -> Party:
    structure = await make_structure(db, name=name, public=public)
    user = await make_user(db, name=person)
    await make_member(db, structure, user)
    return Party(structure, token_for(app, structure, user), person)


@dataclasses.dataclass
class Story:
    supplier: Party
    entity: Party
    other_entity: Party
    outsider: Party
    bodies: list[Any]  # everything the outsider received


@pytest.fixture
async def story(app: Starlette, db: Database) -> Story:
    return Story(
        supplier=await party(app, db, "Atelier Durand SARL", "Marie Durand"),
        entity=await party(app, db, "Commune de Saint-Étienne", "Paul Martin", public=True),
        other_entity=await party(app, db, "Métropole de Lyon", "Léa Petit", public=True),
        outsider=await party(app, db, "Zqsecret Concurrent", "Zoe Outsider"),
        bodies=[],
    )


def invoice(story: Story, number: str, recipient: Party | None = None, **overrides: Any) -> Any:
    target = (recipient or story.entity).structure
    return invoice_between(story.supplier.structure, target, number=number, **overrides)


async def received(client: httpx.AsyncClient, who: Party) -> dict[str, Any]:
    return (await calls.lists(client, who.token))["receivedInvoices"]


async def outsider_sees_nothing(client: httpx.AsyncClient, story: Story, *invoice_ids: str) -> None:
    """Every list, count and search of the unrelated workspace is empty; every id answers like a missing one."""
    everything = await calls.lists(client, story.outsider.token)
    story.bodies.append(everything)
    for name in ("receivedInvoices", "issuedInvoices", "invoicesToValidate"):
        assert everything[name] == {"totalCount": 0, "nodes": []}
    for search in ("F-", "Durand", "saint etienne"):
        found = await calls.lists(client, story.outsider.token, filter={"search": search})
        story.bodies.append(found)
        assert found["receivedInvoices"]["totalCount"] == 0 and found["issuedInvoices"]["totalCount"] == 0
    missing = to_global_id("Invoice", uuid.uuid4())
    for invoice_id in invoice_ids:
        assert await calls.node(client, story.outsider.token, invoice_id) is None
        answer = await calls.act(
            client, story.outsider.token, calls.PROCESS, invoiceId=invoice_id, status="MISE_EN_PAIEMENT"
        )
        control = await calls.act(
            client, story.outsider.token, calls.PROCESS, invoiceId=missing, status="MISE_EN_PAIEMENT"
        )
        story.bodies += [answer, control]
        assert answer == control and answer["userErrors"][0]["code"] == "NOT_FOUND"


def statuses(invoice: dict[str, Any]) -> list[tuple[str | None, str | None, str]]:
    return [(e["fromStatus"], e["status"], e["actor"]) for e in invoice["history"]]


async def test_deposit_suspend_complete_pay_across_workspaces(
    story: Story, client: httpx.AsyncClient, db: Database
) -> None:
    # Given a supplier depositing a UBL invoice with a delivery note, through a multipart upload
    deposited = await calls.submit(
        client,
        story.supplier.token,
        invoice(story, "F-2026-001"),
        attachments=[("bon-livraison.pdf", plain_pdf("delivery note"), "application/pdf")],
    )
    assert deposited["userErrors"] == []
    mine = deposited["invoice"]
    assert (mine["status"], mine["lifecycleCode"], mine["side"]) == ("MISE_A_DISPOSITION", 203, "ISSUED")
    assert statuses(mine) == [
        (None, "DEPOSEE", "Marie Durand"),
        ("DEPOSEE", "MISE_A_DISPOSITION", "facturehub"),
    ]
    assert mine["allowedTransitions"] == []  # the supplier waits

    # Then the public entity finds it in its inbox, with the same status, and may act on it
    inbox = await received(client, story.entity)
    assert inbox["totalCount"] == 1
    theirs = inbox["nodes"][0]
    assert theirs["id"] != mine["id"] and theirs["side"] == "RECEIVED"
    assert (theirs["number"], theirs["status"], theirs["supplier"]["name"]) == (
        "F-2026-001",
        "MISE_A_DISPOSITION",
        "Atelier Durand SARL",
    )
    assert "SUSPENDUE" in theirs["allowedTransitions"] and "COMPLETEE" not in theirs["allowedTransitions"]
    await outsider_sees_nothing(client, story, mine["id"], theirs["id"])
    # Text search is accent- and case-insensitive, on the number and the counterpart's name
    for search, found in (("saint etienne", 1), ("SAINT-ÉTIENNE f-2026-001", 1), ("lyon", 0)):
        listed = await calls.lists(client, story.supplier.token, filter={"search": search})
        assert listed["issuedInvoices"]["totalCount"] == found, search

    # When the entity suspends it without a reason, it is refused; with one it is suspended on both sides
    refused = await calls.act(client, story.entity.token, calls.PROCESS, invoiceId=theirs["id"], status="SUSPENDUE")
    assert refused["invoice"] is None and refused["userErrors"][0]["code"] == "REASON_REQUIRED"
    suspended = await calls.act(
        client,
        story.entity.token,
        calls.PROCESS,
        invoiceId=theirs["id"],
        status="SUSPENDUE",
        reason="Bon de livraison signé manquant",
        version=theirs["version"],
    )
    assert suspended["userErrors"] == [] and suspended["invoice"]["status"] == "SUSPENDUE"
    mine = await calls.node(client, story.supplier.token, mine["id"])
    assert mine["status"] == "SUSPENDUE" and mine["allowedTransitions"] == ["COMPLETEE"]
    assert mine["history"][-1]["reason"] == "Bon de livraison signé manquant"
    assert mine["history"][-1]["actor"] == "Paul Martin"

    # And the supplier completes it, not by a bare status change, but with a comment and the signed note
    bare = await calls.act(client, story.supplier.token, calls.PROCESS, invoiceId=mine["id"], status="COMPLETEE")
    assert bare["userErrors"][0]["code"] == "FORBIDDEN_TRANSITION"
    response = await calls.multipart(
        client,
        story.supplier.token,
        calls.COMPLETE,
        {"input": {"invoiceId": mine["id"], "comment": "Voici le bon signé", "attachments": [None]}},
        {"0": ("variables.input.attachments.0", ("bon-signe.pdf", plain_pdf("signed"), "application/pdf"))},
    )
    completed = response.json()["data"]["completeInvoice"]
    assert completed["userErrors"] == [] and completed["invoice"]["status"] == "COMPLETEE"
    assert [a["kind"] for a in completed["invoice"]["attachments"]] == ["DEPOSIT", "COMPLEMENT"]

    # Then the entity pays it; the supplier sees the whole story, each step with who, when, why
    paid = await calls.act(client, story.entity.token, calls.PROCESS, invoiceId=theirs["id"], status="MISE_EN_PAIEMENT")
    assert paid["invoice"]["status"] == "MISE_EN_PAIEMENT" and paid["invoice"]["lifecycleCode"] == 211
    assert paid["invoice"]["allowedTransitions"] == []
    mine = await calls.node(client, story.supplier.token, mine["id"])
    assert statuses(mine) == [
        (None, "DEPOSEE", "Marie Durand"),
        ("DEPOSEE", "MISE_A_DISPOSITION", "facturehub"),
        ("MISE_A_DISPOSITION", "SUSPENDUE", "Paul Martin"),
        ("SUSPENDUE", "COMPLETEE", "Marie Durand"),
        ("COMPLETEE", "MISE_EN_PAIEMENT", "Paul Martin"),
    ]
    assert mine["lastEvent"] == {"status": "MISE_EN_PAIEMENT", "actor": "Paul Martin"}
    assert mine["lines"]["totalCount"] == 2 and mine["vatBreakdown"][0]["category"] == "S"
    assert mine["validationReport"]["syntax"] == "UBL Invoice"

    # And a final status cannot be left
    again = await calls.act(
        client, story.entity.token, calls.PROCESS, invoiceId=theirs["id"], status="REJETEE", reason="x"
    )
    assert again["userErrors"][0]["code"] == "FORBIDDEN_TRANSITION"
    await outsider_sees_nothing(client, story, mine["id"], theirs["id"])
    assert story.outsider.structure.name not in str(mine)


async def test_reject_and_acknowledge(story: Story, client: httpx.AsyncClient) -> None:
    deposited = await calls.submit(client, story.supplier.token, invoice(story, "F-2026-002"))
    theirs = (await received(client, story.entity))["nodes"][0]
    rejected = await calls.act(
        client, story.entity.token, calls.PROCESS, invoiceId=theirs["id"], status="REJETEE", reason="Pas pour nous"
    )
    assert rejected["invoice"]["status"] == "REJETEE" and rejected["invoice"]["lifecycleCode"] == 210
    # The entity cannot acknowledge for the supplier; the supplier does
    wrong = await calls.act(client, story.entity.token, calls.ACKNOWLEDGE, invoiceId=theirs["id"])
    assert wrong["userErrors"][0]["code"] == "FORBIDDEN_TRANSITION"
    done = await calls.act(client, story.supplier.token, calls.ACKNOWLEDGE, invoiceId=deposited["invoice"]["id"])
    assert done["userErrors"] == [] and done["invoice"]["status"] == "REJETEE"
    assert done["invoice"]["history"][-1]["action"] == "ACKNOWLEDGE_REJECTION"
    await outsider_sees_nothing(client, story, deposited["invoice"]["id"], theirs["id"])


async def test_send_back_and_reroute(story: Story, client: httpx.AsyncClient) -> None:
    deposited = await calls.submit(client, story.supplier.token, invoice(story, "F-2026-003"))
    mine = deposited["invoice"]
    theirs = (await received(client, story.entity))["nodes"][0]
    sent_back = await calls.act(
        client,
        story.entity.token,
        calls.PROCESS,
        invoiceId=theirs["id"],
        status="A_RECYCLER",
        reason="Adressez-la à la Métropole",
    )
    assert sent_back["invoice"]["status"] == "A_RECYCLER"
    mine = await calls.node(client, story.supplier.token, mine["id"])
    assert mine["allowedTransitions"] == ["DEPOSEE"]
    # Re-routing is recycleInvoice's: a bare status change would leave the invoice with nobody
    bare = await calls.act(client, story.supplier.token, calls.PROCESS, invoiceId=mine["id"], status="DEPOSEE")
    assert bare["userErrors"][0]["code"] == "FORBIDDEN_TRANSITION"
    # A stale version is a conflict
    to_the_other_entity = {"invoiceId": mine["id"], "recipientIdentifier": story.other_entity.structure.identifier}
    stale = await calls.act(client, story.supplier.token, calls.RECYCLE, **to_the_other_entity, version=1)
    assert stale["userErrors"][0]["code"] == "CONFLICT"
    rerouted = await calls.act(
        client, story.supplier.token, calls.RECYCLE, **to_the_other_entity, version=mine["version"]
    )
    assert rerouted["userErrors"] == [], rerouted
    assert rerouted["invoice"]["status"] == "MISE_A_DISPOSITION"
    assert rerouted["invoice"]["recipient"]["name"] == "Métropole de Lyon"
    # The former recipient's copy is gone; the new one has it, with the whole history
    assert (await received(client, story.entity))["totalCount"] == 0
    new_inbox = await received(client, story.other_entity)
    assert new_inbox["totalCount"] == 1
    assert [e["status"] for e in new_inbox["nodes"][0]["history"]][-3:] == [
        "A_RECYCLER",
        "DEPOSEE",
        "MISE_A_DISPOSITION",
    ]
    await outsider_sees_nothing(client, story, mine["id"], new_inbox["nodes"][0]["id"])


async def test_a9_validation_then_tacit_validation(
    story: Story, client: httpx.AsyncClient, db: Database, app: Starlette
) -> None:
    validator = await party(app, db, "Entreprise Générale BTP", "Hugo Chef")
    a9 = {"frame": "A9_FACTURE_SOUSTRAITANT", "validatorIdentifier": validator.structure.identifier}
    first = await calls.submit(client, story.supplier.token, invoice(story, "F-2026-A9-1"), **a9)
    assert first["userErrors"] == [], first
    assert first["invoice"]["status"] == "A_VALIDER_1" and first["invoice"]["lifecycleCode"] == 202
    # The recipient sees nothing yet; the validator has it to validate
    assert (await received(client, story.entity))["totalCount"] == 0
    to_validate = (await calls.lists(client, validator.token))["invoicesToValidate"]
    assert to_validate["totalCount"] == 1
    pending = to_validate["nodes"][0]
    assert sorted(pending["allowedTransitions"]) == ["REFUSEE_1", "VALIDEE_1"]
    validated = await calls.act(client, validator.token, calls.VALIDATE, invoiceId=pending["id"], decision="VALIDATE")
    assert validated["userErrors"] == [] and validated["invoice"]["status"] == "MISE_A_DISPOSITION"
    inbox = await received(client, story.entity)
    assert inbox["totalCount"] == 1
    assert [e["status"] for e in inbox["nodes"][0]["history"]] == [
        "A_VALIDER_1",
        "VALIDEE_1",
        "DEPOSEE",
        "MISE_A_DISPOSITION",
    ]

    # A second one nobody validates: after 15 days the clock validates it
    second = await calls.submit(client, story.supplier.token, invoice(story, "F-2026-A9-2"), **a9)
    issued_id = second["invoice"]["id"]
    pending = [
        n
        for n in (await calls.lists(client, validator.token))["invoicesToValidate"]["nodes"]
        if n["number"] == "F-2026-A9-2"
    ][0]
    key = key_of(pending["id"], "Invoice")
    assert key is not None
    deposited_at = datetime.fromisoformat(pending["depositedAt"])
    soon = deposited_at + timedelta(days=14)
    assert await lifecycle_service.validate_tacitly(db, key, validator.structure.id, now=soon) is False
    later = deposited_at + timedelta(days=15, minutes=1)
    assert await lifecycle_service.validate_tacitly(db, key, validator.structure.id, now=later) is True
    mine = await calls.node(client, story.supplier.token, issued_id)
    assert mine["status"] == "MISE_A_DISPOSITION"
    assert [e["status"] for e in mine["history"]][-3:] == [
        "ABSENCE_VALIDATION_1_HORS_DELAI",
        "DEPOSEE",
        "MISE_A_DISPOSITION",
    ]
    assert (await received(client, story.entity))["totalCount"] == 2
    await outsider_sees_nothing(client, story, issued_id, pending["id"])
