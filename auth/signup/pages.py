"""The sign-up pages, in the sign-in page's layout (auth.pages.page): every text escaped, no script."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from urllib.parse import urlencode

from starlette.responses import HTMLResponse

from auth.page_forms import NEW_STRUCTURE_PATH
from auth.page_text import language
from auth.pages import hidden, page
from auth.signup.page_text import t
from auth.signup.structures import SUPPLIER_TYPES

SIGNUP_PATH = "/signup"
VERIFY_PATH = "/signup/verify"
STRUCTURE_PATH = NEW_STRUCTURE_PATH
JOIN_PATH = "/join"  # the joining pages' (asking to join a structure): only linked to from here

# What auth.pages' style leaves out: lists, hints, and fields laid out on one line.
_MORE_STYLE = (
    "<style>select{display:block;width:100%;padding:.45rem;margin-top:.2rem;font:inherit;"
    "border:1px solid #b9c1cf;border-radius:.3rem;box-sizing:border-box;background:#fff}"
    "input[type=email],input[type=password],input[type=text]{box-sizing:border-box}"
    "select:focus-visible,a:focus-visible{outline:2px solid #ffb000;outline-offset:2px}"
    ".row{display:flex;gap:.8rem}.row label{flex:1}.row label.short{flex:0 0 8rem;max-width:none}label.short{max-width:12rem}"
    "fieldset{margin:.8rem 0;padding:.2rem .9rem .6rem}legend{padding:0 .3rem}</style>"
)


def _problem(error: str | None) -> str:
    return f'<p class="error" role="alert" id="form-error">{escape(error)}</p>' if error else ""


def _invalid(field: str, errors: Mapping[str, str]) -> str:
    """The attributes that tie a field to the refusal that names it (screen readers read both)."""
    return ' aria-invalid="true" aria-describedby="form-error"' if field in errors else ""


def signup_page(
    *, csrf: str, email: str = "", name: str = "", locale: str | None = None, error: str | None = None,
    field: str | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    chosen = locale or language()
    errors = {field: error} if field and error else {}
    options = "".join(
        f'<option value="{code}"{" selected" if code == chosen else ""}>{escape(t(code))}</option>'
        for code in ("fr", "en")
    )
    body = (
        f"{_MORE_STYLE}{_problem(error)}<p>{escape(t('signup_intro'))}</p>"
        f'<form method="post" action="{SIGNUP_PATH}">{hidden("csrf_token", csrf)}'
        f'<label>{escape(t("name"))} <input type="text" name="display_name" value="{escape(name)}" required '
        f'maxlength="200" autocomplete="name"{_invalid("displayName", errors)}></label>'
        f'<label>{escape(t("email"))} <input type="email" name="email" value="{escape(email)}" required '
        f'maxlength="254" autocomplete="email"{_invalid("email", errors)}></label>'
        f'<label>{escape(t("password_new"))} <input type="password" name="password" required minlength="12" '
        f'maxlength="1024" autocomplete="new-password"{_invalid("password", errors)}></label>'
        f'<label>{escape(t("language"))} <select name="locale">{options}</select></label>'
        f'<button type="submit">{escape(t("create_account"))}</button></form>'
        f'<p class="muted">{escape(t("have_account"))} <a href="/login">{escape(t("sign_in"))}</a></p>'
    )
    return page(t("signup"), body, status=status)


def notice(title_key: str, text: str, *, status: int = 200, link: tuple[str, str] | None = None) -> HTMLResponse:
    more = f'<p><a href="{escape(link[0])}">{escape(link[1])}</a></p>' if link else ""
    return page(t(title_key), f'<p role="status">{escape(text)}</p>{more}', status=status)


def link_unusable(key: str, *, status: int) -> HTMLResponse:
    body = (
        f'<p class="error" role="alert">{escape(t(key))}</p><p>{escape(t("new_link"))}</p>'
        f'<p><a href="/login">{escape(t("sign_in"))}</a> · <a href="{SIGNUP_PATH}">{escape(t("signup"))}</a></p>'
    )
    return page(t("link_title"), body, status=status)


def verify_page(
    *, csrf: str, token: str, email: str, has_password: bool, error: str | None = None, status: int = 200
) -> HTMLResponse:
    choose = (
        f'<form method="post" action="{VERIFY_PATH}">{hidden("csrf_token", csrf)}{hidden("token", token)}'
        f"{hidden('mode', 'choose')}"
        f'<label>{escape(t("password_new"))} <input type="password" name="new_password" required minlength="12" '
        'maxlength="1024" autocomplete="new-password"></label>'
        f'<button type="submit">{escape(t("choose_button"))}</button></form>'
    )
    if not has_password:
        body = f"{_MORE_STYLE}{_problem(error)}<p>{escape(t('choose_only', email=email))}</p>{choose}"
        return page(t("verify_title"), body, status=status)
    body = (
        f"{_MORE_STYLE}{_problem(error)}<p>{escape(t('verify_intro', email=email))}</p>"
        f'<form method="post" action="{VERIFY_PATH}">{hidden("csrf_token", csrf)}{hidden("token", token)}'
        f"{hidden('mode', 'confirm')}"
        f'<label>{escape(t("email"))} <input type="email" name="username" value="{escape(email)}" '
        'autocomplete="username" readonly></label>'
        f'<label>{escape(t("password"))} <input type="password" name="password" required '
        'autocomplete="current-password"></label>'
        f'<button type="submit">{escape(t("confirm"))}</button></form>'
        f'<h2>{escape(t("choose_title"))}</h2><p class="muted">{escape(t("choose_intro"))}</p>{choose}'
    )
    return page(t("verify_title"), body, status=status)


def _identifier_aria(errors: Mapping[str, str]) -> str:
    if "identifier" in errors:
        return ' aria-invalid="true" aria-describedby="form-error identifier-hint"'
    return ' aria-describedby="identifier-hint"'


def join_link(kind: str, identifier: str) -> str:
    return JOIN_PATH + "?" + urlencode({"identifier_type": kind, "identifier": identifier})


def structure_page(
    *, csrf: str, user: str, values: Mapping[str, str] | None = None, error: str | None = None,
    field: str | None = None, taken: tuple[str, str] | None = None, status: int = 200,
) -> HTMLResponse:  # fmt: skip
    v = {"country_code": "FR", **(values or {})}
    errors = {field: error} if field and error else {}
    chosen = v.get("identifier_type", "SIRET")
    options = "".join(
        f'<option value="{k.value}"{" selected" if k.value == chosen else ""}>{escape(t(k.value))}</option>'
        for k in SUPPLIER_TYPES
    )

    def text(name: str, key: str, *, required: bool = False, maxlength: int = 200, auto: str = "off",
             short: bool = False, error_field: str | None = None) -> str:  # fmt: skip
        attributes = (
            f'type="text" name="{name}" value="{escape(v.get(name, ""))}" maxlength="{maxlength}" '
            f'autocomplete="{auto}"{" required" if required else ""}{_invalid(error_field or name, errors)}'
        )
        return f"<label{' class=short' if short else ''}>{escape(t(key))} <input {attributes}></label>"

    problem = _problem(error)
    if taken is not None:
        problem = (
            f'<div role="alert" id="form-error"><p class="error">{escape(t("taken", kind=taken[0], identifier=taken[1]))}'
            f'</p><p><a href="{escape(join_link(*taken))}">{escape(t("ask_to_join"))}</a></p></div>'
        )
    body = (
        f"{_MORE_STYLE}{problem}<p>{escape(t('structure_intro', user=user))}</p>"
        f'<form method="post" action="{STRUCTURE_PATH}">{hidden("csrf_token", csrf)}'
        f'<label>{escape(t("identifier_type"))} <select name="identifier_type"'
        f"{_invalid('identifierType', errors)}>{options}</select></label>"
        f'<label>{escape(t("identifier"))} <input type="text" name="identifier" '
        f'value="{escape(v.get("identifier", ""))}" required maxlength="80" autocomplete="off" '
        f"{_identifier_aria(errors)}></label>"
        f'<p class="muted" id="identifier-hint">{escape(t("identifier_hint"))}</p>'
        + text("name", "structure_name", required=True, auto="organization")
        + f"<fieldset><legend>{escape(t('address'))}</legend>"
        + text("address_line1", "address_line1", auto="address-line1", error_field="address.line1")
        + text("address_line2", "address_line2", auto="address-line2", error_field="address.line2")
        + '<div class="row">'
        + text("postcode", "postcode", maxlength=20, auto="postal-code", short=True, error_field="address.postcode")
        + text("town", "town", maxlength=100, auto="address-level2", error_field="address.town")
        + "</div>"
        + text(
            "country_code",
            "country",
            required=True,
            maxlength=2,
            auto="country",
            short=True,
            error_field="address.countryCode",
        )  # fmt: skip
        + "</fieldset>"
        f'<button type="submit">{escape(t("create_structure"))}</button></form>'
        f'<p class="muted"><a href="{JOIN_PATH}">{escape(t("join_instead"))}</a></p>'
    )
    return page(t("structure_title"), body, status=status)
