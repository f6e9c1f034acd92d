"""UN/CEFACT CII D16B (and Factur-X/ZUGFeRD 2 XML) to the semantic model (EN 16931-3-3 syntax binding)."""

from __future__ import annotations

from typing import Any

from invoicing.formats.cii.codes import OBJECT_DOC_TYPE, TENDER_DOC_TYPE, vat_point_code
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
from invoicing.formats.namespaces import CII_NS

r = Reader(CII_NS)


def _date(node: Any, path: str, bt: str) -> Any:
    return r.date(node, path, bt, compact=True)


def _identifier(node: Any, path: str) -> Identifier | None:
    found = r.one(node, path)
    return None if found is None else Identifier(found.text or "", found.get("schemeID"))


def _address(node: Any) -> Address | None:
    if node is None:
        return None
    return Address(
        line1=r.text(node, "ram:LineOne"),
        line2=r.text(node, "ram:LineTwo"),
        line3=r.text(node, "ram:LineThree"),
        city=r.text(node, "ram:CityName"),
        postcode=r.text(node, "ram:PostcodeCode"),
        subdivision=r.text(node, "ram:CountrySubDivisionName"),
        country=r.text(node, "ram:CountryID"),
    )


def _identifiers(node: Any) -> list[Identifier]:
    found = [Identifier(i.text or "", None) for i in r.all(node, "ram:ID")]
    found += [Identifier(i.text or "", i.get("schemeID")) for i in r.all(node, "ram:GlobalID")]
    return found


