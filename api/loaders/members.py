"""Batched reads of users (a member's, an authorization's, the viewer's)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from api.loaders.transaction import MAX_BATCH, Transaction
from auth import users
from auth.models import User


class MemberLoaders:
    def __init__(self, transaction: Transaction) -> None:
        self._transaction = transaction
        self.users: DataLoader[uuid.UUID, User | None] = DataLoader(self._users, max_batch_size=MAX_BATCH)

    async def _users(self, ids: Sequence[uuid.UUID]) -> list[User | None]:
        async with self._transaction.use() as session:
            found = await users.users_by_id(session, ids)
        return [found.get(i) for i in ids]
