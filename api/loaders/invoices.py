"""Batched reads of an invoice's edges: its attachments and its stored details."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from api.loaders.transaction import MAX_BATCH, Transaction
from invoicing import inbox


class InvoiceLoaders:
    def __init__(self, transaction: Transaction, tenant_id: uuid.UUID) -> None:
        self._transaction = transaction
        self._tenant_id = tenant_id
        self.attachments: DataLoader[uuid.UUID, list[Any]] = DataLoader(self._attachments, max_batch_size=MAX_BATCH)
        self.details: DataLoader[uuid.UUID, dict[str, Any] | None] = DataLoader(self._details, max_batch_size=MAX_BATCH)

    async def _attachments(self, ids: Sequence[uuid.UUID]) -> list[list[Any]]:
        async with self._transaction.use() as session:
            found = await inbox.attachments(session, self._tenant_id, ids)
        return [found.get(i, []) for i in ids]

    async def _details(self, ids: Sequence[uuid.UUID]) -> list[dict[str, Any] | None]:
        async with self._transaction.use() as session:
            found = await inbox.get_details(session, self._tenant_id, ids)
        return [found.get(i) for i in ids]
