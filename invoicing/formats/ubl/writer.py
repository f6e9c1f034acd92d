"""The semantic model to UBL 2.1 Invoice / CreditNote (EN 16931-3-2)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from invoicing.formats.model import Address, AllowanceCharge, CreditTransfer, Invoice, Line, Party, Payment
from invoicing.formats.namespaces import UBL_CREDITNOTE_NS, UBL_INVOICE_NS, UBL_NS
from invoicing.formats.ubl.codes import OBJECT_DOC_TYPE, PROJECT_DOC_TYPE
from invoicing.formats.xmlwrite import Builder, serialize

# Card network (UBL requires one, EN 16931 has no term for it): "NA" says it is not known.
UNKNOWN_CARD_NETWORK = "NA"
# The UBL binding files BT-32 under a tax scheme other than VAT.
OTHER_TAX_SCHEME = "TAX"


class _Writer:
    def __init__(self, invoice: Invoice, credit_note: bool) -> None:
        self.inv = invoice
        self.credit = credit_note
        ns = dict(UBL_NS)
        ns["doc"] = UBL_CREDITNOTE_NS if credit_note else UBL_INVOICE_NS
        self.b = Builder(ns)

    def amount(self, parent: Any, tag: str, value: Decimal | None, currency: str | None = None) -> None:
        self.b.add(parent, tag, value, currencyID=currency or self.inv.currency)

    def address(self, parent: Any, tag: str, address: Address | None) -> None:
        if address is None:
            return
        node = self.b.el(parent, tag)
        self.b.add(node, "cbc:StreetName", address.line1)
        self.b.add(node, "cbc:AdditionalStreetName", address.line2)
        self.b.add(node, "cbc:CityName", address.city)
        self.b.add(node, "cbc:PostalZone", address.postcode)
        self.b.add(node, "cbc:CountrySubentity", address.subdivision)
        self.b.path(node, "cac:AddressLine/cbc:Line", address.line3)
        # cac:Country is required by UBL-SR/BR-09; an absent code stays absent rather than invented.
        self.b.path(node, "cac:Country/cbc:IdentificationCode", address.country)

    def party(self, parent: Any, party: Party, creditor_id: str | None = None) -> None:
        node = self.b.el(parent, "cac:Party")
        if party.electronic_address is not None:
            self.b.add(node, "cbc:EndpointID", party.electronic_address.value, schemeID=party.electronic_address.scheme)
        for ident in party.identifiers:
            self.b.path(node, "cac:PartyIdentification/cbc:ID", ident.value, schemeID=ident.scheme)
        if creditor_id is not None:
            self.b.path(node, "cac:PartyIdentification/cbc:ID", creditor_id, schemeID="SEPA")
        self.b.path(node, "cac:PartyName/cbc:Name", party.trading_name)
        self.address(node, "cac:PostalAddress", party.address)
        for company_id, scheme in ((party.vat_id, "VAT"), (party.tax_registration, OTHER_TAX_SCHEME)):
            if company_id is not None:
                tax = self.b.el(node, "cac:PartyTaxScheme")
                self.b.add(tax, "cbc:CompanyID", company_id)
                self.b.path(tax, "cac:TaxScheme/cbc:ID", scheme)
        legal = party.name is not None or party.legal_registration is not None or party.legal_info is not None
        if legal:
            entity = self.b.el(node, "cac:PartyLegalEntity")
            self.b.add(entity, "cbc:RegistrationName", party.name)
            if party.legal_registration is not None:
                reg = party.legal_registration
                self.b.add(entity, "cbc:CompanyID", reg.value, schemeID=reg.scheme)
            self.b.add(entity, "cbc:CompanyLegalForm", party.legal_info)
        if party.contact is not None:
            contact = self.b.el(node, "cac:Contact")
            self.b.add(contact, "cbc:Name", party.contact.name)
            self.b.add(contact, "cbc:Telephone", party.contact.phone)
            self.b.add(contact, "cbc:ElectronicMail", party.contact.email)

    def allowance_charge(self, parent: Any, ac: AllowanceCharge, with_tax: bool) -> None:
        node = self.b.el(parent, "cac:AllowanceCharge")
        self.b.add(node, "cbc:ChargeIndicator", "true" if ac.charge else "false")
        self.b.add(node, "cbc:AllowanceChargeReasonCode", ac.reason_code)
        self.b.add(node, "cbc:AllowanceChargeReason", ac.reason)
        self.b.add(node, "cbc:MultiplierFactorNumeric", ac.percent)
        self.amount(node, "cbc:Amount", ac.amount)
        self.amount(node, "cbc:BaseAmount", ac.base)
        if with_tax and (ac.vat_category is not None or ac.vat_rate is not None):
            category = self.b.el(node, "cac:TaxCategory")
            self.b.add(category, "cbc:ID", ac.vat_category)
            self.b.add(category, "cbc:Percent", ac.vat_rate)
            self.b.path(category, "cac:TaxScheme/cbc:ID", "VAT")

    def payment_means(self, parent: Any, payment: Payment) -> None:
        if payment.means_code is None:
            return
        accounts: list[CreditTransfer | None] = list(payment.credit_transfers) or [None]
        for index, account in enumerate(accounts):
            node = self.b.el(parent, "cac:PaymentMeans")
            # BT-82 and BT-83 occur once per invoice (UBL-SR-46/47): on the first payment means only.
            first = index == 0
            self.b.add(node, "cbc:PaymentMeansCode", payment.means_code, name=payment.means_text if first else None)
            if self.credit and first:
                self.b.add(node, "cbc:PaymentDueDate", self.inv.due_date)
            self.b.add(node, "cbc:PaymentID", payment.remittance if first else None)
            if index == 0 and payment.card_number is not None:
                card = self.b.el(node, "cac:CardAccount")
                self.b.add(card, "cbc:PrimaryAccountNumberID", payment.card_number)
                self.b.add(card, "cbc:NetworkID", UNKNOWN_CARD_NETWORK)
                self.b.add(card, "cbc:HolderName", payment.card_holder)
            if account is not None:
                fin = self.b.el(node, "cac:PayeeFinancialAccount")
                self.b.add(fin, "cbc:ID", account.account)
                self.b.add(fin, "cbc:Name", account.account_name)
                self.b.path(fin, "cac:FinancialInstitutionBranch/cbc:ID", account.provider)
            if index == 0 and (payment.mandate is not None or payment.debited_account is not None):
                mandate = self.b.el(node, "cac:PaymentMandate")
                self.b.add(mandate, "cbc:ID", payment.mandate)
                self.b.path(mandate, "cac:PayerFinancialAccount/cbc:ID", payment.debited_account)

    def line(self, parent: Any, line: Line) -> None:
        tag, quantity_tag = (
            ("cac:CreditNoteLine", "cbc:CreditedQuantity")
            if self.credit
            else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
        )
        node = self.b.el(parent, tag)
        self.b.add(node, "cbc:ID", line.id)
        self.b.add(node, "cbc:Note", line.note)
        self.b.add(node, quantity_tag, line.quantity, unitCode=line.unit)
        self.amount(node, "cbc:LineExtensionAmount", line.net_amount)
        self.b.add(node, "cbc:AccountingCost", line.accounting_ref)
        if line.period is not None:
            period = self.b.el(node, "cac:InvoicePeriod")
            self.b.add(period, "cbc:StartDate", line.period.start)
            self.b.add(period, "cbc:EndDate", line.period.end)
        self.b.path(node, "cac:OrderLineReference/cbc:LineID", line.order_line_ref)
        if line.object_id is not None:
            ref = self.b.el(node, "cac:DocumentReference")
            self.b.add(ref, "cbc:ID", line.object_id.value, schemeID=line.object_id.scheme)
            self.b.add(ref, "cbc:DocumentTypeCode", OBJECT_DOC_TYPE)
        for ac in line.allowances_charges:
            self.allowance_charge(node, ac, with_tax=False)
        item = self.b.el(node, "cac:Item")
        self.b.add(item, "cbc:Description", line.description)
        self.b.add(item, "cbc:Name", line.item_name)
        self.b.path(item, "cac:BuyersItemIdentification/cbc:ID", line.buyer_item_id)
        self.b.path(item, "cac:SellersItemIdentification/cbc:ID", line.seller_item_id)
        if line.standard_id is not None:
            self.b.path(
                item, "cac:StandardItemIdentification/cbc:ID", line.standard_id.value, schemeID=line.standard_id.scheme
            )
        self.b.path(item, "cac:OriginCountry/cbc:IdentificationCode", line.origin_country)
        for cls in line.classifications:
            self.b.path(
                item,
                "cac:CommodityClassification/cbc:ItemClassificationCode",
                cls.code,
                listID=cls.scheme,
                listVersionID=cls.version,
            )
        category = self.b.el(item, "cac:ClassifiedTaxCategory")
        self.b.add(category, "cbc:ID", line.vat_category)
        self.b.add(category, "cbc:Percent", line.vat_rate)
        self.b.path(category, "cac:TaxScheme/cbc:ID", "VAT")
        for attr in line.attributes:
            prop = self.b.el(item, "cac:AdditionalItemProperty")
            self.b.add(prop, "cbc:Name", attr.name)
            self.b.add(prop, "cbc:Value", attr.value)
        price = self.b.el(node, "cac:Price")
        self.amount(price, "cbc:PriceAmount", line.net_price)
        self.b.add(price, "cbc:BaseQuantity", line.price_base_quantity, unitCode=line.price_base_unit)
        if line.price_discount is not None or line.gross_price is not None:
            ac = self.b.el(price, "cac:AllowanceCharge")
            self.b.add(ac, "cbc:ChargeIndicator", "false")
            # UBL needs an amount beside the gross price; a gross price without discount means a zero discount.
            self.amount(ac, "cbc:Amount", line.price_discount if line.price_discount is not None else Decimal("0.00"))
            self.amount(ac, "cbc:BaseAmount", line.gross_price)

    def document(self) -> Any:
        inv = self.inv
        b = self.b
        local = "CreditNote" if self.credit else "Invoice"
        root = b.root(f"doc:{local}", {None: b.ns["doc"], "cac": UBL_NS["cac"], "cbc": UBL_NS["cbc"]})
        b.add(root, "cbc:CustomizationID", inv.specification_id)
        b.add(root, "cbc:ProfileID", inv.process_id)
        b.add(root, "cbc:ID", inv.number)
        b.add(root, "cbc:IssueDate", inv.issue_date)
        if self.credit:
            b.add(root, "cbc:TaxPointDate", inv.tax_point_date)
            b.add(root, "cbc:CreditNoteTypeCode", inv.type_code)
        else:
            b.add(root, "cbc:DueDate", inv.due_date)
            b.add(root, "cbc:InvoiceTypeCode", inv.type_code)
        for note in inv.notes:
            b.add(root, "cbc:Note", f"#{note.subject_code}#{note.text}" if note.subject_code else note.text)
        if not self.credit:
            b.add(root, "cbc:TaxPointDate", inv.tax_point_date)
        b.add(root, "cbc:DocumentCurrencyCode", inv.currency)
        b.add(root, "cbc:TaxCurrencyCode", inv.vat_currency)
        b.add(root, "cbc:AccountingCost", inv.buyer_accounting_ref)
        b.add(root, "cbc:BuyerReference", inv.buyer_reference)
        if inv.period is not None or inv.vat_point_code is not None:
            period = b.el(root, "cac:InvoicePeriod")
            b.add(period, "cbc:StartDate", inv.period.start if inv.period else None)
            b.add(period, "cbc:EndDate", inv.period.end if inv.period else None)
            b.add(period, "cbc:DescriptionCode", inv.vat_point_code)
        if inv.order_ref is not None or inv.sales_order_ref is not None:
            order = b.el(root, "cac:OrderReference")
            # cbc:ID is mandatory in UBL; "NA" is the EN 16931 convention when only the sales order is known.
            b.add(order, "cbc:ID", inv.order_ref if inv.order_ref is not None else "NA")
            b.add(order, "cbc:SalesOrderID", inv.sales_order_ref)
        for preceding in inv.preceding:
            ref = b.el(b.el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
            b.add(ref, "cbc:ID", preceding.number)
            b.add(ref, "cbc:IssueDate", preceding.date)
        b.path(root, "cac:DespatchDocumentReference/cbc:ID", inv.despatch_advice_ref)
        b.path(root, "cac:ReceiptDocumentReference/cbc:ID", inv.receiving_advice_ref)
        if not self.credit:
            b.path(root, "cac:OriginatorDocumentReference/cbc:ID", inv.tender_ref)
        b.path(root, "cac:ContractDocumentReference/cbc:ID", inv.contract_ref)
        self.additional_references(root)
        if self.credit:
            b.path(root, "cac:OriginatorDocumentReference/cbc:ID", inv.tender_ref)
        else:
            b.path(root, "cac:ProjectReference/cbc:ID", inv.project_ref)
        payment = inv.payment
        seller_creditor = payment.creditor_id if payment is not None and inv.payee is None else None
        self.party(b.el(root, "cac:AccountingSupplierParty"), inv.seller, seller_creditor)
        # A buyer has one identifier (BT-46) in UBL (UBL-SR-16); CII lets a buyer carry an ID and a GlobalID.
        buyer = dataclasses.replace(inv.buyer, identifiers=inv.buyer.identifiers[:1])
        self.party(b.el(root, "cac:AccountingCustomerParty"), buyer)
        if inv.payee is not None:
            payee = b.el(root, "cac:PayeeParty")
            if inv.payee.identifier is not None:
                b.path(
                    payee,
                    "cac:PartyIdentification/cbc:ID",
                    inv.payee.identifier.value,
                    schemeID=inv.payee.identifier.scheme,
                )
            if payment is not None and payment.creditor_id is not None:
                b.path(payee, "cac:PartyIdentification/cbc:ID", payment.creditor_id, schemeID="SEPA")
            b.path(payee, "cac:PartyName/cbc:Name", inv.payee.name)
            if inv.payee.legal_registration is not None:
                reg = inv.payee.legal_registration
                b.path(payee, "cac:PartyLegalEntity/cbc:CompanyID", reg.value, schemeID=reg.scheme)
        if inv.tax_representative is not None:
            rep = b.el(root, "cac:TaxRepresentativeParty")
            b.path(rep, "cac:PartyName/cbc:Name", inv.tax_representative.name)
            self.address(rep, "cac:PostalAddress", inv.tax_representative.address)
            if inv.tax_representative.vat_id is not None:
                tax = b.el(rep, "cac:PartyTaxScheme")
                b.add(tax, "cbc:CompanyID", inv.tax_representative.vat_id)
                b.path(tax, "cac:TaxScheme/cbc:ID", "VAT")
        if inv.delivery is not None:
            delivery = b.el(root, "cac:Delivery")
            b.add(delivery, "cbc:ActualDeliveryDate", inv.delivery.date)
            if inv.delivery.location is not None or inv.delivery.address is not None:
                location = b.el(delivery, "cac:DeliveryLocation")
                if inv.delivery.location is not None:
                    b.add(location, "cbc:ID", inv.delivery.location.value, schemeID=inv.delivery.location.scheme)
                self.address(location, "cac:Address", inv.delivery.address)
            b.path(delivery, "cac:DeliveryParty/cac:PartyName/cbc:Name", inv.delivery.party_name)
        if payment is not None:
            self.payment_means(root, payment)
        b.path(root, "cac:PaymentTerms/cbc:Note", inv.payment_terms)
        for ac in inv.allowances_charges:
            self.allowance_charge(root, ac, with_tax=True)
        self.tax_totals(root)
        self.monetary_total(root)
        for line in inv.lines:
            self.line(root, line)
        return root

    def additional_references(self, root: Any) -> None:
        inv, b = self.inv, self.b
        if self.credit and inv.project_ref is not None:
            ref = b.el(root, "cac:AdditionalDocumentReference")
            b.add(ref, "cbc:ID", inv.project_ref)
            b.add(ref, "cbc:DocumentTypeCode", PROJECT_DOC_TYPE)
        if inv.invoiced_object is not None:
            ref = b.el(root, "cac:AdditionalDocumentReference")
            b.add(ref, "cbc:ID", inv.invoiced_object.value, schemeID=inv.invoiced_object.scheme)
            b.add(ref, "cbc:DocumentTypeCode", OBJECT_DOC_TYPE)
        for att in inv.attachments:
            ref = b.el(root, "cac:AdditionalDocumentReference")
            b.add(ref, "cbc:ID", att.id)
            b.add(ref, "cbc:DocumentDescription", att.description)
            if att.content is not None or att.uri is not None:
                attachment = b.el(ref, "cac:Attachment")
                b.add(
                    attachment,
                    "cbc:EmbeddedDocumentBinaryObject",
                    att.content,
                    mimeCode=att.mime,
                    filename=att.filename,
                )
                b.path(attachment, "cac:ExternalReference/cbc:URI", att.uri)

    def tax_totals(self, root: Any) -> None:
        inv, b = self.inv, self.b
        if inv.totals.vat is not None or inv.vat_breakdown:
            total = b.el(root, "cac:TaxTotal")
            vat = inv.totals.vat
            if vat is None:
                vat = sum((v.tax for v in inv.vat_breakdown), Decimal("0.00"))
            self.amount(total, "cbc:TaxAmount", vat)
            for vb in inv.vat_breakdown:
                sub = b.el(total, "cac:TaxSubtotal")
                self.amount(sub, "cbc:TaxableAmount", vb.taxable)
                self.amount(sub, "cbc:TaxAmount", vb.tax)
                category = b.el(sub, "cac:TaxCategory")
                b.add(category, "cbc:ID", vb.category)
                b.add(category, "cbc:Percent", vb.rate)
                b.add(category, "cbc:TaxExemptionReasonCode", vb.exemption_code)
                b.add(category, "cbc:TaxExemptionReason", vb.exemption_reason)
                b.path(category, "cac:TaxScheme/cbc:ID", "VAT")
        if inv.totals.vat_accounting_currency is not None:
            total = b.el(root, "cac:TaxTotal")
            self.amount(total, "cbc:TaxAmount", inv.totals.vat_accounting_currency, inv.vat_currency)

    def monetary_total(self, root: Any) -> None:
        t = self.inv.totals
        node = self.b.el(root, "cac:LegalMonetaryTotal")
        self.amount(node, "cbc:LineExtensionAmount", t.line_net)
        self.amount(node, "cbc:TaxExclusiveAmount", t.without_vat)
        self.amount(node, "cbc:TaxInclusiveAmount", t.with_vat)
        self.amount(node, "cbc:AllowanceTotalAmount", t.allowances)
        self.amount(node, "cbc:ChargeTotalAmount", t.charges)
        self.amount(node, "cbc:PrepaidAmount", t.prepaid)
        self.amount(node, "cbc:PayableRoundingAmount", t.rounding)
        self.amount(node, "cbc:PayableAmount", t.payable)


def write(invoice: Invoice, *, credit_note: bool | None = None) -> bytes:
    """UBL bytes for ``invoice``; a CreditNote when the type code credits, unless ``credit_note`` says otherwise."""
    as_credit = invoice.is_credit_note if credit_note is None else credit_note
    return serialize(_Writer(invoice, as_credit).document())
