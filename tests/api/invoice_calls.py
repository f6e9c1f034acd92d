"""GraphQL calls of the invoice tests: multipart deposits (the GraphQL multipart request spec) and actions."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from invoicing.formats.model import Invoice
from tests.factories import data, gql
from tests.invoicing.parties import ubl

INVOICE_FIELDS = """
id number side status lifecycleCode frame version issueDate depositedAt currency serviceCode engagementNumber
supplier { identifier name } recipient { identifier name } validator { identifier }
totals { withoutVat vat withVat amountDue } allowedTransitions
history { status fromStatus at actor actorSide action reason }
"""

SUBMIT = f"""
mutation ($input: SubmitInvoiceInput!) {{
  submitInvoice(input: $input) {{ invoice {{ {INVOICE_FIELDS} }} userErrors {{ field code rule message bt }} }}
}}
"""

PREVIEW = """
mutation ($input: PreviewInvoiceInput!) {
  previewInvoice(input: $input) { accepted number recipientIdentifier userErrors { field code rule message bt } }
}
"""

PROCESS = f"""
mutation ($input: ProcessInvoiceInput!) {{
  processInvoice(input: $input) {{ invoice {{ {INVOICE_FIELDS} }} userErrors {{ field code rule message }} }}
}}
"""

COMPLETE = f"""
mutation ($input: CompleteInvoiceInput!) {{
  completeInvoice(input: $input) {{ invoice {{ {INVOICE_FIELDS} attachments {{ filename kind downloadUrl }} }}
    userErrors {{ field code rule message }} }}
}}
"""

RECYCLE = f"""
mutation ($input: RecycleInvoiceInput!) {{
  recycleInvoice(input: $input) {{ invoice {{ {INVOICE_FIELDS} }} userErrors {{ field code rule message }} }}
}}
"""

ACKNOWLEDGE = f"""
mutation ($input: AcknowledgeRejectionInput!) {{
  acknowledgeRejection(input: $input) {{ invoice {{ {INVOICE_FIELDS} }} userErrors {{ field code rule message }} }}
}}
"""

VALIDATE = f"""
mutation ($input: ValidateSubcontractInvoiceInput!) {{
  validateSubcontractInvoice(input: $input) {{ invoice {{ {INVOICE_FIELDS} }} userErrors {{ field code rule message }} }}
}}
"""

LISTS = f"""
query ($filter: InvoiceFilter, $sortBy: InvoiceSort) {{ workspace {{
  receivedInvoices(first: 50, filter: $filter, sortBy: $sortBy) {{ totalCount nodes {{ {INVOICE_FIELDS} }} }}
  issuedInvoices(first: 50, filter: $filter, sortBy: $sortBy) {{ totalCount nodes {{ {INVOICE_FIELDS} }} }}
  invoicesToValidate(first: 50, filter: $filter, sortBy: $sortBy) {{ totalCount nodes {{ {INVOICE_FIELDS} }} }}
}} }}
"""

NODE = f"""
query ($id: ID!) {{ node(id: $id) {{ ... on Invoice {{ {INVOICE_FIELDS}
  attachments {{ filename kind size mediaType downloadUrl }} downloads {{ original ubl cii pdf }}
  vatBreakdown {{ category rate taxable tax }} lines(first: 10) {{ totalCount nodes {{ lineId itemName quantity netAmount }} }}
  validationReport {{ syntax profile findings {{ rule flag }} }} lastEvent {{ status actor }}
}} }} }}
"""


async def multipart(
    client: httpx.AsyncClient,
    token: str,
    query: str,
    variables: dict[str, Any],
    files: dict[str, tuple[str, tuple[str, bytes, str]]],
    **headers: str,
) -> httpx.Response:
    """``files``: multipart field name -> (variable path, (filename, bytes, media type))."""
    body = {
        "operations": json.dumps({"query": query, "variables": variables}),
        "map": json.dumps({name: [path] for name, (path, _) in files.items()}),
    }
    return await client.post(
        "/graphql",
        data=body,
        files={name: file for name, (_, file) in files.items()},
        headers={"Authorization": f"Bearer {token}", **headers},
    )


async def submit(
    client: httpx.AsyncClient,
    token: str,
    invoice: Invoice | bytes,
    *,
    attachments: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    content = invoice if isinstance(invoice, bytes) else ubl(invoice)
    files: dict[str, tuple[str, tuple[str, bytes, str]]] = {
        "0": ("variables.input.document", ("facture.xml", content, "application/xml"))
    }
    for i, attachment in enumerate(attachments, start=1):
        files[str(i)] = (f"variables.input.attachments.{i - 1}", attachment)
    variables = {"input": {"document": None, "attachments": [None] * len(attachments), **fields}}
    response = await multipart(client, token, SUBMIT, variables, files, **(headers or {}))
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]["submitInvoice"]  # type: ignore[no-any-return]


async def act(client: httpx.AsyncClient, token: str, mutation: str, **fields: Any) -> dict[str, Any]:
    result = await data(client, token, mutation, {"input": fields})
    (payload,) = result.values()
    return payload  # type: ignore[no-any-return]


async def lists(client: httpx.AsyncClient, token: str, **variables: Any) -> dict[str, Any]:
    return (await data(client, token, LISTS, variables))["workspace"]  # type: ignore[no-any-return]


async def node(client: httpx.AsyncClient, token: str, node_id: str) -> Any:
    response = await gql(client, token, NODE, {"id": node_id})
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["node"]


def unsigned(body: object) -> str:
    """A response as text without its signed download links, which carry their expiry in seconds."""
    return re.sub(r"/files/[A-Za-z0-9_\-.]+", "/files/<signed>", json.dumps(body, sort_keys=True))
