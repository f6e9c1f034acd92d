"""The language of the hub's own pages (sign-in, second factor, consent, errors): French first, English at a switch.

The choice is the ``facturehub_lang`` cookie, which the web app writes too, so a person switches once for
the whole product; ``?lang=en`` on a page sets it. It only picks words: it authenticates nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

LANG_COOKIE = "facturehub_lang"
LANGUAGES = ("fr", "en")
_current: ContextVar[str] = ContextVar("page_language", default="fr")
_switch_target: ContextVar[str] = ContextVar("page_switch_target", default="/login")

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "sign_in": "Connexion",
        "signed_in": "Connecté(e)",
        "email": "Adresse e-mail",
        "password": "Mot de passe",
        "sign_in_button": "Se connecter",
        "signed_in_as": "Connecté(e) en tant que {name}.",
        "open_app": "Ouvrir facturehub",
        "sign_out": "Se déconnecter",
        "authorize": "Autoriser l'accès",
        "asks": '<strong>{client}</strong> <span class="muted">({client_id})</span> demande à agir pour vous '
        "({user}) dans l'une de vos structures, pour :",
        "workspace": "Structure",
        "grants": "accorde",
        "nothing": "rien",
        "role_caps": "Votre rôle dans la structure peut permettre moins que demandé ; seul cela est accordé.",
        "approve": "Autoriser",
        "deny": "Refuser",
        "choose": "Choisir une structure",
        "choose_text": "Connecté(e) en tant que {user}. Dans quelle structure travaillez-vous ? "
        "Vous pourrez en changer à tout moment depuis l'en-tête.",
        "continue": "Continuer",
        "cancel": "Annuler",
        "refused": "Demande refusée",
        "error_code": "Code d'erreur",
        "switch": "English",
        "two_factor": "Validation en deux étapes",
        "two_factor_intro": "Saisissez le code à 6 chiffres que montre votre application d'authentification, "
        "ou l'un de vos codes de secours.",
        "code": "Code",
        "verify": "Vérifier",
        "start_over": "Recommencer la connexion",
        "code_wrong": "Ce code n'est pas valable ou a déjà servi. Réessayez avec le code affiché maintenant.",
        "too_many": "Trop d'essais infructueux. Attendez quelques minutes avant de réessayer.",
        "form_expired": "Le formulaire a expiré ; veuillez réessayer.",
        "enrol_title": "Activer la validation en deux étapes",
        "enrol_required": "Une structure dont vous êtes administrateur exige la validation en deux étapes : "
        "activez-la pour continuer.",
        "enrol_scan": "Scannez ce QR code avec votre application d'authentification "
        "(par exemple Aegis, FreeOTP ou Google Authenticator).",
        "qr_label": "QR code à scanner avec l'application d'authentification",
        "enrol_key": "Ou saisissez cette clé à la main (type : basé sur le temps, 6 chiffres) :",
        "enrol_code": "Code à 6 chiffres affiché par l'application",
        "enrol_button": "Activer",
        "codes_title": "Vos codes de secours",
        "codes_intro": "Notez ces codes ou imprimez-les, et gardez-les en lieu sûr : chacun permet une seule "
        "connexion si vous n'avez plus votre application. Ils ne seront plus affichés.",
        "two_factor_on": "La validation en deux étapes est activée pour votre compte.",
        "codes_left": "Codes de secours inutilisés : {count}.",
        "regenerate_title": "Nouveaux codes de secours",
        "regenerate_text": "Les codes actuels cesseront de fonctionner. Confirmez avec un code de l'application.",
        "regenerate_button": "Générer de nouveaux codes",
        "disable_title": "Désactiver",
        "disable_text": "Votre compte ne sera plus protégé que par son mot de passe. Confirmez avec un code "
        "de l'application ou votre mot de passe.",
        "code_or_password": "Code ou mot de passe",
        "code_or_password_wrong": "Ni un code valable ni le bon mot de passe.",
        "disable_button": "Désactiver la validation en deux étapes",
        "two_factor_off": "La validation en deux étapes est désactivée.",
        "enable_again": "La réactiver",
        "back": "Retour",
        "forgot_password": "Mot de passe oublié ?",
        "no_account": "Pas encore de compte ?",
        "create_account": "Créer un compte",
        "new_structure": "Créer une structure fournisseur",
    },
    "en": {
        "sign_in": "Sign in",
        "signed_in": "Signed in",
        "email": "E-mail",
        "password": "Password",
        "sign_in_button": "Sign in",
        "signed_in_as": "Signed in as {name}.",
        "open_app": "Open facturehub",
        "sign_out": "Sign out",
        "authorize": "Authorize access",
        "asks": '<strong>{client}</strong> <span class="muted">({client_id})</span> asks to act for you ({user}) '
        "in one of your workspaces, to:",
        "workspace": "Workspace",
        "grants": "grants",
        "nothing": "nothing",
        "role_caps": "Your role in the workspace may allow less than asked; only that is granted.",
        "approve": "Approve",
        "deny": "Deny",
        "choose": "Choose a workspace",
        "choose_text": "Signed in as {user}. Which workspace do you work in now? "
        "You can switch at any time from the header.",
        "continue": "Continue",
        "cancel": "Cancel",
        "refused": "Request refused",
        "error_code": "Error code",
        "switch": "Français",
        "two_factor": "Two-step verification",
        "two_factor_intro": "Enter the 6-digit code your authenticator app shows, or one of your recovery codes.",
        "code": "Code",
        "verify": "Verify",
        "start_over": "Start signing in again",
        "code_wrong": "This code is not valid or was already used. Try again with the code shown now.",
        "too_many": "Too many failed attempts. Wait a few minutes before trying again.",
        "form_expired": "The form expired; please try again.",
        "enrol_title": "Turn on two-step verification",
        "enrol_required": "A workspace you administer requires two-step verification: turn it on to continue.",
        "enrol_scan": "Scan this QR code with your authenticator app (for example Aegis, FreeOTP or "
        "Google Authenticator).",
        "qr_label": "QR code to scan with the authenticator app",
        "enrol_key": "Or type this key by hand (type: time-based, 6 digits):",
        "enrol_code": "6-digit code the app shows",
        "enrol_button": "Turn on",
        "codes_title": "Your recovery codes",
        "codes_intro": "Write these codes down or print them, and keep them safe: each one signs you in once "
        "if you no longer have your app. They will not be shown again.",
        "two_factor_on": "Two-step verification is on for your account.",
        "codes_left": "Unused recovery codes: {count}.",
        "regenerate_title": "New recovery codes",
        "regenerate_text": "The current codes will stop working. Confirm with a code from the app.",
        "regenerate_button": "Generate new codes",
        "disable_title": "Turn off",
        "disable_text": "Your account will be protected by its password only. Confirm with a code from the app "
        "or your password.",
        "code_or_password": "Code or password",
        "code_or_password_wrong": "Neither a valid code nor the right password.",
        "disable_button": "Turn off two-step verification",
        "two_factor_off": "Two-step verification is off.",
        "enable_again": "Turn it on again",
        "back": "Back",
        "forgot_password": "Forgot your password?",
        "no_account": "No account yet?",
        "create_account": "Create an account",
        "new_structure": "Create a supplier structure",
    },
}

SCOPES: dict[str, dict[str, str]] = {
    "fr": {
        "invoices:read": "lire les factures de la structure et leur statut",
        "invoices:submit": "déposer des factures au nom de la structure",
        "invoices:process": "traiter les factures reçues (valider, suspendre, rejeter, mettre en paiement)",
        "directory:read": "consulter l'annuaire des structures publiques",
        "workspace:admin": "administrer la structure : membres, services, clients d'API",
        "webhooks:manage": "gérer les webhooks de la structure",
    },
}

# What auth/routes.py says in English, as a French reader reads it.
MESSAGES_FR = {
    "The form expired; please try again.": "Le formulaire a expiré ; veuillez réessayer.",
    "Too many failed attempts. Wait a few minutes before trying again.": (
        "Trop d'essais infructueux. Attendez quelques minutes avant de réessayer."
    ),
    "Wrong e-mail or password.": "Adresse e-mail ou mot de passe incorrect.",
    "the form could not be read": "le formulaire n'a pas pu être lu",
    "the form expired or came from another site; start again": (
        "le formulaire a expiré ou vient d'un autre site ; recommencez"
    ),
    "you are not signed in any more; start again from the app": (
        "vous n'êtes plus connecté(e) ; recommencez depuis l'application"
    ),
    "choose one of your workspaces": "choisissez l'une de vos structures",
    "the form expired; please try again": "le formulaire a expiré ; veuillez réessayer",
}


def language() -> str:
    return _current.get()


def t(key: str, **values: str) -> str:
    text = TEXT[language()][key]
    return text.format(**values) if values else text


def message(text: str) -> str:
    return MESSAGES_FR.get(text, text) if language() == "fr" else text


def scope_text(scope: str, english: str) -> str:
    return SCOPES.get(language(), {}).get(scope, english)


def switch_link() -> str:
    """Where the page's language switch leads: the same page, in the other language."""
    return _switch_target.get()


Handler = Callable[[Request], Awaitable[Response]]


def localized(handler: Handler) -> Handler:
    """Run a page handler in the reader's language; ``?lang=`` switches it and is remembered."""

    async def run(request: Request) -> Response:
        asked = request.query_params.get("lang")
        chosen = asked if asked in LANGUAGES else request.cookies.get(LANG_COOKIE)
        lang = chosen if chosen in LANGUAGES else "fr"
        other = "en" if lang == "fr" else "fr"
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)]
        tokens = (_current.set(lang), _switch_target.set(request.url.path + "?" + urlencode(query)))
        try:
            response = await handler(request)
        finally:
            _switch_target.reset(tokens[1])
            _current.reset(tokens[0])
        if asked in LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path="/", samesite="lax")
        return response

    return run
