"""The second factor's pages: the sign-in step after the password, enrolment, recovery codes, turning off.

Same look and language switch as the sign-in page (auth/pages.py). The QR code is an inline SVG element
drawn by the page itself: the pages' CSP allows no images, and needs none for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from starlette.responses import HTMLResponse

from auth.page_forms import SECOND_STEP_PATH, TWO_FACTOR_PATH
from auth.page_text import t
from auth.pages import hidden, page


def _problem(error: str | None) -> str:
    return f'<p class="error" role="alert" id="problem">{escape(t(error))}</p>' if error else ""


def _code_field(name: str, label: str, *, error: str | None, kind: str = "text") -> str:
    described = ' aria-describedby="problem" aria-invalid="true"' if error else ""
    numeric = ' inputmode="numeric" pattern="[0-9]{6}" maxlength="6"' if kind == "totp" else ' maxlength="1024"'
    html_type = "password" if kind == "password" else "text"
    complete = "current-password" if kind == "password" else "one-time-code"
    return (
        f'<label>{escape(label)} <input type="{html_type}" name="{name}" required autocomplete="{complete}"'
        f'{numeric if kind != "password" else ""}{described} spellcheck="false"></label>'
    )


def second_step_page(*, csrf: str, next_url: str | None, error: str | None = None, status: int = 200) -> HTMLResponse:
    body = (
        f"{_problem(error)}<p>{escape(t('two_factor_intro'))}</p>"
        f'<form method="post" action="{SECOND_STEP_PATH}">{hidden("csrf_token", csrf)}'
        + (hidden("next", next_url) if next_url else "")
        + _code_field("code", t("code"), error=error)
        + f'<button type="submit">{escape(t("verify"))}</button></form>'
        f'<p class="muted"><a href="/login">{escape(t("start_over"))}</a></p>'
    )
    return page(t("two_factor"), body, status=status)


def enrol_page(
    *,
    csrf: str,
    next_url: str | None,
    secret: str,
    qr_svg: str,
    required: bool,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    notice = f'<p role="note"><strong>{escape(t("enrol_required"))}</strong></p>' if required else ""
    # segno writes the SVG from the URI's bits only; its <title> (our own text) names it for screen readers.
    body = (
        f"{_problem(error)}{notice}<ol><li><p>{escape(t('enrol_scan'))}</p>"
        f'<div class="qr">{qr_svg}</div></li>'
        f"<li><p>{escape(t('enrol_key'))}</p>"
        f'<p><code class="secret" id="totp-secret">{escape(secret)}</code></p></li>'
        f'<li><form method="post" action="{TWO_FACTOR_PATH}">{hidden("csrf_token", csrf)}'
        + hidden("action", "enable")
        + (hidden("next", next_url) if next_url else "")
        + (hidden("why", "workspace") if required else "")
        + _code_field("code", t("enrol_code"), error=error, kind="totp")
        + f'<button type="submit">{escape(t("enrol_button"))}</button></form></li></ol>'
    )
    return page(t("enrol_title"), body, status=status)


def recovery_codes_page(*, codes: Sequence[str], next_url: str | None) -> HTMLResponse:
    items = "".join(f"<li><code>{escape(c)}</code></li>" for c in codes)
    body = (
        f"<p>{escape(t('codes_intro'))}</p>"
        f'<ol class="codes" id="recovery-codes">{items}</ol>'
        f'<p><a href="{escape(next_url or TWO_FACTOR_PATH)}">{escape(t("continue"))}</a></p>'
    )
    return page(t("codes_title"), body)


def status_page(*, csrf: str, codes_left: int, error: str | None = None, status: int = 200) -> HTMLResponse:
    def form(action: str, heading: str, text: str, field: str, button: str) -> str:
        return (
            f'<section aria-labelledby="{action}-heading"><h2 id="{action}-heading">{escape(heading)}</h2>'
            f"<p>{escape(text)}</p>"
            f'<form method="post" action="{TWO_FACTOR_PATH}">{hidden("csrf_token", csrf)}{hidden("action", action)}'
            f'{field}<button type="submit">{escape(button)}</button></form></section>'
        )

    body = (
        f'{_problem(error)}<p class="done">{escape(t("two_factor_on"))}</p>'
        f"<p>{escape(t('codes_left', count=str(codes_left)))}</p>"
        + form(
            "regenerate",
            t("regenerate_title"),
            t("regenerate_text"),
            _code_field("code", t("code"), error=None),
            t("regenerate_button"),
        )
        + form(
            "disable",
            t("disable_title"),
            t("disable_text"),
            _code_field("code", t("code_or_password"), error=None, kind="password"),
            t("disable_button"),
        )
        + f'<p class="muted"><a href="/account">{escape(t("back"))}</a></p>'
    )
    return page(t("two_factor"), body, status=status)


def disabled_page() -> HTMLResponse:
    body = (
        f'<p role="status">{escape(t("two_factor_off"))}</p>'
        f'<p><a href="{TWO_FACTOR_PATH}">{escape(t("enable_again"))}</a></p>'
        f'<p class="muted"><a href="/account">{escape(t("back"))}</a></p>'
    )
    return page(t("two_factor"), body)
