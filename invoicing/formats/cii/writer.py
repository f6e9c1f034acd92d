"""The semantic model to UN/CEFACT CII D16B (EN 16931-3-3), the XML inside a Factur-X PDF."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from invoicing.formats.cii.codes import ATTACHMENT_DOC_TYPE, OBJECT_DOC_TYPE, TENDER_DOC_TYPE, vat_point_code
from invoicing.formats.model import Address, AllowanceCharge, CreditTransfer, Identifier, Invoice, Line, Party, Period
from invoicing.formats.namespaces import CII_NS
from invoicing.formats.xmlwrite import Builder, compact_date, serialize

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")
DATE_FORMAT = "102"


class _Writer:
    def __init__(self, invoice: Invoice) -> None:
        self.inv = invoice
        self.b = Builder(CII_NS)

    def date(self, parent: Any, tag: str, value: Any, inner: str = "udt:DateTimeString") -> None:
        if value is not None:
            self.b.add(self.b.el(parent, tag), inner, compact_date(value), format=DATE_FORMAT)

    def identifiers(self, parent: Any, identifiers: list[Identifier]) -> None:
        # Order matters (ID before GlobalID), so two passes.
        for ident in identifiers:
            if ident.scheme is None:
                self.b.add(parent, "ram:ID", ident.value)
        for ident in identifiers:
            if ident.scheme is not None:
                self.b.add(parent, "ram:GlobalID", ident.value, schemeID=ident.scheme)

    def address(self, parent: Any, address: Address | None) -> None:
        if address is None:
            return
        node = self.b.el(parent, "ram:PostalTradeAddress")
        self.b.add(node, "ram:PostcodeCode", address.postcode)
        self.b.add(node, "ram:LineOne", address.line1)
        self.b.add(node, "ram:LineTwo", address.line2)
        self.b.add(node, "ram:LineThree", address.line3)
        self.b.add(node, "ram:CityName", address.city)
        self.b.add(node, "ram:CountryID", address.country)
        self.b.add(node, "ram:CountrySubDivisionName", address.subdivision)

    def party(self, parent: Any, tag: str, party: Party) -> None:
        node = self.b.el(parent, tag)
        self.identifiers(node, party.identifiers)
        self.b.add(node, "ram:Name", party.name)
        self.b.add(node, "ram:Description", party.legal_info)
        if party.legal_registration is not None or party.trading_name is not None:
            legal = self.b.el(node, "ram:SpecifiedLegalOrganization")
            if party.legal_registration is not None:
                reg = party.legal_registration
                self.b.add(legal, "ram:ID", reg.value, schemeID=reg.scheme)
            self.b.add(legal, "ram:TradingBusinessName", party.trading_name)
        if party.contact is not None:
            contact = self.b.el(node, "ram:DefinedTradeContact")
            self.b.add(contact, "ram:PersonName", party.contact.name)
            self.b.path(contact, "ram:TelephoneUniversalCommunication/ram:CompleteNumber", party.contact.phone)
            self.b.path(contact, "ram:EmailURIUniversalCommunication/ram:URIID", party.contact.email)
        self.address(node, party.address)
        if party.electronic_address is not None:
            address = party.electronic_address
            self.b.path(node, "ram:URIUniversalCommunication/ram:URIID", address.value, schemeID=address.scheme)
        self.b.path(node, "ram:SpecifiedTaxRegistration/ram:ID", party.vat_id, schemeID="VA")
        self.b.path(node, "ram:SpecifiedTaxRegistration/ram:ID", party.tax_registration, schemeID="FC")

    def period(self, parent: Any, period: Period | None) -> None:
        if period is None:
            return
        node = self.b.el(parent, "ram:BillingSpecifiedPeriod")
        self.date(node, "ram:StartDateTime", period.start)
        self.date(node, "ram:EndDateTime", period.end)

    def allowance_charge(self, parent: Any, ac: AllowanceCharge, with_tax: bool) -> None:
        node = self.b.el(parent, "ram:SpecifiedTradeAllowanceCharge")
        self.b.path(node, "ram:ChargeIndicator/udt:Indicator", "true" if ac.charge else "false")
        self.b.add(node, "ram:CalculationPercent", ac.percent)
        self.b.add(node, "ram:BasisAmount", ac.base)
        self.b.add(node, "ram:ActualAmount", ac.amount)
        self.b.add(node, "ram:ReasonCode", ac.reason_code)
        self.b.add(node, "ram:Reason", ac.reason)
        if with_tax:
            tax = self.b.el(node, "ram:CategoryTradeTax")
            self.b.add(tax, "ram:TypeCode", "VAT")
            self.b.add(tax, "ram:CategoryCode", ac.vat_category)
            self.b.add(tax, "ram:RateApplicablePercent", ac.vat_rate)

    def line(self, parent: Any, line: Line) -> None:
        b = self.b
        node = b.el(parent, "ram:IncludedSupplyChainTradeLineItem")
        doc = b.el(node, "ram:AssociatedDocumentLineDocument")
        b.add(doc, "ram:LineID", line.id)
        b.path(doc, "ram:IncludedNote/ram:Content", line.note)
        product = b.el(node, "ram:SpecifiedTradeProduct")
        if line.standard_id is not None:
            b.add(product, "ram:GlobalID", line.standard_id.value, schemeID=line.standard_id.scheme)
        b.add(product, "ram:SellerAssignedID", line.seller_item_id)
        b.add(product, "ram:BuyerAssignedID", line.buyer_item_id)
        b.add(product, "ram:Name", line.item_name)
        b.add(product, "ram:Description", line.description)
        for attr in line.attributes:
            char = b.el(product, "ram:ApplicableProductCharacteristic")
            b.add(char, "ram:Description", attr.name)
            b.add(char, "ram:Value", attr.value)
        for cls in line.classifications:
            b.path(
                product,
                "ram:DesignatedProductClassification/ram:ClassCode",
                cls.code,
                listID=cls.scheme,
                listVersionID=cls.version,
            )
        b.path(product, "ram:OriginTradeCountry/ram:ID", line.origin_country)
        agreement = b.el(node, "ram:SpecifiedLineTradeAgreement")
        b.path(agreement, "ram:BuyerOrderReferencedDocument/ram:LineID", line.order_line_ref)
        if line.gross_price is not None:
            gross = b.el(agreement, "ram:GrossPriceProductTradePrice")
            b.add(gross, "ram:ChargeAmount", line.gross_price)
            b.add(gross, "ram:BasisQuantity", line.price_base_quantity, unitCode=line.price_base_unit)
            if line.price_discount is not None:
                discount = b.el(gross, "ram:AppliedTradeAllowanceCharge")
                b.path(discount, "ram:ChargeIndicator/udt:Indicator", "false")
                b.add(discount, "ram:ActualAmount", line.price_discount)
        net = b.el(agreement, "ram:NetPriceProductTradePrice")
        b.add(net, "ram:ChargeAmount", line.net_price)
        b.add(net, "ram:BasisQuantity", line.price_base_quantity, unitCode=line.price_base_unit)
        b.path(node, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", line.quantity, unitCode=line.unit)
        settlement = b.el(node, "ram:SpecifiedLineTradeSettlement")
        tax = b.el(settlement, "ram:ApplicableTradeTax")
        b.add(tax, "ram:TypeCode", "VAT")
        b.add(tax, "ram:CategoryCode", line.vat_category)
        b.add(tax, "ram:RateApplicablePercent", line.vat_rate)
        self.period(settlement, line.period)
        for ac in line.allowances_charges:
            self.allowance_charge(settlement, ac, with_tax=False)
        b.path(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", line.net_amount)
        if line.object_id is not None:
            ref = b.el(settlement, "ram:AdditionalReferencedDocument")
            b.add(ref, "ram:IssuerAssignedID", line.object_id.value)
            b.add(ref, "ram:TypeCode", OBJECT_DOC_TYPE)
            b.add(ref, "ram:ReferenceTypeCode", line.object_id.scheme)
        b.path(settlement, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID", line.accounting_ref)

    def agreement(self, parent: Any) -> None:
        inv, b = self.inv, self.b
        node = b.el(parent, "ram:ApplicableHeaderTradeAgreement")
        b.add(node, "ram:BuyerReference", inv.buyer_reference)
        self.party(node, "ram:SellerTradeParty", inv.seller)
        self.party(node, "ram:BuyerTradeParty", inv.buyer)
        rep = inv.tax_representative
        if rep is not None:
            rep_node = b.el(node, "ram:SellerTaxRepresentativeTradeParty")
            b.add(rep_node, "ram:Name", rep.name)
            self.address(rep_node, rep.address)
            b.path(rep_node, "ram:SpecifiedTaxRegistration/ram:ID", rep.vat_id, schemeID="VA")
        b.path(node, "ram:SellerOrderReferencedDocument/ram:IssuerAssignedID", inv.sales_order_ref)
        b.path(node, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID", inv.order_ref)
        b.path(node, "ram:ContractReferencedDocument/ram:IssuerAssignedID", inv.contract_ref)
        for att in inv.attachments:
            ref = b.el(node, "ram:AdditionalReferencedDocument")
            b.add(ref, "ram:IssuerAssignedID", att.id)
            b.add(ref, "ram:URIID", att.uri)
            b.add(ref, "ram:TypeCode", ATTACHMENT_DOC_TYPE)
            b.add(ref, "ram:Name", att.description)
            b.add(ref, "ram:AttachmentBinaryObject", att.content, mimeCode=att.mime, filename=att.filename)
        if inv.tender_ref is not None:
            ref = b.el(node, "ram:AdditionalReferencedDocument")
            b.add(ref, "ram:IssuerAssignedID", inv.tender_ref)
            b.add(ref, "ram:TypeCode", TENDER_DOC_TYPE)
        if inv.invoiced_object is not None:
            ref = b.el(node, "ram:AdditionalReferencedDocument")
            b.add(ref, "ram:IssuerAssignedID", inv.invoiced_object.value)
            b.add(ref, "ram:TypeCode", OBJECT_DOC_TYPE)
            b.add(ref, "ram:ReferenceTypeCode", inv.invoiced_object.scheme)
        if inv.project_ref is not None:
            project = b.el(node, "ram:SpecifiedProcuringProject")
            b.add(project, "ram:ID", inv.project_ref)
            # ram:Name is mandatory in CII; EN 16931 has no term for it.
            b.add(project, "ram:Name", "Project reference")

    def delivery(self, parent: Any) -> None:
        inv, b = self.inv, self.b
        node = b.el(parent, "ram:ApplicableHeaderTradeDelivery")
        delivery = inv.delivery
        if delivery is not None:
            if delivery.location is not None or delivery.party_name is not None or delivery.address is not None:
                ship_to = b.el(node, "ram:ShipToTradeParty")
                if delivery.location is not None:
                    self.identifiers(ship_to, [delivery.location])
                b.add(ship_to, "ram:Name", delivery.party_name)
                self.address(ship_to, delivery.address)
            if delivery.date is not None:
                event = b.el(node, "ram:ActualDeliverySupplyChainEvent")
                self.date(event, "ram:OccurrenceDateTime", delivery.date)
        b.path(node, "ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID", inv.despatch_advice_ref)
        b.path(node, "ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID", inv.receiving_advice_ref)

    def payment_means(self, parent: Any) -> None:
        payment, b = self.inv.payment, self.b
        if payment is None or payment.means_code is None:
            return
        accounts: list[CreditTransfer | None] = list(payment.credit_transfers) or [None]
        for index, account in enumerate(accounts):
            node = b.el(parent, "ram:SpecifiedTradeSettlementPaymentMeans")
            b.add(node, "ram:TypeCode", payment.means_code)
            b.add(node, "ram:Information", payment.means_text)
            if index == 0 and payment.card_number is not None:
                card = b.el(node, "ram:ApplicableTradeSettlementFinancialCard")
                b.add(card, "ram:ID", payment.card_number)
                b.add(card, "ram:CardholderName", payment.card_holder)
            if index == 0:
                b.path(node, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID", payment.debited_account)
            if account is not None:
                fin = b.el(node, "ram:PayeePartyCreditorFinancialAccount")
                iban = _IBAN.match(account.account.replace(" ", "")) is not None
                b.add(fin, "ram:IBANID", account.account if iban else None)
                b.add(fin, "ram:AccountName", account.account_name)
                b.add(fin, "ram:ProprietaryID", None if iban else account.account)
                b.path(node, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID", account.provider)

    def settlement(self, parent: Any) -> None:
        inv, b = self.inv, self.b
        node = b.el(parent, "ram:ApplicableHeaderTradeSettlement")
        payment = inv.payment
        b.add(node, "ram:CreditorReferenceID", payment.creditor_id if payment else None)
        b.add(node, "ram:PaymentReference", payment.remittance if payment else None)
        # CII's BR-53 wants BT-6 to differ from BT-5 while UBL accepts them equal: equal adds nothing, drop it.
        b.add(node, "ram:TaxCurrencyCode", inv.vat_currency if inv.vat_currency != inv.currency else None)
        b.add(node, "ram:InvoiceCurrencyCode", inv.currency)
        if inv.payee is not None:
            payee = b.el(node, "ram:PayeeTradeParty")
            if inv.payee.identifier is not None:
                self.identifiers(payee, [inv.payee.identifier])
            b.add(payee, "ram:Name", inv.payee.name)
            if inv.payee.legal_registration is not None:
                reg = inv.payee.legal_registration
                b.path(payee, "ram:SpecifiedLegalOrganization/ram:ID", reg.value, schemeID=reg.scheme)
        self.payment_means(node)
        for vb in inv.vat_breakdown:
            tax = b.el(node, "ram:ApplicableTradeTax")
            b.add(tax, "ram:CalculatedAmount", vb.tax)
            b.add(tax, "ram:TypeCode", "VAT")
            b.add(tax, "ram:ExemptionReason", vb.exemption_reason)
            b.add(tax, "ram:BasisAmount", vb.taxable)
            b.add(tax, "ram:CategoryCode", vb.category)
            b.add(tax, "ram:ExemptionReasonCode", vb.exemption_code)
            # BT-7 and BT-8 are document-level terms CII files under each VAT breakdown: once is the limit
            # (CII-SR-461/462), so they go on the first.
            first = vb is inv.vat_breakdown[0]
            self.date(tax, "ram:TaxPointDate", inv.tax_point_date if first else None, inner="udt:DateString")
            b.add(tax, "ram:DueDateTypeCode", vat_point_code(inv.vat_point_code, to_cii=True) if first else None)
            b.add(tax, "ram:RateApplicablePercent", vb.rate)
        self.period(node, inv.period)
        for ac in inv.allowances_charges:
            self.allowance_charge(node, ac, with_tax=True)
        mandate = payment.mandate if payment else None
        if inv.payment_terms is not None or inv.due_date is not None or mandate is not None:
            terms = b.el(node, "ram:SpecifiedTradePaymentTerms")
            b.add(terms, "ram:Description", inv.payment_terms)
            self.date(terms, "ram:DueDateDateTime", inv.due_date)
            b.add(terms, "ram:DirectDebitMandateID", mandate)
        t = inv.totals
        money = b.el(node, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
        b.add(money, "ram:LineTotalAmount", t.line_net)
        b.add(money, "ram:ChargeTotalAmount", t.charges)
        b.add(money, "ram:AllowanceTotalAmount", t.allowances)
        b.add(money, "ram:TaxBasisTotalAmount", t.without_vat)
        # currencyID is allowed (and required) on the VAT totals only (CII-DT-031).
        b.add(money, "ram:TaxTotalAmount", t.vat, currencyID=inv.currency)
        b.add(money, "ram:TaxTotalAmount", t.vat_accounting_currency, currencyID=inv.vat_currency)
        b.add(money, "ram:RoundingAmount", t.rounding)
        b.add(money, "ram:GrandTotalAmount", t.with_vat)
        b.add(money, "ram:TotalPrepaidAmount", t.prepaid)
        b.add(money, "ram:DuePayableAmount", t.payable if t.payable is not None else Decimal("0.00"))
        # CII D16B holds one preceding invoice reference (BG-3 is 0..n, and UBL carries them all): the first.
        for preceding in inv.preceding[:1]:
            ref = b.el(node, "ram:InvoiceReferencedDocument")
            b.add(ref, "ram:IssuerAssignedID", preceding.number)
            self.date(ref, "ram:FormattedIssueDateTime", preceding.date, inner="qdt:DateTimeString")
        b.path(node, "ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID", inv.buyer_accounting_ref)

    def document(self) -> Any:
        inv, b = self.inv, self.b
        root = b.root("rsm:CrossIndustryInvoice", {k: v for k, v in CII_NS.items()})
        context = b.el(root, "rsm:ExchangedDocumentContext")
        b.path(context, "ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID", inv.process_id)
        b.path(context, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID", inv.specification_id or "")
        header = b.el(root, "rsm:ExchangedDocument")
        b.add(header, "ram:ID", inv.number)
        b.add(header, "ram:TypeCode", inv.type_code)
        self.date(header, "ram:IssueDateTime", inv.issue_date)
        for note in inv.notes:
            included = b.el(header, "ram:IncludedNote")
            b.add(included, "ram:Content", note.text)
            b.add(included, "ram:SubjectCode", note.subject_code)
        transaction = b.el(root, "rsm:SupplyChainTradeTransaction")
        for line in inv.lines:
            self.line(transaction, line)
        self.agreement(transaction)
        self.delivery(transaction)
        self.settlement(transaction)
        return root


def write(invoice: Invoice) -> bytes:
    return serialize(_Writer(invoice).document())
