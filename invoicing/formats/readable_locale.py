"""The language of an invoice's readable rendering: its labels, and amounts, numbers and dates as its locale
writes them (babel, from the CLDR data).

The rule: the rendering is for the buyer, who reads and pays it, so the buyer's country (BT-55) decides;
when the document gives none, the seller's (BT-40) does. French for a party in France, mainland or overseas
(FR and the ISO codes of the overseas departments and collectivities); English for everyone else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from invoicing.formats.model import Invoice, Party

# France and its overseas departments, regions and collectivities, which ISO 3166 gives codes of their own.
FRENCH_COUNTRIES = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC", "TF"})

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "invoice": "Facture",
        "credit_note": "Avoir",
        "number": "n°",
        "issue_date": "Date d'émission",
        "due_date": "Date d'échéance",
        "tax_point_date": "Date d'exigibilité de la TVA",
        "currency": "Devise",
        "type": "Type de document",
        "buyer_reference": "Référence acheteur",
        "order": "Bon de commande",
        "sales_order": "Commande vendeur",
        "contract": "Contrat",
        "project": "Projet",
        "tender": "Appel d'offres / lot",
        "despatch": "Avis d'expédition",
        "receiving": "Avis de réception",
        "buyer_accounting": "Référence comptable acheteur",
        "period": "Période de facturation",
        "preceding": "Facture précédente",
        "of": "du",
        "seller": "Vendeur",
        "buyer": "Acheteur",
        "payee": "Bénéficiaire",
        "tax_representative": "Représentant fiscal",
        "delivery": "Livraison",
        "delivery_date": "Date de livraison",
        "vat_id": "N° TVA",
        "siret": "SIRET",
        "siren": "SIREN",
        "registration": "Immatriculation",
        "tax_registration": "Identifiant fiscal",
        "contact": "Contact",
        "line_id": "N°",
        "item": "Désignation",
        "quantity": "Quantité",
        "unit": "Unité",
        "unit_price": "Prix unitaire HT",
        "net_amount": "Montant HT",
        "vat_category": "Cat. TVA",
        "vat_rate": "Taux TVA",
        "item_ref": "Réf.",
        "gross_price": "Prix brut",
        "allowance": "Remise",
        "allowances_charges": "Remises et frais",
        "charge": "Frais",
        "reason": "Motif",
        "amount": "Montant",
        "vat_breakdown": "Ventilation de la TVA",
        "category": "Catégorie",
        "rate": "Taux",
        "taxable": "Base HT",
        "vat_amount": "Montant TVA",
        "exemption": "Motif d'exonération",
        "line_net": "Total HT des lignes",
        "allowances": "Total des remises",
        "charges": "Total des frais",
        "without_vat": "Total HT",
        "vat": "Total TVA",
        "vat_accounting": "Total TVA en devise de comptabilisation",
        "with_vat": "Total TTC",
        "prepaid": "Déjà payé",
        "rounding": "Arrondi",
        "payable": "Net à payer",
        "payment": "Paiement",
        "means": "Moyen de paiement",
        "account": "IBAN / compte",
        "account_name": "Titulaire du compte",
        "bic": "BIC",
        "remittance": "Référence de paiement",
        "card": "Carte",
        "mandate": "Mandat de prélèvement",
        "creditor_id": "Identifiant créancier",
        "debited_account": "Compte débité",
        "terms": "Conditions de paiement",
        "notes": "Notes",
        "page": "Page",
    },
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "number": "no.",
        "issue_date": "Issue date",
        "due_date": "Due date",
        "tax_point_date": "VAT point date",
        "currency": "Currency",
        "type": "Document type",
        "buyer_reference": "Buyer reference",
        "order": "Purchase order",
        "sales_order": "Sales order",
        "contract": "Contract",
        "project": "Project",
        "tender": "Tender or lot",
        "despatch": "Despatch advice",
        "receiving": "Receiving advice",
        "buyer_accounting": "Buyer accounting reference",
        "period": "Invoicing period",
        "preceding": "Preceding invoice",
        "of": "of",
        "seller": "Seller",
        "buyer": "Buyer",
        "payee": "Payee",
        "tax_representative": "Tax representative",
        "delivery": "Delivery",
        "delivery_date": "Delivery date",
        "vat_id": "VAT number",
        "siret": "SIRET",
        "siren": "SIREN",
        "registration": "Registration",
        "tax_registration": "Tax registration",
        "contact": "Contact",
        "line_id": "#",
        "item": "Description",
        "quantity": "Quantity",
        "unit": "Unit",
        "unit_price": "Unit price (net)",
        "net_amount": "Net amount",
        "vat_category": "VAT cat.",
        "vat_rate": "VAT rate",
        "item_ref": "Ref.",
        "gross_price": "Gross price",
        "allowance": "Allowance",
        "allowances_charges": "Allowances and charges",
        "charge": "Charge",
        "reason": "Reason",
        "amount": "Amount",
        "vat_breakdown": "VAT breakdown",
        "category": "Category",
        "rate": "Rate",
        "taxable": "Taxable amount",
        "vat_amount": "VAT amount",
        "exemption": "Exemption reason",
        "line_net": "Sum of line net amounts",
        "allowances": "Allowances",
        "charges": "Charges",
        "without_vat": "Total without VAT",
        "vat": "Total VAT",
        "vat_accounting": "Total VAT in accounting currency",
        "with_vat": "Total with VAT",
        "prepaid": "Paid amount",
        "rounding": "Rounding",
        "payable": "Amount due",
        "payment": "Payment",
        "means": "Payment means",
        "account": "IBAN / account",
        "account_name": "Account name",
        "bic": "BIC",
        "remittance": "Payment reference",
        "card": "Card",
        "mandate": "Direct debit mandate",
        "creditor_id": "Creditor identifier",
        "debited_account": "Debited account",
        "terms": "Payment terms",
        "notes": "Notes",
        "page": "Page",
    },
}

# UNTDID 1001 document types a person may meet; others show as invoice or credit note with their code.
DOCUMENT_TYPES = {
    "fr": {
        "380": "Facture",
        "381": "Avoir",
        "384": "Facture rectificative",
        "386": "Facture d'acompte",
        "389": "Autofacture",
        "261": "Avoir autofacturé",
        "751": "Facture (information comptable)",
    },
    "en": {
        "380": "Invoice",
        "381": "Credit note",
        "384": "Corrected invoice",
        "386": "Prepayment invoice",
        "389": "Self-billed invoice",
        "261": "Self-billed credit note",
        "751": "Invoice information for accounting purposes",
    },
}

# VAT category codes (UNCL 5305 as EN 16931 restricts them).
VAT_CATEGORIES = {
    "fr": {
        "S": "taux normal",
        "Z": "taux zéro",
        "E": "exonéré",
        "AE": "autoliquidation",
        "K": "livraison intracommunautaire",
        "G": "exportation hors UE",
        "O": "hors champ de la TVA",
        "L": "IGIC (Canaries)",
        "M": "IPSI (Ceuta et Melilla)",
    },
    "en": {
        "S": "standard rate",
        "Z": "zero rated",
        "E": "exempt",
        "AE": "reverse charge",
        "K": "intra-community supply",
        "G": "export outside the EU",
        "O": "outside the scope of VAT",
        "L": "IGIC (Canary Islands)",
        "M": "IPSI (Ceuta and Melilla)",
    },
}

# UN/ECE Recommendation 20 unit codes met on most invoices; any other code is shown as it is.
UNITS = {
    "fr": {"C62": "unité", "H87": "pièce", "EA": "unité", "HUR": "heure", "DAY": "jour", "MON": "mois"},
    "en": {"C62": "unit", "H87": "piece", "EA": "each", "HUR": "hour", "DAY": "day", "MON": "month"},
}
UNIT_SYMBOLS = {"KGM": "kg", "GRM": "g", "TNE": "t", "MTR": "m", "MTK": "m²", "MTQ": "m³", "LTR": "l", "KMT": "km"}

# UNTDID 4461 payment means most used.
PAYMENT_MEANS = {
    "fr": {
        "10": "espèces",
        "20": "chèque",
        "30": "virement",
        "42": "virement",
        "48": "carte bancaire",
        "49": "prélèvement",
        "57": "virement permanent",
        "58": "virement SEPA",
        "59": "prélèvement SEPA",
        "97": "compensation",
    },
    "en": {
        "10": "cash",
        "20": "cheque",
        "30": "credit transfer",
        "42": "payment to bank account",
        "48": "bank card",
        "49": "direct debit",
        "57": "standing agreement",
        "58": "SEPA credit transfer",
        "59": "SEPA direct debit",
        "97": "clearing between partners",
    },
}


def _country(party: Party) -> str | None:
    country = party.address.country if party.address is not None else None
    return country.strip().upper() if country and country.strip() else None


def language_of(invoice: Invoice) -> str:
    """``fr`` or ``en``, by the rule in this module's docstring."""
    country = _country(invoice.buyer) or _country(invoice.seller)
    return "fr" if country in FRENCH_COUNTRIES else "en"


