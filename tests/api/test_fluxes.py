"""depositFlux and workspace.fluxes through HTTP (GraphQL multipart requests), on both engines."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from invoicing.background import hub_worker
from tenancy.db import Database
from tenancy.jobs.queue import SystemClock
from tests.api.invoice_calls import multipart
from tests.conftest import settings_for
from tests.factories import data, make_member, make_structure, make_user, token_for
from tests.invoicing.fluxes import members, zip_of

DEPOSIT = """
mutation ($input: DepositFluxInput!) {
  depositFlux(input: $input) { flux { id number status depositedAt filename } userErrors { field code message } }
}
"""

FLUXES = """
{ workspace { fluxes(first: 10) { totalCount nodes {
  id number status filename depositor incident
  report { index name status invoiceNumber invoiceId problems { code message field bt } }
  invoices(first: 10) { totalCount nodes { id number status } }
} } } }
"""


async def deposit_flux(client: httpx.AsyncClient, token: str, archive: bytes, name: str = "lot.zip") -> dict[str, Any]:
    files = {"0": ("variables.input.archive", (name, archive, "application/zip"))}
    response = await multipart(client, token, DEPOSIT, {"input": {"archive": None}}, files)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]["depositFlux"]  # type: ignore[no-any-return]


async def _parties(db: Database, app: Starlette) -> tuple[Any, Any, str]:
    supplier = await make_structure(db, name="Atelier GraphQL")
    recipient = await make_structure(db, public=True, name="Mairie GraphQL")
    user = await make_user(db, name="Marie Flux")
    await make_member(db, supplier, user)
    return supplier, recipient, token_for(app, supplier, user)


async def test_deposit_a_flux_then_follow_it_to_its_report(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    supplier, recipient, token = await _parties(db, app)
    archive = zip_of(members(supplier, recipient, 4, broken={1}, prefix="GQ"))

    deposited = await deposit_flux(client, token, archive)
    assert deposited["userErrors"] == []
    flux = deposited["flux"]
    assert flux["status"] == "IN_RECU" and flux["number"].startswith("CPP") and flux["filename"] == "lot.zip"

    await hub_worker(db, clock=SystemClock(), listen=False).run_until_idle()

    listed = (await data(client, token, FLUXES))["workspace"]["fluxes"]
    assert listed["totalCount"] == 1
    (node,) = listed["nodes"]
    assert node["id"] == flux["id"] and node["status"] == "IN_INTEGRE_PARTIEL" and node["depositor"] == "Marie Flux"
    assert [(e["index"], e["status"]) for e in node["report"]] == [
        (0, "ACCEPTED"),
        (1, "REJECTED"),
        (2, "ACCEPTED"),
        (3, "ACCEPTED"),
    ]
    rejected = node["report"][1]
    assert rejected["invoiceId"] is None and rejected["problems"] and rejected["problems"][0]["message"]
    accepted = [e for e in node["report"] if e["status"] == "ACCEPTED"]
    assert {e["invoiceNumber"] for e in accepted} == {"GQ-0000", "GQ-0002", "GQ-0003"}
    invoices = node["invoices"]
    assert invoices["totalCount"] == 3
    assert {i["id"] for i in invoices["nodes"]} == {e["invoiceId"] for e in accepted}
    assert {i["status"] for i in invoices["nodes"]} == {"MISE_A_DISPOSITION"}

    again = await data(
        client, token, "query ($id: ID!) { node(id: $id) { ... on Flux { number status } } }", {"id": flux["id"]}
    )
    assert again["node"] == {"number": flux["number"], "status": "IN_INTEGRE_PARTIEL"}
    # Another workspace's token: the flux is not there.
    other = await make_structure(db)
    stranger = token_for(app, other, await make_user(db))
    hidden = await data(client, stranger, "query ($id: ID!) { node(id: $id) { id } }", {"id": flux["id"]})
    assert hidden == {"node": None}
    assert (await data(client, stranger, FLUXES))["workspace"]["fluxes"]["totalCount"] == 0


@pytest.mark.parametrize(
    ("archive", "code"),
    [
        (b"<Invoice/>", "FLUX_NOT_AN_ARCHIVE"),
        (zip_of([("../../evil.xml", b"<x/>")]), "FLUX_UNSAFE_PATH"),
        (zip_of([("inner.xml", zip_of([("a.xml", b"<x/>")]))]), "FLUX_NESTED_ARCHIVE"),
    ],
    ids=["not-an-archive", "traversal", "nested"],
)
async def test_a_refused_archive_is_a_user_error_and_nothing_is_stored(
    archive: bytes, code: str, app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    _, _, token = await _parties(db, app)
    refused = await deposit_flux(client, token, archive)
    assert refused["flux"] is None
    (error,) = refused["userErrors"]
    assert error["code"] == code and error["field"] == ["input", "archive"] and error["message"]
    assert (await data(client, token, FLUXES))["workspace"]["fluxes"]["totalCount"] == 0


@pytest.fixture
async def serving_app(db: Database, database_url: str) -> AsyncIterator[Starlette]:
    """The app as `facturehub serve` runs it: with its worker in the lifespan."""
    application = create_app(settings_for(database_url, run_worker=True, worker_poll_interval=0.1), db=db)
    async with application.router.lifespan_context(application):
        yield application


async def test_the_servers_own_worker_integrates_the_flux(serving_app: Starlette, db: Database) -> None:
    supplier, recipient, token = await _parties(db, serving_app)
    transport = httpx.ASGITransport(app=serving_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
        deposited = await deposit_flux(http, token, zip_of(members(supplier, recipient, 3, prefix="SV")))
        assert deposited["userErrors"] == []
        deadline = time.monotonic() + 60
        while True:  # the worker is another task of the server: watch the flux as a client would
            (node,) = (await data(http, token, FLUXES))["workspace"]["fluxes"]["nodes"]
            if node["status"] == "IN_INTEGRE" or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.05)
    assert node["status"] == "IN_INTEGRE" and node["invoices"]["totalCount"] == 3
