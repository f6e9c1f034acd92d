"""A small element builder: children are added in the order the XSD sequence wants, empty values skipped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lxml import etree

from invoicing.formats.fields import number_text


class Builder:
    def __init__(self, ns: dict[str, str]) -> None:
        self.ns = ns

    def qname(self, tag: str) -> str:
        prefix, local = tag.split(":")
        return f"{{{self.ns[prefix]}}}{local}"

    def root(self, tag: str, nsmap: dict[str | None, str]) -> Any:
        return etree.Element(self.qname(tag), nsmap=nsmap)

    def el(self, parent: Any, tag: str, **attrs: str | None) -> Any:
        node = etree.SubElement(parent, self.qname(tag))
        for key, value in attrs.items():
            if value is not None:
                node.set(key, value)
        return node

    def add(self, parent: Any, tag: str, value: str | Decimal | dt.date | None, **attrs: str | None) -> Any:
        """Append ``<tag>value</tag>`` unless ``value`` is None; dates use ISO form (UBL)."""
        if value is None:
            return None
        node = self.el(parent, tag, **attrs)
        node.text = text_of(value)
        return node

    def path(self, parent: Any, tags: str, value: str | Decimal | dt.date | None, **attrs: str | None) -> Any:
        """``a/b/c`` holding ``value`` on the last element; nothing at all when ``value`` is None."""
        if value is None:
            return None
        *outer, last = tags.split("/")
        for tag in outer:
            parent = self.el(parent, tag)
        return self.add(parent, last, value, **attrs)


def text_of(value: str | Decimal | dt.date) -> str:
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def compact_date(value: dt.date | None) -> str | None:
    return None if value is None else value.strftime("%Y%m%d")


def serialize(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
