"""The joining pages, in the sign-in page's layout (auth.pages.page): every text escaped, no script."""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse

from auth.joining.page_text import t
from auth.pages import hidden, page
from tenancy.enums import IdentifierType

# What auth.pages' style leaves out: text fields, a list and a text area (inline <style>: the CSP allows it).
_MORE_STYLE = (
    "<style>input[type=text],select,textarea{display:block;width:100%;padding:.45rem;margin-top:.2rem;"
    "font:inherit;border:1px solid #b9c1cf;border-radius:.3rem;box-sizing:border-box}"
    "input[type=email],input[type=password]{box-sizing:border-box}"
    "select:focus-visible,textarea:focus-visible,a:focus-visible{outline:2px solid #ffb000;outline-offset:2px}"
    "form.inline{display:inline}form.secondary button[type=submit]{background:#fff;color:#1f4fa8}</style>"
)


def _problem(error: str | None) -> str:
    return f'<p class="error" role="alert">{escape(error)}</p>' if error else ""


def _intro(structure: str, inviter: str | None, role: str, email: str) -> str:
    said = (
        t("invites", inviter=inviter, structure=structure, role=t(role))
        if inviter
        else t("invites_anonymous", structure=structure, role=t(role))
    )
    return f'<p>{escape(said)}</p><p class="muted">{escape(t("for_address", email=email))}</p>'


def _decline_form(action: str, csrf: str) -> str:
    return (
        f'<form method="post" action="{escape(action)}" class="inline secondary">{hidden("csrf_token", csrf)}'
        f'<button type="submit" name="decision" value="decline">{escape(t("decline"))}</button></form>'
    )


def invitation_for_new_account(
    *, action: str, csrf: str, structure: str, inviter: str | None, role: str, email: str, name: str = "",
    error: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    body = (
        f"{_MORE_STYLE}{_problem(error)}{_intro(structure, inviter, role, email)}"
        f'<form method="post" action="{escape(action)}">{hidden("csrf_token", csrf)}'
        f"<p>{escape(t('new_account'))}</p>"
        f'<label>{escape(t("name"))} <input type="text" name="display_name" value="{escape(name)}" required '
        'maxlength="200" autocomplete="name"></label>'
        f'<label>{escape(t("password"))} <input type="password" name="password" required minlength="12" '
        'autocomplete="new-password"></label>'
        f'<button type="submit" name="decision" value="accept">{escape(t("accept"))}</button></form>'
        f"{_decline_form(action, csrf)}"
    )
    return page(t("invitation"), body, status=status)


def invitation_for_account(
    *, action: str, csrf: str, structure: str, inviter: str | None, role: str, email: str, signed_in: bool,
    error: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    if signed_in:
        accept = (
            f'<form method="post" action="{escape(action)}" class="inline">{hidden("csrf_token", csrf)}'
            f'<button type="submit" name="decision" value="accept">{escape(t("accept"))}</button></form>'
        )
    else:
        login = "/login?next=" + escape(action)
        accept = (
            f"<p>{escape(t('has_account'))}</p>"
            f'<p><a href="{login}">{escape(t("sign_in_to_accept", email=email))}</a></p>'
        )
    body = (
        f"{_MORE_STYLE}{_problem(error)}{_intro(structure, inviter, role, email)}{accept}{_decline_form(action, csrf)}"
    )
    return page(t("invitation"), body, status=status)


def invitation_for_someone_else(*, action: str, csrf: str, user: str, email: str) -> HTMLResponse:
    body = (
        f"<p>{escape(t('other_account', user=user, email=email))}</p>"
        f'<form method="post" action="/logout">{hidden("csrf_token", csrf)}{hidden("next", action)}'
        f'<button type="submit">{escape(t("sign_out_switch"))}</button></form>'
    )
    return page(t("invitation"), body, status=403)


def notice(title_key: str, text: str, *, status: int = 200) -> HTMLResponse:
    return page(t(title_key), f'<p role="status">{escape(text)}</p>', status=status)


def unusable(text: str, *, status: int) -> HTMLResponse:
    body = f'<p class="error" role="alert">{escape(text)}</p><p><a href="/login">facturehub</a></p>'
    return page(t("unusable"), body, status=status)


def join_page(
    *, csrf: str, user: str, identifier: str = "", identifier_type: str = "", message: str = "",
    error: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    options = f'<option value="">{escape(t("any_type"))}</option>' + "".join(
        f'<option value="{kind.value}"{" selected" if kind.value == identifier_type else ""}>{kind.value}</option>'
        for kind in IdentifierType
    )
    body = (
        f"{_MORE_STYLE}{_problem(error)}<p>{escape(t('join_intro', user=user))}</p>"
        f'<form method="post" action="/join">{hidden("csrf_token", csrf)}'
        f'<label>{escape(t("identifier"))} <input type="text" name="identifier" value="{escape(identifier)}" '
        'required maxlength="80" autocomplete="off"></label>'
        f'<label>{escape(t("identifier_type"))} <select name="identifier_type">{options}</select></label>'
        f'<label>{escape(t("message"))} <textarea name="message" rows="4" maxlength="2000">{escape(message)}'
        "</textarea></label>"
        f'<button type="submit">{escape(t("send"))}</button></form>'
    )
    return page(t("join"), body, status=status)
