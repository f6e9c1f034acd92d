"""The hub's signing keys: kept in the database, generated on first start, published as a JWKS.

A key is published before it signs (``signs_from`` later than ``published_at``) so that every
resource server has fetched it by the time tokens signed with it arrive.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from joserfc.jwk import ECKey, KeySet
from sqlalchemy import select

from auth.models import SigningKey
from tenancy.db import Database
from tenancy.moments import aware

ALGORITHM = "ES256"
REFRESH_INTERVAL_S = 30.0


@dataclass(frozen=True)
class _Key:
    kid: str
    private: ECKey
    signs_from: datetime


class KeyRing:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._keys: list[_Key] = []
        self._verify = KeySet([])
        self._jwks: dict[str, object] = {"keys": []}
        self._loaded_at = 0.0

    async def load(self) -> None:
        """Read the published keys; create the first one if the hub has none yet."""
        rows = await self._read()
        now = datetime.now(UTC)
        if not any(aware(r.signs_from) <= now for r in rows):
            await self.add_key(signs_from=now)
            rows = await self._read()
        self._keys = [
            _Key(r.kid, ECKey.import_key(json.loads(r.private_jwk)), aware(r.signs_from))
            for r in sorted(rows, key=lambda r: (aware(r.signs_from), r.kid))
        ]
        public = [json.loads(r.public_jwk) for r in rows]
        self._verify = KeySet.import_key_set({"keys": public})
        self._jwks = {"keys": public}
        self._loaded_at = time.monotonic()

    async def refresh_if_stale(self) -> bool:
        """Reload when a token names a kid we do not know; at most once per interval."""
        if time.monotonic() - self._loaded_at < REFRESH_INTERVAL_S:
            return False
        await self.load()
        return True

    async def add_key(self, *, signs_from: datetime) -> str:
        key = ECKey.generate_key("P-256", parameters={"alg": ALGORITHM, "use": "sig"}, private=True)
        kid = key.thumbprint()
        public = {**key.as_dict(private=False), "kid": kid, "alg": ALGORITHM, "use": "sig"}
        async with self._db.bare_session() as session:
            session.add(
                SigningKey(
                    kid=kid,
                    alg=ALGORITHM,
                    private_jwk=json.dumps({**key.as_dict(private=True), "kid": kid}),
                    public_jwk=json.dumps(public),
                    published_at=datetime.now(UTC),
                    signs_from=signs_from,
                )
            )
        return kid

    async def rotate(self, *, publish_ahead: timedelta) -> str:
        """Publish a new key now; it starts signing after ``publish_ahead``."""
        kid = await self.add_key(signs_from=datetime.now(UTC) + publish_ahead)
        await self.load()
        return kid

    def signing_key(self) -> tuple[str, ECKey]:
        now = datetime.now(UTC)
        usable = [k for k in self._keys if k.signs_from <= now]
        if not usable:
            raise RuntimeError("the key ring is not loaded")
        newest = usable[-1]
        return newest.kid, newest.private

    def private_key(self, kid: str) -> tuple[str, ECKey] | None:
        """A loaded key by its kid (signing or not yet), e.g. to check what it signed."""
        return next(((k.kid, k.private) for k in self._keys if k.kid == kid), None)

    def knows(self, kid: str) -> bool:
        return any(k.kid == kid for k in self._keys)

    @property
    def verification_keys(self) -> KeySet:
        return self._verify

    @property
    def jwks(self) -> dict[str, object]:
        return self._jwks

    async def _read(self) -> list[SigningKey]:
        async with self._db.bare_session() as session:
            result = await session.scalars(select(SigningKey).where(SigningKey.retired_at.is_(None)))
            return list(result)
