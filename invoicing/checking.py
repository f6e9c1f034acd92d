"""Reading and validating a deposited document off the event loop, on one dedicated thread.

Saxon (the official artefacts' engine) is CPU-bound and keeps one processor per process; giving it one
thread of its own keeps the event loop free while it runs and never shares the processor between threads.
The document is loaded once (PDF extraction, safe parse) for both the model and the validation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from invoicing.document import load_or_refusal
from invoicing.errors import InvoiceInputError
from invoicing.model import Invoice
from invoicing.reader import read_checked
from invoicing.report import Report
from invoicing.validation import refusal_report, validate_loaded

T = TypeVar("T")

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facturehub-validation")


def examine(data: bytes) -> tuple[Report, Invoice | None]:
    """The validation report, and the model when the document can be read (None: the report says why)."""
    loaded = load_or_refusal(data)
    if isinstance(loaded, InvoiceInputError):
        return refusal_report(loaded), None
    try:
        invoice: Invoice | None = read_checked(loaded)
    except InvoiceInputError:
        invoice = None
    return validate_loaded(loaded), invoice


async def examine_async(data: bytes) -> tuple[Report, Invoice | None]:
    return await asyncio.get_running_loop().run_in_executor(_executor, examine, data)


async def off_the_loop(function: Callable[..., T], *args: Any) -> T:
    """Run CPU-bound checking (parsing, PDF walks) on the checking thread, not on the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_executor, function, *args)
