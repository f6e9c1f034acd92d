"""The semantic model as JSON, kept with each record for the detail view (no re-parsing on read)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from invoicing.formats.model import Invoice


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_details(invoice: Invoice) -> dict[str, Any]:
    data = dataclasses.asdict(invoice)
    # Embedded attachments (BT-125) can be megabytes of base64: the stored document keeps them.
    for attachment in data.get("attachments", []):
        attachment["content"] = None
    return {k: _plain(v) for k, v in data.items()}
