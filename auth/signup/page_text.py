"""The words of the sign-up pages, French first, as auth.page_text (the same switch and cookie)."""

from __future__ import annotations

from auth.page_text import language

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "signup": "Créer un compte",
        "signup_intro": "Fournisseur d'une entité publique ? Créez votre compte, puis la fiche de votre structure.",
        "name": "Nom et prénom",
        "email": "Adresse e-mail",
        "password_new": "Mot de passe (12 caractères au moins)",
        "language": "Langue des messages",
        "create_account": "Créer mon compte",
        "have_account": "Vous avez déjà un compte ?",
        "sign_in": "Se connecter",
        "check_title": "Consultez votre messagerie",
        "check_text": "Un message vient d'être envoyé à {email}. Suivez son lien dans les 24 heures pour "
        "confirmer votre adresse. Rien reçu ? Vérifiez les indésirables, ou recommencez dans quelques minutes.",
        "too_many": "Trop de demandes depuis cette adresse. Réessayez dans une heure.",
        "too_many_structures": "Vous avez créé beaucoup de structures en peu de temps. Réessayez dans une heure.",
        "form_expired": "Le formulaire a expiré ; veuillez réessayer.",
        "email_invalid": "Cette adresse e-mail n'est pas valable.",
        "name_required": "Indiquez votre nom.",
        "name_invalid": "Le nom est trop long (200 caractères au plus) ou contient des caractères interdits.",
        "password_short": "Le mot de passe doit compter au moins 12 caractères.",
        "password_long": "Le mot de passe est trop long.",
        "locale_invalid": "Choisissez le français ou l'anglais.",
        "verify_title": "Confirmer votre adresse",
        "verify_intro": "Pour activer le compte {email}, saisissez le mot de passe choisi à l'inscription.",
        "password": "Mot de passe",
        "confirm": "Confirmer",
        "choose_title": "Choisir un mot de passe",
        "choose_intro": "Vous n'avez pas choisi ce mot de passe, ou vous l'avez oublié ? Ce lien prouve que "
        "l'adresse est la vôtre : choisissez-en un nouveau.",
        "choose_only": "Pour activer le compte {email}, choisissez son mot de passe.",
        "choose_button": "Choisir ce mot de passe et confirmer",
        "password_wrong": "Ce n'est pas le mot de passe choisi à l'inscription.",
        "too_many_tries": "Trop d'essais infructueux. Attendez quelques minutes, ou choisissez un nouveau "
        "mot de passe ci-dessous.",
        "link_used": "Ce lien a déjà servi, ou un lien plus récent l'a remplacé.",
        "link_expired": "Ce lien a expiré.",
        "link_unknown": "Ce lien n'est pas valable. Vérifiez qu'il a été copié en entier.",
        "link_title": "Lien inutilisable",
        "new_link": "Pour recevoir un nouveau lien, connectez-vous avec votre adresse et votre mot de passe, "
        "ou recommencez l'inscription avec la même adresse.",
        "unverified_title": "Adresse à confirmer",
        "unverified": "Votre adresse n'est pas encore confirmée. Un nouveau lien vient de vous être envoyé "
        "à {email} : suivez-le pour terminer.",
        "unverified_budget": "Votre adresse n'est pas encore confirmée. Suivez le lien du dernier message "
        "reçu à {email} (plusieurs liens ont déjà été envoyés récemment).",
        "structure_title": "Créer votre structure",
        "structure_intro": "Connecté(e) en tant que {user}. Décrivez la structure qui facture : vous en serez "
        "le gestionnaire principal.",
        "identifier_type": "Type d'identifiant",
        "identifier": "Identifiant",
        "identifier_hint": "SIRET : 14 chiffres. Numéro de TVA intracommunautaire : préfixe du pays puis le "
        "numéro (par exemple DE123456788).",
        "structure_name": "Raison sociale",
        "address": "Adresse",
        "address_line1": "Adresse (numéro et voie)",
        "address_line2": "Complément d'adresse",
        "postcode": "Code postal",
        "town": "Ville",
        "country": "Code pays (ISO, 2 lettres)",
        "create_structure": "Créer la structure",
        "join_instead": "Votre structure est déjà sur facturehub ? Demandez à la rejoindre",
        "taken": "Une structure identifiée par {kind} {identifier} existe déjà sur facturehub : vous ne pouvez "
        "pas la créer à nouveau. Demandez plutôt à la rejoindre ; ses gestionnaires principaux décideront.",
        "ask_to_join": "Demander à rejoindre cette structure",
        "created_title": "Structure créée",
        "created": "La structure {name} ({kind} {identifier}) est créée ; vous en êtes le gestionnaire principal.",
        "continue": "Continuer vers facturehub",
        "verified_title": "Adresse confirmée",
        "verified": "Votre adresse est confirmée.",
        "name_field_required": "Indiquez la raison sociale.",
        "name_field_invalid": "La raison sociale est trop longue (200 caractères au plus) ou contient des "
        "caractères interdits.",
        "type_invalid": "Choisissez un type d'identifiant de la liste.",
        "field_invalid": "Ce champ est trop long ou contient des caractères interdits.",
        "country_invalid": "Le code pays compte deux lettres (FR, DE, BE...).",
        "SIRET": "SIRET (France)",
        "UE_HORS_FRANCE": "Numéro de TVA intracommunautaire (Union européenne hors France)",
        "HORS_UE": "Identifiant hors Union européenne",
        "RIDET": "RIDET (Nouvelle-Calédonie)",
        "TAHITI": "Numéro Tahiti (Polynésie française)",
        "PARTICULIER": "Particulier",
        "fr": "Français",
        "en": "Anglais",
    },
    "en": {
        "signup": "Create an account",
        "signup_intro": "A supplier of public entities? Create your account, then your structure's record.",
        "name": "Full name",
        "email": "E-mail",
        "password_new": "Password (at least 12 characters)",
        "language": "Language of messages",
        "create_account": "Create my account",
        "have_account": "Already have an account?",
        "sign_in": "Sign in",
        "check_title": "Check your mail",
        "check_text": "A message has just been sent to {email}. Follow its link within 24 hours to confirm "
        "your address. Nothing came? Look in the spam folder, or try again in a few minutes.",
        "too_many": "Too many requests from this address. Try again in an hour.",
        "too_many_structures": "You created many structures in a short time. Try again in an hour.",
        "form_expired": "The form expired; please try again.",
        "email_invalid": "This e-mail address is not valid.",
        "name_required": "Enter your name.",
        "name_invalid": "The name is too long (at most 200 characters) or holds characters that are not allowed.",
        "password_short": "The password needs at least 12 characters.",
        "password_long": "The password is too long.",
        "locale_invalid": "Choose French or English.",
        "verify_title": "Confirm your address",
        "verify_intro": "To activate the account {email}, enter the password you chose when signing up.",
        "password": "Password",
        "confirm": "Confirm",
        "choose_title": "Choose a password",
        "choose_intro": "You did not choose that password, or you forgot it? This link proves the address is "
        "yours: choose a new one.",
        "choose_only": "To activate the account {email}, choose its password.",
        "choose_button": "Choose this password and confirm",
        "password_wrong": "This is not the password chosen when signing up.",
        "too_many_tries": "Too many failed attempts. Wait a few minutes, or choose a new password below.",
        "link_used": "This link was already used, or a newer link replaced it.",
        "link_expired": "This link has expired.",
        "link_unknown": "This link is not valid. Check that it was copied whole.",
        "link_title": "Link not usable",
        "new_link": "To get a new link, sign in with your address and password, or sign up again with the "
        "same address.",
        "unverified_title": "Address to confirm",
        "unverified": "Your address is not confirmed yet. A new link has just been sent to {email}: follow it "
        "to finish.",
        "unverified_budget": "Your address is not confirmed yet. Follow the link of the latest message sent to "
        "{email} (several links were sent recently).",
        "structure_title": "Create your structure",
        "structure_intro": "Signed in as {user}. Describe the structure that invoices: you will be its "
        "principal manager.",
        "identifier_type": "Identifier type",
        "identifier": "Identifier",
        "identifier_hint": "SIRET: 14 digits. Intra-EU VAT number: the country prefix, then the number "
        "(for example DE123456788).",
        "structure_name": "Company name",
        "address": "Address",
        "address_line1": "Address (number and street)",
        "address_line2": "Address, continued",
        "postcode": "Postcode",
        "town": "Town",
        "country": "Country code (ISO, 2 letters)",
        "create_structure": "Create the structure",
        "join_instead": "Your structure is already on facturehub? Ask to join it",
        "taken": "A structure identified by {kind} {identifier} is already on facturehub: you cannot create it "
        "again. Ask to join it instead; its principal managers will decide.",
        "ask_to_join": "Ask to join this structure",
        "created_title": "Structure created",
        "created": "The structure {name} ({kind} {identifier}) is created; you are its principal manager.",
        "continue": "Continue to facturehub",
        "verified_title": "Address confirmed",
        "verified": "Your address is confirmed.",
        "name_field_required": "Enter the company name.",
        "name_field_invalid": "The company name is too long (at most 200 characters) or holds characters that "
        "are not allowed.",
        "type_invalid": "Choose an identifier type from the list.",
        "field_invalid": "This field is too long or holds characters that are not allowed.",
        "country_invalid": "The country code has two letters (FR, DE, BE...).",
        "SIRET": "SIRET (France)",
        "UE_HORS_FRANCE": "Intra-EU VAT number (European Union outside France)",
        "HORS_UE": "Identifier outside the European Union",
        "RIDET": "RIDET (New Caledonia)",
        "TAHITI": "Tahiti number (French Polynesia)",
        "PARTICULIER": "Private individual",
        "fr": "French",
        "en": "English",
    },
}


