"""The hub's own codes (``FH-*``): every rule facturehub checks beyond EN 16931, with its kind and its words.

A code's value is what reports, JSON and the API's ``rule`` carry, so it never changes. Some rules are broken
in several ways that call for different words (an XML file that is empty, compressed or not well-formed is
``FH-NOT-XML`` each time): each way is a *case* of the code with its own template; the usual case is ``""``.
A refusal keeps its code's ``words(case, **params)`` and each reader gets them in their language
(:mod:`invoicing.wording`); English is what reports and logs say when no reader is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from invoicing.wording import Template, Worded


class CodeKind(StrEnum):
    """At which stage a deposit is refused, and so what the depositor has to change."""

    INPUT = "INPUT"  # the file cannot be read as an invoice: size, XML/PDF safety, syntax, an unreadable term
    DOCUMENT = "DOCUMENT"  # a readable invoice breaks one of the hub's rules on what it says
    DUPLICATE = "DUPLICATE"  # the supplier already deposited this number this year
    ADDRESSING = "ADDRESSING"  # recipient, service, engagement, frame or validator
    ATTACHMENT = "ATTACHMENT"  # a file deposited beside the invoice
    FLUX = "FLUX"  # a member of a deposited archive (flux), set aside
    INTERNAL = "INTERNAL"  # a failure of the hub's, not of the document


@dataclass(frozen=True)
class Entry:
    kind: CodeKind
    cases: Mapping[str, Template]
    # False for a code no input can bring about (a failure of the hub's own code): nothing to test it with.
    by_input: bool = True
    why_not_by_input: str = field(default="")


class PlatformCode(Worded, StrEnum):
    # input: the file itself
    SIZE = "FH-SIZE"
    NOT_XML = "FH-NOT-XML"
    DOCTYPE = "FH-DOCTYPE"
    MALFORMED = "FH-MALFORMED"
    UNKNOWN_SYNTAX = "FH-UNKNOWN-SYNTAX"
    MISSING = "FH-MISSING"
    NUMBER = "FH-NUMBER"
    DATE = "FH-DATE"
    PDF_MALFORMED = "FH-PDF-MALFORMED"
    PDF_ENCRYPTED = "FH-PDF-ENCRYPTED"
    PDF_ACTIVE_CONTENT = "FH-PDF-ACTIVE-CONTENT"
    PDF_ATTACHMENTS = "FH-PDF-ATTACHMENTS"
    PDF_NO_XML = "FH-PDF-NO-XML"
    # document facts
    NUMBER_FORMAT = "FH-NUMBER-FORMAT"
    SELLER_MISMATCH = "FH-SELLER-MISMATCH"
    CREDIT_NOTE_ORIGIN = "FH-CREDIT-NOTE-ORIGIN"
    LINE_AMOUNT = "FH-LINE-AMOUNT"
    VAT_CATEGORY = "FH-VAT-CATEGORY"
    DUPLICATE_NUMBER = "FH-DUPLICATE-NUMBER"
    # attachments
    ATTACHMENT_EMPTY = "FH-ATTACHMENT-EMPTY"
    ATTACHMENT_SIZE = "FH-ATTACHMENT-SIZE"
    ATTACHMENT_NAME = "FH-ATTACHMENT-NAME"
    ATTACHMENT_TYPE = "FH-ATTACHMENT-TYPE"
    ATTACHMENTS_TOTAL = "FH-ATTACHMENTS-TOTAL"
    # addressing
    FRAME_UNSUPPORTED = "FH-FRAME-UNSUPPORTED"
    FRAME_MISMATCH = "FH-FRAME-MISMATCH"
    RECIPIENT_MISMATCH = "FH-RECIPIENT-MISMATCH"
    RECIPIENT_MISSING = "FH-RECIPIENT-MISSING"
    RECIPIENT_UNKNOWN = "FH-RECIPIENT-UNKNOWN"
    RECIPIENT_NOT_PUBLIC = "FH-RECIPIENT-NOT-PUBLIC"
    RECIPIENT_INACTIVE = "FH-RECIPIENT-INACTIVE"
    RECIPIENT_IS_SUPPLIER = "FH-RECIPIENT-IS-SUPPLIER"
    SERVICE_MISMATCH = "FH-SERVICE-MISMATCH"
    SERVICE_UNKNOWN = "FH-SERVICE-UNKNOWN"
    SERVICE_INACTIVE = "FH-SERVICE-INACTIVE"
    SERVICE_REQUIRED = "FH-SERVICE-REQUIRED"
    ENGAGEMENT_MISMATCH = "FH-ENGAGEMENT-MISMATCH"
    ENGAGEMENT_FORMAT = "FH-ENGAGEMENT-FORMAT"
    ENGAGEMENT_REQUIRED = "FH-ENGAGEMENT-REQUIRED"
    SERVICE_OR_ENGAGEMENT_REQUIRED = "FH-SERVICE-OR-ENGAGEMENT-REQUIRED"
    FRAME_A2_AMOUNT_DUE = "FH-FRAME-A2-AMOUNT-DUE"
    VALIDATOR_NOT_EXPECTED = "FH-VALIDATOR-NOT-EXPECTED"
    VALIDATOR_REQUIRED = "FH-VALIDATOR-REQUIRED"
    VALIDATOR_UNKNOWN = "FH-VALIDATOR-UNKNOWN"
    VALIDATOR_IS_SUPPLIER = "FH-VALIDATOR-IS-SUPPLIER"
    # fluxes
    FLUX_MEMBER_CRASHED = "FH-FLUX-MEMBER-CRASHED"
    FLUX_MEMBER_UNREADABLE = "FH-FLUX-MEMBER-UNREADABLE"
    FLUX_INCIDENT = "FH-FLUX-INCIDENT"
    # the hub
    INTERNAL = "FH-INTERNAL"

    @classmethod
    def of(cls, value: str) -> PlatformCode | None:
        """The hub's code ``value`` names, or None for any other rule id (BR-CO-15, XSD...)."""
        return _BY_VALUE.get(value)

    @property
    def kind(self) -> CodeKind:
        return CATALOGUE[self].kind

    @property
    def by_input(self) -> bool:
        return CATALOGUE[self].by_input

    @property
    def cases(self) -> Mapping[str, Template]:
        return CATALOGUE[self].cases


