"""Deposits through GraphQL: idempotency, duplicates, preview, typed-in invoices, multipart errors, downloads,
concurrent decisions."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from api.invoices import files
from invoicing.reader import read_invoice
from invoicing.records import IdempotencyKey, InvoiceRecord, StoredDocument
from tenancy.db import Database
from tests.api import invoice_calls as calls
from tests.factories import data, gql, make_member, make_structure, make_user, token_for
from tests.invoicing.parties import invoice_between, ubl


async def _counts(database_url: str) -> tuple[int, int, int]:
    owner = Database(database_url, as_owner=True)
    try:
        async with owner.engine.connect() as connection:
            invoices = (await connection.execute(select(func.count()).select_from(InvoiceRecord))).scalar_one()
            documents = (await connection.execute(select(func.count()).select_from(StoredDocument))).scalar_one()
            keys = (await connection.execute(select(func.count()).select_from(IdempotencyKey))).scalar_one()
    finally:
        await owner.dispose()
    return invoices, documents, keys


@pytest.fixture
async def parties(app: Starlette, db: Database) -> dict[str, Any]:
    supplier = await make_structure(db, name="Atelier Durand SARL")
    entity = await make_structure(db, name="Commune de Villeneuve", public=True)
    outsider = await make_structure(db, name="Zqsecret Voisin")
    user, buyer_user = await make_user(db, name="Marie Durand"), await make_user(db, name="Paul Martin")
    await make_member(db, supplier, user)
    await make_member(db, entity, buyer_user)
    return {
        "supplier": supplier,
        "entity": entity,
        "token": token_for(app, supplier, user),
        "entity_token": token_for(app, entity, buyer_user),
        "outsider_token": token_for(app, outsider, await make_user(db)),
    }


async def test_the_same_key_and_body_replays_another_body_is_refused(
    parties: dict[str, Any], client: httpx.AsyncClient, database_url: str
) -> None:
    document = invoice_between(parties["supplier"], parties["entity"], number="F-IDEM-1")
    key = {"Idempotency-Key": "deposit-0001"}
    first = await calls.submit(client, parties["token"], document, headers=key)
    assert first["userErrors"] == []
    counted = await _counts(database_url)
    # The same request again: the same answer, nothing new stored
    again = await calls.submit(client, parties["token"], document, headers=key)
    assert again == first
    assert await _counts(database_url) == counted
    # The same key with another body: refused, nothing stored
    other = invoice_between(parties["supplier"], parties["entity"], number="F-IDEM-2")
    reused = await calls.submit(client, parties["token"], other, headers=key)
    assert reused["invoice"] is None
    assert [e["code"] for e in reused["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await _counts(database_url) == counted
    # Without a key, the same document again is a duplicate number
    duplicate = await calls.submit(client, parties["token"], document)
    assert duplicate["invoice"] is None
    assert [(e["code"], e["rule"], e["bt"]) for e in duplicate["userErrors"]] == [
        ("DUPLICATE_NUMBER", "FH-DUPLICATE-NUMBER", "BT-1")
    ]


async def test_concurrent_requests_with_one_key_deposit_once(
    parties: dict[str, Any], client: httpx.AsyncClient, database_url: str
) -> None:
    document = invoice_between(parties["supplier"], parties["entity"], number="F-IDEM-RACE")
    key = {"Idempotency-Key": "race-1"}
    answers = await asyncio.gather(*(calls.submit(client, parties["token"], document, headers=key) for _ in range(3)))
    ids = {a["invoice"]["id"] for a in answers if a["invoice"]}
    assert len(ids) == 1 and all(a["userErrors"] == [] for a in answers), answers
    assert (await _counts(database_url))[0] == 2  # one issued, one received record


async def test_preview_stores_nothing_and_says_what_to_change(
    parties: dict[str, Any], client: httpx.AsyncClient, database_url: str
) -> None:
    before = await _counts(database_url)
    good = ubl(invoice_between(parties["supplier"], parties["entity"], number="F-PREVIEW-1"))
    response = await calls.multipart(
        client,
        parties["token"],
        calls.PREVIEW,
        {"input": {"document": None}},
        {"0": ("variables.input.document", ("f.xml", good, "application/xml"))},
    )
    answer = response.json()["data"]["previewInvoice"]
    assert answer == {
        "accepted": True,
        "number": "F-PREVIEW-1",
        "recipientIdentifier": parties["entity"].identifier,
        "userErrors": [],
    }
    bad = ubl(invoice_between(parties["supplier"], parties["entity"], number="F/BAD NUMBER WAY TOO LONG"))
    response = await calls.multipart(
        client,
        parties["token"],
        calls.PREVIEW,
        {"input": {"document": None, "recipientIdentifier": "00000000000000"}},
        {"0": ("variables.input.document", ("f.xml", bad, "application/xml"))},
    )
    answer = response.json()["data"]["previewInvoice"]
    assert answer["accepted"] is False
    rules = {(e["rule"], tuple(e["field"] or ())) for e in answer["userErrors"]}
    assert any(field == ("input", "recipientIdentifier") for _, field in rules), answer
    assert all(e["message"] and e["code"] in ("PLATFORM_RULE", "DOCUMENT_INVALID") for e in answer["userErrors"])
    assert await _counts(database_url) == before


CREATE = f"""
mutation ($input: InvoiceInput!) {{
  createInvoice(input: $input) {{ invoice {{ {calls.INVOICE_FIELDS} downloads {{ ubl }} }} userErrors {{ field code rule message }} }}
}}
"""


async def test_a_typed_in_invoice_is_written_as_ubl_and_deposited(
    parties: dict[str, Any], client: httpx.AsyncClient
) -> None:
    typed = {
        "number": "F-FORM-1",
        "issueDate": "2026-11-20",
        "recipientIdentifier": parties["entity"].identifier,
        "lines": [
            {"itemName": "Réparation toiture", "quantity": "3", "netPrice": "150.00"},
            {"itemName": "Gouttière", "quantity": "2", "netPrice": "35.50", "vatRate": "10.00"},
        ],
        "iban": "FR76 3000 6000 0112 3456 7890 189",
    }
    result = await data(client, parties["token"], CREATE, {"input": typed})
    payload = result["createInvoice"]
    assert payload["userErrors"] == [], payload
    invoice = payload["invoice"]
    assert invoice["status"] == "MISE_A_DISPOSITION"
    assert invoice["totals"] == {"withoutVat": "521.00", "vat": "97.10", "withVat": "618.10", "amountDue": "618.10"}
    assert invoice["supplier"]["name"] == "Atelier Durand SARL"
    # The UBL the hub wrote is what the recipient downloads
    written = await client.get(invoice["downloads"]["ubl"])
    assert written.status_code == 200 and read_invoice(written.content).number == "F-FORM-1"
    # Typed-in invoices honour the Idempotency-Key too: the same form twice is one invoice
    keyed = {"Idempotency-Key": "form-1"}
    typed["number"] = "F-FORM-2"
    first = (await gql(client, parties["token"], CREATE, {"input": typed}, **keyed)).json()["data"]["createInvoice"]
    again = (await gql(client, parties["token"], CREATE, {"input": typed}, **keyed)).json()["data"]["createInvoice"]
    assert first["userErrors"] == [] and again == first


async def test_multipart_spec_errors_are_clear_400s(parties: dict[str, Any], client: httpx.AsyncClient) -> None:
    auth = {"Authorization": f"Bearer {parties['token']}"}
    operations = json.dumps({"query": calls.SUBMIT, "variables": {"input": {"document": None}}})
    # A map naming a file that was not sent (another one was: without any, httpx would not send multipart)
    missing = await client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.input.document"]})},
        files={"1": ("f.xml", b"<x/>", "application/xml")},
        headers=auth,
    )
    # A map that is not JSON
    bad_map = await client.post(
        "/graphql",
        data={"operations": operations, "map": "{not json"},
        files={"0": ("f.xml", b"<x/>", "application/xml")},
        headers=auth,
    )
    # No operations at all
    no_operations = await client.post(
        "/graphql", data={"map": "{}"}, files={"0": ("f.xml", b"<x/>", "application/xml")}, headers=auth
    )
    for response in (missing, bad_map, no_operations):
        assert response.status_code == 400, response.text
        assert response.text.strip()


async def test_download_links_are_signed_short_lived_and_bound_to_the_tenant(
    parties: dict[str, Any], client: httpx.AsyncClient, app: Starlette
) -> None:
    document = invoice_between(parties["supplier"], parties["entity"], number="F-DL-1")
    deposited = await calls.submit(
        client, parties["token"], document, attachments=[("../../etc/passwd.pdf", b"%PDF-1.4 x", "application/pdf")]
    )
    assert deposited["userErrors"] == [], deposited
    seen = await calls.node(client, parties["token"], deposited["invoice"]["id"])
    links = seen["downloads"]
    original = await client.get(links["original"])
    assert original.status_code == 200 and original.content == ubl(document)
    assert original.headers["content-disposition"] == 'attachment; filename="facture.xml"'
    for kind, start in (("ubl", b"<?xml"), ("cii", b"<?xml"), ("pdf", b"%PDF")):
        response = await client.get(links[kind])
        assert response.status_code == 200 and response.content.startswith(start), kind
    (attachment,) = seen["attachments"]
    fetched = await client.get(attachment["downloadUrl"])
    assert fetched.status_code == 200 and fetched.content == b"%PDF-1.4 x"
    disposition = fetched.headers["content-disposition"]
    assert "/" not in disposition and ".." not in disposition.split("filename=")[1].strip('"')[:2]

    keyring = app.state.keyring
    token = links["original"].rsplit("/", 1)[1]
    link = files.verify(keyring, token)
    assert link is not None
    # Expired, altered, forged and foreign links all answer the same 404
    expired = files.sign(keyring, link, now=0)
    payload, signature = token.split(".")
    altered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    forged = payload + "." + signature[::-1]
    foreign = files.sign(keyring, files.Link(uuid.uuid4(), link.invoice_id, "original"))
    other_tenant = files.sign(keyring, files.Link(parties["entity"].id, link.invoice_id, "original"))
    answers = [await client.get(f"/files/{t}") for t in (expired, altered, forged, foreign, other_tenant, "x", "a.b")]
    assert {(r.status_code, r.text) for r in answers} == {(404, "not found\n")}


async def test_two_decisions_at_once_one_wins_the_other_is_a_conflict(
    parties: dict[str, Any], client: httpx.AsyncClient
) -> None:
    await calls.submit(
        client, parties["token"], invoice_between(parties["supplier"], parties["entity"], number="F-RACE")
    )
    theirs = (await calls.lists(client, parties["entity_token"]))["receivedInvoices"]["nodes"][0]
    answers = await asyncio.gather(
        calls.act(
            client,
            parties["entity_token"],
            calls.PROCESS,
            invoiceId=theirs["id"],
            status="SUSPENDUE",
            reason="a",
            version=1,
        ),
        calls.act(
            client,
            parties["entity_token"],
            calls.PROCESS,
            invoiceId=theirs["id"],
            status="REJETEE",
            reason="b",
            version=1,
        ),
    )
    codes = sorted(e["code"] for a in answers for e in a["userErrors"])
    assert codes == ["CONFLICT"], answers
    winner = next(a for a in answers if a["invoice"])
    assert winner["invoice"]["version"] == 2
    after = (await calls.lists(client, parties["entity_token"]))["receivedInvoices"]["nodes"][0]
    assert after["status"] == winner["invoice"]["status"] and len(after["history"]) == 3


async def test_inbox_filters_sorts_and_pages(parties: dict[str, Any], client: httpx.AsyncClient) -> None:
    for i in range(3):
        document = invoice_between(parties["supplier"], parties["entity"], number=f"F-LIST-{i}")
        await calls.submit(client, parties["token"], document)
    token = parties["entity_token"]
    everything = (await calls.lists(client, token))["receivedInvoices"]
    assert everything["totalCount"] == 3
    by_number = await calls.lists(client, token, sortBy={"field": "NUMBER", "direction": "ASC"})
    assert [n["number"] for n in by_number["receivedInvoices"]["nodes"]] == ["F-LIST-0", "F-LIST-1", "F-LIST-2"]
    one = await calls.lists(client, token, filter={"number": "F-LIST-1"})
    assert [n["number"] for n in one["receivedInvoices"]["nodes"]] == ["F-LIST-1"]
    searched = await calls.lists(client, token, filter={"search": "atelier DURAND"})
    assert searched["receivedInvoices"]["totalCount"] == 3
    assert (await calls.lists(client, token, filter={"search": "villeneuve"}))["receivedInvoices"]["totalCount"] == 0
    counterpart = await calls.lists(client, token, filter={"counterpart": parties["supplier"].identifier})
    assert counterpart["receivedInvoices"]["totalCount"] == 3
    statuses = await calls.lists(client, token, filter={"statuses": ["SUSPENDUE"]})
    assert statuses["receivedInvoices"]["totalCount"] == 0
    amounts = await calls.lists(
        client, token, filter={"amountMin": "1", "amountMax": "100000"}, sortBy={"field": "AMOUNT"}
    )
    assert amounts["receivedInvoices"]["totalCount"] == 3
    # Keyset pages: two pages of two cover the three, in order, with no repeat
    query = """query ($after: String) { workspace { receivedInvoices(first: 2, after: $after,
      sortBy: {field: NUMBER, direction: DESC}) { pageInfo { hasNextPage endCursor } nodes { number } } } }"""
    page1 = (await data(client, token, query, {"after": None}))["workspace"]["receivedInvoices"]
    page2 = (await data(client, token, query, {"after": page1["pageInfo"]["endCursor"]}))["workspace"][
        "receivedInvoices"
    ]
    assert [n["number"] for n in page1["nodes"] + page2["nodes"]] == ["F-LIST-2", "F-LIST-1", "F-LIST-0"]
    assert page1["pageInfo"]["hasNextPage"] and not page2["pageInfo"]["hasNextPage"]
    # The supplier's issued list says the same from its side; the unrelated workspace sees none of it
    issued = (await calls.lists(client, parties["token"], filter={"search": "villeneuve"}))["issuedInvoices"]
    assert issued["totalCount"] == 3
    outsider = await calls.lists(client, parties["outsider_token"], filter={"search": "durand"})
    assert outsider["receivedInvoices"]["totalCount"] == 0 and outsider["issuedInvoices"]["totalCount"] == 0
