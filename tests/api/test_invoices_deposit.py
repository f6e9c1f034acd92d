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
from invoicing.deposit.records import IdempotencyKey, InvoiceRecord, StoredDocument
from invoicing.formats import facturx as facturx_writer
from invoicing.formats.reader import read_invoice
from tenancy.db import Database
from tests.api import invoice_calls as calls
from tests.factories import data, gql, make_member, make_structure, make_user, token_for
from tests.invoicing.hostile import ACTIVE_CONTENT, plain_pdf, with_additions
from tests.invoicing.parties import invoice_between, ubl

NOTE = plain_pdf("bon de livraison")


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
    # Signed download links carry their expiry in seconds: two answers a second apart differ only there.
    assert first["userErrors"] == [] and calls.unsigned(again) == calls.unsigned(first)


def _typed(parties: dict[str, Any], number: str) -> dict[str, Any]:
    return {
        "number": number,
        "issueDate": "2026-11-20",
        "recipientIdentifier": parties["entity"].identifier,
        "lines": [{"itemName": "Réparation toiture", "quantity": "3", "netPrice": "150.00"}],
    }


# Every text of the form, where it sits in the input, and whether it may span lines.
TYPED_TEXTS = [
    (("number",), False),
    (("recipientIdentifier",), False),
    (("typeCode",), False),
    (("currency",), False),
    (("serviceCode",), False),
    (("engagementNumber",), False),
    (("paymentTerms",), True),
    (("note",), True),
    (("iban",), False),
    (("validatorIdentifier",), False),
    (("buyerVatIdentifier",), False),
    (("lines", "0", "itemName"), False),
    (("lines", "0", "vatCategory"), False),
    (("lines", "0", "unit"), False),
    (("lines", "0", "vatExemptionReason"), False),
    (("lines", "0", "vatExemptionReasonCode"), False),
    (("precedingInvoices", "0", "number"), False),
]


def _put(typed: dict[str, Any], path: tuple[str, ...], value: str) -> None:
    if path[0] == "precedingInvoices":
        typed["precedingInvoices"] = [{"number": "F-OLD-1"}]
    target: Any = typed
    for step in path[:-1]:
        target = target[int(step)] if isinstance(target, list) else target[step]
    target[path[-1]] = value


@pytest.mark.parametrize(
    ("field", "value", "bt"),
    [
        ("quantity", "1" + "0" * 39, "BT-129"),  # it was Unexpected error.: Decimal's 28 digits overflowed
        ("quantity", "1e400", "BT-129"),
        ("quantity", "0.0000001", "BT-129"),
        ("netPrice", "-5", "BT-146"),
        ("netPrice", "1e12", "BT-146"),
        ("vatRate", "120", "BT-152"),
        ("vatRate", "5.555", "BT-152"),
    ],
)
async def test_numbers_no_invoice_can_carry_are_a_user_error_on_their_line(
    parties: dict[str, Any], client: httpx.AsyncClient, database_url: str, field: str, value: str, bt: str
) -> None:
    before = await _counts(database_url)
    typed = _typed(parties, "F-BIG-1")
    typed["lines"].append({"itemName": "Gouttière", "quantity": "1", "netPrice": "10.00"})
    typed["lines"][1][field] = value
    payload = (await data(client, parties["token"], CREATE, {"input": typed}))["createInvoice"]
    assert payload["invoice"] is None
    [error] = payload["userErrors"]
    assert error["field"] == ["input", "lines", "1", field] and error["rule"] == "FH-LINE-AMOUNT"
    assert error["code"] == "PLATFORM_RULE" and error["message"].startswith("line 2: ") and bt in error["message"]
    assert await _counts(database_url) == before


