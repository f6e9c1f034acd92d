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
        "join_structure": "Demander à rejoindre une structure",
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
        # Getting back in and the account page (auth/reset_pages.py, auth/account_pages.py)
        "forgot_link": "Mot de passe oublié ?",
        "forgot_title": "Mot de passe oublié",
        "forgot_intro": "Indiquez l'adresse e-mail de votre compte : nous y enverrons un lien pour choisir "
        "un nouveau mot de passe.",
        "forgot_button": "Envoyer le lien",
        "forgot_sent": "Si un compte facturehub utilise l'adresse {email}, un lien pour choisir un nouveau mot "
        "de passe vient d'y être envoyé.",
        "forgot_sent_more": "Le lien est valable une heure et ne sert qu'une fois. Rien reçu ? Vérifiez "
        "l'adresse et le dossier des indésirables, puis recommencez.",
        "back_to_sign_in": "Retour à la connexion",
        "email_invalid": "Saisissez une adresse e-mail valable, par exemple nom@exemple.fr.",
        "too_many_requests": "Trop de demandes pour cette adresse ou depuis votre réseau. Attendez quelques "
        "minutes avant de réessayer.",
        "reset_title": "Choisir un nouveau mot de passe",
        "reset_button": "Enregistrer le mot de passe",
        "reset_ends_sessions": "Toutes les sessions ouvertes sur votre compte et les accès des applications "
        "seront fermés.",
        "reset_done": "Votre mot de passe a été changé et toutes vos sessions ont été fermées.",
        "sign_in_now": "Se connecter avec le nouveau mot de passe",
        "password_rule": "Au moins {count} caractères.",
        "new_password": "Nouveau mot de passe",
        "new_password_again": "Nouveau mot de passe, à nouveau",
        "password_short": "Le nouveau mot de passe doit compter au moins 12 caractères.",
        "password_long": "Le nouveau mot de passe ne doit pas dépasser 1024 caractères.",
        "password_mismatch": "Les deux saisies du nouveau mot de passe diffèrent.",
        "password_wrong": "Le mot de passe actuel n'est pas le bon.",
        "link_title": "Lien inutilisable",
        "link_unknown": "Ce lien n'est pas valable : il est incomplet ou n'a jamais été envoyé.",
        "link_used": "Ce lien a déjà servi (ou un lien plus récent l'a remplacé) : chaque lien ne sert qu'une fois.",
        "link_expired": "Ce lien a expiré.",
        "ask_again": "Demander un nouveau lien",
        "ask_again_account": "Recommencer depuis votre compte",
        "account_title": "Mon compte",
        "profile": "Profil",
        "name": "Nom",
        "language": "Langue",
        "language_fr": "Français",
        "language_en": "English",
        "save": "Enregistrer",
        "profile_saved": "Profil enregistré.",
        "name_required": "Le nom est obligatoire.",
        "name_long": "Le nom ne doit pas dépasser 200 caractères.",
        "email_heading": "Adresse e-mail",
        "email_current": "Adresse de connexion :",
        "email_pending": "En attente de confirmation : {email}.",
        "new_email": "Nouvelle adresse e-mail",
        "current_password": "Mot de passe actuel",
        "email_button": "Changer d'adresse",
        "email_how": "Un lien de confirmation est envoyé à la nouvelle adresse ; elle ne remplace l'ancienne "
        "qu'une fois le lien suivi, et l'ancienne adresse en est avertie.",
        "email_sent": "Un lien de confirmation a été envoyé à la nouvelle adresse : suivez-le pour terminer "
        "le changement.",
        "email_same": "C'est déjà l'adresse de votre compte.",
        "email_confirm_title": "Nouvelle adresse e-mail",
        "email_confirm_text": "Faire de {email} l'adresse de connexion de votre compte ?",
        "email_confirm_button": "Confirmer la nouvelle adresse",
        "email_changed": "C'est fait : votre compte se connecte désormais avec {email}.",
        "email_taken": "Cette adresse est déjà celle d'un autre compte facturehub : elle ne peut pas être "
        "utilisée ici. Rien n'a été changé.",
        "password_heading": "Mot de passe",
        "password_button": "Changer le mot de passe",
        "password_ends_others": "Vos autres sessions et les accès des applications seront fermés ; "
        "celle-ci reste ouverte.",
        "password_saved": "Mot de passe changé. Vos autres sessions ont été fermées.",
        "two_factor_state_on": "Activée.",
        "two_factor_state_off": "Désactivée : votre compte n'est protégé que par son mot de passe.",
        "two_factor_manage": "Gérer la validation en deux étapes",
        "two_factor_turn_on": "Activer la validation en deux étapes",
        "sessions_heading": "Sessions ouvertes",
        "sessions_caption": "Les navigateurs connectés à votre compte.",
        "session_started": "Ouverte le",
        "session_seen": "Dernière activité",
        "session_browser": "Navigateur",
        "unknown_browser": "Navigateur inconnu",
        "this_browser": "ce navigateur",
        "everywhere_text": "Ferme toutes les sessions, y compris celle-ci, et les accès de toutes les "
        "applications : il faudra se reconnecter partout.",
        "everywhere_button": "Se déconnecter partout",
        "apps_heading": "Applications autorisées",
        "apps_none": "Vous n'avez autorisé aucune application.",
        "app": "Application",
        "app_scopes": "Droits",
        "app_since": "Depuis le",
        "actions": "Actions",
        "revoke": "Retirer",
        "revoke_app_named": "Retirer l'accès de {name} à {workspace}",
        "revoke_text": "Retirer une autorisation ferme les accès de l'application ; elle devra vous la redemander.",
        "app_revoked": "Autorisation retirée.",
        "app_not_found": "Cette autorisation n'existe pas ou a déjà été retirée.",
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
        "join_structure": "Ask to join a structure",
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
        # Getting back in and the account page (auth/reset_pages.py, auth/account_pages.py)
        "forgot_link": "Forgot your password?",
        "forgot_title": "Forgotten password",
        "forgot_intro": "Enter your account's e-mail address: we will send it a link to choose a new password.",
        "forgot_button": "Send the link",
        "forgot_sent": "If a facturehub account uses {email}, a link to choose a new password has just been "
        "sent to it.",
        "forgot_sent_more": "The link works for one hour, once. Nothing came? Check the address and the spam "
        "folder, then try again.",
        "back_to_sign_in": "Back to sign-in",
        "email_invalid": "Enter a valid e-mail address, for example name@example.com.",
        "too_many_requests": "Too many requests for this address or from your network. Wait a few minutes "
        "before trying again.",
        "reset_title": "Choose a new password",
        "reset_button": "Save the password",
        "reset_ends_sessions": "Every session open on your account and every app's access will be ended.",
        "reset_done": "Your password was changed and all your sessions were ended.",
        "sign_in_now": "Sign in with the new password",
        "password_rule": "At least {count} characters.",
        "new_password": "New password",
        "new_password_again": "New password, again",
        "password_short": "The new password needs at least 12 characters.",
        "password_long": "The new password must not be longer than 1024 characters.",
        "password_mismatch": "The two entries of the new password differ.",
        "password_wrong": "The current password is not the right one.",
        "link_title": "Link not usable",
        "link_unknown": "This link is not valid: it is incomplete or was never sent.",
        "link_used": "This link was already used (or a newer link replaced it): each link works once.",
        "link_expired": "This link has expired.",
        "ask_again": "Ask for a new link",
        "ask_again_account": "Start again from your account",
        "account_title": "My account",
        "profile": "Profile",
        "name": "Name",
        "language": "Language",
        "language_fr": "Français",
        "language_en": "English",
        "save": "Save",
        "profile_saved": "Profile saved.",
        "name_required": "The name is required.",
        "name_long": "The name must not be longer than 200 characters.",
        "email_heading": "E-mail address",
        "email_current": "Sign-in address:",
        "email_pending": "Waiting for confirmation: {email}.",
        "new_email": "New e-mail address",
        "current_password": "Current password",
        "email_button": "Change address",
        "email_how": "A confirmation link is sent to the new address; it replaces the old one only once the "
        "link is followed, and the old address is told.",
        "email_sent": "A confirmation link was sent to the new address: follow it to finish the change.",
        "email_same": "This is already your account's address.",
        "email_confirm_title": "New e-mail address",
        "email_confirm_text": "Make {email} your account's sign-in address?",
        "email_confirm_button": "Confirm the new address",
        "email_changed": "Done: your account now signs in with {email}.",
        "email_taken": "This address already belongs to another facturehub account: it cannot be used here. "
        "Nothing was changed.",
        "password_heading": "Password",
        "password_button": "Change the password",
        "password_ends_others": "Your other sessions and every app's access will be ended; this one stays open.",
        "password_saved": "Password changed. Your other sessions were ended.",
        "two_factor_state_on": "On.",
        "two_factor_state_off": "Off: your account is protected by its password only.",
        "two_factor_manage": "Manage two-step verification",
        "two_factor_turn_on": "Turn on two-step verification",
        "sessions_heading": "Open sessions",
        "sessions_caption": "The browsers signed in to your account.",
        "session_started": "Started",
        "session_seen": "Last active",
        "session_browser": "Browser",
        "unknown_browser": "Unknown browser",
        "this_browser": "this browser",
        "everywhere_text": "Ends every session, this one included, and every app's access: you will sign in "
        "again everywhere.",
        "everywhere_button": "Sign out everywhere",
        "apps_heading": "Authorized apps",
        "apps_none": "You have authorized no app.",
        "app": "App",
        "app_scopes": "Rights",
        "app_since": "Since",
        "actions": "Actions",
        "revoke": "Revoke",
        "revoke_app_named": "Revoke {name}'s access to {workspace}",
        "revoke_text": "Revoking an authorization ends the app's access; it will have to ask you again.",
        "app_revoked": "Authorization revoked.",
        "app_not_found": "This authorization does not exist or was already revoked.",
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