@dataclass(frozen=True)
class Wording:
    """Labels and formats of one language: ``fr`` (France's conventions) or ``en`` (British English)."""

    language: str
    currency: str

    @classmethod
    def of(cls, invoice: Invoice) -> Wording:
        return cls(language_of(invoice), invoice.currency)

    @property
    def locale(self) -> str:
        return "fr_FR" if self.language == "fr" else "en_GB"

    @property
    def tag(self) -> str:
        """The BCP 47 tag of the PDF's and the XMP metadata's language."""
        return "fr-FR" if self.language == "fr" else "en-GB"

    def __getitem__(self, key: str) -> str:
        return LABELS[self.language][key]

    def pair(self, label: str, value: str) -> str:
        """``label: value``, with French typography's no-break space before the colon."""
        return f"{label}\u00a0: {value}" if self.language == "fr" else f"{label}: {value}"

    def money(self, value: Decimal | None, currency: str | None = None) -> str:
        """An amount with its currency, in the locale's way: ``1 234,56 €`` (narrow no-break space), ``€1,234.56``.

        Digits beyond the currency's usual two (a unit price of 0.1234) are kept, never rounded away.
        """
        if value is None:
            return ""
        return str(format_currency(value, currency or self.currency, locale=self.locale, decimal_quantization=False))

    def number(self, value: Decimal | None) -> str:
        return "" if value is None else str(format_decimal(value, locale=self.locale, decimal_quantization=False))

    def percent(self, rate: Decimal | None) -> str:
        """A VAT or allowance rate given in percent (BT-96, BT-119, BT-152: ``20.00`` is 20 %)."""
        if rate is None:
            return ""
        return str(format_percent(rate / 100, locale=self.locale, decimal_quantization=False))

    def date(self, value: dt.date | None) -> str:
        return "" if value is None else str(format_date(value, format="long", locale=self.locale))

    def country(self, code: str | None) -> str:
        if not code:
            return ""
        return str(Locale.parse(self.locale).territories.get(code.upper(), code))

    def document_type(self, invoice: Invoice) -> str:
        known = DOCUMENT_TYPES[self.language].get(invoice.type_code)
        if known is not None:
            return known
        return self["credit_note"] if invoice.is_credit_note else self["invoice"]

    def vat_category(self, code: str | None) -> str:
        if not code:
            return ""
        name = VAT_CATEGORIES[self.language].get(code)
        return f"{code} ({name})" if name else code

    def unit(self, code: str | None) -> str:
        if not code:
            return ""
        return UNITS[self.language].get(code) or UNIT_SYMBOLS.get(code) or code

    def payment_means(self, code: str | None, text: str | None) -> str:
        if text:
            return text
        if not code:
            return ""
        return PAYMENT_MEANS[self.language].get(code, code)