def t(key: str, **values: str) -> str:
    text = TEXT[language()][key]
    return text.format(**values) if values else text


# The identifier checks (tenancy.identifiers) explain in English; a French reader reads the same in French.
IDENTIFIER_FR = (
    ("is empty", "Indiquez l'identifiant."),
    ("SIRET", "digits only", "Le SIRET ne contient que des chiffres."),
    ("SIRET", "14 digits", "Le SIRET compte 14 chiffres (le SIREN puis le NIC)."),
    ("SIRET", "La Poste", "Ce SIRET de La Poste ne passe ni la clé de Luhn ni la somme de La Poste."),
    ("SIRET", "first 9 digits", "Les 9 premiers chiffres du SIRET ne forment pas un SIREN valable."),
    ("SIRET", "Luhn", "La clé de contrôle (Luhn) du SIRET ne correspond pas : un chiffre est sans doute mal saisi."),
    ("is French", "Ce numéro est français : une structure française s'identifie par son SIRET."),
    ("Greek", "Les numéros de TVA grecs commencent par EL, non GR."),
    ("EU country code", "Le numéro de TVA commence par le code d'un pays de l'Union (DE, IT, ES...)."),
    ("check digit", "La clé de contrôle du numéro de TVA ne correspond pas : un chiffre est sans doute mal saisi."),
    ("format", "Ce numéro de TVA n'a pas le format de son pays."),
    ("VAT number", "Ce numéro de TVA n'est pas valable."),
    ("letters, digits", "L'identifiant compte 1 à 80 lettres, chiffres, espaces ou . - / _"),
)


def identifier_problem(message: str) -> str:
    """What is wrong with the identifier typed, in the page's language."""
    if language() != "fr":
        return message
    for *words, french in IDENTIFIER_FR:
        if all(word in message for word in words):
            return french
    return message
