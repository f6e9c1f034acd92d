"""The names of the EN 16931 business terms (BT-*) and groups (BG-*), in French and in English.

English names are those of EN 16931-1 (the groups, in capitals there, are written here as sentences); French
names those of its French version, NF EN 16931-1. A message can then name a field as a clerk knows it, in
either language, beside its number.

Beyond BT-1..BT-165 and BG-1..BG-32, the Factur-X 1.09 profile rules cite a few terms of their own: the
exemption reasons of the 2026 revision of EN 16931-1 (BT-173..BT-176, BT-194, BT-195) and terms of the
Factur-X EXTENDED profile (BT-X-*). They are named as those rules describe them, so each term a rule message
cites has a name.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from invoicing.wording import Locale


class TermName(NamedTuple):
    fr: str
    en: str

    def text(self, locale: Locale) -> str:
        return self.fr if locale == "fr" else self.en


_N = TermName

TERMS: dict[str, TermName] = {
    # Groups
    "BG-1": _N("Note de facture", "Invoice note"),
    "BG-2": _N("Contrôle du processus", "Process control"),
    "BG-3": _N("Référence à une facture antérieure", "Preceding Invoice reference"),
    "BG-4": _N("Vendeur", "Seller"),
    "BG-5": _N("Adresse postale du vendeur", "Seller postal address"),
    "BG-6": _N("Contact du vendeur", "Seller contact"),
    "BG-7": _N("Acheteur", "Buyer"),
    "BG-8": _N("Adresse postale de l'acheteur", "Buyer postal address"),
    "BG-9": _N("Contact de l'acheteur", "Buyer contact"),
    "BG-10": _N("Bénéficiaire", "Payee"),
    "BG-11": _N("Représentant fiscal du vendeur", "Seller tax representative party"),
    "BG-12": _N("Adresse postale du représentant fiscal du vendeur", "Seller tax representative postal address"),
    "BG-13": _N("Informations de livraison", "Delivery information"),
    "BG-14": _N("Période de facturation", "Invoicing period"),
    "BG-15": _N("Adresse de livraison", "Deliver to address"),
    "BG-16": _N("Instructions de paiement", "Payment instructions"),
    "BG-17": _N("Virement", "Credit transfer"),
    "BG-18": _N("Informations sur la carte de paiement", "Payment card information"),
    "BG-19": _N("Prélèvement", "Direct debit"),
    "BG-20": _N("Remises au niveau du document", "Document level allowances"),
    "BG-21": _N("Charges au niveau du document", "Document level charges"),
    "BG-22": _N("Totaux du document", "Document totals"),
    "BG-23": _N("Ventilation de la TVA", "VAT breakdown"),
    "BG-24": _N("Documents justificatifs additionnels", "Additional supporting documents"),
    "BG-25": _N("Ligne de facture", "Invoice line"),
    "BG-26": _N("Période de la ligne de facture", "Invoice line period"),
    "BG-27": _N("Remises sur la ligne de facture", "Invoice line allowances"),
    "BG-28": _N("Charges sur la ligne de facture", "Invoice line charges"),
    "BG-29": _N("Détails du prix", "Price details"),
    "BG-30": _N("Informations sur la TVA de la ligne", "Line VAT information"),
    "BG-31": _N("Informations sur l'article", "Item information"),
    "BG-32": _N("Attributs de l'article", "Item attributes"),
    # The invoice
    "BT-1": _N("Numéro de facture", "Invoice number"),
    "BT-2": _N("Date d'émission de la facture", "Invoice issue date"),
    "BT-3": _N("Code de type de facture", "Invoice type code"),
    "BT-5": _N("Code de devise de la facture", "Invoice currency code"),
    "BT-6": _N("Code de devise de comptabilisation de la TVA", "VAT accounting currency code"),
    "BT-7": _N("Date d'exigibilité de la TVA", "Value added tax point date"),
    "BT-8": _N("Code de date d'exigibilité de la TVA", "Value added tax point date code"),
    "BT-9": _N("Date d'échéance du paiement", "Payment due date"),
    "BT-10": _N("Référence de l'acheteur", "Buyer reference"),
    "BT-11": _N("Référence du projet", "Project reference"),
    "BT-12": _N("Référence du contrat", "Contract reference"),
    "BT-13": _N("Référence du bon de commande", "Purchase order reference"),
    "BT-14": _N("Référence de la commande client", "Sales order reference"),
    "BT-15": _N("Référence de l'avis de réception", "Receiving advice reference"),
    "BT-16": _N("Référence de l'avis d'expédition", "Despatch advice reference"),
    "BT-17": _N("Référence de l'appel d'offres ou du lot", "Tender or lot reference"),
    "BT-18": _N("Identifiant de l'objet facturé", "Invoiced object identifier"),
    "BT-19": _N("Référence comptable de l'acheteur", "Buyer accounting reference"),
    "BT-20": _N("Conditions de paiement", "Payment terms"),
    "BT-21": _N("Code du sujet de la note de facture", "Invoice note subject code"),
    "BT-22": _N("Note de facture", "Invoice note"),
    "BT-23": _N("Type de processus métier", "Business process type"),
    "BT-24": _N("Identifiant de spécification", "Specification identifier"),
    "BT-25": _N("Référence de la facture antérieure", "Preceding Invoice reference"),
    "BT-26": _N("Date d'émission de la facture antérieure", "Preceding Invoice issue date"),
    # Seller
    "BT-27": _N("Nom du vendeur", "Seller name"),
    "BT-28": _N("Nom commercial du vendeur", "Seller trading name"),
    "BT-29": _N("Identifiant du vendeur", "Seller identifier"),
    "BT-30": _N("Identifiant d'enregistrement légal du vendeur", "Seller legal registration identifier"),
    "BT-31": _N("Identifiant à la TVA du vendeur", "Seller VAT identifier"),
    "BT-32": _N("Identifiant d'enregistrement fiscal du vendeur", "Seller tax registration identifier"),
    "BT-33": _N("Informations juridiques complémentaires sur le vendeur", "Seller additional legal information"),
    "BT-34": _N("Adresse électronique du vendeur", "Seller electronic address"),
    "BT-35": _N("Ligne 1 de l'adresse du vendeur", "Seller address line 1"),
    "BT-36": _N("Ligne 2 de l'adresse du vendeur", "Seller address line 2"),
    "BT-162": _N("Ligne 3 de l'adresse du vendeur", "Seller address line 3"),
    "BT-37": _N("Localité du vendeur", "Seller city"),
    "BT-38": _N("Code postal du vendeur", "Seller post code"),
    "BT-39": _N("Subdivision du pays du vendeur", "Seller country subdivision"),
    "BT-40": _N("Code de pays du vendeur", "Seller country code"),
    "BT-41": _N("Point de contact du vendeur", "Seller contact point"),
    "BT-42": _N("Numéro de téléphone du contact du vendeur", "Seller contact telephone number"),
    "BT-43": _N("Adresse électronique du contact du vendeur", "Seller contact email address"),
    # Buyer
    "BT-44": _N("Nom de l'acheteur", "Buyer name"),
    "BT-45": _N("Nom commercial de l'acheteur", "Buyer trading name"),
    "BT-46": _N("Identifiant de l'acheteur", "Buyer identifier"),
    "BT-47": _N("Identifiant d'enregistrement légal de l'acheteur", "Buyer legal registration identifier"),
    "BT-48": _N("Identifiant à la TVA de l'acheteur", "Buyer VAT identifier"),
    "BT-49": _N("Adresse électronique de l'acheteur", "Buyer electronic address"),
    "BT-50": _N("Ligne 1 de l'adresse de l'acheteur", "Buyer address line 1"),
    "BT-51": _N("Ligne 2 de l'adresse de l'acheteur", "Buyer address line 2"),
    "BT-163": _N("Ligne 3 de l'adresse de l'acheteur", "Buyer address line 3"),
    "BT-52": _N("Localité de l'acheteur", "Buyer city"),
    "BT-53": _N("Code postal de l'acheteur", "Buyer post code"),
    "BT-54": _N("Subdivision du pays de l'acheteur", "Buyer country subdivision"),
    "BT-55": _N("Code de pays de l'acheteur", "Buyer country code"),
    "BT-56": _N("Point de contact de l'acheteur", "Buyer contact point"),
    "BT-57": _N("Numéro de téléphone du contact de l'acheteur", "Buyer contact telephone number"),
    "BT-58": _N("Adresse électronique du contact de l'acheteur", "Buyer contact email address"),
    # Payee and tax representative
    "BT-59": _N("Nom du bénéficiaire", "Payee name"),
    "BT-60": _N("Identifiant du bénéficiaire", "Payee identifier"),
    "BT-61": _N("Identifiant d'enregistrement légal du bénéficiaire", "Payee legal registration identifier"),
    "BT-62": _N("Nom du représentant fiscal du vendeur", "Seller tax representative name"),
    "BT-63": _N("Identifiant à la TVA du représentant fiscal du vendeur", "Seller tax representative VAT identifier"),
    "BT-64": _N("Ligne 1 de l'adresse du représentant fiscal", "Tax representative address line 1"),
    "BT-65": _N("Ligne 2 de l'adresse du représentant fiscal", "Tax representative address line 2"),
    "BT-164": _N("Ligne 3 de l'adresse du représentant fiscal", "Tax representative address line 3"),
    "BT-66": _N("Localité du représentant fiscal", "Tax representative city"),
    "BT-67": _N("Code postal du représentant fiscal", "Tax representative post code"),
    "BT-68": _N("Subdivision du pays du représentant fiscal", "Tax representative country subdivision"),
    "BT-69": _N("Code de pays du représentant fiscal", "Tax representative country code"),
    # Delivery
    "BT-70": _N("Nom du destinataire de la livraison", "Deliver to party name"),
    "BT-71": _N("Identifiant du lieu de livraison", "Deliver to location identifier"),
    "BT-72": _N("Date effective de livraison", "Actual delivery date"),
    "BT-73": _N("Date de début de la période de facturation", "Invoicing period start date"),
    "BT-74": _N("Date de fin de la période de facturation", "Invoicing period end date"),
    "BT-75": _N("Ligne 1 de l'adresse de livraison", "Deliver to address line 1"),
    "BT-76": _N("Ligne 2 de l'adresse de livraison", "Deliver to address line 2"),
    "BT-165": _N("Ligne 3 de l'adresse de livraison", "Deliver to address line 3"),
    "BT-77": _N("Localité de livraison", "Deliver to city"),
    "BT-78": _N("Code postal de livraison", "Deliver to post code"),
    "BT-79": _N("Subdivision du pays de livraison", "Deliver to country subdivision"),
    "BT-80": _N("Code de pays de livraison", "Deliver to country code"),
    # Payment
    "BT-81": _N("Code de type de moyen de paiement", "Payment means type code"),
    "BT-82": _N("Libellé du moyen de paiement", "Payment means text"),
    "BT-83": _N("Avis de paiement", "Remittance information"),
    "BT-84": _N("Identifiant du compte de paiement", "Payment account identifier"),
    "BT-85": _N("Nom du compte de paiement", "Payment account name"),
    "BT-86": _N("Identifiant du prestataire de services de paiement", "Payment service provider identifier"),
    "BT-87": _N("Numéro de compte principal de la carte de paiement", "Payment card primary account number"),
    "BT-88": _N("Nom du titulaire de la carte de paiement", "Payment card holder name"),
    "BT-89": _N("Identifiant de la référence du mandat", "Mandate reference identifier"),
    "BT-90": _N("Identifiant du créancier attribué par la banque", "Bank assigned creditor identifier"),
    "BT-91": _N("Identifiant du compte débité", "Debited account identifier"),
    # Document level allowances and charges
    "BT-92": _N("Montant de la remise au niveau du document", "Document level allowance amount"),
    "BT-93": _N("Montant de base de la remise au niveau du document", "Document level allowance base amount"),
    "BT-94": _N("Pourcentage de la remise au niveau du document", "Document level allowance percentage"),
    "BT-95": _N(
        "Code de catégorie de TVA de la remise au niveau du document", "Document level allowance VAT category code"
    ),
    "BT-96": _N("Taux de TVA de la remise au niveau du document", "Document level allowance VAT rate"),
    "BT-97": _N("Motif de la remise au niveau du document", "Document level allowance reason"),
    "BT-98": _N("Code du motif de la remise au niveau du document", "Document level allowance reason code"),
    "BT-99": _N("Montant de la charge au niveau du document", "Document level charge amount"),
    "BT-100": _N("Montant de base de la charge au niveau du document", "Document level charge base amount"),
    "BT-101": _N("Pourcentage de la charge au niveau du document", "Document level charge percentage"),
    "BT-102": _N(
        "Code de catégorie de TVA de la charge au niveau du document", "Document level charge VAT category code"
    ),
    "BT-103": _N("Taux de TVA de la charge au niveau du document", "Document level charge VAT rate"),
    "BT-104": _N("Motif de la charge au niveau du document", "Document level charge reason"),
    "BT-105": _N("Code du motif de la charge au niveau du document", "Document level charge reason code"),
    # Totals
    "BT-106": _N("Somme des montants nets des lignes de facture", "Sum of Invoice line net amount"),
    "BT-107": _N("Somme des remises au niveau du document", "Sum of allowances on document level"),
    "BT-108": _N("Somme des charges au niveau du document", "Sum of charges on document level"),
    "BT-109": _N("Montant total de la facture hors TVA", "Invoice total amount without VAT"),
    "BT-110": _N("Montant total de la TVA de la facture", "Invoice total VAT amount"),
    "BT-111": _N(
        "Montant total de la TVA de la facture dans la devise de comptabilisation",
        "Invoice total VAT amount in accounting currency",
    ),
    "BT-112": _N("Montant total de la facture TTC", "Invoice total amount with VAT"),
    "BT-113": _N("Montant payé", "Paid amount"),
    "BT-114": _N("Montant de l'arrondi", "Rounding amount"),
    "BT-115": _N("Montant à payer", "Amount due for payment"),
    # VAT breakdown
    "BT-116": _N("Base d'imposition de la catégorie de TVA", "VAT category taxable amount"),
    "BT-117": _N("Montant de la TVA de la catégorie", "VAT category tax amount"),
    "BT-118": _N("Code de catégorie de TVA", "VAT category code"),
    "BT-119": _N("Taux de la catégorie de TVA", "VAT category rate"),
    "BT-120": _N("Texte du motif d'exonération de TVA", "VAT exemption reason text"),
    "BT-121": _N("Code du motif d'exonération de TVA", "VAT exemption reason code"),
    # Supporting documents
    "BT-122": _N("Référence du document justificatif", "Supporting document reference"),
    "BT-123": _N("Description du document justificatif", "Supporting document description"),
    "BT-124": _N("Emplacement du document externe", "External document location"),
    "BT-125": _N("Document joint", "Attached document"),
    # Lines
    "BT-126": _N("Identifiant de la ligne de facture", "Invoice line identifier"),
    "BT-127": _N("Note de la ligne de facture", "Invoice line note"),
    "BT-128": _N("Identifiant d'objet de la ligne de facture", "Invoice line object identifier"),
    "BT-129": _N("Quantité facturée", "Invoiced quantity"),
    "BT-130": _N("Code de l'unité de mesure de la quantité facturée", "Invoiced quantity unit of measure code"),
    "BT-131": _N("Montant net de la ligne de facture", "Invoice line net amount"),
    "BT-132": _N("Référence de la ligne du bon de commande", "Referenced purchase order line reference"),
    "BT-133": _N("Référence comptable de l'acheteur pour la ligne", "Invoice line Buyer accounting reference"),
    "BT-134": _N("Date de début de la période de la ligne de facture", "Invoice line period start date"),
    "BT-135": _N("Date de fin de la période de la ligne de facture", "Invoice line period end date"),
    "BT-136": _N("Montant de la remise sur la ligne de facture", "Invoice line allowance amount"),
    "BT-137": _N("Montant de base de la remise sur la ligne de facture", "Invoice line allowance base amount"),
    "BT-138": _N("Pourcentage de la remise sur la ligne de facture", "Invoice line allowance percentage"),
    "BT-139": _N("Motif de la remise sur la ligne de facture", "Invoice line allowance reason"),
    "BT-140": _N("Code du motif de la remise sur la ligne de facture", "Invoice line allowance reason code"),
    "BT-141": _N("Montant de la charge sur la ligne de facture", "Invoice line charge amount"),
    "BT-142": _N("Montant de base de la charge sur la ligne de facture", "Invoice line charge base amount"),
    "BT-143": _N("Pourcentage de la charge sur la ligne de facture", "Invoice line charge percentage"),
    "BT-144": _N("Motif de la charge sur la ligne de facture", "Invoice line charge reason"),
    "BT-145": _N("Code du motif de la charge sur la ligne de facture", "Invoice line charge reason code"),
    # Price and item
    "BT-146": _N("Prix net de l'article", "Item net price"),
    "BT-147": _N("Rabais sur le prix de l'article", "Item price discount"),
    "BT-148": _N("Prix brut de l'article", "Item gross price"),
    "BT-149": _N("Quantité de base du prix de l'article", "Item price base quantity"),
    "BT-150": _N(
        "Code de l'unité de mesure de la quantité de base du prix de l'article",
        "Item price base quantity unit of measure code",
    ),
    "BT-151": _N("Code de catégorie de TVA de l'article facturé", "Invoiced item VAT category code"),
    "BT-152": _N("Taux de TVA de l'article facturé", "Invoiced item VAT rate"),
    "BT-153": _N("Nom de l'article", "Item name"),
    "BT-154": _N("Description de l'article", "Item description"),
    "BT-155": _N("Identifiant vendeur de l'article", "Item Seller's identifier"),
    "BT-156": _N("Identifiant acheteur de l'article", "Item Buyer's identifier"),
    "BT-157": _N("Identifiant standard de l'article", "Item standard identifier"),
    "BT-158": _N("Identifiant de classification de l'article", "Item classification identifier"),
    "BT-159": _N("Pays d'origine de l'article", "Item country of origin"),
    "BT-160": _N("Nom de l'attribut de l'article", "Item attribute name"),
    "BT-161": _N("Valeur de l'attribut de l'article", "Item attribute value"),
    # Cited by the Factur-X 1.09 rules: exemption reasons of the 2026 revision of EN 16931-1
    "BT-173": _N(
        "Texte du motif d'exonération de TVA de la remise au niveau du document",
        "Document level allowance VAT exemption reason text",
    ),
    "BT-174": _N(
        "Code du motif d'exonération de TVA de la remise au niveau du document",
        "Document level allowance VAT exemption reason code",
    ),
    "BT-175": _N(
        "Texte du motif d'exonération de TVA de la charge au niveau du document",
        "Document level charge VAT exemption reason text",
    ),
    "BT-176": _N(
        "Code du motif d'exonération de TVA de la charge au niveau du document",
        "Document level charge VAT exemption reason code",
    ),
    "BT-194": _N("Texte du motif d'exonération de TVA de l'article facturé", "Invoiced item VAT exemption reason text"),
    "BT-195": _N("Code du motif d'exonération de TVA de l'article facturé", "Invoiced item VAT exemption reason code"),
    # Cited by the Factur-X 1.09 rules: terms of the Factur-X EXTENDED profile
    "BT-X-8": _N("Sous-type de ligne de facture", "Subtype of invoice item"),
    "BT-X-96": _N("Texte du motif d'exonération de TVA de la ligne", "Invoice line VAT exemption reason text"),
    "BT-X-97": _N("Code du motif d'exonération de TVA de la ligne", "Invoice line VAT exemption reason code"),
    "BT-X-272": _N("Montant des frais de service logistique", "Logistics service fee amount"),
    "BT-X-273": _N(
        "Code de catégorie de TVA des frais de service logistique", "Logistics service fee VAT category code"
    ),
    "BT-X-591": _N(
        "Texte du motif d'exonération de TVA des frais de service logistique",
        "Logistics service fee VAT exemption reason text",
    ),
    "BT-X-592": _N(
        "Code du motif d'exonération de TVA des frais de service logistique",
        "Logistics service fee VAT exemption reason code",
    ),
}

# A term as messages write it: BT-112, BG-23, BT-X-272 (the Factur-X rules also write BT-x-272).
TERM_PATTERN = re.compile(r"\bB[TG]-(?:[Xx]-)?\d+\b")


def term_name(bt: str, locale: Locale) -> str | None:
    """The name of term ``bt`` (``"BT-112"``, ``"BG-23"``) in ``locale``; None for a number that names none."""
    name = TERMS.get(bt.strip().upper())
    return name.text(locale) if name is not None else None


def terms_in(text: str) -> frozenset[str]:
    """The terms a message cites, written as in :data:`TERMS` (``BT-x-272`` is ``BT-X-272``)."""
    return frozenset(match.upper() for match in TERM_PATTERN.findall(text))
