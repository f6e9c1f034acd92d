"""Builders of hostile inputs (XML and PDF) for the hardening and fuzz tests."""

from __future__ import annotations

import errno
import io
import os
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject


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