@pytest.mark.parametrize(("path", "multi_line"), TYPED_TEXTS, ids=[".".join(p) for p, _ in TYPED_TEXTS])
async def test_a_control_character_typed_in_is_a_user_error_on_its_field(
    parties: dict[str, Any], client: httpx.AsyncClient, database_url: str, path: tuple[str, ...], multi_line: bool
) -> None:
    before = await _counts(database_url)
    name = ".".join(path)
    refused = {
        "F\x01": "a control character (U+0001) at character 2",
        "F\x00": "a control character (U+0000) at character 2",  # PostgreSQL refuses NUL in text
        "F\x7f": "a control character (U+007F) at character 2",
    }
    for value, found in refused.items():
        typed = _typed(parties, "F-CTRL-1")
        _put(typed, path, value)
        # It was `Unexpected error.`: lxml refuses to write such a character into the UBL.
        payload = (await data(client, parties["token"], CREATE, {"input": typed}))["createInvoice"]
        allowed = "; only tabs and line breaks are allowed" if multi_line else ""
        assert payload == {
            "invoice": None,
            "userErrors": [
                {
                    "field": ["input", *path],
                    "code": "INVALID",
                    "rule": None,
                    "message": f"`{name}` contains {found}{allowed}",
                }
            ],
        }
    if not multi_line:
        typed = _typed(parties, "F-CTRL-1")
        _put(typed, path, "F\n1")
        payload = (await data(client, parties["token"], CREATE, {"input": typed}))["createInvoice"]
        assert payload["userErrors"] == [
            {
                "field": ["input", *path],
                "code": "INVALID",
                "rule": None,
                "message": f"`{name}` must be a single line: it contains a line break (U+000A) at character 2",
            }
        ]
    assert await _counts(database_url) == before


async def test_a_multi_line_note_keeps_its_tabs_and_line_breaks(
    parties: dict[str, Any], client: httpx.AsyncClient
) -> None:
    typed = {
        **_typed(parties, "F-NOTE-1"),
        "note": "Travaux :\n\t- toiture\r\n\t- gouttière",
        "paymentTerms": "30 jours\nnet",
    }
    payload = (await data(client, parties["token"], CREATE, {"input": typed}))["createInvoice"]
    assert payload["userErrors"] == [], payload
    written = read_invoice((await client.get(payload["invoice"]["downloads"]["ubl"])).content)
    assert [n.text for n in written.notes] == ["Travaux :\n\t- toiture\r\n\t- gouttière"]
    assert written.payment_terms == "30 jours\nnet"


async def test_control_characters_in_the_other_invoice_mutations_are_user_errors(
    app: Starlette, parties: dict[str, Any], client: httpx.AsyncClient, database_url: str
) -> None:
    document = invoice_between(parties["supplier"], parties["entity"], number="F-CTRL-SUB")
    before = await _counts(database_url)
    # A NUL in the service looked up was `Unexpected error.` on PostgreSQL; a U+0001 in the engagement was stored.
    for field, value in (("serviceCode", "S\x00"), ("engagementNumber", "E\x01")):
        answer = await calls.submit(client, parties["token"], document, **{field: value})
        assert answer == {
            "invoice": None,
            "userErrors": [
                {
                    "field": ["input", field],
                    "code": "INVALID",
                    "rule": None,
                    "message": f"`{field}` contains a control character (U+{ord(value[1]):04X}) at character 2",
                    "bt": None,
                }
            ],
        }
    assert await _counts(database_url) == before
    # A reason may span lines, but holds no NUL
    received = (await calls.submit(client, parties["token"], document))["invoice"]
    invoice_id = (await calls.lists(client, parties["entity_token"]))["receivedInvoices"]["nodes"][0]["id"]
    assert received is not None
    refused = await calls.act(
        client, parties["entity_token"], calls.PROCESS, invoiceId=invoice_id, status="SUSPENDUE", reason="Pièce\x00"
    )
    assert refused["invoice"] is None
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(["input", "reason"], "INVALID")]
    suspended = await calls.act(
        client,
        parties["entity_token"],
        calls.PROCESS,
        invoiceId=invoice_id,
        status="SUSPENDUE",
        reason="Il manque :\n\t- le bon",
    )
    assert suspended["userErrors"] == [] and suspended["invoice"]["history"][-1]["reason"] == "Il manque :\n\t- le bon"
    # Permissions come first: a token without the scope is told FORBIDDEN, not what is wrong with its text
    reader = token_for(app, parties["supplier"], scopes=["invoices:read"])
    response = await gql(client, reader, CREATE, {"input": {**_typed(parties, "F\x01"), "note": "\x00"}})
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["FORBIDDEN"]


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
        client, parties["token"], document, attachments=[("../../etc/passwd.pdf", NOTE, "application/pdf")]
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
    assert fetched.status_code == 200 and fetched.content == NOTE
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
    both_from_version_1 = [
        calls.act(
            client, parties["entity_token"], calls.PROCESS, invoiceId=theirs["id"], status=to, reason=why, version=1
        )
        for to, why in (("SUSPENDUE", "a"), ("REJETEE", "b"))
    ]
    answers = await asyncio.gather(*both_from_version_1)
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


