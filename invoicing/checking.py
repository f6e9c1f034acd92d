"""Validation off the event loop, on one dedicated thread.

Saxon (the official artefacts' engine) is CPU-bound and keeps one processor per process; giving it one
thread of its own keeps the event loop free while it runs and never shares the processor between threads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from invoicing.report import Report
from invoicing.validation import validate_many

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="facturehub-validation")


async def validate_async(documents: Sequence[bytes]) -> list[Report]:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor, validate_many, list(documents))
