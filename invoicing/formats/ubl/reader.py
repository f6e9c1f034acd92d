"""UBL 2.1 Invoice / CreditNote to the semantic model (EN 16931-3-2 syntax binding)."""

from __future__ import annotations

import re
from typing import Any

from invoicing.formats.fields import Reader
from invoicing.formats.model import (
    Address,
    AllowanceCharge,
    Attachment,
    Classification,
    Contact,
    CreditTransfer,
    Delivery,
    Identifier,
    Invoice,
    ItemAttribute,
    Line,
    Note,
    Party,
    Payee,
    Payment,
    Period,
    PrecedingInvoice,
    TaxRepresentative,
    Totals,
    VatBreakdown,
)
from invoicing.formats.namespaces import UBL_NS
from invoicing.formats.ubl.codes import OBJECT_DOC_TYPE, PROJECT_DOC_TYPE

r = Reader(UBL_NS)
# BT-21 has no element of its own in UBL; the CEN binding and Peppol carry it as "#CODE#text" in the note.
_SUBJECT = re.compile(r"^#([A-Z]{3})#(.*)$", re.DOTALL)


def _identifier(node: Any, path: str) -> Identifier | None:
    found = r.one(node, path)
    if found is None:
        return None
    return Identifier(found.text or "", found.get("schemeID"))


def _address(node: Any) -> Address | None:
    if node is None:
        return None
    return Address(
        line1=r.text(node, "cbc:StreetName"),
        line2=r.text(node, "cbc:AdditionalStreetName"),
        line3=r.text(node, "cac:AddressLine/cbc:Line"),
        city=r.text(node, "cbc:CityName"),
        postcode=r.text(node, "cbc:PostalZone"),
        subdivision=r.text(node, "cbc:CountrySubentity"),
        country=r.text(node, "cac:Country/cbc:IdentificationCode"),
    )


def _party(node: Any) -> tuple[Party, str | None]:
    """The party and, for a seller, the SEPA creditor id (BT-90) UBL files among its identifiers."""
    creditor = None
    identifiers = []
    for ident in r.all(node, "cac:PartyIdentification/cbc:ID"):
        if ident.get("schemeID") == "SEPA":
            creditor = ident.text or ""
        else:
            identifiers.append(Identifier(ident.text or "", ident.get("schemeID")))
    vat_id = tax_registration = None
    for scheme in r.all(node, "cac:PartyTaxScheme"):
        if r.text(scheme, "cac:TaxScheme/cbc:ID") == "VAT":
            vat_id = r.text(scheme, "cbc:CompanyID")
        else:
            tax_registration = r.text(scheme, "cbc:CompanyID")
    contact_node = r.one(node, "cac:Contact")
    contact = None
    if contact_node is not None:
        contact = Contact(
            name=r.text(contact_node, "cbc:Name"),
            phone=r.text(contact_node, "cbc:Telephone"),
            email=r.text(contact_node, "cbc:ElectronicMail"),
        )
    party = Party(
        name=r.text(node, "cac:PartyLegalEntity/cbc:RegistrationName"),
        trading_name=r.text(node, "cac:PartyName/cbc:Name"),
        identifiers=identifiers,
        legal_registration=_identifier(node, "cac:PartyLegalEntity/cbc:CompanyID"),
        vat_id=vat_id,
        tax_registration=tax_registration,
        legal_info=r.text(node, "cac:PartyLegalEntity/cbc:CompanyLegalForm"),
        electronic_address=_identifier(node, "cbc:EndpointID"),
        address=_address(r.one(node, "cac:PostalAddress")),
        contact=contact,
    )
    return party, creditor


def _allowance_charge(node: Any, bt: str) -> AllowanceCharge:
    return AllowanceCharge(
        charge=(r.text(node, "cbc:ChargeIndicator") or "").strip() == "true",
        amount=r.required_decimal(node, "cbc:Amount", bt),
        base=r.decimal(node, "cbc:BaseAmount", bt),
        percent=r.decimal(node, "cbc:MultiplierFactorNumeric", bt),
        vat_category=r.text(node, "cac:TaxCategory/cbc:ID"),
        vat_rate=r.decimal(node, "cac:TaxCategory/cbc:Percent", bt),
        reason=r.text(node, "cbc:AllowanceChargeReason"),
        reason_code=r.text(node, "cbc:AllowanceChargeReasonCode"),
    )


