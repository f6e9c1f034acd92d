"""The rules the official stylesheets can report, read from the installed XSLTs themselves."""

from __future__ import annotations

import functools
import re

from lxml import etree

from invoicing.validation.artefacts import Stylesheet

_SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_XSL = "{http://www.w3.org/1999/XSL/Transform}"


@functools.cache
def reported_texts(sheet: Stylesheet) -> frozenset[tuple[str, str]]:
    """(rule id, message) of every failed assert of ``sheet``, the message as validate.py reads it from the
    SVRL (spaces collapsed), the id as validate.py takes it (``FX-PROFILE`` when the assert has none)."""
    tree = etree.parse(str(sheet.path))
    found = set()
    for node in tree.iter(f"{_SVRL}failed-assert"):
        ids = [a.text for a in node.findall(f"{_XSL}attribute") if a.get("name") == "id"]
        text = node.find(f"{_SVRL}text")
        assert text is not None and len(text) == 0, "a message built at run time would need its own words"
        message = re.sub(r"\s+", " ", text.text or "").strip()
        found.add((ids[0] if ids else "FX-PROFILE", message))
    return frozenset(found)
