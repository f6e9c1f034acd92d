"""The words of the joining pages (an invitation's link, asking to join), French first, as auth.page_text."""

from __future__ import annotations

from auth.page_text import language

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "invitation": "Invitation",
        "invites": "{inviter} vous invite à rejoindre {structure} sur facturehub, avec le rôle de {role}.",
        "invites_anonymous": "Vous êtes invité(e) à rejoindre {structure} sur facturehub, avec le rôle de {role}.",
        "for_address": "L'invitation est adressée à {email}.",
        "accept": "Accepter",
        "decline": "Refuser l'invitation",
        "new_account": "Créez votre compte pour accepter :",
        "name": "Nom et prénom",
        "password": "Mot de passe (12 caractères au moins)",
        "sign_in_to_accept": "Se connecter en tant que {email} pour accepter",
        "has_account": "Un compte facturehub utilise déjà cette adresse : connectez-vous pour accepter.",
        "other_account": "Vous êtes connecté(e) en tant que {user}, mais l'invitation est adressée à {email}. "
        "Déconnectez-vous puis connectez-vous avec ce compte.",
        "sign_out_switch": "Se déconnecter et changer de compte",
        "declined_title": "Invitation refusée",
        "declined": "Vous avez refusé l'invitation à rejoindre {structure}. Vous pouvez fermer cette page.",
        "unusable": "Invitation inutilisable",
        "unknown": "Ce lien d'invitation n'est pas valide. Vérifiez que vous l'avez copié en entier.",
        "expired": "Cette invitation a expiré (elle était valable sept jours). "
        "Demandez-en une nouvelle à la personne qui vous a invité(e).",
        "accepted": "Cette invitation a déjà été acceptée : le lien ne sert qu'une fois.",
        "declined_before": "Cette invitation a été refusée.",
        "withdrawn": "Cette invitation a été retirée par la structure.",
        "already_member": "Vous êtes déjà membre de cette structure.",
        "name_required": "Indiquez votre nom.",
        "name_invalid": "Ce nom est trop long ou contient des caractères interdits.",
        "password_short": "Le mot de passe doit compter au moins 12 caractères.",
        "too_many": "Trop de demandes depuis votre adresse. Réessayez dans une minute.",
        "form_expired": "Le formulaire a expiré ; veuillez réessayer.",
        "join": "Demander à rejoindre une structure",
        "join_intro": "Connecté(e) en tant que {user}. Indiquez l'identifiant de la structure (SIRET, numéro de "
        "TVA...) : ses gestionnaires principaux reçoivent votre demande et y répondent par e-mail.",
        "identifier": "Identifiant de la structure",
        "identifier_type": "Type d'identifiant",
        "any_type": "Peu importe",
        "message": "Message aux gestionnaires (facultatif)",
        "send": "Envoyer la demande",
        "sent_title": "Demande envoyée",
        "sent": "Votre demande de rattachement à {structure} est envoyée à ses gestionnaires principaux. "
        "Vous serez informé(e) de leur réponse par e-mail.",
        "back": "Retour",
        "join_not_found": "Aucune structure active n'a l'identifiant {identifier}.",
        "join_ambiguous": "Plusieurs structures ont cet identifiant : choisissez son type.",
        "join_member": "Vous êtes déjà membre de cette structure.",
        "join_pending": "Vous avez déjà demandé à rejoindre cette structure ; ses gestionnaires n'ont pas "
        "encore répondu.",
        "identifier_required": "Indiquez l'identifiant de la structure.",
        "message_invalid": "Le message est trop long (2000 caractères au plus) ou contient des caractères interdits.",
        "GESTIONNAIRE_PRINCIPAL": "gestionnaire principal",
        "GESTIONNAIRE": "gestionnaire",
        "UTILISATEUR": "utilisateur",
    },
    "en": {
        "invitation": "Invitation",
        "invites": "{inviter} invites you to join {structure} on facturehub, as {role}.",
        "invites_anonymous": "You are invited to join {structure} on facturehub, as {role}.",
        "for_address": "The invitation is addressed to {email}.",
        "accept": "Accept",
        "decline": "Decline the invitation",
        "new_account": "Create your account to accept:",
        "name": "Full name",
        "password": "Password (at least 12 characters)",
        "sign_in_to_accept": "Sign in as {email} to accept",
        "has_account": "A facturehub account already uses this address: sign in to accept.",
        "other_account": "You are signed in as {user}, but the invitation is addressed to {email}. "
        "Sign out, then sign in with that account.",
        "sign_out_switch": "Sign out and switch account",
        "declined_title": "Invitation declined",
        "declined": "You declined the invitation to join {structure}. You may close this page.",
        "unusable": "Invitation unusable",
        "unknown": "This invitation link is not valid. Check that you copied all of it.",
        "expired": "This invitation has expired (it was valid for seven days). "
        "Ask the person who invited you for a new one.",
        "accepted": "This invitation was already accepted: the link works only once.",
        "declined_before": "This invitation was declined.",
        "withdrawn": "This invitation was withdrawn by the structure.",
        "already_member": "You are already a member of this structure.",
        "name_required": "Enter your name.",
        "name_invalid": "This name is too long or holds characters that are not allowed.",
        "password_short": "The password needs at least 12 characters.",
        "too_many": "Too many requests from your address. Try again in a minute.",
        "form_expired": "The form expired; please try again.",
        "join": "Ask to join a structure",
        "join_intro": "Signed in as {user}. Enter the structure's identifier (SIRET, VAT number...): its "
        "principal managers receive your request and answer it by e-mail.",
        "identifier": "Structure identifier",
        "identifier_type": "Identifier type",
        "any_type": "Any",
        "message": "Message to the managers (optional)",
        "send": "Send the request",
        "sent_title": "Request sent",
        "sent": "Your request to join {structure} was sent to its principal managers. "
        "You will be told their answer by e-mail.",
        "back": "Back",
        "join_not_found": "No active structure has the identifier {identifier}.",
        "join_ambiguous": "Several structures have this identifier: choose its type.",
        "join_member": "You are already a member of this structure.",
        "join_pending": "You already asked to join this structure; its managers have not answered yet.",
        "identifier_required": "Enter the structure's identifier.",
        "message_invalid": "The message is too long (at most 2000 characters) or holds characters that are "
        "not allowed.",
        "GESTIONNAIRE_PRINCIPAL": "principal manager",
        "GESTIONNAIRE": "manager",
        "UTILISATEUR": "user",
    },
}


def t(key: str, **values: str) -> str:
    text = TEXT[language()][key]
    return text.format(**values) if values else text