def _period(node: Any) -> Period | None:
    if node is None:
        return None
    period = Period(r.date(node, "cbc:StartDate", "BT-73"), r.date(node, "cbc:EndDate", "BT-74"))
    return None if period.start is None and period.end is None else period


def _payment(root: Any, creditor: str | None) -> tuple[Payment | None, Any]:
    means = r.all(root, "cac:PaymentMeans")
    if not means and creditor is None:
        return None, None
    payment = Payment(creditor_id=creditor)
    if means:
        first = means[0]
        code = r.one(first, "cbc:PaymentMeansCode")
        payment.means_code = None if code is None else code.text or ""
        payment.means_text = None if code is None else code.get("name")
        payment.remittance = r.text(first, "cbc:PaymentID")
        payment.card_number = r.text(first, "cac:CardAccount/cbc:PrimaryAccountNumberID")
        payment.card_holder = r.text(first, "cac:CardAccount/cbc:HolderName")
        payment.mandate = r.text(first, "cac:PaymentMandate/cbc:ID")
        payment.debited_account = r.text(first, "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID")
    for mean in means:
        for account in r.all(mean, "cac:PayeeFinancialAccount"):
            payment.credit_transfers.append(
                CreditTransfer(
                    account=r.text(account, "cbc:ID") or "",
                    account_name=r.text(account, "cbc:Name"),
                    provider=r.text(account, "cac:FinancialInstitutionBranch/cbc:ID"),
                )
            )
    return payment, means[0] if means else None


def _line(node: Any, quantity_tag: str) -> Line:
    item = r.one(node, "cac:Item")
    price = r.one(node, "cac:Price")
    quantity = r.one(node, quantity_tag)
    discount = None
    gross = None
    for price_ac in r.all(price, "cac:AllowanceCharge"):
        discount = r.decimal(price_ac, "cbc:Amount", "BT-147")
        gross = r.decimal(price_ac, "cbc:BaseAmount", "BT-148")
    base_quantity = r.one(price, "cbc:BaseQuantity")
    object_id = None
    for ref in r.all(node, "cac:DocumentReference"):
        object_id = Identifier(r.text(ref, "cbc:ID") or "", r.attr(ref, "cbc:ID", "schemeID"))
    return Line(
        id=r.required(node, "cbc:ID", "BT-126"),
        quantity=r.required_decimal(node, quantity_tag, "BT-129"),
        unit=None if quantity is None else quantity.get("unitCode"),
        net_amount=r.required_decimal(node, "cbc:LineExtensionAmount", "BT-131"),
        net_price=r.required_decimal(price, "cbc:PriceAmount", "BT-146"),
        item_name=r.text(item, "cbc:Name") or "",
        vat_category=r.text(item, "cac:ClassifiedTaxCategory/cbc:ID"),
        vat_rate=r.decimal(item, "cac:ClassifiedTaxCategory/cbc:Percent", "BT-152"),
        note=r.text(node, "cbc:Note"),
        object_id=object_id,
        order_line_ref=r.text(node, "cac:OrderLineReference/cbc:LineID"),
        accounting_ref=r.text(node, "cbc:AccountingCost"),
        period=_period(r.one(node, "cac:InvoicePeriod")),
        allowances_charges=[_allowance_charge(ac, "BG-27") for ac in r.all(node, "cac:AllowanceCharge")],
        price_discount=discount,
        gross_price=gross,
        price_base_quantity=r.decimal(price, "cbc:BaseQuantity", "BT-149"),
        price_base_unit=None if base_quantity is None else base_quantity.get("unitCode"),
        description=r.text(item, "cbc:Description"),
        seller_item_id=r.text(item, "cac:SellersItemIdentification/cbc:ID"),
        buyer_item_id=r.text(item, "cac:BuyersItemIdentification/cbc:ID"),
        standard_id=_identifier(item, "cac:StandardItemIdentification/cbc:ID"),
        classifications=[
            Classification(c.text or "", c.get("listID"), c.get("listVersionID"))
            for c in r.all(item, "cac:CommodityClassification/cbc:ItemClassificationCode")
        ],
        origin_country=r.text(item, "cac:OriginCountry/cbc:IdentificationCode"),
        attributes=[
            ItemAttribute(r.text(p, "cbc:Name") or "", r.text(p, "cbc:Value") or "")
            for p in r.all(item, "cac:AdditionalItemProperty")
        ],
    )