_CONTACT_FR = "vérifiez qu'il s'agit d'une facture UBL, CII ou Factur-X bien formée"
_CONTACT_EN = "check that it is a well-formed UBL, CII or Factur-X invoice"
_SEND_FR = "envoyez une facture UBL 2.1 (Invoice/CreditNote), CII D16B ou Factur-X"
_SEND_EN = "send UBL 2.1 Invoice/CreditNote, CII D16B or Factur-X"
_ACTIVE_FR = (
    "les PDF contenant des actions JavaScript, Launch, SubmitForm ou ImportData ou des liens vers des fichiers "
    "externes sont refusés (PDF/A-3 les interdit)"
)
_ACTIVE_EN = (
    "PDFs with JavaScript, Launch, SubmitForm or ImportData actions or links to external files are refused "
    "(PDF/A-3 forbids them)"
)


def _one(fr: str, en: str) -> dict[str, Template]:
    return {"": Template(fr, en)}


CATALOGUE: dict[PlatformCode, Entry] = {
    PlatformCode.SIZE: Entry(
        CodeKind.INPUT,
        {
            "document": Template(
                "le document fait {size} octets, la limite est de {limit}",
                "document is {size} bytes, the limit is {limit}",
            ),
            "pdf": Template(
                "le PDF fait {size} octets, la limite est de {limit}", "PDF is {size} bytes, the limit is {limit}"
            ),
            "pdf-objects": Template("le PDF compte plus de {limit} objets", "PDF has more than {limit} objects"),
            "pdf-stream": Template(
                "un flux du PDF se décompresse au-delà des limites : {reason}",
                "PDF stream expands beyond the limits: {reason}",
            ),
            "attachment-stream": Template(
                "pièce jointe '{name}' : un flux du PDF se décompresse au-delà des limites : {reason}",
                "attachment '{name}': PDF stream expands beyond the limits: {reason}",
            ),
            "embedded-xml": Template("le XML embarqué dépasse {limit} octets", "embedded XML is over {limit} bytes"),
        },
    ),
    PlatformCode.NOT_XML: Entry(
        CodeKind.INPUT,
        {
            "": Template("XML mal formé : {reason}", "not well-formed XML: {reason}"),
            "gzip": Template(
                "un fichier compressé (gzip) n'est pas accepté : envoyez le XML lui-même",
                "compressed (gzip) input is not accepted; send the XML itself",
            ),
            "empty": Template("document vide", "empty document"),
        },
    ),
    PlatformCode.DOCTYPE: Entry(
        CodeKind.INPUT,
        _one(
            "les documents comportant un DOCTYPE (DTD, entités) sont refusés",
            "documents with a DOCTYPE (DTD, entities) are refused",
        ),
    ),
    PlatformCode.MALFORMED: Entry(
        CodeKind.INPUT,
        {
            "": Template("le document n'a pas pu être lu : {error}", "document could not be read: {error}"),
            "nested": Template("le document est imbriqué trop profondément", "document nested too deeply"),
        },
        by_input=False,
        why_not_by_input="the readers' catch-all for a failure they do not foresee (a bug in a reader), which "
        "would otherwise escape as a 500; the parser's depth limit stops nesting before Python's",
    ),
    PlatformCode.UNKNOWN_SYNTAX: Entry(
        CodeKind.INPUT,
        {
            "other-syntax": Template(
                f"format non pris en charge : {{syntax}} n'est pas une syntaxe EN 16931 ; {_SEND_FR}",
                f"unsupported format: {{syntax}} is not an EN 16931 syntax; {_SEND_EN}",
            ),
            "not-invoice": Template(
                f"format non pris en charge : l'élément racine {{root}} n'est pas une facture ; {_SEND_FR}",
                f"unsupported format: root element {{root}} is not an invoice; {_SEND_EN}",
            ),
            "root": Template("format non pris en charge (racine {root})", "unsupported format (root {root})"),
        },
    ),
    PlatformCode.MISSING: Entry(CodeKind.INPUT, _one("{bt} est absent ({path})", "{bt} is missing ({path})")),
    PlatformCode.NUMBER: Entry(
        CodeKind.INPUT,
        {
            "": Template("{bt} n'est pas un nombre : {value!r}", "{bt} is not a number: {value!r}"),
            "infinite": Template("{bt} n'est pas un nombre fini", "{bt} is not a finite number"),
        },
    ),
    PlatformCode.DATE: Entry(
        CodeKind.INPUT, _one("{bt} n'est pas une date ({shape}) : {value!r}", "{bt} is not a date ({shape}): {value!r}")
    ),
    PlatformCode.PDF_MALFORMED: Entry(
        CodeKind.INPUT,
        {
            "": Template("PDF illisible : {error}", "unreadable PDF: {error}"),
            "attachment": Template(
                "pièce jointe '{name}' : PDF illisible : {error}", "attachment '{name}': unreadable PDF: {error}"
            ),
        },
    ),
    PlatformCode.PDF_ENCRYPTED: Entry(
        CodeKind.INPUT,
        {
            "": Template(
                "les PDF chiffrés sont refusés : la facture doit pouvoir être lue",
                "encrypted PDFs are refused: the invoice must be readable",
            ),
            "attachment": Template(
                "la pièce jointe '{name}' est un PDF chiffré : son contenu actif ne peut pas être vérifié",
                "attachment '{name}' is an encrypted PDF: it cannot be checked for active content",
            ),
        },
    ),
    PlatformCode.PDF_ACTIVE_CONTENT: Entry(
        CodeKind.INPUT,
        {
            "": Template(
                f"le PDF de la facture contient du contenu actif ({{what}}) : {_ACTIVE_FR}",
                f"the invoice PDF holds active content ({{what}}): {_ACTIVE_EN}",
            ),
            "attachment": Template(
                f"la pièce jointe '{{name}}' contient du contenu actif ({{what}}) : {_ACTIVE_FR}",
                f"attachment '{{name}}' holds active content ({{what}}): {_ACTIVE_EN}",
            ),
        },
    ),
    PlatformCode.PDF_ATTACHMENTS: Entry(
        CodeKind.INPUT, _one("plus de {limit} fichiers embarqués", "more than {limit} embedded files")
    ),
    PlatformCode.PDF_NO_XML: Entry(
        CodeKind.INPUT,
        _one(
            "aucun XML de facture Factur-X/ZUGFeRD embarqué (attendu : l'un de {expected} ; trouvé : {found})",
            "no Factur-X/ZUGFeRD invoice XML embedded (expected one of {expected}; found: {found})",
        ),
    ),
    PlatformCode.NUMBER_FORMAT: Entry(
        CodeKind.DOCUMENT,
        _one(
            "le numéro de facture '{number}' doit compter 1 à 20 caractères parmi A-Z a-z 0-9 - _ / +",
            "invoice number '{number}' must be 1 to 20 characters among A-Z a-z 0-9 - _ / +",
        ),
    ),
    PlatformCode.SELLER_MISMATCH: Entry(
        CodeKind.DOCUMENT,
        _one(
            "le vendeur de la facture doit être la structure qui la dépose, {identifier_type} {identifier} ({name}) : "
            "indiquez son SIRET/SIREN (BT-30 ou BT-29) ou son numéro de TVA (BT-31) dans la partie vendeur",
            "the seller of the invoice must be the depositing structure {identifier_type} {identifier} ({name}): "
            "put its SIRET/SIREN (BT-30 or BT-29) or VAT number (BT-31) in the seller party",
        ),
    ),
    PlatformCode.CREDIT_NOTE_ORIGIN: Entry(
        CodeKind.DOCUMENT,
        _one(
            "un avoir doit désigner la facture qu'il corrige (référence de la facture antérieure, BT-25)",
            "a credit note must name the invoice it corrects (preceding invoice reference, BT-25)",
        ),
    ),
    PlatformCode.LINE_AMOUNT: Entry(
        CodeKind.DOCUMENT,
        _one(
            "ligne {line} : {what} ({bt}) doit valoir au moins {low} et moins de {high:,}, avec au plus {places} "
            "décimales ; reçu {value}",
            "line {line}: {what} ({bt}) must be at least {low}, below {high:,}, with at most {places} decimals; "
            "got {value}",
        ),
    ),
    # What EN 16931 asks of each VAT category (BR-S/Z/E/AE/IC/G/O-*), checked on a typed-in invoice before
    # the hub writes it, so the supplier reads which field to change rather than a rule on a document it never saw.
    PlatformCode.VAT_CATEGORY: Entry(
        CodeKind.DOCUMENT,
        {
            "": Template(
                "ligne {line} : la catégorie de TVA '{category}' (BT-151) n'est pas de celles qu'une facture saisie "
                "peut porter : S, Z, E, AE, K, G ou O",
                "line {line}: VAT category '{category}' (BT-151) is not one a typed-in invoice can carry: "
                "S, Z, E, AE, K, G or O",
            ),
            "rate-positive": Template(
                "ligne {line} : la catégorie S (taux normal) demande un taux de TVA (BT-152) supérieur à 0 "
                "({rule}) ; reçu {rate}",
                "line {line}: category S (standard rate) needs a VAT rate (BT-152) above 0 ({rule}); got {rate}",
            ),
            "rate-zero": Template(
                "ligne {line} : la catégorie {category} a un taux de TVA (BT-152) de 0 ({rule}) ; reçu {rate}",
                "line {line}: category {category} has a VAT rate (BT-152) of 0 ({rule}); got {rate}",
            ),
            "rate-none": Template(
                "ligne {line} : une ligne hors champ de la TVA (O) n'a pas de taux de TVA (BT-152, {rule}) ; "
                "reçu {rate}",
                "line {line}: a line not subject to VAT (O) has no VAT rate (BT-152, {rule}); got {rate}",
            ),
            "reason-required": Template(
                "ligne {line} : la catégorie {category} demande le motif d'exonération (BT-120) ou son code "
                "(BT-121) ({rule})",
                "line {line}: category {category} needs the VAT exemption reason (BT-120) or its code (BT-121) "
                "({rule})",
            ),
            "reason-forbidden": Template(
                "ligne {line} : la catégorie {category} n'a pas de motif d'exonération (BT-120, BT-121) ({rule})",
                "line {line}: category {category} has no VAT exemption reason (BT-120, BT-121) ({rule})",
            ),
            "reason-code": Template(
                "ligne {line} : le code de motif d'exonération (BT-121) de la catégorie {category} est {code} ; "
                "reçu {value}",
                "line {line}: the VAT exemption reason code (BT-121) of category {category} is {code}; got {value}",
            ),
            "reason-differs": Template(
                "ligne {line} : les lignes de la catégorie {category} forment un seul récapitulatif de TVA et donc "
                "un seul motif d'exonération ({rule}) : la ligne {first} en donne un autre",
                "line {line}: the lines of category {category} make one VAT breakdown and so one exemption reason "
                "({rule}): line {first} gives another",
            ),
            "alone": Template(
                "ligne {line} : une facture qui a une ligne hors champ de la TVA (O) n'a que de telles lignes "
                "({rule}) ; la ligne {first} est en catégorie O",
                "line {line}: an invoice with a line not subject to VAT (O) has only such lines ({rule}); "
                "line {first} is in category O",
            ),
            "seller-vat": Template(
                "ligne {line} : la catégorie {category} demande le numéro de TVA du vendeur (BT-31, {rule}) : "
                "renseignez celui de votre structure dans l'administration",
                "line {line}: category {category} needs the seller's VAT identifier (BT-31, {rule}): "
                "set your structure's VAT number in the administration",
            ),
            "buyer-vat-required": Template(
                "la catégorie {category} (ligne {line}) demande le numéro de TVA de l'acheteur (BT-48, {rule})",
                "category {category} (line {line}) needs the buyer's VAT identifier (BT-48, {rule})",
            ),
            "buyer-vat-forbidden": Template(
                "une facture hors champ de la TVA (O) ne porte aucun numéro de TVA (BT-48, {rule})",
                "an invoice not subject to VAT (O) carries no VAT identifier (BT-48, {rule})",
            ),
            "buyer-vat-format": Template(
                "le numéro de TVA de l'acheteur (BT-48) commence par le code de son pays, puis 2 à 13 lettres ou "
                "chiffres ({rule}) ; reçu '{value}'",
                "the buyer's VAT identifier (BT-48) begins with its country code, then 2 to 13 letters or digits "
                "({rule}); got '{value}'",
            ),
            "delivery-date": Template(
                "une livraison intracommunautaire (K, ligne {line}) demande la date de livraison (BT-72, {rule})",
                "an intra-community supply (K, line {line}) needs the actual delivery date (BT-72, {rule})",
            ),
        },
    ),
    PlatformCode.DUPLICATE_NUMBER: Entry(
        CodeKind.DUPLICATE,
        _one(
            "le numéro de facture {number} a déjà été déposé par ce fournisseur pour {year} : une nouvelle facture "
            "demande un nouveau numéro",
            "invoice number {number} was already deposited by this supplier for {year}: "
            "a new invoice needs a new number",
        ),
    ),
    PlatformCode.ATTACHMENT_EMPTY: Entry(
        CodeKind.ATTACHMENT, _one("la pièce jointe '{name}' est vide", "attachment '{name}' is empty")
    ),
    PlatformCode.ATTACHMENT_SIZE: Entry(
        CodeKind.ATTACHMENT,
        _one(
            "la pièce jointe '{name}' fait {size} octets ; 10 Mo au plus",
            "attachment '{name}' is {size} bytes; at most 10 MB",
        ),
    ),
    PlatformCode.ATTACHMENT_NAME: Entry(
        CodeKind.ATTACHMENT,
        _one(
            "le nom de pièce jointe '{name}' doit compter 1 à {limit} caractères, extension comprise",
            "attachment name '{name}' must be 1 to {limit} characters, extension included",
        ),
    ),
    PlatformCode.ATTACHMENT_TYPE: Entry(
        CodeKind.ATTACHMENT,
        {
            "extension": Template(
                "pièce jointe '{name}' : l'extension '{extension}' n'est pas acceptée ({accepted})",
                "attachment '{name}': extension '{extension}' is not accepted ({accepted})",
            ),
            "unknown-content": Template(
                "pièce jointe '{name}' : son contenu n'est pas d'un type de fichier que la plateforme accepte (PDF, "
                "images, documents bureautiques, archives, texte), quoi qu'en dise son extension .{extension}",
                "attachment '{name}': its content is not a kind of file the hub accepts (PDF, images, office "
                "documents, archives, text), whatever its extension .{extension} says",
            ),
            "content-mismatch": Template(
                "pièce jointe '{name}' : son contenu est {kind}, pas ce qu'annonce son extension .{extension} "
                "(pour {kind} : {accepted})",
                "attachment '{name}': its content is {kind}, not what its extension .{extension} says "
                "(for {kind}: {accepted})",
            ),
        },
    ),
    PlatformCode.ATTACHMENTS_TOTAL: Entry(
        CodeKind.ATTACHMENT,
        _one(
            "la facture et ses pièces jointes pèsent {size} octets ; 120 Mo au plus",
            "the invoice and its attachments weigh {size} bytes; at most 120 MB",
        ),
    ),
    PlatformCode.FRAME_UNSUPPORTED: Entry(
        CodeKind.ADDRESSING,
        _one(
            "le type de processus métier (BT-23) désigne le cadre {process} ; les factures prennent A1, A2, A9 ou A12 "
            "(ou les modes de facturation de la réforme B/S/M 1, 2, 4, 5, 6 ; le mode 7 est du e-reporting, pas "
            "une facture)",
            "business process type (BT-23) names frame {process}; invoices take A1, A2, A9 or A12 "
            "(or the reform's billing modes B/S/M 1, 2, 4, 5, 6; mode 7 is e-reporting, not an invoice)",
        ),
    ),
    PlatformCode.FRAME_MISMATCH: Entry(
        CodeKind.ADDRESSING,
        _one(
            "cadre indiqué : {given}, mais la facture dit {in_document} (BT-23) : mettez-les d'accord",
            "frame given as {given} but the invoice says {in_document} (BT-23): make them agree",
        ),
    ),
    PlatformCode.RECIPIENT_MISMATCH: Entry(
        CodeKind.ADDRESSING,
        _one(
            "destinataire indiqué : {given}, mais l'acheteur de la facture est {buyers} (BT-46/BT-47)",
            "recipient given as {given} but the invoice's buyer is {buyers} (BT-46/BT-47)",
        ),
    ),
    PlatformCode.RECIPIENT_MISSING: Entry(
        CodeKind.ADDRESSING,
        _one(
            "désignez le destinataire public : son SIRET dans la partie acheteur (BT-47, schéma 0009) ou en "
            "recipientIdentifier",
            "name the public recipient: its SIRET in the buyer party (BT-47, scheme 0009) or as recipientIdentifier",
        ),
    ),
    PlatformCode.RECIPIENT_UNKNOWN: Entry(
        CodeKind.ADDRESSING,
        _one("aucune structure de SIRET {siret} dans l'annuaire", "no structure with SIRET {siret} in the directory"),
    ),
    PlatformCode.RECIPIENT_NOT_PUBLIC: Entry(
        CodeKind.ADDRESSING,
        _one(
            "{name} ({siret}) n'est pas une structure publique : la plateforme n'achemine les factures qu'aux "
            "entités publiques",
            "{name} ({siret}) is not a public structure: the hub routes invoices to public entities only",
        ),
    ),
    PlatformCode.RECIPIENT_INACTIVE: Entry(
        CodeKind.ADDRESSING,
        _one(
            "{name} ({siret}) est inactive : elle ne reçoit aucune facture",
            "{name} ({siret}) is inactive: it receives no invoices",
        ),
    ),
    PlatformCode.RECIPIENT_IS_SUPPLIER: Entry(
        CodeKind.ADDRESSING,
        _one("une structure ne peut pas se facturer elle-même", "a structure cannot invoice itself"),
    ),
    PlatformCode.SERVICE_MISMATCH: Entry(
        CodeKind.ADDRESSING,
        _one(
            "code service indiqué : '{given}', mais la facture dit '{in_document}' (BT-10) : mettez-les d'accord",
            "service code given as '{given}' but the invoice says '{in_document}' (BT-10): make them agree",
        ),
    ),
    PlatformCode.SERVICE_UNKNOWN: Entry(
        CodeKind.ADDRESSING,
        _one(
            "{recipient} n'a pas de service '{code}' : choisissez l'un de ses services dans l'annuaire",
            "{recipient} has no service '{code}': pick one of its services in the directory",
        ),
    ),
    PlatformCode.SERVICE_INACTIVE: Entry(
        CodeKind.ADDRESSING,
        _one("le service '{code}' de {recipient} n'est pas actif", "service '{code}' of {recipient} is not active"),
    ),
    PlatformCode.SERVICE_REQUIRED: Entry(
        CodeKind.ADDRESSING,
        _one(
            "{recipient} exige un code service (BT-10 référence acheteur, ou serviceCode)",
            "{recipient} requires a service code (BT-10 buyer reference, or serviceCode)",
        ),
    ),
    PlatformCode.ENGAGEMENT_MISMATCH: Entry(
        CodeKind.ADDRESSING,
        _one(
            "numéro d'engagement indiqué : '{given}', mais la facture dit '{in_document}' (BT-13) : "
            "mettez-les d'accord",
            "engagement number given as '{given}' but the invoice says '{in_document}' (BT-13): make them agree",
        ),
    ),
    PlatformCode.ENGAGEMENT_FORMAT: Entry(
        CodeKind.ADDRESSING,
        _one(
            "le numéro d'engagement compte {length} caractères ; 50 au plus",
            "engagement number is {length} characters; at most 50",
        ),
    ),
    PlatformCode.ENGAGEMENT_REQUIRED: Entry(
        CodeKind.ADDRESSING,
        {
            "": Template(
                "{recipient} exige un numéro d'engagement (BT-13 référence de bon de commande, ou engagementNumber)",
                "{recipient} requires an engagement number (BT-13 purchase order reference, or engagementNumber)",
            ),
            "service": Template(
                "le service '{service}' de {recipient} exige un numéro d'engagement (BT-13 référence de bon de "
                "commande, ou engagementNumber)",
                "service '{service}' of {recipient} requires an engagement number (BT-13 purchase order reference, "
                "or engagementNumber)",
            ),
        },
    ),
    PlatformCode.SERVICE_OR_ENGAGEMENT_REQUIRED: Entry(
        CodeKind.ADDRESSING,
        _one(
            "{recipient} exige un code service (BT-10) ou un numéro d'engagement (BT-13)",
            "{recipient} requires a service code (BT-10) or an engagement number (BT-13)",
        ),
    ),
    PlatformCode.FRAME_A2_AMOUNT_DUE: Entry(
        CodeKind.ADDRESSING,
        _one(
            "une facture déjà payée (A2) ne laisse rien à payer : le montant à payer (BT-115) est de {due}, il doit "
            "être 0",
            "an invoice already paid (A2) leaves nothing to pay: amount due (BT-115) is {due}, it must be 0",
        ),
    ),
    PlatformCode.VALIDATOR_NOT_EXPECTED: Entry(
        CodeKind.ADDRESSING,
        _one(
            "seules les factures de sous-traitance (A9) et de cotraitance (A12) ont un valideur, pas {frame}",
            "only subcontractor (A9) and joint-contractor (A12) invoices have a validator, not {frame}",
        ),
    ),
    PlatformCode.VALIDATOR_REQUIRED: Entry(
        CodeKind.ADDRESSING,
        _one(
            "une facture {frame} est d'abord validée par le titulaire du marché : donnez son identifiant "
            "(validatorIdentifier)",
            "a {frame} invoice is validated first by the main contractor: give its identifier (validatorIdentifier)",
        ),
    ),
    PlatformCode.VALIDATOR_UNKNOWN: Entry(
        CodeKind.ADDRESSING,
        _one(
            "aucune structure d'identifiant {identifier} pour valider cette facture",
            "no structure with identifier {identifier} to validate this invoice",
        ),
    ),
    PlatformCode.VALIDATOR_IS_SUPPLIER: Entry(
        CodeKind.ADDRESSING,
        _one(
            "le valideur doit être une autre structure que le fournisseur",
            "the validator must be another structure than the supplier",
        ),
    ),
    PlatformCode.FLUX_MEMBER_CRASHED: Entry(
        CodeKind.FLUX,
        _one(
            f"le traitement de ce fichier a arrêté le worker {{starts}} fois : il a été mis de côté pour que le reste "
            f"du flux continue ; {_CONTACT_FR}",
            f"processing this file stopped the worker {{starts}} times: it was set aside so that the rest of "
            f"the flux goes on; {_CONTACT_EN}",
        ),
    ),
    PlatformCode.FLUX_MEMBER_UNREADABLE: Entry(
        CodeKind.FLUX,
        _one(
            f"ce fichier n'a pas pu être traité ({{error}}) : {_CONTACT_FR}",
            f"this file could not be processed ({{error}}): {_CONTACT_EN}",
        ),
        by_input=False,
        why_not_by_input="an exception of the hub's own code while depositing a member (a bug), nothing a file does",
    ),
    # Also carries the archive refusal's own message when the stored archive can no longer be read.
    PlatformCode.FLUX_INCIDENT: Entry(
        CodeKind.FLUX,
        _one("le traitement a échoué à plusieurs reprises : {error}", "processing failed repeatedly: {error}"),
    ),
    PlatformCode.INTERNAL: Entry(
        CodeKind.INTERNAL,
        _one(
            "le document n'a pas pu être vérifié à cause d'une erreur de la plateforme (référence {reference}) ; "
            "rien n'a été enregistré : réessayez plus tard, ou donnez cette référence au support",
            "the document could not be checked because of an error in the hub (reference {reference}); "
            "nothing was stored: try again later, or give this reference to support",
        ),
    ),
}

_BY_VALUE: dict[str, PlatformCode] = {code.value: code for code in PlatformCode}
