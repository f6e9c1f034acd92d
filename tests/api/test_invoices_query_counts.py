"""Pinned SQL counts for the inbox and the invoice detail: the number of queries must not grow with the page."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from invoicing.deposit import service as deposit
from invoicing.deposit.rules import Addressing, AttachmentFile
from invoicing.deposit.transmission import Actor
from tenancy.db import Database
from tests.api.test_query_counts import counting
from tests.factories import data, make_member, make_structure, make_user, token_for
from tests.invoicing.hostile import plain_pdf
from tests.invoicing.parties import invoice_between, ubl

INBOX = """
query ($first: Int!) { workspace { receivedInvoices(first: $first, sortBy: {field: DEPOSITED_AT, direction: DESC}) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { id number status lifecycleCode issueDate depositedAt serviceCode
    supplier { identifier name } recipient { identifier name }
    totals { withoutVat vat withVat amountDue } allowedTransitions
    lastEvent { status at actor reason } }
} } }
"""

DETAIL = """
query ($id: ID!) { node(id: $id) { ... on Invoice {
  id number status lifecycleCode frame version supplier { name } recipient { name } totals { withVat }
  history { status fromStatus at actor reason action } allowedTransitions
  attachments { filename size downloadUrl } downloads { original ubl cii pdf }
  vatBreakdown { category rate taxable tax } precedingInvoices { number }
  lines(first: 20) { totalCount nodes { itemName quantity netAmount } } validationReport { syntax }
} } }
"""


async def test_inbox_and_detail_query_counts_are_pinned(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    supplier = await make_structure(db, name="Atelier Durand SARL")
    entity = await make_structure(db, name="Commune de Villeneuve", public=True)
    user = await make_user(db, name="Paul Martin")
    await make_member(db, entity, user)
    token = token_for(app, entity, user)
    actor = Actor(supplier.id, "Marie Durand", "user:x")
    note = [AttachmentFile("bon.pdf", plain_pdf(), "application/pdf")]
    for i in range(50):
        document = deposit.DocumentFile("f.xml", ubl(invoice_between(supplier, entity, number=f"F-QC-{i:03d}")))
        done = await deposit.deposit(db, actor, document, note, Addressing())
        assert done.accepted, done.checked.problems

    counts = []
    for first in (5, 50):
        with counting(db) as statements:
            result = await data(client, token, INBOX, {"first": first})
        page = result["workspace"]["receivedInvoices"]
        assert page["totalCount"] == 50 and len(page["nodes"]) == first
        assert all(n["lastEvent"]["status"] == "MISE_A_DISPOSITION" for n in page["nodes"])
        counts.append(len(statements))
    # the workspace, the page, the count, the history of every invoice of the page at once
    assert counts == [4, 4], counts

    invoice_id = page["nodes"][0]["id"]
    with counting(db) as statements:
        detail = (await data(client, token, DETAIL, {"id": invoice_id}))["node"]
    assert detail["lines"]["totalCount"] == 2 and len(detail["history"]) == 2
    assert len(detail["attachments"]) == 1
    # the record with its details, its history, its attachments
    assert len(statements) == 3, statements


COUNTS = """
query ($todo: InvoiceFilter, $paid: InvoiceFilter, $all: InvoiceFilter) { workspace { id
  todo: receivedInvoices(first: 1, filter: $todo) { totalCount }
  paid: receivedInvoices(first: 1, filter: $paid) { totalCount }
  all: receivedInvoices(first: 1, filter: $all) { totalCount }
} }
"""


async def test_the_inbox_tabs_counts_cost_one_count_each(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    # The tabs above the list ask only totalCount, once per status group: no page is read for them.
    supplier = await make_structure(db, name="Atelier Durand SARL")
    entity = await make_structure(db, name="Commune de Villeneuve", public=True)
    user = await make_user(db, name="Paul Martin")
    await make_member(db, entity, user)
    token = token_for(app, entity, user)
    actor = Actor(supplier.id, "Marie Durand", "user:x")
    for i in range(3):
        document = deposit.DocumentFile("f.xml", ubl(invoice_between(supplier, entity, number=f"F-TC-{i:03d}")))
        assert (await deposit.deposit(db, actor, document, [], Addressing())).accepted
    variables = {"todo": {"statuses": ["MISE_A_DISPOSITION"]}, "paid": {"statuses": ["MISE_EN_PAIEMENT"]}, "all": {}}
    with counting(db) as statements:
        result = (await data(client, token, COUNTS, variables))["workspace"]
    assert (result["todo"]["totalCount"], result["paid"]["totalCount"], result["all"]["totalCount"]) == (3, 0, 3)
    # the workspace, then one count a tab
    assert len(statements) == 4, statements
