"""Per-request context: the verified principal, one tenant session, the request's DataLoaders, and what the
app keeps across requests (the names history gives to actors)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from api.core.bounded import BoundedCache
from api.loaders import Loaders
from auth.principal import Principal
from invoicing.wording import Locale
from tenancy.db import Database
from tenancy.events import record as event_log


class RequestSession:
    """One tenant transaction per request, opened on first use and used by one coroutine at a time.

    GraphQL resolves sibling fields concurrently and an AsyncSession must not be shared concurrently,
    hence the lock. Never await a DataLoader while holding it.
    """

    def __init__(self, db: Database, principal: Principal) -> None:
        self._db = db
        self._principal = principal
        self._lock = asyncio.Lock()
        self._manager: AbstractAsyncContextManager[AsyncSession] | None = None
        self._session: AsyncSession | None = None

    @asynccontextmanager
    async def use(self) -> AsyncIterator[AsyncSession]:
        async with self._lock:
            if self._session is None:
                self._manager = self._db.tenant_session(self._principal.tenant)
                self._session = await self._manager.__aenter__()
                # The request's events are written at its commit, not held locked until the request ends.
                event_log.keep_until_commit(self._session)
            yield self._session

    async def close(self, *, commit: bool) -> None:
        manager, session, self._manager, self._session = self._manager, self._session, None, None
        if manager is None:
            return
        if commit:
            assert session is not None
            try:
                await event_log.write_kept(session)
            except BaseException as failed:
                await manager.__aexit__(type(failed), failed, failed.__traceback__)
                raise
            await manager.__aexit__(None, None, None)
        else:
            error = RuntimeError("request failed")
            await manager.__aexit__(type(error), error, None)


@dataclass
class Context:
    request: Request
    principal: Principal
    db: Database
    session: RequestSession
    loaders: Loaders
    # Names as history shows them, per access token (jti): read once per token, as a token's role is. The
    # app's own (see ``api.http.GraphQLView``), bounded.
    actor_names: BoundedCache[str, str]
    # What messages are said in (``Accept-Language``: see ``api.core.language``).
    locale: Locale = "en"
