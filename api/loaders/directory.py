"""Batched reads of the directory: the first services of every structure on a page, in one query."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from api.loaders.transaction import MAX_BATCH
from tenancy import privileged
from tenancy.db import Database
from tenancy.keyset import Page
from tenancy.models import Service

# One batched query serves the first page of services of every structure on a directory page.
BATCHED_SERVICES = 20


class DirectoryLoaders:
    def __init__(self, db: Database) -> None:
        self._db = db
        self.first_services: DataLoader[uuid.UUID, Page[Service]] = DataLoader(
            self._first_services, max_batch_size=MAX_BATCH
        )

    async def _first_services(self, ids: Sequence[uuid.UUID]) -> list[Page[Service]]:
        pages = await privileged.directory_services(self._db, list(ids), first=BATCHED_SERVICES + 1)
        return [pages[i] for i in ids]
