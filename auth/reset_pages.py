"""The password-reset pages: ask with an address, the answer that says the same for every address, the
form a mailed link leads to, a link that no longer works, and done. Same look as the sign-in page."""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse

from auth.one_time_links import LinkProblem
from auth.page_text import t
from auth.pages import hidden, page
from auth.password_reset import FORGOT_PATH, RESET_PATH
from auth.users import MIN_PASSWORD


def problem(error: str | None) -> str:
    return f'<p class="error" role="alert" id="problem">{escape(t(error))}</p>' if error else ""


def new_password_fields(*, error: str | None, field: str = "password") -> str:
    """A new password and its repetition, with the rule said before they are typed."""
    invalid = (
        ' aria-invalid="true" aria-describedby="problem password-rule"'
        if error
        else (' aria-describedby="password-rule"')
    )
    return (
        f'<p class="muted" id="password-rule">{escape(t("password_rule", count=str(MIN_PASSWORD)))}</p>'
        f'<label>{escape(t("new_password"))} <input type="password" name="{field}" required '
        f'minlength="{MIN_PASSWORD}" maxlength="1024" autocomplete="new-password"{invalid}></label>'
        f'<label>{escape(t("new_password_again"))} <input type="password" name="{field}_again" required '
        f'minlength="{MIN_PASSWORD}" maxlength="1024" autocomplete="new-password"{invalid}></label>'
    )


def forgot_page(*, csrf: str, email: str = "", error: str | None = None, status: int = 200) -> HTMLResponse:
    invalid = ' aria-invalid="true" aria-describedby="problem"' if error else ""
    body = (
        f"{problem(error)}<p>{escape(t('forgot_intro'))}</p>"
        f'<form method="post" action="{FORGOT_PATH}">{hidden("csrf_token", csrf)}'
        f'<label>{escape(t("email"))} <input type="email" name="email" value="{escape(email)}" required '
        f'maxlength="254" autocomplete="username"{invalid}></label>'
        f'<button type="submit">{escape(t("forgot_button"))}</button></form>'
        f'<p class="muted"><a href="/login">{escape(t("back_to_sign_in"))}</a></p>'
    )
    return page(t("forgot_title"), body, status=status)


def forgot_sent_page(*, email: str) -> HTMLResponse:
    body = (
        f'<p role="status">{escape(t("forgot_sent", email=email))}</p>'
        f'<p class="muted">{escape(t("forgot_sent_more"))}</p>'
        f'<p><a href="/login">{escape(t("back_to_sign_in"))}</a></p>'
    )
    return page(t("forgot_title"), body)


def reset_page(*, csrf: str, token: str, error: str | None = None, status: int = 200) -> HTMLResponse:
    body = (
        f"{problem(error)}"
        f'<form method="post" action="{escape(RESET_PATH + token)}">{hidden("csrf_token", csrf)}'
        + new_password_fields(error=error)
        + f'<button type="submit">{escape(t("reset_button"))}</button></form>'
        f'<p class="muted">{escape(t("reset_ends_sessions"))}</p>'
    )
    return page(t("reset_title"), body, status=status)


def link_problem_page(kind: LinkProblem, *, again: str, again_text: str) -> HTMLResponse:
    """A link that cannot be used: why, and where to ask for a new one. 410 when it existed, 404 when not."""
    body = (
        f'<p class="error" role="alert">{escape(t("link_" + kind.value))}</p>'
        f'<p><a href="{escape(again)}">{escape(again_text)}</a></p>'
    )
    return page(t("link_title"), body, status=404 if kind is LinkProblem.UNKNOWN else 410)


def reset_done_page() -> HTMLResponse:
    body = (
        f'<p role="status" class="done">{escape(t("reset_done"))}</p>'
        f'<p><a href="/login">{escape(t("sign_in_now"))}</a></p>'
    )
    return page(t("reset_title"), body)
