"""A typed-in invoice in each VAT category (createInvoice through the real API, on both engines): the UBL the
hub writes passes the official EN 16931 validation, or the input is refused on the field that lacks a term.

Each accepted invoice is downloaded as the recipient gets it and validated again with the CEN artefacts; each
refusal stores nothing, and the refusals the CEN rules would make are shown to be real: the draft written
without the check breaks the very rule the message names.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from invoicing.deposit import typed
from invoicing.deposit.records import InvoiceRecord
from invoicing.formats.convert import Target, write
from invoicing.formats.reader import read_invoice
from invoicing.validation import validate as validation
from tenancy.db import Database
from tenancy.enums import IdentifierType
from tests.api import invoice_calls as calls
from tests.factories import data, make_member, make_structure, make_user, token_for
from tests.invoicing.parties import french_vat

CREATE = f"""
mutation ($input: InvoiceInput!) {{
  createInvoice(input: $input) {{
    invoice {{ {calls.INVOICE_FIELDS} downloads {{ ubl }} }}
    userErrors {{ field code rule message bt }}
  }}
}}
"""
EXEMPT = "Exonération de TVA, article 261-4-4° du CGI"


@pytest.fixture
async def parties(app: Starlette, db: Database) -> dict[str, Any]:
    supplier = await make_structure(db, name="Atelier Durand SARL")
    entity = await make_structure(db, name="Commune de Villeneuve", public=True)
    user = await make_user(db, name="Marie Durand")
    await make_member(db, supplier, user)
    return {"supplier": supplier, "entity": entity, "token": token_for(app, supplier, user)}


def _input(parties: dict[str, Any], number: str, lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    base = {"itemName": "Prestation", "quantity": "2", "netPrice": "100.00"}
    return {
        "number": number,
        "issueDate": "2026-11-20",
        "recipientIdentifier": parties["entity"].identifier,
        "lines": [base | line for line in lines],
        **extra,
    }


async def _stored(database_url: str) -> int:
    owner = Database(database_url, as_owner=True)
    try:
        async with owner.engine.connect() as connection:
            return (await connection.execute(select(func.count()).select_from(InvoiceRecord))).scalar_one()
    finally:
        await owner.dispose()


def _fatal(document: bytes) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in validation.validate(document).findings if f.flag == "fatal"]


# (id, lines, extra input, the breakdown expected: (category, rate, reason code, reason text))
ACCEPTED: list[tuple[str, list[dict[str, Any]], dict[str, Any], list[tuple[str, str | None, str | None, str | None]]]]
ACCEPTED = [
    ("S", [{}, {"vatRate": "5.50"}], {}, [("S", "5.50", None, None), ("S", "20.00", None, None)]),
    ("Z", [{"vatCategory": "Z"}], {}, [("Z", "0.00", None, None)]),
    ("E-text", [{"vatCategory": "E", "vatExemptionReason": EXEMPT}], {}, [("E", "0.00", None, EXEMPT)]),
    (
        "E-code",
        [{"vatCategory": "E", "vatExemptionReasonCode": "vatex-fr-franchise"}, {"vatCategory": "E"}],
        {},
        [("E", "0.00", "VATEX-FR-FRANCHISE", None)],
    ),
    (
        "AE",
        [{"vatCategory": "AE"}],
        {"buyerVatIdentifier": "FR 32 123 456 789"},
        [("AE", "0.00", "VATEX-EU-AE", "Autoliquidation")],
    ),
    (
        "K",
        [{"vatCategory": "K", "vatRate": "0"}],
        {"buyerVatIdentifier": "FR32123456789", "deliveryDate": "2026-11-18"},
        [("K", "0.00", "VATEX-EU-IC", "Livraison intracommunautaire exonérée")],
    ),
    ("G", [{"vatCategory": "G"}], {}, [("G", "0.00", "VATEX-EU-G", "Exportation hors de l'Union européenne")]),
    (
        "O",
        [{"vatCategory": "O"}, {"vatCategory": "O", "vatRate": "0", "vatExemptionReason": "Non assujetti"}],
        {},
        [("O", None, "VATEX-EU-O", "Non assujetti")],
    ),
    (
        "S-Z-E",
        [{}, {"vatCategory": "Z"}, {"vatCategory": "E", "vatExemptionReason": EXEMPT}],
        {},
        [("E", "0.00", None, EXEMPT), ("S", "20.00", None, None), ("Z", "0.00", None, None)],
    ),
    (
        "O-credit-note",
        [{"vatCategory": "O"}],
        {"typeCode": "381", "precedingInvoices": [{"number": "F-2026-0007", "issueDate": "2026-10-01"}]},
        [("O", None, "VATEX-EU-O", "Hors champ d'application de la TVA")],
    ),
]


@pytest.mark.parametrize(("lines", "extra", "breakdown"), [a[1:] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED])
async def test_a_typed_in_invoice_in_each_category_passes_the_official_validation(
    parties: dict[str, Any],
    client: httpx.AsyncClient,
    lines: list[dict[str, Any]],
    extra: dict[str, Any],
    breakdown: list[tuple[str, str | None, str | None, str | None]],
) -> None:
    typed_in = _input(parties, "F-VAT-1", lines, **extra)
    payload = (await data(client, parties["token"], CREATE, {"input": typed_in}))["createInvoice"]
    assert payload["userErrors"] == [], payload
    assert payload["invoice"]["status"] == "MISE_A_DISPOSITION"
    document = (await client.get(payload["invoice"]["downloads"]["ubl"])).content
    assert _fatal(document) == []
    written = read_invoice(document)
    got = [
        (b.category, None if b.rate is None else f"{b.rate:.2f}", b.exemption_code, b.exemption_reason)
        for b in written.vat_breakdown
    ]
    assert sorted(got, key=lambda b: (b[0], Decimal(b[1] or 0))) == breakdown
    categories = {b[0] for b in breakdown}
    if categories == {"O"}:  # BR-O-02, BR-O-05: no rate, no VAT identifier anywhere
        assert all(line.vat_rate is None for line in written.lines)
        assert written.seller.vat_id is None and written.buyer.vat_id is None
        assert written.totals.vat == 0 and written.totals.payable == written.totals.without_vat
    else:
        assert written.seller.vat_id == french_vat(parties["supplier"].identifier[:9])
    if categories & {"AE", "K"}:
        assert written.buyer.vat_id == "FR32123456789"
    if "K" in categories:  # BR-IC-11, BR-IC-12
        assert written.delivery is not None and written.delivery.date == dt.date(2026, 11, 18)
        assert written.delivery.address is not None and written.delivery.address.country == "FR"
    if extra.get("typeCode") == "381":
        assert written.is_credit_note and [p.number for p in written.preceding] == ["F-2026-0007"]


# (id, lines, extra input, the field refused, what its message says, the CEN rule the unchecked draft breaks)
REFUSED: list[tuple[str, list[dict[str, Any]], dict[str, Any], list[str], str, str | None]] = [
    # A rate or a reason the category has not is a contradiction in the input: the hub would leave it out, so
    # it is refused rather than the invoice saying less than the supplier typed.
    ("O-rate", [{"vatCategory": "O", "vatRate": "5.5"}], {}, ["lines", "0", "vatRate"], "BR-O-05", None),
    ("O-and-S", [{"vatCategory": "O"}, {}], {}, ["lines", "1", "vatCategory"], "BR-O-12", "BR-O-12"),
    (
        "O-buyer-vat",
        [{"vatCategory": "O"}],
        {"buyerVatIdentifier": "FR32123456789"},
        ["buyerVatIdentifier"],
        "BR-O-02",
        None,  # the hub would leave it out: it is refused so the supplier knows it was not written
    ),
    ("E-no-reason", [{"vatCategory": "E"}], {}, ["lines", "0", "vatExemptionReason"], "BR-E-10", "BR-E-10"),
    (
        "E-two-reasons",
        [{"vatCategory": "E", "vatExemptionReason": EXEMPT}, {"vatCategory": "E", "vatExemptionReason": "Autre"}],
        {},
        ["lines", "1", "vatExemptionReason"],
        "BR-E-01",
        None,
    ),
    (
        "E-rate",
        [{"vatCategory": "E", "vatRate": "20", "vatExemptionReason": EXEMPT}],
        {},
        ["lines", "0", "vatRate"],
        "BR-E-05",
        None,
    ),
    (
        "Z-reason",
        [{"vatCategory": "Z", "vatExemptionReason": "Taux zéro"}],
        {},
        ["lines", "0", "vatExemptionReason"],
        "BR-Z-10",
        None,
    ),
    ("S-zero", [{"vatRate": "0"}], {}, ["lines", "0", "vatRate"], "BR-S-05", "BR-S-05"),
    ("AE-no-buyer-vat", [{"vatCategory": "AE"}], {}, ["buyerVatIdentifier"], "242 nonies A", None),
    (
        "K-no-buyer-vat",
        [{"vatCategory": "K"}],
        {"deliveryDate": "2026-11-18"},
        ["buyerVatIdentifier"],
        "BR-IC-02",
        "BR-IC-02",
    ),
    (
        "K-no-delivery",
        [{"vatCategory": "K"}],
        {"buyerVatIdentifier": "FR32123456789"},
        ["deliveryDate"],
        "BR-IC-11",
        None,
    ),
    ("buyer-vat-format", [{}], {"buyerVatIdentifier": "123456789"}, ["buyerVatIdentifier"], "BR-CO-09", "BR-CO-09"),
    (
        "G-code",
        [{"vatCategory": "G", "vatExemptionReasonCode": "VATEX-EU-O"}],
        {},
        ["lines", "0", "vatExemptionReasonCode"],
        "VATEX-EU-G",
        None,
    ),
    ("L", [{"vatCategory": "L"}], {}, ["lines", "0", "vatCategory"], "S, Z, E, AE, K, G or O", None),
]


@pytest.mark.parametrize(
    ("lines", "extra", "field", "says", "cen"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
async def test_a_category_without_its_terms_is_refused_on_the_field_to_change(
    parties: dict[str, Any],
    client: httpx.AsyncClient,
    database_url: str,
    lines: list[dict[str, Any]],
    extra: dict[str, Any],
    field: list[str],
    says: str,
    cen: str | None,
) -> None:
    before = await _stored(database_url)
    typed_in = _input(parties, "F-VAT-2", lines, **extra)
    payload = (await data(client, parties["token"], CREATE, {"input": typed_in}))["createInvoice"]
    assert payload["invoice"] is None
    [error] = payload["userErrors"]
    assert error["field"] == ["input", *field], error
    assert error["code"] == "PLATFORM_RULE" and error["rule"] == "FH-VAT-CATEGORY" and says in error["message"]
    assert await _stored(database_url) == before
    if cen is not None:  # the check is no stricter than the rule: written anyway, the invoice breaks it
        draft = _draft(typed_in)
        unchecked = write(typed.build(draft, parties["supplier"], parties["entity"]), Target.UBL)
        assert any(f.startswith(f"{cen}:") for f in _fatal(unchecked)), _fatal(unchecked)


def _draft(typed_in: dict[str, Any]) -> typed.InvoiceDraft:
    return typed.InvoiceDraft(
        number=typed_in["number"],
        issue_date=dt.date.fromisoformat(typed_in["issueDate"]),
        lines=[
            typed.LineDraft(
                line["itemName"],
                Decimal(line["quantity"]),
                Decimal(line["netPrice"]),
                Decimal(line["vatRate"]) if "vatRate" in line else None,
                line.get("vatCategory", "S"),
                exemption_reason=line.get("vatExemptionReason"),
                exemption_code=line.get("vatExemptionReasonCode"),
            )
            for line in typed_in["lines"]
        ],
        buyer_vat_id=typed_in.get("buyerVatIdentifier"),
        delivery_date=dt.date.fromisoformat(typed_in["deliveryDate"]) if "deliveryDate" in typed_in else None,
    )


async def test_a_seller_without_a_vat_number_cannot_invoice_vat_but_can_invoice_outside_its_scope(
    app: Starlette, db: Database, client: httpx.AsyncClient, parties: dict[str, Any]
) -> None:
    foreign = await make_structure(
        db, name="Studio Rossi", identifier="IT-RSSMRA80A01H501U", identifier_type=IdentifierType.HORS_UE
    )
    user = await make_user(db)
    await make_member(db, foreign, user)
    token = token_for(app, foreign, user)
    refused = await data(client, token, CREATE, {"input": _input(parties, "F-VAT-3", [{"vatCategory": "Z"}])})
    [error] = refused["createInvoice"]["userErrors"]
    assert error["field"] == ["input", "lines", "0", "vatCategory"] and "BT-31" in error["message"], error
    done = await data(client, token, CREATE, {"input": _input(parties, "F-VAT-3", [{"vatCategory": "O"}])})
    assert done["createInvoice"]["userErrors"] == [], done
