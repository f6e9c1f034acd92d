"""Parsing untrusted XML with lxml: size limit first, no DTD, no entities, no network."""

from __future__ import annotations

import threading
from typing import Any

from lxml import etree

from invoicing.formats import xmlprolog
from invoicing.formats.errors import InvoiceInputError
from invoicing.platform_codes import PlatformCode

# A real invoice is tens of kB; the largest one in the conformance corpus (base64 attachments) is 3.3 MB.
MAX_XML_BYTES = 10_000_000

_GZIP_MAGIC = b"\x1f\x8b"


_local = threading.local()

# What every lxml parser in facturehub runs with, our own packaged files included.
SAFE_OPTIONS: dict[str, bool] = {"resolve_entities": False, "no_network": True, "load_dtd": False}


def untrusted_parser() -> Any:
    # One parser per thread (lxml parsers are not shared across threads), built once: building costs
    # about as much as parsing a small invoice.
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = _new_parser()
    return parser


def _new_parser() -> Any:
    # huge_tree=False keeps libxml2's depth (256) and text-node (10 MB) limits; resolve_entities=False and
    # load_dtd=False mean an entity is never fetched nor expanded. collect_ids stays on: with libxml2 2.14,
    # collect_ids=False makes it read the external subset a DOCTYPE names (tests/invoicing/formats/test_hardening.py).
    return etree.XMLParser(**SAFE_OPTIONS, dtd_validation=False, huge_tree=False, remove_comments=False)


def parse(data: bytes, *, max_bytes: int = MAX_XML_BYTES) -> Any:
    """Parse ``data`` into an lxml element tree, or raise :class:`InvoiceInputError`.

    Documents with a DOCTYPE are refused outright, from the bytes and before libxml2 runs
    (:mod:`invoicing.formats.xmlprolog`): no EN 16931 syntax uses one, and a parser that saw one could open the
    file or URL it names.
    """
    if len(data) > max_bytes:
        raise InvoiceInputError(PlatformCode.SIZE, PlatformCode.SIZE.words("document", size=len(data), limit=max_bytes))
    if data.startswith(_GZIP_MAGIC):
        raise InvoiceInputError(PlatformCode.NOT_XML, PlatformCode.NOT_XML.words("gzip"))
    if not data.strip():
        raise InvoiceInputError(PlatformCode.NOT_XML, PlatformCode.NOT_XML.words("empty"))
    xmlprolog.check(data)  # before libxml2 ever sees a DOCTYPE: it may open what one names
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=untrusted_parser()))
    except etree.XMLSyntaxError as exc:
        raise InvoiceInputError(PlatformCode.NOT_XML, PlatformCode.NOT_XML.words(reason=exc)) from None
    except (ValueError, LookupError) as exc:
        # lxml raises ValueError/LookupError for unusable encoding declarations before libxml2 runs.
        raise InvoiceInputError(PlatformCode.NOT_XML, PlatformCode.NOT_XML.words(reason=exc)) from None
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InvoiceInputError(PlatformCode.DOCTYPE, PlatformCode.DOCTYPE.words())
    return tree


def safe_parser() -> Any:
    """A parser for trusted text (our schemas, Saxon's SVRL output): no DTD, no entities, no network."""
    return etree.XMLParser(**SAFE_OPTIONS)


def parse_trusted_file(path: str) -> Any:
    """Parse one of our own packaged files (XSD); still without network access."""
    return etree.parse(path, parser=safe_parser())
