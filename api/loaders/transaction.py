"""What a loader reads through: the request's tenant transaction (``api.core.context.RequestSession``)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

# As in strawberry's own examples; large enough for a page of 100 with several edges each.
MAX_BATCH = 500


class Transaction(Protocol):
    def use(self) -> AbstractAsyncContextManager[AsyncSession]: ...
