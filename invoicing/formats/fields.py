"""Reading typed values out of lxml elements, with errors that name the business term."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from invoicing.formats.errors import InvoiceInputError
from invoicing.platform_codes import PlatformCode


class Reader:
    """Path lookups under one namespace map; every failure names the BT and the element."""

    def __init__(self, ns: dict[str, str]) -> None:
        self.ns = ns

    def all(self, node: Any, path: str) -> list[Any]:
        return list(node.iterfind(path, self.ns)) if node is not None else []

    def one(self, node: Any, path: str) -> Any:
        return node.find(path, self.ns) if node is not None else None

    def text(self, node: Any, path: str) -> str | None:
        found = self.one(node, path)
        if found is None:
            return None
        return found.text or ""

    def attr(self, node: Any, path: str, name: str) -> str | None:
        found = self.one(node, path)
        return None if found is None else found.get(name)

    def required(self, node: Any, path: str, bt: str) -> str:
        value = self.text(node, path)
        if value is None or not value.strip():
            raise _missing(node, path, bt)
        return value

    def decimal(self, node: Any, path: str, bt: str) -> Decimal | None:
        value = self.text(node, path)
        if value is None:
            return None
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise InvoiceInputError(
                PlatformCode.NUMBER,
                PlatformCode.NUMBER.words(bt=bt, value=value[:40]),
                location=_where(node, path),
                bt=bt,
            ) from None
        if not number.is_finite():
            raise InvoiceInputError(
                PlatformCode.NUMBER,
                PlatformCode.NUMBER.words("infinite", bt=bt),
                location=_where(node, path),
                bt=bt,
            )
        return number

    def required_decimal(self, node: Any, path: str, bt: str) -> Decimal:
        number = self.decimal(node, path, bt)
        if number is None:
            raise _missing(node, path, bt)
        return number

    def date(self, node: Any, path: str, bt: str, *, compact: bool = False) -> dt.date | None:
        value = self.text(node, path)
        if value is None:
            return None
        raw = value.strip()
        try:
            if compact:
                if len(raw) != 8 or not raw.isdigit():
                    raise ValueError(raw)
                return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
            return dt.date.fromisoformat(raw)
        except ValueError:
            shape = "YYYYMMDD" if compact else "YYYY-MM-DD"
            raise InvoiceInputError(
                PlatformCode.DATE,
                PlatformCode.DATE.words(bt=bt, shape=shape, value=raw[:40]),
                location=_where(node, path),
                bt=bt,
            ) from None


def _missing(node: Any, path: str, bt: str) -> InvoiceInputError:
    return InvoiceInputError(
        PlatformCode.MISSING, PlatformCode.MISSING.words(bt=bt, path=path), location=_where(node, path), bt=bt
    )


def _where(node: Any, path: str) -> str:
    try:
        return f"{node.getroottree().getpath(node)}/{path}"
    except (AttributeError, ValueError):
        return path


def number_text(value: Decimal) -> str:
    """xs:decimal lexical form: never an exponent, the scale the sender used is kept."""
    return format(value, "f")
