"""The few server-rendered pages (sign-in, consent, errors): small, escaped, no third-party resource."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from starlette.responses import HTMLResponse

from auth.page_text import language, message, scope_text, switch_link, t
from auth.scopes import Scope

SCOPE_TEXT = {
    Scope.INVOICES_READ.value: "read the workspace's invoices and their status",
    Scope.INVOICES_SUBMIT.value: "submit invoices on behalf of the workspace",
    Scope.INVOICES_PROCESS.value: "process received invoices (approve, suspend, reject, mark paid)",
    Scope.DIRECTORY_READ.value: "search the directory of public structures",
    Scope.WORKSPACE_ADMIN.value: "administer the workspace: members, services, API clients",
    Scope.WEBHOOKS_MANAGE.value: "manage the workspace's webhooks",
}

# Login and consent pages may be framed by nobody and leak nothing through Referer (O14, O15).
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}

# The web app's look (frontend/src/styles.css), so a person sees one product from sign-in to inbox.
_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d2433;background:#f4f6fa;"
    "line-height:1.45}.top{background:#1f4fa8;color:#fff;padding:.6rem 1.2rem;font-weight:700;font-size:1.15rem}"
    "main{max-width:32rem;margin:2.5rem auto;padding:1.5rem 2rem;background:#fff;border:1px solid #d9dee7;"
    "border-radius:.4rem}h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:.6rem 0}"
    "input[type=email],input[type=password],input[type=text]{display:block;width:100%;padding:.45rem;margin-top:.2rem;font:inherit;"
    "border:1px solid #b9c1cf;border-radius:.3rem}fieldset{border:1px solid #d9dee7;border-radius:.3rem}"
    "button{font:inherit;padding:.45rem 1.1rem;margin:.6rem .5rem 0 0;border-radius:.3rem;border:1px solid #1f4fa8;"
    "background:#fff;color:#1f4fa8;cursor:pointer}button[type=submit]:first-of-type{background:#1f4fa8;color:#fff}"
    "button:focus-visible,input:focus-visible{outline:2px solid #ffb000;outline-offset:2px}"
    ".top{display:flex;justify-content:space-between;align-items:center}.top .lang{color:#fff;font-weight:400;"
    "font-size:.9rem;border:1px solid rgba(255,255,255,.6);border-radius:.3rem;padding:.2rem .6rem;text-decoration:none}"
    ".error{color:#a40000}.muted{color:#5b6475;font-size:.9em}h2{font-size:1.1rem;margin:1.4rem 0 .4rem}"
    ".qr svg{display:block;margin:.6rem auto;max-width:100%;height:auto}.secret{font-size:1.05rem;word-spacing:.3em}"
    "ol.codes{columns:2;font-family:ui-monospace,monospace;font-size:1.05rem}.done{color:#1b6e2d}"
    "main.wide{max-width:46rem}table{border-collapse:collapse;width:100%;font-size:.92rem}"
    "th,td{text-align:left;padding:.35rem .4rem;border-bottom:1px solid #d9dee7;vertical-align:top}"
    "select{font:inherit;padding:.35rem;margin-top:.2rem;display:block}section{margin-top:1.2rem}"
    "td form button{margin:0}.agent{word-break:break-word}"
)


def page(title: str, body: str, *, status: int = 200, wide: bool = False) -> HTMLResponse:
    other = "en" if language() == "fr" else "fr"
    switch = (
        f'<a class="lang" href="{escape(switch_link())}" lang="{other}" hreflang="{other}">{escape(t("switch"))}</a>'
    )
    wide_class = ' class="wide"' if wide else ""
    document = (
        f'<!doctype html><html lang="{language()}"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · facturehub</title>"
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_STYLE}</style></head>'
        f'<body><header class="top">facturehub{switch}</header><main{wide_class}><h1>{escape(title)}</h1>{body}</main>'
        "</body></html>"
    )
    return HTMLResponse(document, status_code=status, headers=PAGE_HEADERS)


def hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'


def login_page(
    *, csrf: str, next_url: str | None, email: str = "", error: str | None = None, status: int = 200
) -> HTMLResponse:
    problem = f'<p class="error" role="alert">{escape(message(error))}</p>' if error else ""
    body = (
        f'{problem}<form method="post" action="/login">{hidden("csrf_token", csrf)}'
        + (hidden("next", next_url) if next_url else "")
        + f'<label>{escape(t("email"))} <input type="email" name="email" value="{escape(email)}" required '
        'autocomplete="username"></label>'
        f'<label>{escape(t("password"))} <input type="password" name="password" required '
        'autocomplete="current-password"></label>'
        f'<button type="submit">{escape(t("sign_in_button"))}</button></form>'
        f'<p><a href="/password/forgot">{escape(t("forgot_password"))}</a></p>'
        f'<p class="muted">{escape(t("no_account"))} <a href="/signup">{escape(t("create_account"))}</a></p>'
    )
    return page(t("sign_in"), body, status=status)


def signed_in_page(*, csrf: str, name: str) -> HTMLResponse:
    body = (
        f"<p>{escape(t('signed_in_as', name=name))}</p>"
        f'<p><a href="/">{escape(t("open_app"))}</a></p>'
        f'<p><a href="/account">{escape(t("account_title"))}</a></p>'
        f'<p><a href="/join">{escape(t("join_structure"))}</a></p>'
        f'<p><a href="/signup/structure">{escape(t("new_structure"))}</a></p>'
        f'<form method="post" action="/logout">{hidden("csrf_token", csrf)}'
        f'<button type="submit">{escape(t("sign_out"))}</button></form>'
    )
    return page(t("signed_in"), body)


@dataclass(frozen=True)
class WorkspaceChoice:
    id: str
    name: str
    identifier: str
    scopes: frozenset[str]


def consent_page(
    *,
    csrf: str,
    client_name: str,
    client_id: str,
    requested: Iterable[str],
    choices: Sequence[WorkspaceChoice],
    params: Sequence[tuple[str, str]],
    user_name: str,
    first_party: bool = False,
) -> HTMLResponse:
    asked = "".join(
        f"<li><code>{escape(s)}</code>: {escape(scope_text(s, SCOPE_TEXT.get(s, s)))}</li>" for s in sorted(requested)
    )
    options = "".join(
        f'<label><input type="radio" name="workspace" value="{escape(c.id)}"{" checked" if i == 0 else ""} required> '
        f'{escape(c.name)} <span class="muted">({escape(c.identifier)}; {escape(t("grants"))} '
        f"{escape(', '.join(sorted(c.scopes)) or t('nothing'))})</span></label>"
        for i, c in enumerate(choices)
    )
    carried = "".join(hidden(k, v) for k, v in params)
    form = f'<form method="post" action="/oauth/authorize">{hidden("csrf_token", csrf)}{carried}'
    fieldset = f"<fieldset><legend>{escape(t('workspace'))}</legend>{options}</fieldset>"
    if first_party:  # the hub's own app: no one else to authorize, only which workspace to work in
        body = (
            f"<p>{escape(t('choose_text', user=user_name))}</p>{form}{fieldset}"
            f'<button type="submit" name="decision" value="approve">{escape(t("continue"))}</button>'
            f'<button type="submit" name="decision" value="deny">{escape(t("cancel"))}</button></form>'
        )
        return page(t("choose"), body)
    intro = t("asks", client=escape(client_name), client_id=escape(client_id), user=escape(user_name))
    body = (
        f"<p>{intro}</p><ul>{asked}</ul>{form}{fieldset}"
        f'<p class="muted">{escape(t("role_caps"))}</p>'
        f'<button type="submit" name="decision" value="approve">{escape(t("approve"))}</button>'
        f'<button type="submit" name="decision" value="deny">{escape(t("deny"))}</button></form>'
    )
    return page(t("authorize"), body)


def error_page(error: str, description: str, *, status: int = 400) -> HTMLResponse:
    body = (
        f'<p class="error">{escape(message(description) or error)}</p>'
        f'<p class="muted">{escape(t("error_code"))}: <code>{escape(error)}</code></p>'
    )
    return page(t("refused"), body, status=status)
