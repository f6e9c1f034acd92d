"""The EN 16931 semantic model: one invoice, whatever syntax it came in.

Field comments give the business term (BT-) or group (BG-) of EN 16931-1. Amounts, quantities and rates are
``Decimal`` kept exactly as written (``Decimal("100.00")`` stays two decimals) so that reading and writing
again changes nothing, and the decimal-place rules (BR-DEC-*) see what the sender sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

# UNCL 1001 codes for documents that credit rather than charge: they go out as a UBL CreditNote.
CREDIT_NOTE_TYPE_CODES = frozenset({"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"})


@dataclass
class Identifier:
    value: str
    scheme: str | None = None  # ISO 6523 ICD, EAS code, or the UNTDID 1153 reference type, as the term requires


@dataclass
class Address:  # BG-5, BG-8, BG-12, BG-15
    line1: str | None = None  # BT-35
    line2: str | None = None  # BT-36
    line3: str | None = None  # BT-162
    city: str | None = None  # BT-37
    postcode: str | None = None  # BT-38
    subdivision: str | None = None  # BT-39
    country: str | None = None  # BT-40 (ISO 3166-1 alpha-2)


@dataclass
class Contact:  # BG-6, BG-9
    name: str | None = None  # BT-41, BT-56
    phone: str | None = None  # BT-42, BT-57
    email: str | None = None  # BT-43, BT-58


@dataclass
class Party:  # BG-4 seller, BG-7 buyer
    name: str | None = None  # BT-27, BT-44
    trading_name: str | None = None  # BT-28, BT-45
    identifiers: list[Identifier] = field(default_factory=list)  # BT-29, BT-46
    legal_registration: Identifier | None = None  # BT-30, BT-47
    vat_id: str | None = None  # BT-31, BT-48
    tax_registration: str | None = None  # BT-32 (seller only)
    legal_info: str | None = None  # BT-33 (seller only)
    electronic_address: Identifier | None = None  # BT-34, BT-49
    address: Address | None = None  # BG-5, BG-8
    contact: Contact | None = None  # BG-6, BG-9


@dataclass
class Payee:  # BG-10
    name: str | None = None  # BT-59
    identifier: Identifier | None = None  # BT-60
    legal_registration: Identifier | None = None  # BT-61


@dataclass
class TaxRepresentative:  # BG-11
    name: str | None = None  # BT-62
    vat_id: str | None = None  # BT-63
    address: Address | None = None  # BG-12


@dataclass
class Period:  # BG-14, BG-26
    start: dt.date | None = None  # BT-73, BT-134
    end: dt.date | None = None  # BT-74, BT-135


@dataclass
class Delivery:  # BG-13
    party_name: str | None = None  # BT-70
    location: Identifier | None = None  # BT-71
    date: dt.date | None = None  # BT-72
    address: Address | None = None  # BG-15


@dataclass
class CreditTransfer:  # BG-17
    account: str  # BT-84
    account_name: str | None = None  # BT-85
    provider: str | None = None  # BT-86


@dataclass
class Payment:  # BG-16
    means_code: str | None = None  # BT-81
    means_text: str | None = None  # BT-82
    remittance: str | None = None  # BT-83
    credit_transfers: list[CreditTransfer] = field(default_factory=list)  # BG-17
    card_number: str | None = None  # BT-87 (BG-18)
    card_holder: str | None = None  # BT-88
    mandate: str | None = None  # BT-89 (BG-19)
    creditor_id: str | None = None  # BT-90
    debited_account: str | None = None  # BT-91


@dataclass
class AllowanceCharge:  # BG-20/BG-21 document level, BG-27/BG-28 line level
    charge: bool  # False = allowance
    amount: Decimal  # BT-92, BT-99, BT-136, BT-141
    base: Decimal | None = None  # BT-93, BT-100, BT-137, BT-142
    percent: Decimal | None = None  # BT-94, BT-101, BT-138, BT-143
    vat_category: str | None = None  # BT-95, BT-102 (document level only)
    vat_rate: Decimal | None = None  # BT-96, BT-103
    reason: str | None = None  # BT-97, BT-104, BT-139, BT-144
    reason_code: str | None = None  # BT-98, BT-105, BT-140, BT-145


@dataclass
class VatBreakdown:  # BG-23
    taxable: Decimal  # BT-116
    tax: Decimal  # BT-117
    category: str  # BT-118
    rate: Decimal | None = None  # BT-119
    exemption_reason: str | None = None  # BT-120
    exemption_code: str | None = None  # BT-121


@dataclass
class Totals:  # BG-22
    line_net: Decimal | None = None  # BT-106
    allowances: Decimal | None = None  # BT-107
    charges: Decimal | None = None  # BT-108
    without_vat: Decimal | None = None  # BT-109
    vat: Decimal | None = None  # BT-110
    vat_accounting_currency: Decimal | None = None  # BT-111
    with_vat: Decimal | None = None  # BT-112
    prepaid: Decimal | None = None  # BT-113
    rounding: Decimal | None = None  # BT-114
    payable: Decimal | None = None  # BT-115


@dataclass
class Attachment:  # BG-24
    id: str  # BT-122
    description: str | None = None  # BT-123
    uri: str | None = None  # BT-124
    content: str | None = None  # BT-125, kept base64 as sent: it is never interpreted
    mime: str | None = None  # BT-125 mime code
    filename: str | None = None  # BT-125 filename


@dataclass
class PrecedingInvoice:  # BG-3
    number: str  # BT-25
    date: dt.date | None = None  # BT-26


@dataclass
class Note:  # BG-1
    text: str  # BT-22
    subject_code: str | None = None  # BT-21


@dataclass
class ItemAttribute:  # BG-32
    name: str  # BT-160
    value: str  # BT-161


@dataclass
class Classification:
    code: str  # BT-158
    scheme: str | None = None  # BT-158-1
    version: str | None = None  # BT-158-2


@dataclass
class Line:  # BG-25
    id: str  # BT-126
    quantity: Decimal  # BT-129
    unit: str | None  # BT-130
    net_amount: Decimal  # BT-131
    net_price: Decimal  # BT-146
    item_name: str  # BT-153
    vat_category: str | None = None  # BT-151
    vat_rate: Decimal | None = None  # BT-152
    note: str | None = None  # BT-127
    object_id: Identifier | None = None  # BT-128
    order_line_ref: str | None = None  # BT-132
    accounting_ref: str | None = None  # BT-133
    period: Period | None = None  # BG-26
    allowances_charges: list[AllowanceCharge] = field(default_factory=list)  # BG-27, BG-28
    price_discount: Decimal | None = None  # BT-147
    gross_price: Decimal | None = None  # BT-148
    price_base_quantity: Decimal | None = None  # BT-149
    price_base_unit: str | None = None  # BT-150
    description: str | None = None  # BT-154
    seller_item_id: str | None = None  # BT-155
    buyer_item_id: str | None = None  # BT-156
    standard_id: Identifier | None = None  # BT-157
    classifications: list[Classification] = field(default_factory=list)  # BT-158
    origin_country: str | None = None  # BT-159
    attributes: list[ItemAttribute] = field(default_factory=list)  # BG-32


@dataclass
class Invoice:
    number: str  # BT-1
    issue_date: dt.date | None  # BT-2
    type_code: str  # BT-3
    currency: str  # BT-5
    seller: Party  # BG-4
    buyer: Party  # BG-7
    totals: Totals  # BG-22
    vat_currency: str | None = None  # BT-6
    tax_point_date: dt.date | None = None  # BT-7
    vat_point_code: str | None = None  # BT-8
    due_date: dt.date | None = None  # BT-9
    buyer_reference: str | None = None  # BT-10
    project_ref: str | None = None  # BT-11
    contract_ref: str | None = None  # BT-12
    order_ref: str | None = None  # BT-13
    sales_order_ref: str | None = None  # BT-14
    receiving_advice_ref: str | None = None  # BT-15
    despatch_advice_ref: str | None = None  # BT-16
    tender_ref: str | None = None  # BT-17
    invoiced_object: Identifier | None = None  # BT-18
    buyer_accounting_ref: str | None = None  # BT-19
    payment_terms: str | None = None  # BT-20
    notes: list[Note] = field(default_factory=list)  # BG-1
    process_id: str | None = None  # BT-23
    specification_id: str | None = None  # BT-24
    preceding: list[PrecedingInvoice] = field(default_factory=list)  # BG-3
    payee: Payee | None = None  # BG-10
    tax_representative: TaxRepresentative | None = None  # BG-11
    delivery: Delivery | None = None  # BG-13
    period: Period | None = None  # BG-14
    payment: Payment | None = None  # BG-16
    allowances_charges: list[AllowanceCharge] = field(default_factory=list)  # BG-20, BG-21
    vat_breakdown: list[VatBreakdown] = field(default_factory=list)  # BG-23
    attachments: list[Attachment] = field(default_factory=list)  # BG-24
    lines: list[Line] = field(default_factory=list)  # BG-25

    @property
    def is_credit_note(self) -> bool:
        return self.type_code in CREDIT_NOTE_TYPE_CODES
