"""Refusals are said in the request's language: Accept-Language fr or en, English when it names neither."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.core.language import request_locale
from invoicing.background import hub_worker
from invoicing.platform_codes import PlatformCode
from invoicing.refusal_codes import RefusalCode
from tenancy.db import Database
from tenancy.jobs.queue import SystemClock
from tests.api import invoice_calls as calls
from tests.api.test_fluxes import FLUXES, deposit_flux
from tests.factories import gql, make_member, make_structure, make_user, token_for
from tests.invoicing.fluxes import members, zip_of
from tests.invoicing.parties import invoice_between, ubl


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "en"),
        ("", "en"),
        ("fr", "fr"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE,fr;q=0.5,en;q=0.7", "en"),
        ("de-DE,en;q=0.5,fr;q=0.7", "fr"),
        ("de, es", "en"),
        ("fr;q=0, en;q=0.1", "en"),
        ("fr;q=bad", "en"),
        ("*", "en"),
    ],
)
def test_the_language_asked_for(header: str | None, locale: str) -> None:
    assert request_locale(header) == locale


async def _parties(app: Starlette, db: Database) -> dict[str, Any]:
    supplier = await make_structure(db, name="Atelier Langues")
    entity = await make_structure(db, name="Mairie Langues", public=True)
    user, buyer = await make_user(db, name="Marie Langue"), await make_user(db, name="Paul Langue")
    await make_member(db, supplier, user)
    await make_member(db, entity, buyer)
    return {
        "supplier": supplier,
        "entity": entity,
        "token": token_for(app, supplier, user),
        "entity_token": token_for(app, entity, buyer),
    }


async def _preview(client: httpx.AsyncClient, token: str, document: bytes, **headers: str) -> list[dict[str, Any]]:
    response = await calls.multipart(
        client,
        token,
        calls.PREVIEW,
        {"input": {"document": None, "recipientIdentifier": "00000000000000"}},
        {"0": ("variables.input.document", ("f.xml", document, "application/xml"))},
        **headers,
    )
    errors: list[dict[str, Any]] = response.json()["data"]["previewInvoice"]["userErrors"]
    return errors


async def test_a_deposits_problems_in_french_or_english(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    p = await _parties(app, db)
    bad = ubl(invoice_between(p["supplier"], p["entity"], number="F/BAD NUMBER WAY TOO LONG"))
    french = await _preview(client, p["token"], bad, **{"Accept-Language": "fr-FR,fr;q=0.9"})
    english = await _preview(client, p["token"], bad, **{"Accept-Language": "en"})
    unsaid = await _preview(client, p["token"], bad)
    assert english == unsaid  # a client that asks for nothing gets English, as before
    by_rule = {e["rule"]: e["message"] for e in french}
    assert by_rule["FH-NUMBER-FORMAT"] == PlatformCode.NUMBER_FORMAT.message("fr", number="F/BAD NUMBER WAY TOO LONG")
    mismatch = {"given": "00000000000000", "buyers": p["entity"].identifier}
    assert by_rule["FH-RECIPIENT-MISMATCH"] == PlatformCode.RECIPIENT_MISMATCH.message("fr", **mismatch)
    assert {e["rule"]: e["message"] for e in english}["FH-RECIPIENT-MISMATCH"] == (
        PlatformCode.RECIPIENT_MISMATCH.message("en", **mismatch)
    )
    # Only the words change: the same rules, fields and terms in both.
    assert [(e["rule"], e["field"], e["bt"], e["code"]) for e in french] == [
        (e["rule"], e["field"], e["bt"], e["code"]) for e in english
    ]
    # A file that is no XML at all is refused before any rule: its words are the hub's too.
    (not_xml,) = await _preview(client, p["token"], b"", **{"Accept-Language": "fr"})
    assert not_xml["rule"] == "FH-NOT-XML" and not_xml["message"] == PlatformCode.NOT_XML.message("fr", "empty")


async def test_a_refused_decision_in_french(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    p = await _parties(app, db)
    await calls.submit(client, p["token"], invoice_between(p["supplier"], p["entity"], number="F-LANG-1"))
    (invoice,) = (await calls.lists(client, p["entity_token"]))["receivedInvoices"]["nodes"]
    fields = {"invoiceId": invoice["id"], "status": "REJETEE", "version": invoice["version"]}
    response = await gql(client, p["entity_token"], calls.PROCESS, {"input": fields}, **{"Accept-Language": "fr"})
    (error,) = response.json()["data"]["processInvoice"]["userErrors"]
    assert error["code"] == "REASON_REQUIRED"
    assert error["message"] == RefusalCode.REASON_REQUIRED.message("fr", status="REJETEE")


async def test_a_flux_report_is_read_in_its_readers_language(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    p = await _parties(app, db)
    archive = zip_of(members(p["supplier"], p["entity"], 3, broken={1, 2}, prefix="LG"))
    assert (await deposit_flux(client, p["token"], archive))["userErrors"] == []
    await hub_worker(db, clock=SystemClock(), listen=False).run_until_idle()

    async def problems(language: str) -> list[dict[str, Any]]:
        response = await gql(client, p["token"], FLUXES, **{"Accept-Language": language})
        (node,) = response.json()["data"]["workspace"]["fluxes"]["nodes"]
        return [problem for entry in node["report"] for problem in entry["problems"]]

    french, english = await problems("fr"), await problems("en")
    assert [q["code"] for q in french] == [q["code"] for q in english]
    assert {q["code"] for q in french} == {"FH-NOT-XML", "FH-DOCTYPE"}
    assert all(fr["message"] != en["message"] for fr, en in zip(french, english, strict=True))
    by_code = {q["code"]: q["message"] for q in french}
    assert by_code["FH-DOCTYPE"] == PlatformCode.DOCTYPE.message("fr")
    assert {q["code"]: q["message"] for q in english}["FH-DOCTYPE"] == PlatformCode.DOCTYPE.message("en")