async def test_attachment_types_come_from_the_content_never_from_the_client(
    parties: dict[str, Any], client: httpx.AsyncClient
) -> None:
    html = b"<!DOCTYPE html><html><body><script>fetch('/graphql')</script></body></html>"
    refused = await calls.submit(
        client,
        parties["token"],
        invoice_between(parties["supplier"], parties["entity"], number="F-MIME-1"),
        attachments=[("x.pdf", html, "text/html")],
    )
    assert refused["invoice"] is None
    assert [(e["rule"], e["field"]) for e in refused["userErrors"]] == [
        ("FH-ATTACHMENT-TYPE", ["input", "attachments.0"])
    ]
    assert "'x.pdf'" in refused["userErrors"][0]["message"]
    assert "text, not what its extension .pdf says" in refused["userErrors"][0]["message"]

    document = invoice_between(parties["supplier"], parties["entity"], number="F-MIME-2")
    deposited = await calls.submit(
        client,
        parties["token"],
        document,
        attachments=[
            ("bon.pdf", NOTE, "text/html"),
            ("page.html", html, "text/html"),
            ("notes.txt", "Livré le 3 mars, reçu par M. Dupont\n".encode(), "text/html"),
        ],
    )
    assert deposited["userErrors"] == [], deposited
    seen = await calls.node(client, parties["token"], deposited["invoice"]["id"])
    served = {}
    for attachment in seen["attachments"]:
        response = await client.get(attachment["downloadUrl"])
        assert response.status_code == 200
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert "sandbox" in response.headers["content-security-policy"]
        served[attachment["filename"]] = (attachment["mediaType"], response.headers["content-type"])
    assert served == {
        "bon.pdf": ("application/pdf", "application/pdf"),
        "page.html": ("application/octet-stream", "application/octet-stream"),
        "notes.txt": ("text/plain; charset=utf-8", "text/plain; charset=utf-8"),
    }


async def test_the_original_document_is_served_as_what_it_is(
    parties: dict[str, Any], client: httpx.AsyncClient
) -> None:
    document = ubl(invoice_between(parties["supplier"], parties["entity"], number="F-MIME-3"))
    files = {"0": ("variables.input.document", ("facture.html", document, "text/html"))}
    response = await calls.multipart(client, parties["token"], calls.SUBMIT, {"input": {"document": None}}, files)
    deposited = response.json()["data"]["submitInvoice"]
    assert deposited["userErrors"] == [], deposited
    seen = await calls.node(client, parties["token"], deposited["invoice"]["id"])
    original = await client.get(seen["downloads"]["original"])
    assert original.content == document
    assert original.headers["content-type"] == "application/xml"


async def test_active_content_and_internal_failures_as_user_errors(
    parties: dict[str, Any], client: httpx.AsyncClient
) -> None:
    document = invoice_between(parties["supplier"], parties["entity"], number="F-JS-1")
    scripted = with_additions(facturx_writer.write(document), ACTIVE_CONTENT["OpenAction JavaScript"])
    refused = await calls.submit(client, parties["token"], scripted)
    assert refused["invoice"] is None
    [error] = refused["userErrors"]
    assert (error["code"], error["rule"], error["field"]) == (
        "PLATFORM_RULE",
        "FH-PDF-ACTIVE-CONTENT",
        ["input", "document"],
    )
    assert error["message"].startswith("the invoice PDF holds active content (a JavaScript action at /Root/OpenAction)")

    attributes = " ".join(f'a{i}="v"' for i in range(10_001))
    broken = ubl(invoice_between(parties["supplier"], parties["entity"], number="F-INT-1"))
    broken = broken.replace(b"<Invoice ", f"<Invoice {attributes} ".encode(), 1)
    failed = await calls.submit(client, parties["token"], broken)
    [error] = failed["userErrors"]
    assert error["rule"] == "FH-INTERNAL"
    assert "reference" in error["message"] and "JAXP" not in error["message"] and "Saxon" not in error["message"]
