"""A typed-in invoice (the form, or createInvoice): the EN 16931 model built from a few fields.

The seller is the depositing workspace as the hub knows it; the buyer is the addressed public structure
from the directory (name, identifiers, address), so the form asks only for what only the supplier knows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from invoicing.deposit import vat_categories
from invoicing.deposit.problems import Problem, platform_problem
from invoicing.formats.model import (
    Address,
    CreditTransfer,
    Delivery,
    Identifier,
    Invoice,
    Line,
    Note,
    Party,
    Payment,
    PrecedingInvoice,
    Totals,
    VatBreakdown,
)
from invoicing.lifecycle.transitions import Frame
from invoicing.platform_codes import PlatformCode
from tenancy.models import Structure

CENT = Decimal("0.01")
# Bounds of a typed-in line: far above any real invoice, and far below what Decimal arithmetic (28 digits)
# and the UBL amounts (BT-131 = quantity x price, rounded to the cent) can hold without failing.
_BOUNDS = (
    ("quantity", "quantity", "BT-129", "the invoiced quantity", Decimal("-1e9"), Decimal("1e9"), 6),
    ("net_price", "netPrice", "BT-146", "the item net price", Decimal(0), Decimal("1e12"), 6),
    ("vat_rate", "vatRate", "BT-152", "the VAT rate", Decimal(0), Decimal(100), 2),
)


@dataclass(frozen=True)
class LineDraft:
    item_name: str
    quantity: Decimal
    net_price: Decimal
    vat_rate: Decimal | None = None  # None: the category's (20.00 for S, 0 for Z/E/AE/K/G, none for O)
    vat_category: str = "S"
    unit: str = "C62"
    exemption_reason: str | None = None  # BT-120 of its category's breakdown
    exemption_code: str | None = None  # BT-121


@dataclass(frozen=True)
class InvoiceDraft:
    number: str
    issue_date: dt.date
    lines: Sequence[LineDraft]
    type_code: str = "380"
    currency: str = "EUR"
    due_date: dt.date | None = None
    service_code: str | None = None
    engagement_number: str | None = None
    payment_terms: str | None = None
    note: str | None = None
    iban: str | None = None
    preceding: Sequence[tuple[str, dt.date | None]] = field(default_factory=tuple)
    frame: Frame | None = None  # written as BT-23, as Chorus Pro flows carry it
    buyer_vat_id: str | None = None  # BT-48: the directory does not publish it
    delivery_date: dt.date | None = None  # BT-72


def line_problems(lines: Sequence[LineDraft]) -> list[Problem]:
    """Numbers of typed-in lines that no invoice can carry: out of range or with too many decimals."""
    problems: list[Problem] = []
    for index, line in enumerate(lines):
        for name, field_name, bt, what, low, high, places in _BOUNDS:
            value: Decimal | None = getattr(line, name)
            if value is None:
                continue
            exponent = value.as_tuple().exponent
            if not value.is_finite() or not low <= value < high or (isinstance(exponent, int) and -exponent > places):
                problems.append(
                    platform_problem(
                        PlatformCode.LINE_AMOUNT,
                        f"lines.{index}.{field_name}",
                        bt,
                        line=index + 1,
                        what=what,
                        bt=bt,
                        low=low,
                        high=high,
                        places=places,
                        value=value,
                    )
                )
    return problems


def draft_problems(draft: InvoiceDraft, seller: Structure) -> list[Problem]:
    """What stops the hub from writing ``draft``: numbers no invoice carries, VAT categories lacking their terms."""
    return line_problems(draft.lines) + vat_categories.problems(
        draft.lines, seller_vat=seller_vat_id(seller), buyer_vat=draft.buyer_vat_id, delivery_date=draft.delivery_date
    )


def _address(s: Structure) -> Address:
    return Address(
        line1=s.address_line1, line2=s.address_line2, city=s.town, postcode=s.postcode, country=s.country_code
    )


def _french_vat(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def seller_vat_id(s: Structure) -> str | None:
    """The workspace's VAT number (BT-31): the one it recorded, else a French SIRET's own (key from the SIREN)."""
    siret = s.identifier_type == "SIRET"
    return s.vat_number or (_french_vat(s.identifier[:9]) if siret and s.identifier[:9].isdigit() else None)


def _seller(s: Structure, *, with_vat: bool) -> Party:
    siret = s.identifier_type == "SIRET"
    return Party(
        name=s.name,
        identifiers=[Identifier(s.identifier[:9], "0002")] if siret else [Identifier(s.identifier, "0009")],
        legal_registration=Identifier(s.identifier, "0009" if siret else None),
        vat_id=seller_vat_id(s) if with_vat else None,  # BR-O-02: none when not subject to VAT
        electronic_address=Identifier(s.identifier, "0009") if siret else None,
        address=_address(s),
    )


def _buyer(buyer: Structure | str, vat_id: str | None) -> Party:
    # The buyer's side is built from what the directory publishes (name, identifier, address): its VAT number is
    # in its private record, so the supplier gives it when a category needs it (reverse charge...).
    if not isinstance(buyer, Structure):
        return Party(name=buyer, identifiers=[Identifier(buyer, "0009")], legal_registration=Identifier(buyer, "0009"))
    siret = buyer.identifier_type == "SIRET"
    return Party(
        name=buyer.name,
        identifiers=[Identifier(buyer.identifier, "0009")],
        legal_registration=Identifier(buyer.identifier, "0009" if siret else None),
        vat_id=vat_id,
        electronic_address=Identifier(buyer.identifier, "0009") if siret else None,
        address=_address(buyer),
    )


def _category(code: str) -> vat_categories.Category:
    category = vat_categories.category_of(code)
    if category is None:  # draft_problems refuses it first
        raise ValueError(f"unchecked VAT category {code!r}")
    return category


def build(draft: InvoiceDraft, seller: Structure, buyer: Structure | str) -> Invoice:
    """``buyer`` is the directory's structure, or only the identifier given (the deposit then says why not).

    ``draft`` is one ``draft_problems`` found nothing in: its VAT categories are known and complete.
    """
    lines = []
    for index, item in enumerate(draft.lines, start=1):
        category = _category(item.vat_category)
        lines.append(
            Line(
                id=str(index),
                quantity=item.quantity,
                unit=item.unit,
                net_amount=(item.quantity * item.net_price).quantize(CENT, ROUND_HALF_UP),
                net_price=item.net_price,
                item_name=item.item_name,
                vat_category=category.code,
                vat_rate=vat_categories.written_rate(category, item.vat_rate),
            )
        )
    groups: dict[tuple[str, Decimal | None], Decimal] = {}
    for line in lines:
        key = (line.vat_category or "S", line.vat_rate)
        groups[key] = groups.get(key, Decimal("0.00")) + line.net_amount
    reasons = vat_categories.reasons(draft.lines)
    breakdown = [
        VatBreakdown(
            taxable=taxable,
            tax=(taxable * (rate or 0) / 100).quantize(CENT, ROUND_HALF_UP),
            category=category,
            rate=rate,
            exemption_reason=reasons[category].text if category in reasons else None,
            exemption_code=reasons[category].code if category in reasons else None,
        )
        for (category, rate), taxable in sorted(groups.items(), key=lambda group: (group[0][0], group[0][1] or 0))
    ]
    net = sum((line.net_amount for line in lines), Decimal("0.00"))
    vat = sum((b.tax for b in breakdown), Decimal("0.00"))
    subject = all(line.vat_category != vat_categories.NOT_SUBJECT for line in lines)
    buyer_vat = vat_categories.clean_vat_id(draft.buyer_vat_id) if subject else None
    intra_community = any(line.vat_category == "K" for line in lines)
    return Invoice(
        number=draft.number,
        issue_date=draft.issue_date,
        type_code=draft.type_code,
        currency=draft.currency,
        seller=_seller(seller, with_vat=subject),
        buyer=_buyer(buyer, buyer_vat),
        totals=Totals(line_net=net, without_vat=net, vat=vat, with_vat=net + vat, payable=net + vat),
        due_date=draft.due_date,
        buyer_reference=draft.service_code,
        order_ref=draft.engagement_number,
        payment_terms=draft.payment_terms,
        notes=[Note(draft.note)] if draft.note else [],
        specification_id="urn:cen.eu:en16931:2017",
        process_id=draft.frame.code if draft.frame else None,
        # A credit transfer needs the account (BR-61): without an IBAN the invoice names no payment means.
        payment=Payment(
            means_code="30", remittance=draft.number, credit_transfers=[CreditTransfer(draft.iban.replace(" ", ""))]
        )
        if draft.iban
        else None,
        preceding=[PrecedingInvoice(number, date) for number, date in draft.preceding],
        # BR-IC-12: goods supplied within the EU go to the buyer, whose country is the deliver-to country.
        delivery=_delivery(draft, buyer, intra_community),
        vat_breakdown=breakdown,
        lines=lines,
    )


def _delivery(draft: InvoiceDraft, buyer: Structure | str, intra_community: bool) -> Delivery | None:
    if draft.delivery_date is None and not intra_community:
        return None
    country = buyer.country_code if isinstance(buyer, Structure) and intra_community else None
    return Delivery(date=draft.delivery_date, address=Address(country=country) if country else None)
