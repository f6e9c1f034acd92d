"""A recipient address: one addr-spec, nothing a header could be bent with."""

from __future__ import annotations

from email.errors import HeaderParseError, MessageDefect
from email.headerregistry import Address

MAX_ADDRESS_CHARS = 254  # RFC 5321's path limit, less the brackets


class InvalidAddress(ValueError):
    """Not one plain e-mail address; the message says what is wrong with it."""


def recipient(value: str) -> str:
    """``value`` as one ``local@domain`` address (surrounding spaces removed), or InvalidAddress."""
    candidate = value.strip()
    if not candidate or len(candidate) > MAX_ADDRESS_CHARS:
        raise InvalidAddress(f"an e-mail address has 1 to {MAX_ADDRESS_CHARS} characters")
    try:
        address = Address(addr_spec=candidate)
    except (ValueError, HeaderParseError, MessageDefect) as exc:  # the parser says what it could not read
        raise InvalidAddress(f"not an e-mail address ({exc})") from None
    if not address.username or not address.domain or address.addr_spec != candidate:
        raise InvalidAddress("not one e-mail address of the form name@domain")
    return candidate
