"""What the hub's pages read from a browser: urlencoded forms within limits, their CSRF token, and where a
page may lead next."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from auth import sessions

MAX_FORM_BYTES = 16 * 1024
MAX_FORM_FIELDS = 60
AUTHORIZE_PATH = "/oauth/authorize"
TWO_FACTOR_PATH = "/account/two-factor"
SECOND_STEP_PATH = "/login/second-factor"
ACCOUNT_PATH = "/account"
NEW_STRUCTURE_PATH = "/signup/structure"


# Our own pages a sign-in may lead back to: the authorization endpoint, the second factor's enrolment, an
# invitation's link, asking to join a structure, the account page, a new structure.
SIGN_IN_DESTINATIONS = (AUTHORIZE_PATH + "?", TWO_FACTOR_PATH + "?", "/invitation/", "/join")
EXACT_DESTINATIONS = frozenset({TWO_FACTOR_PATH, "/join", ACCOUNT_PATH, NEW_STRUCTURE_PATH})


def safe_next(value: str | None) -> str | None:
    """Only our own pages are a sign-in destination: never an absolute or other URL (O13)."""
    if not value or len(value) > 4000 or any(c in value for c in "\\\r\n\t"):
        return None
    if value in EXACT_DESTINATIONS or value.startswith(SIGN_IN_DESTINATIONS):
        return value
    return None


async def read_form(request: Request) -> list[tuple[str, str]] | None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return None
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return None
    try:
        return parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return None


def with_csrf(request: Request, render: Callable[[str], Response], *, secure: bool) -> Response:
    """Render a page with this browser's CSRF token, setting the cookie when the token is new."""
    token, new = sessions.csrf_token(request)
    response = render(token)
    if new:
        sessions.set_csrf_cookie(response, token, secure=secure)
    return response
