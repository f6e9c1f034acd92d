"""What the web detail screen reads besides the routing (`Invoice.document`), and the engagement filter of the
lists (`InvoiceFilter.engagementNumber`)."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from tenancy.db import Database
from tests.api import invoice_calls as calls
from tests.factories import data, make_member, make_structure, make_user, token_for
from tests.invoicing.builder import rich_invoice
from tests.invoicing.parties import invoice_between

DOCUMENT = """query ($id: ID!) { node(id: $id) { ... on Invoice { document {
  seller { name tradingName legalRegistration identifiers vatId
    address { line1 line2 postcode city country } contact { name phone email } }
  buyer { name legalRegistration address { line1 city postcode country } contact { name } }
  dueDate paymentTerms payment { meansCode meansText remittance credit_transfers: creditTransfers { account accountName provider } }
  buyerReference projectReference contractReference orderReference tenderReference buyerAccountingReference
  periodStart periodEnd deliveryDate notes
} } } }"""

ENGAGED = """query ($filter: InvoiceFilter) { workspace {
  receivedInvoices(first: 10, filter: $filter) { totalCount nodes { number engagementNumber } }
  issuedInvoices(first: 10, filter: $filter) { totalCount nodes { number } }
} }"""


async def _parties(app: Starlette, db: Database) -> tuple[Any, Any, str, str]:
    supplier = await make_structure(db, name="Atelier Durand SARL")
    entity = await make_structure(db, name="Commune de Villeneuve", public=True)
    seller_user, buyer_user = await make_user(db, name="Marie Durand"), await make_user(db, name="Paul Martin")
    await make_member(db, supplier, seller_user)
    await make_member(db, entity, buyer_user)
    return supplier, entity, token_for(app, supplier, seller_user), token_for(app, entity, buyer_user)


async def test_the_document_gives_parties_references_and_payment(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    supplier, entity, seller_token, buyer_token = await _parties(app, db)
    rich = rich_invoice()
    document = invoice_between(
        supplier,
        entity,
        number="F-DOC-1",
        order_ref="EJ-2026-7",
        due_date=rich.due_date,
        payment_terms=rich.payment_terms,
        contract_ref=rich.contract_ref,
        project_ref=rich.project_ref,
        tender_ref=rich.tender_ref,
        buyer_accounting_ref=rich.buyer_accounting_ref,
        period=rich.period,
        delivery=rich.delivery,
        notes=rich.notes,
    )
    deposited = await calls.submit(client, seller_token, document)
    assert deposited["userErrors"] == []
    theirs = (await calls.lists(client, buyer_token))["receivedInvoices"]["nodes"][0]

    found = (await data(client, buyer_token, DOCUMENT, {"id": theirs["id"]}))["node"]["document"]
    seller = found["seller"]
    assert (seller["name"], seller["tradingName"], seller["vatId"]) == (
        supplier.name,
        "Durand Bureau",
        document.seller.vat_id,
    )
    assert seller["legalRegistration"] == supplier.identifier and seller["identifiers"] == [supplier.identifier[:9]]
    assert seller["address"] == {
        "line1": "12 rue des Lilas",
        "line2": None,
        "postcode": "69003",
        "city": "Lyon",
        "country": "FR",
    }
    assert seller["contact"]["email"] == "factures@durand.example"
    assert found["buyer"]["name"] == entity.name and found["buyer"]["address"]["city"] == "Villeneuve"
    assert found["buyer"]["contact"] is None
    assert (found["dueDate"], found["paymentTerms"]) == ("2026-12-02", "30 jours fin de mois")
    assert found["payment"] == {
        "meansCode": "58",
        "meansText": None,
        "remittance": "F-2026-0042",
        "credit_transfers": [
            {"account": "FR7630006000011234567890189", "accountName": "Durand", "provider": "AGRIFRPP"}
        ],
    }
    assert (found["orderReference"], found["contractReference"], found["projectReference"]) == (
        "EJ-2026-7",
        "MARCHE-2026-07",
        "PRJ-12",
    )
    assert (found["tenderReference"], found["buyerAccountingReference"]) == ("LOT-2", "60-FOURN")
    assert (found["periodStart"], found["periodEnd"], found["deliveryDate"]) == (
        "2026-10-01",
        "2026-10-31",
        "2026-10-28",
    )
    assert found["notes"] == ["Merci de votre confiance"]
    # The supplier's own copy reads the same document
    mine = (await data(client, seller_token, DOCUMENT, {"id": deposited["invoice"]["id"]}))["node"]["document"]
    assert mine == found


async def test_lists_filter_on_the_engagement_number_exactly(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    supplier, entity, seller_token, buyer_token = await _parties(app, db)
    for number, engagement in (("F-EJ-1", "EJ-100"), ("F-EJ-2", "EJ-1000"), ("F-EJ-3", None)):
        deposited = await calls.submit(
            client, seller_token, invoice_between(supplier, entity, number=number, order_ref=engagement)
        )
        assert deposited["userErrors"] == []

    received = (await data(client, buyer_token, ENGAGED, {"filter": {"engagementNumber": " EJ-100 "}}))["workspace"]
    assert received["receivedInvoices"] == {
        "totalCount": 1,
        "nodes": [{"number": "F-EJ-1", "engagementNumber": "EJ-100"}],
    }
    issued = (await data(client, seller_token, ENGAGED, {"filter": {"engagementNumber": "EJ-1000"}}))["workspace"]
    assert [n["number"] for n in issued["issuedInvoices"]["nodes"]] == ["F-EJ-2"]
    assert (await data(client, buyer_token, ENGAGED, {"filter": {"engagementNumber": "EJ"}}))["workspace"][
        "receivedInvoices"
    ]["totalCount"] == 0
    unfiltered = (await data(client, buyer_token, ENGAGED, {"filter": {"engagementNumber": None}}))["workspace"]
    assert unfiltered["receivedInvoices"]["totalCount"] == 3