def _party(node: Any) -> Party:
    vat_id = tax_registration = None
    for reg in r.all(node, "ram:SpecifiedTaxRegistration/ram:ID"):
        if reg.get("schemeID") == "VA":
            vat_id = reg.text or ""
        else:
            tax_registration = reg.text or ""
    contact_node = r.one(node, "ram:DefinedTradeContact")
    contact = None
    if contact_node is not None:
        contact = Contact(
            name=r.text(contact_node, "ram:PersonName") or r.text(contact_node, "ram:DepartmentName"),
            phone=r.text(contact_node, "ram:TelephoneUniversalCommunication/ram:CompleteNumber"),
            email=r.text(contact_node, "ram:EmailURIUniversalCommunication/ram:URIID"),
        )
    return Party(
        name=r.text(node, "ram:Name"),
        trading_name=r.text(node, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
        identifiers=_identifiers(node),
        legal_registration=_identifier(node, "ram:SpecifiedLegalOrganization/ram:ID"),
        vat_id=vat_id,
        tax_registration=tax_registration,
        legal_info=r.text(node, "ram:Description"),
        electronic_address=_identifier(node, "ram:URIUniversalCommunication/ram:URIID"),
        address=_address(r.one(node, "ram:PostalTradeAddress")),
        contact=contact,
    )


def _allowance_charge(node: Any, bt: str) -> AllowanceCharge:
    return AllowanceCharge(
        charge=(r.text(node, "ram:ChargeIndicator/udt:Indicator") or "").strip() == "true",
        amount=r.required_decimal(node, "ram:ActualAmount", bt),
        base=r.decimal(node, "ram:BasisAmount", bt),
        percent=r.decimal(node, "ram:CalculationPercent", bt),
        vat_category=r.text(node, "ram:CategoryTradeTax/ram:CategoryCode"),
        vat_rate=r.decimal(node, "ram:CategoryTradeTax/ram:RateApplicablePercent", bt),
        reason=r.text(node, "ram:Reason"),
        reason_code=r.text(node, "ram:ReasonCode"),
    )


def _period(node: Any) -> Period | None:
    if node is None:
        return None
    period = Period(
        _date(node, "ram:StartDateTime/udt:DateTimeString", "BT-73"),
        _date(node, "ram:EndDateTime/udt:DateTimeString", "BT-74"),
    )
    return None if period.start is None and period.end is None else period


def _payment(settlement: Any) -> Payment | None:
    means = r.all(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    terms = r.one(settlement, "ram:SpecifiedTradePaymentTerms")
    creditor = r.text(settlement, "ram:CreditorReferenceID")
    remittance = r.text(settlement, "ram:PaymentReference")
    mandate = r.text(terms, "ram:DirectDebitMandateID")
    if not means and creditor is None and remittance is None and mandate is None:
        return None
    payment = Payment(remittance=remittance, creditor_id=creditor, mandate=mandate)
    if means:
        first = means[0]
        payment.means_code = r.text(first, "ram:TypeCode")
        payment.means_text = r.text(first, "ram:Information")
        payment.card_number = r.text(first, "ram:ApplicableTradeSettlementFinancialCard/ram:ID")
        payment.card_holder = r.text(first, "ram:ApplicableTradeSettlementFinancialCard/ram:CardholderName")
        payment.debited_account = r.text(first, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID")
    for mean in means:
        for account in r.all(mean, "ram:PayeePartyCreditorFinancialAccount"):
            payment.credit_transfers.append(
                CreditTransfer(
                    account=r.text(account, "ram:IBANID") or r.text(account, "ram:ProprietaryID") or "",
                    account_name=r.text(account, "ram:AccountName"),
                    provider=r.text(mean, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"),
                )
            )
    return payment


def _line(node: Any) -> Line:
    product = r.one(node, "ram:SpecifiedTradeProduct")
    agreement = r.one(node, "ram:SpecifiedLineTradeAgreement")
    settlement = r.one(node, "ram:SpecifiedLineTradeSettlement")
    gross = r.one(agreement, "ram:GrossPriceProductTradePrice")
    net = r.one(agreement, "ram:NetPriceProductTradePrice")
    quantity = r.one(node, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
    base = r.one(net, "ram:BasisQuantity")
    if base is None:
        base = r.one(gross, "ram:BasisQuantity")
    discount = None
    for price_ac in r.all(gross, "ram:AppliedTradeAllowanceCharge"):
        discount = r.decimal(price_ac, "ram:ActualAmount", "BT-147")
    object_id = None
    for ref in r.all(settlement, "ram:AdditionalReferencedDocument"):
        object_id = Identifier(r.text(ref, "ram:IssuerAssignedID") or "", r.text(ref, "ram:ReferenceTypeCode"))
    return Line(
        id=r.required(node, "ram:AssociatedDocumentLineDocument/ram:LineID", "BT-126"),
        quantity=r.required_decimal(node, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", "BT-129"),
        unit=None if quantity is None else quantity.get("unitCode"),
        net_amount=r.required_decimal(
            settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", "BT-131"
        ),
        net_price=r.required_decimal(net, "ram:ChargeAmount", "BT-146"),
        item_name=r.text(product, "ram:Name") or "",
        vat_category=r.text(settlement, "ram:ApplicableTradeTax/ram:CategoryCode"),
        vat_rate=r.decimal(settlement, "ram:ApplicableTradeTax/ram:RateApplicablePercent", "BT-152"),
        note=r.text(node, "ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content"),
        object_id=object_id,
        order_line_ref=r.text(agreement, "ram:BuyerOrderReferencedDocument/ram:LineID"),
        accounting_ref=r.text(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"),
        period=_period(r.one(settlement, "ram:BillingSpecifiedPeriod")),
        allowances_charges=[
            _allowance_charge(ac, "BG-27") for ac in r.all(settlement, "ram:SpecifiedTradeAllowanceCharge")
        ],
        price_discount=discount,
        gross_price=r.decimal(gross, "ram:ChargeAmount", "BT-148"),
        price_base_quantity=None if base is None else r.decimal(base, ".", "BT-149"),
        price_base_unit=None if base is None else base.get("unitCode"),
        description=r.text(product, "ram:Description"),
        seller_item_id=r.text(product, "ram:SellerAssignedID"),
        buyer_item_id=r.text(product, "ram:BuyerAssignedID"),
        standard_id=_identifier(product, "ram:GlobalID"),
        classifications=[
            Classification(c.text or "", c.get("listID"), c.get("listVersionID"))
            for c in r.all(product, "ram:DesignatedProductClassification/ram:ClassCode")
        ],
        origin_country=r.text(product, "ram:OriginTradeCountry/ram:ID"),
        attributes=[
            ItemAttribute(r.text(p, "ram:Description") or "", r.text(p, "ram:Value") or "")
            for p in r.all(product, "ram:ApplicableProductCharacteristic")
        ],
    )


def read(tree: Any) -> Invoice:
    root = tree.getroot()
    header = r.one(root, "rsm:ExchangedDocument")
    transaction = r.one(root, "rsm:SupplyChainTradeTransaction")
    agreement = r.one(transaction, "ram:ApplicableHeaderTradeAgreement")
    delivery_node = r.one(transaction, "ram:ApplicableHeaderTradeDelivery")
    settlement = r.one(transaction, "ram:ApplicableHeaderTradeSettlement")
    currency = r.required(settlement, "ram:InvoiceCurrencyCode", "BT-5").strip()
    vat_currency = r.text(settlement, "ram:TaxCurrencyCode")

    payee = None
    payee_node = r.one(settlement, "ram:PayeeTradeParty")
    if payee_node is not None:
        ids = _identifiers(payee_node)
        payee = Payee(
            name=r.text(payee_node, "ram:Name"),
            identifier=ids[0] if ids else None,
            legal_registration=_identifier(payee_node, "ram:SpecifiedLegalOrganization/ram:ID"),
        )
    representative = None
    rep_node = r.one(agreement, "ram:SellerTaxRepresentativeTradeParty")
    if rep_node is not None:
        representative = TaxRepresentative(
            name=r.text(rep_node, "ram:Name"),
            vat_id=r.text(rep_node, "ram:SpecifiedTaxRegistration/ram:ID"),
            address=_address(r.one(rep_node, "ram:PostalTradeAddress")),
        )
    delivery = None
    ship_to = r.one(delivery_node, "ram:ShipToTradeParty")
    event = r.one(delivery_node, "ram:ActualDeliverySupplyChainEvent")
    if ship_to is not None or event is not None:
        location = _identifier(ship_to, "ram:GlobalID") or _identifier(ship_to, "ram:ID")
        delivery = Delivery(
            party_name=r.text(ship_to, "ram:Name"),
            location=location,
            date=_date(event, "ram:OccurrenceDateTime/udt:DateTimeString", "BT-72"),
            address=_address(r.one(ship_to, "ram:PostalTradeAddress")),
        )

    attachments = []
    tender_ref = None
    invoiced_object = None
    for ref in r.all(agreement, "ram:AdditionalReferencedDocument"):
        type_code = (r.text(ref, "ram:TypeCode") or "").strip()
        if type_code == TENDER_DOC_TYPE:
            tender_ref = r.text(ref, "ram:IssuerAssignedID")
        elif type_code == OBJECT_DOC_TYPE:
            invoiced_object = Identifier(
                r.text(ref, "ram:IssuerAssignedID") or "", r.text(ref, "ram:ReferenceTypeCode")
            )
        else:
            binary = r.one(ref, "ram:AttachmentBinaryObject")
            attachments.append(
                Attachment(
                    id=r.text(ref, "ram:IssuerAssignedID") or "",
                    description=r.text(ref, "ram:Name"),
                    uri=r.text(ref, "ram:URIID"),
                    content=None if binary is None else binary.text or "",
                    mime=None if binary is None else binary.get("mimeCode"),
                    filename=None if binary is None else binary.get("filename"),
                )
            )

    summation = r.one(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    vat = vat_accounting = None
    for amount in r.all(summation, "ram:TaxTotalAmount"):
        value = r.decimal(amount, ".", "BT-110")
        if vat_currency is not None and amount.get("currencyID") == vat_currency and vat_currency != currency:
            vat_accounting = value
        elif vat is None:
            vat = value
        else:
            vat_accounting = value
    totals = Totals(
        line_net=r.decimal(summation, "ram:LineTotalAmount", "BT-106"),
        allowances=r.decimal(summation, "ram:AllowanceTotalAmount", "BT-107"),
        charges=r.decimal(summation, "ram:ChargeTotalAmount", "BT-108"),
        without_vat=r.decimal(summation, "ram:TaxBasisTotalAmount", "BT-109"),
        vat=vat,
        vat_accounting_currency=vat_accounting,
        with_vat=r.decimal(summation, "ram:GrandTotalAmount", "BT-112"),
        prepaid=r.decimal(summation, "ram:TotalPrepaidAmount", "BT-113"),
        rounding=r.decimal(summation, "ram:RoundingAmount", "BT-114"),
        payable=r.decimal(summation, "ram:DuePayableAmount", "BT-115"),
    )
    taxes = r.all(settlement, "ram:ApplicableTradeTax")
    breakdown = [
        VatBreakdown(
            taxable=r.required_decimal(tax, "ram:BasisAmount", "BT-116"),
            tax=r.required_decimal(tax, "ram:CalculatedAmount", "BT-117"),
            category=r.text(tax, "ram:CategoryCode") or "",
            rate=r.decimal(tax, "ram:RateApplicablePercent", "BT-119"),
            exemption_reason=r.text(tax, "ram:ExemptionReason"),
            exemption_code=r.text(tax, "ram:ExemptionReasonCode"),
        )
        for tax in taxes
    ]
    tax_point = vat_point = None
    for tax in taxes:
        tax_point = tax_point or _date(tax, "ram:TaxPointDate/udt:DateString", "BT-7")
        vat_point = vat_point or vat_point_code(r.text(tax, "ram:DueDateTypeCode"), to_cii=False)
    terms = r.one(settlement, "ram:SpecifiedTradePaymentTerms")
    notes = [
        Note(r.text(n, "ram:Content") or "", r.text(n, "ram:SubjectCode")) for n in r.all(header, "ram:IncludedNote")
    ]
    context = r.one(root, "rsm:ExchangedDocumentContext")
    return Invoice(
        number=r.required(header, "ram:ID", "BT-1"),
        issue_date=_date(header, "ram:IssueDateTime/udt:DateTimeString", "BT-2"),
        type_code=(r.text(header, "ram:TypeCode") or "").strip(),
        currency=currency,
        seller=_party(r.one(agreement, "ram:SellerTradeParty")),
        buyer=_party(r.one(agreement, "ram:BuyerTradeParty")),
        totals=totals,
        vat_currency=vat_currency,
        tax_point_date=tax_point,
        vat_point_code=vat_point,
        due_date=_date(terms, "ram:DueDateDateTime/udt:DateTimeString", "BT-9"),
        buyer_reference=r.text(agreement, "ram:BuyerReference"),
        project_ref=r.text(agreement, "ram:SpecifiedProcuringProject/ram:ID"),
        contract_ref=r.text(agreement, "ram:ContractReferencedDocument/ram:IssuerAssignedID"),
        order_ref=r.text(agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        sales_order_ref=r.text(agreement, "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID"),
        receiving_advice_ref=r.text(delivery_node, "ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID"),
        despatch_advice_ref=r.text(delivery_node, "ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID"),
        tender_ref=tender_ref,
        invoiced_object=invoiced_object,
        buyer_accounting_ref=r.text(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID"),
        payment_terms=r.text(terms, "ram:Description"),
        notes=notes,
        process_id=r.text(context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID"),
        specification_id=r.text(context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
        preceding=[
            PrecedingInvoice(
                r.text(ref, "ram:IssuerAssignedID") or "",
                _date(ref, "ram:FormattedIssueDateTime/qdt:DateTimeString", "BT-26"),
            )
            for ref in r.all(settlement, "ram:InvoiceReferencedDocument")
        ],
        payee=payee,
        tax_representative=representative,
        delivery=delivery,
        period=_period(r.one(settlement, "ram:BillingSpecifiedPeriod")),
        payment=_payment(settlement),
        allowances_charges=[
            _allowance_charge(ac, "BG-20") for ac in r.all(settlement, "ram:SpecifiedTradeAllowanceCharge")
        ],
        vat_breakdown=breakdown,
        attachments=attachments,
        lines=[_line(node) for node in r.all(transaction, "ram:IncludedSupplyChainTradeLineItem")],
    )
