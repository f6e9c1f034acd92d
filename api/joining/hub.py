"""What the joining mutations need of the hub around them: its public address (mail links), the time, and
the language a mail is written in."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import strawberry

from api.core.context import Context


class Language(StrEnum):
    FR = "fr"
    EN = "en"


LanguageEnum = Annotated[Language, strawberry.enum(name="Language", description="The language of a mail.")]


def public_url(context: Context) -> str:
    """The address people reach the hub at (FACTUREHUB_PUBLIC_URL): a mail is read far from this request."""
    return str(context.request.app.state.settings.issuer).rstrip("/")


def now() -> datetime:
    return datetime.now(UTC)
