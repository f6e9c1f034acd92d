"""A small, complete EN 16931 invoice for tests to start from and break on purpose."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from invoicing.formats import model

D = Decimal


def seller() -> model.Party:
    return model.Party(
        name="Fournitures Durand SARL",
        trading_name="Durand Bureau",
        identifiers=[model.Identifier("587451236", "0002")],
        legal_registration=model.Identifier("58745123600017", "0009"),
        vat_id="FR32587451236",
        legal_info="Capital 10 000 EUR",
        electronic_address=model.Identifier("58745123600017", "0009"),
        address=model.Address(line1="12 rue des Lilas", city="Lyon", postcode="69003", country="FR"),
        contact=model.Contact(name="Service facturation", phone="+33 4 00 00 00 00", email="factures@durand.example"),
    )


def buyer() -> model.Party:
    return model.Party(
        name="Mairie de Villeneuve",
        identifiers=[model.Identifier("21690001700010", "0009")],
        legal_registration=model.Identifier("21690001700010", "0009"),
        electronic_address=model.Identifier("21690001700010", "0009"),
        address=model.Address(line1="Place de la Republique", city="Villeneuve", postcode="69100", country="FR"),
    )


def line(number: int, quantity: str, price: str, *, rate: str = "20.00", name: str = "Ramette A4") -> model.Line:
    net = (D(quantity) * D(price)).quantize(D("0.01"))
    return model.Line(
        id=str(number),
        quantity=D(quantity),
        unit="C62",
        net_amount=net,
        net_price=D(price),
        item_name=name,
        vat_category="S",
        vat_rate=D(rate),
        seller_item_id=f"ART-{number}",
    )


def invoice(**overrides: Any) -> model.Invoice:
    """A valid standard-rated invoice: two lines, one document-level charge, VAT at 20 %."""
    lines = [line(1, "10", "4.50"), line(2, "2", "12.00", name="Classeur")]
    charge = model.AllowanceCharge(
        charge=True, amount=D("5.00"), vat_category="S", vat_rate=D("20.00"), reason="Livraison", reason_code="DL"
    )
    line_net = sum((item.net_amount for item in lines), D("0.00"))
    without_vat = line_net + charge.amount
    vat = (without_vat * D("0.20")).quantize(D("0.01"))
    built = model.Invoice(
        number="F-2026-0042",
        issue_date=dt.date(2026, 11, 2),
        type_code="380",
        currency="EUR",
        seller=seller(),
        buyer=buyer(),
        totals=model.Totals(
            line_net=line_net,
            charges=charge.amount,
            without_vat=without_vat,
            vat=vat,
            with_vat=without_vat + vat,
            payable=without_vat + vat,
        ),
        due_date=dt.date(2026, 12, 2),
        buyer_reference="SERVICE-TECH-01",
        order_ref="BC-7781",
        payment_terms="30 jours fin de mois",
        notes=[model.Note("Merci de votre confiance", "AAI")],
        specification_id="urn:cen.eu:en16931:2017",
        payment=model.Payment(
            means_code="58",
            remittance="F-2026-0042",
            credit_transfers=[model.CreditTransfer("FR7630006000011234567890189", "Durand", "AGRIFRPP")],
        ),
        allowances_charges=[charge],
        vat_breakdown=[model.VatBreakdown(taxable=without_vat, tax=vat, category="S", rate=D("20.00"))],
        lines=lines,
    )
    return dataclasses.replace(built, **overrides)


def rich_invoice() -> model.Invoice:
    """The same invoice with most optional business terms filled, to prove writers and readers keep them."""
    base = invoice()
    first = dataclasses.replace(
        base.lines[0],
        note="Livraison partielle",
        order_line_ref="3",
        accounting_ref="6064",
        period=model.Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        description="Papier 80 g",
        buyer_item_id="B-55",
        standard_id=model.Identifier("3017620422003", "0160"),
        classifications=[model.Classification("30197600", "STI", "2008")],
        origin_country="FR",
        attributes=[model.ItemAttribute("Couleur", "Blanc")],
        price_base_quantity=D("1"),
        price_base_unit="C62",
        gross_price=D("5.00"),
        price_discount=D("0.50"),
        object_id=model.Identifier("LOT-9", "ABZ"),
    )
    return dataclasses.replace(
        base,
        tax_point_date=None,
        vat_point_code=None,
        project_ref="PRJ-12",
        contract_ref="MARCHE-2026-07",
        sales_order_ref="CMD-991",
        receiving_advice_ref="REC-4",
        despatch_advice_ref="BL-77",
        tender_ref="LOT-2",
        invoiced_object=model.Identifier("COMPTEUR-42", "AAA"),
        buyer_accounting_ref="60-FOURN",
        process_id="A1",
        preceding=[model.PrecedingInvoice("F-2026-0001", dt.date(2026, 1, 5))],
        payee=model.Payee(
            name="Affacturage SA", identifier=model.Identifier("PAYEE-1"), legal_registration=model.Identifier("123")
        ),
        delivery=model.Delivery(
            party_name="Ecole Jules Ferry",
            location=model.Identifier("5790000435975", "0088"),
            date=dt.date(2026, 10, 28),
            address=model.Address(line1="1 rue de l'Ecole", city="Villeneuve", postcode="69100", country="FR"),
        ),
        period=model.Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31)),
        attachments=[
            model.Attachment(
                "ANNEXE-1", "Bon de livraison", content="YTtiCjE7Mgo=", mime="text/csv", filename="bl.csv"
            ),
            model.Attachment("ANNEXE-2", "Conditions", uri="https://durand.example/cgv"),
        ],
        lines=[first, base.lines[1]],
    )


def credit_note() -> model.Invoice:
    base = invoice()
    return dataclasses.replace(
        base,
        type_code="381",
        number="AV-2026-0003",
        preceding=[model.PrecedingInvoice("F-2026-0042", dt.date(2026, 11, 2))],
    )
