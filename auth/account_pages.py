"""The account page (/account) and the pages of a change of e-mail. Same look as the sign-in page.

Everything a person or a browser typed (name, addresses, user agents, app names) is escaped: it is shown,
never read as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from babel.dates import format_datetime
from starlette.responses import HTMLResponse

from auth.account import AuthorizedApp
from auth.page_forms import ACCOUNT_PATH, TWO_FACTOR_PATH
from auth.page_text import language, t
from auth.pages import hidden, page
from auth.reset_pages import new_password_fields, problem
from tenancy.moments import utc

# What a redirect after a change may announce (``?done=``): only these keys, never free text.
NOTICES = frozenset({"profile_saved", "password_saved", "email_sent", "app_revoked"})


@dataclass(frozen=True)
class SessionLine:
    created_at: datetime
    last_seen_at: datetime | None
    user_agent: str | None
    current: bool


@dataclass(frozen=True)
class AccountView:
    name: str
    email: str
    locale: str
    two_factor_on: bool
    sessions: Sequence[SessionLine]
    apps: Sequence[AuthorizedApp]
    pending_email: str | None = None


def when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    # The hub does not know the reader's time zone (the pages run no script): UTC, and said so.
    moment = utc(moment)
    return f"{format_datetime(moment, 'medium', tzinfo=moment.tzinfo, locale=language())} UTC"


def _section(key: str, content: str) -> str:
    return f'<section aria-labelledby="{key}-heading"><h2 id="{key}-heading">{escape(t(key))}</h2>{content}</section>'


def _form(csrf: str, action: str, content: str, button: str) -> str:
    return (
        f'<form method="post" action="{ACCOUNT_PATH}">{hidden("csrf_token", csrf)}{hidden("action", action)}'
        f'{content}<button type="submit">{escape(t(button))}</button></form>'
    )


def _errors_for(error: str | None, where: str | None, section: str) -> str | None:
    return error if where == section else None


def _current_password(error: str | None) -> str:
    invalid = ' aria-invalid="true" aria-describedby="problem"' if error else ""
    return (
        f'<label>{escape(t("current_password"))} <input type="password" name="current_password" required '
        f'maxlength="1024" autocomplete="current-password"{invalid}></label>'
    )


def account_page(
    *,
    csrf: str,
    view: AccountView,
    notice: str | None = None,
    error: str | None = None,
    where: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    said = f'<p role="status" class="done">{escape(t(notice))}</p>' if notice in NOTICES else ""
    if error and where is None:  # a refusal of the whole form (expired, too many tries): said on top
        said += problem(error)
    options = "".join(
        f'<option value="{code}"{" selected" if view.locale == code else ""}>{escape(t("language_" + code))}</option>'
        for code in ("fr", "en")
    )
    profile_error = _errors_for(error, where, "profile")
    name_invalid = ' aria-invalid="true" aria-describedby="problem"' if profile_error else ""
    profile = _form(
        csrf,
        "profile",
        problem(profile_error)
        + f'<label>{escape(t("name"))} <input type="text" name="name" value="{escape(view.name)}" required '
        f'maxlength="200" autocomplete="name"{name_invalid}></label>'
        f'<label>{escape(t("language"))} <select name="locale">{options}</select></label>',
        "save",
    )
    email_error = _errors_for(error, where, "email")
    pending = (
        f'<p class="muted">{escape(t("email_pending", email=view.pending_email))}</p>' if view.pending_email else ""
    )
    email = (
        f"<p>{escape(t('email_current'))} <strong>{escape(view.email)}</strong></p>{pending}"
        + _form(
            csrf,
            "email",
            problem(email_error)
            + f'<label>{escape(t("new_email"))} <input type="email" name="email" required maxlength="254" '
            f'autocomplete="email"></label>' + _current_password(email_error),
            "email_button",
        )
        + f'<p class="muted">{escape(t("email_how"))}</p>'
    )
    password_error = _errors_for(error, where, "password")
    password = (
        _form(
            csrf,
            "password",
            problem(password_error) + _current_password(password_error) + new_password_fields(error=password_error),
            "password_button",
        )
        + f'<p class="muted">{escape(t("password_ends_others"))}</p>'
    )
    state = t("two_factor_state_on") if view.two_factor_on else t("two_factor_state_off")
    factor = (
        f'<p>{escape(state)}</p><p><a href="{TWO_FACTOR_PATH}">'
        f"{escape(t('two_factor_manage' if view.two_factor_on else 'two_factor_turn_on'))}</a></p>"
    )
    return page(
        t("account_title"),
        said
        + _section("profile", profile)
        + _section("email_heading", email)
        + _section("password_heading", password)
        + _section("two_factor", factor)
        + _section("sessions_heading", _sessions(csrf, view.sessions))
        + _section("apps_heading", _apps(csrf, view.apps))
        + f'<p class="muted"><a href="/login">{escape(t("back"))}</a></p>',
        status=status,
        wide=True,
    )


def _sessions(csrf: str, sessions: Sequence[SessionLine]) -> str:
    rows = "".join(
        f"<tr><td>{escape(when(s.created_at))}</td><td>{escape(when(s.last_seen_at))}</td>"
        f'<td class="agent">{escape(s.user_agent or t("unknown_browser"))}'
        + (f" <strong>({escape(t('this_browser'))})</strong>" if s.current else "")
        + "</td></tr>"
        for s in sessions
    )
    table = (
        f'<table id="sessions"><caption class="muted">{escape(t("sessions_caption"))}</caption>'
        f'<thead><tr><th scope="col">{escape(t("session_started"))}</th>'
        f'<th scope="col">{escape(t("session_seen"))}</th><th scope="col">{escape(t("session_browser"))}</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    return (
        table
        + f'<p class="muted">{escape(t("everywhere_text"))}</p>'
        + _form(csrf, "sign_out_everywhere", "", "everywhere_button")
    )


def _apps(csrf: str, apps: Sequence[AuthorizedApp]) -> str:
    if not apps:
        return f'<p class="muted" id="apps">{escape(t("apps_none"))}</p>'
    rows = "".join(
        f'<tr><td>{escape(a.name)} <span class="muted">({escape(a.client_id)})</span></td>'
        f"<td>{escape(a.workspace)}</td><td><code>{escape(a.scopes)}</code></td><td>{escape(when(a.since))}</td>"
        f'<td><form method="post" action="{ACCOUNT_PATH}">{hidden("csrf_token", csrf)}'
        f"{hidden('action', 'revoke_app')}{hidden('consent', str(a.consent_id))}"
        f'<button type="submit" aria-label="{escape(t("revoke_app_named", name=a.name, workspace=a.workspace))}">'
        f"{escape(t('revoke'))}</button></form></td></tr>"
        for a in apps
    )
    return (
        f'<table id="apps"><thead><tr><th scope="col">{escape(t("app"))}</th>'
        f'<th scope="col">{escape(t("workspace"))}</th><th scope="col">{escape(t("app_scopes"))}</th>'
        f'<th scope="col">{escape(t("app_since"))}</th><th scope="col"><span class="muted">{escape(t("actions"))}'
        f"</span></th></tr></thead><tbody>{rows}</tbody></table>"
        f'<p class="muted">{escape(t("revoke_text"))}</p>'
    )


def email_confirm_page(*, csrf: str, action: str, address: str) -> HTMLResponse:
    body = (
        f"<p>{escape(t('email_confirm_text', email=address))}</p>"
        f'<form method="post" action="{escape(action)}">{hidden("csrf_token", csrf)}'
        f'<button type="submit">{escape(t("email_confirm_button"))}</button></form>'
    )
    return page(t("email_confirm_title"), body)


def email_changed_page(*, address: str) -> HTMLResponse:
    body = (
        f'<p role="status" class="done">{escape(t("email_changed", email=address))}</p>'
        f'<p><a href="{ACCOUNT_PATH}">{escape(t("account_title"))}</a></p>'
    )
    return page(t("email_confirm_title"), body)


def email_taken_page() -> HTMLResponse:
    body = (
        f'<p class="error" role="alert">{escape(t("email_taken"))}</p>'
        f'<p><a href="{ACCOUNT_PATH}">{escape(t("account_title"))}</a></p>'
    )
    return page(t("email_confirm_title"), body, status=409)


def form_refused_page(*, error: str, status: int) -> HTMLResponse:
    body = f'{problem(error)}<p><a href="{ACCOUNT_PATH}">{escape(t("account_title"))}</a></p>'
    return page(t("refused"), body, status=status)
