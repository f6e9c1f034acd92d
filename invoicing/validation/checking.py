"""Reading and validating a deposited document off the event loop, on one dedicated thread.

Saxon (the official artefacts' engine) is CPU-bound and keeps one processor per process; giving it one
thread of its own keeps the event loop free while it runs and never shares the processor between threads.
The document is loaded once (PDF extraction, safe parse) for both the model and the validation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple, TypeVar

from invoicing.formats.document import load_or_refusal
from invoicing.formats.errors import InvoiceInputError
from invoicing.formats.model import Invoice
from invoicing.formats.reader import read_checked
from invoicing.validation.report import Report
from invoicing.validation.validate import refusal_report, validate_loaded

T = TypeVar("T")

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facturehub-validation")


class Examined(NamedTuple):
    report: Report
    invoice: Invoice | None  # None when the document cannot be read into the model: the report says why
    number: str | None  # BT-1 when the document states one, even when the model cannot be read


def examine(data: bytes) -> Examined:
    """The validation report, the model when the document can be read, and the invoice number it states."""
    loaded = load_or_refusal(data)
    if isinstance(loaded, InvoiceInputError):
        return Examined(refusal_report(loaded), None, None)
    try:
        invoice: Invoice | None = read_checked(loaded)
    except InvoiceInputError:
        invoice = None
    number = invoice.number if invoice is not None and invoice.number else loaded.number
    return Examined(validate_loaded(loaded), invoice, number)


async def examine_async(data: bytes) -> Examined:
    return await asyncio.get_running_loop().run_in_executor(_executor, examine, data)


async def off_the_loop(function: Callable[..., T], *args: Any) -> T:
    """Run CPU-bound checking (parsing, PDF walks) on the checking thread, not on the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_executor, function, *args)
