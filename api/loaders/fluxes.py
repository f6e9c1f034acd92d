"""Batched reads of a flux's integration report."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from api.loaders.transaction import MAX_BATCH, Transaction
from invoicing import inbox


class FluxLoaders:
    def __init__(self, transaction: Transaction, tenant_id: uuid.UUID) -> None:
        self._transaction = transaction
        self._tenant_id = tenant_id
        self.report: DataLoader[uuid.UUID, list[Any]] = DataLoader(self._report, max_batch_size=MAX_BATCH)

    async def _report(self, ids: Sequence[uuid.UUID]) -> list[list[Any]]:
        async with self._transaction.use() as session:
            found = await inbox.flux_reports(session, self._tenant_id, ids)
        return [found.get(i, []) for i in ids]
