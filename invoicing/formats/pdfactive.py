"""Finding active content in a PDF: scripts and actions that run code, send data or open other files.

PDF/A-3 (which Factur-X is) forbids JavaScript, launch, form submission and import actions; an invoice or
an attachment carrying them would run in the recipient's viewer. Actions hide in many places (the
catalog's /OpenAction and /AA, the /Names /JavaScript tree, pages', annotations' and form fields' /A and
/AA, outlines, /Next chains), so every object reachable from the catalog is visited once, by reference,
without decoding any stream, and at most :data:`MAX_OBJECTS` of them; only the parts of a page no viewer
takes an action from (its content and resources) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from invoicing.formats.errors import InvoiceInputError
from invoicing.platform_codes import PlatformCode

MAX_OBJECTS = 50_000

_ACTIONS = {
    "/JavaScript": "a JavaScript action",
    "/Launch": "a Launch action (runs a program or opens a file)",
    "/SubmitForm": "a SubmitForm action (sends data)",
    "/ImportData": "an ImportData action (reads a file)",
    "/GoToR": "a GoToR action (opens another file)",
}
_PATH_LIMIT = 80
# What no viewer takes an action from: page content and its resources (fonts, images, form XObjects),
# metadata, colour profiles, the structure tree (it points at annotations the pages list anyway). Most of a
# PDF's objects are there; leaving them out makes the walk about ten times cheaper.
_INERT = frozenset(
    ["/Resources", "/Contents", "/Metadata", "/OutputIntents", "/StructTreeRoot", "/Thumb", "/PieceInfo", "/Font"]
)


def _found(node: DictionaryObject) -> str | None:
    action = node.get("/S")
    kind = str(action.get_object()) if action is not None else ""
    if kind in _ACTIONS:
        return _ACTIONS[kind]
    if kind == "/GoToE" and "/F" in node:
        return "a GoToE action to an external file"
    if kind == "/URI":
        uri = node.get("/URI")
        if uri is not None and str(uri.get_object()).strip().lower().startswith("javascript:"):
            return "a javascript: link"
    if "/JS" in node:
        return "JavaScript"  # in an action of any type (Rendition actions carry /JS too)
    if "/JavaScript" in node:
        return "a document-level JavaScript name tree"
    if "/XFA" in node:
        return "an XFA form (scripted forms)"
    return None


def find(reader: pypdf.PdfReader) -> str | None:
    """What active content ``reader``'s document holds and where (the first found), or None."""
    root: Any = reader.trailer.get("/Root")
    stack: list[tuple[Any, str]] = [(root, "")]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        node, path = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        children: Iterable[tuple[Any, Any]]
        if visited > MAX_OBJECTS:
            raise InvoiceInputError(PlatformCode.SIZE, PlatformCode.SIZE.words("pdf-objects", limit=MAX_OBJECTS))
        if isinstance(node, DictionaryObject):
            what = _found(node)
            if what is not None:
                return f"{what} at /Root{path}"
            children = ((name, value) for name, value in node.items() if name not in _INERT)
        elif isinstance(node, ArrayObject):
            children = ((f"[{i}]", value) for i, value in enumerate(node))
        else:
            continue
        for name, child in children:
            if isinstance(child, DictionaryObject | ArrayObject | IndirectObject):
                # A path long enough to say where is enough; deeper ones keep their prefix.
                stack.append((child, path + str(name) if len(path) < _PATH_LIMIT else path))
    return None


def refusal(what: str, name: str | None = None) -> InvoiceInputError:
    code = PlatformCode.PDF_ACTIVE_CONTENT
    if name is not None:
        return InvoiceInputError(code, code.words("attachment", name=name, what=what))
    return InvoiceInputError(code, code.words(what=what))