def read(tree: Any) -> Invoice:
    root = tree.getroot()
    credit = root.tag.endswith("}CreditNote")
    type_tag = "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode"
    seller, creditor = _party(r.one(root, "cac:AccountingSupplierParty/cac:Party"))
    buyer, _ = _party(r.one(root, "cac:AccountingCustomerParty/cac:Party"))
    currency = r.required(root, "cbc:DocumentCurrencyCode", "BT-5").strip()
    vat_currency = r.text(root, "cbc:TaxCurrencyCode")

    payee = None
    payee_node = r.one(root, "cac:PayeeParty")
    if payee_node is not None:
        payee_ids = [i for i in r.all(payee_node, "cac:PartyIdentification/cbc:ID") if i.get("schemeID") != "SEPA"]
        for ident in r.all(payee_node, "cac:PartyIdentification/cbc:ID"):
            if ident.get("schemeID") == "SEPA":
                creditor = ident.text or ""
        payee = Payee(
            name=r.text(payee_node, "cac:PartyName/cbc:Name"),
            identifier=Identifier(payee_ids[0].text or "", payee_ids[0].get("schemeID")) if payee_ids else None,
            legal_registration=_identifier(payee_node, "cac:PartyLegalEntity/cbc:CompanyID"),
        )
    representative = None
    rep_node = r.one(root, "cac:TaxRepresentativeParty")
    if rep_node is not None:
        representative = TaxRepresentative(
            name=r.text(rep_node, "cac:PartyName/cbc:Name"),
            vat_id=r.text(rep_node, "cac:PartyTaxScheme/cbc:CompanyID"),
            address=_address(r.one(rep_node, "cac:PostalAddress")),
        )
    delivery = None
    delivery_node = r.one(root, "cac:Delivery")
    if delivery_node is not None:
        delivery = Delivery(
            party_name=r.text(delivery_node, "cac:DeliveryParty/cac:PartyName/cbc:Name"),
            location=_identifier(delivery_node, "cac:DeliveryLocation/cbc:ID"),
            date=r.date(delivery_node, "cbc:ActualDeliveryDate", "BT-72"),
            address=_address(r.one(delivery_node, "cac:DeliveryLocation/cac:Address")),
        )
    payment, first_means = _payment(root, creditor)

    notes = []
    for text in (n.text or "" for n in r.all(root, "cbc:Note")):
        match = _SUBJECT.match(text)
        notes.append(Note(match.group(2), match.group(1)) if match else Note(text))

    attachments = []
    project_ref = r.text(root, "cac:ProjectReference/cbc:ID")
    invoiced_object = None
    for ref in r.all(root, "cac:AdditionalDocumentReference"):
        type_code = (r.text(ref, "cbc:DocumentTypeCode") or "").strip()
        if type_code == OBJECT_DOC_TYPE:
            invoiced_object = Identifier(r.text(ref, "cbc:ID") or "", r.attr(ref, "cbc:ID", "schemeID"))
        elif credit and type_code == PROJECT_DOC_TYPE:
            project_ref = r.text(ref, "cbc:ID")
        else:
            binary = r.one(ref, "cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
            attachments.append(
                Attachment(
                    id=r.text(ref, "cbc:ID") or "",
                    description=r.text(ref, "cbc:DocumentDescription"),
                    uri=r.text(ref, "cac:Attachment/cac:ExternalReference/cbc:URI"),
                    content=None if binary is None else binary.text or "",
                    mime=None if binary is None else binary.get("mimeCode"),
                    filename=None if binary is None else binary.get("filename"),
                )
            )

    vat = vat_accounting = None
    breakdown: list[VatBreakdown] = []
    for total in r.all(root, "cac:TaxTotal"):
        amount = r.decimal(total, "cbc:TaxAmount", "BT-110")
        in_vat_currency = vat_currency is not None and r.attr(total, "cbc:TaxAmount", "currencyID") == vat_currency
        if vat is None and (not in_vat_currency or r.one(total, "cac:TaxSubtotal") is not None):
            vat = amount
            breakdown.extend(
                VatBreakdown(
                    taxable=r.required_decimal(sub, "cbc:TaxableAmount", "BT-116"),
                    tax=r.required_decimal(sub, "cbc:TaxAmount", "BT-117"),
                    category=r.text(sub, "cac:TaxCategory/cbc:ID") or "",
                    rate=r.decimal(sub, "cac:TaxCategory/cbc:Percent", "BT-119"),
                    exemption_reason=r.text(sub, "cac:TaxCategory/cbc:TaxExemptionReason"),
                    exemption_code=r.text(sub, "cac:TaxCategory/cbc:TaxExemptionReasonCode"),
                )
                for sub in r.all(total, "cac:TaxSubtotal")
            )
        else:
            vat_accounting = amount
    money = r.one(root, "cac:LegalMonetaryTotal")
    totals = Totals(
        line_net=r.decimal(money, "cbc:LineExtensionAmount", "BT-106"),
        allowances=r.decimal(money, "cbc:AllowanceTotalAmount", "BT-107"),
        charges=r.decimal(money, "cbc:ChargeTotalAmount", "BT-108"),
        without_vat=r.decimal(money, "cbc:TaxExclusiveAmount", "BT-109"),
        vat=vat,
        vat_accounting_currency=vat_accounting,
        with_vat=r.decimal(money, "cbc:TaxInclusiveAmount", "BT-112"),
        prepaid=r.decimal(money, "cbc:PrepaidAmount", "BT-113"),
        rounding=r.decimal(money, "cbc:PayableRoundingAmount", "BT-114"),
        payable=r.decimal(money, "cbc:PayableAmount", "BT-115"),
    )
    line_tag, quantity_tag = (
        ("cac:CreditNoteLine", "cbc:CreditedQuantity") if credit else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    )
    due_date = r.date(root, "cbc:DueDate", "BT-9")
    if due_date is None and first_means is not None:
        due_date = r.date(first_means, "cbc:PaymentDueDate", "BT-9")
    return Invoice(
        number=r.required(root, "cbc:ID", "BT-1"),
        issue_date=r.date(root, "cbc:IssueDate", "BT-2"),
        type_code=(r.text(root, type_tag) or "").strip(),
        currency=currency,
        seller=seller,
        buyer=buyer,
        totals=totals,
        vat_currency=vat_currency,
        tax_point_date=r.date(root, "cbc:TaxPointDate", "BT-7"),
        vat_point_code=r.text(root, "cac:InvoicePeriod/cbc:DescriptionCode"),
        due_date=due_date,
        buyer_reference=r.text(root, "cbc:BuyerReference"),
        project_ref=project_ref,
        contract_ref=r.text(root, "cac:ContractDocumentReference/cbc:ID"),
        order_ref=r.text(root, "cac:OrderReference/cbc:ID"),
        sales_order_ref=r.text(root, "cac:OrderReference/cbc:SalesOrderID"),
        receiving_advice_ref=r.text(root, "cac:ReceiptDocumentReference/cbc:ID"),
        despatch_advice_ref=r.text(root, "cac:DespatchDocumentReference/cbc:ID"),
        tender_ref=r.text(root, "cac:OriginatorDocumentReference/cbc:ID"),
        invoiced_object=invoiced_object,
        buyer_accounting_ref=r.text(root, "cbc:AccountingCost"),
        payment_terms=r.text(root, "cac:PaymentTerms/cbc:Note"),
        notes=notes,
        process_id=r.text(root, "cbc:ProfileID"),
        specification_id=r.text(root, "cbc:CustomizationID"),
        preceding=[
            PrecedingInvoice(
                r.text(ref, "cbc:ID") or "",
                r.date(ref, "cbc:IssueDate", "BT-26"),
            )
            for ref in r.all(root, "cac:BillingReference/cac:InvoiceDocumentReference")
        ],
        payee=payee,
        tax_representative=representative,
        delivery=delivery,
        period=_period(r.one(root, "cac:InvoicePeriod")),
        payment=payment,
        allowances_charges=[_allowance_charge(ac, "BG-20") for ac in r.all(root, "cac:AllowanceCharge")],
        vat_breakdown=breakdown,
        attachments=attachments,
        lines=[_line(node, quantity_tag) for node in r.all(root, line_tag)],
    )
