"""The resource server's token check: a verified token is remembered, never past its expiry."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from auth.keys import KeyRing
from auth.tokens import LEEWAY_S, AccessTokenVerifier, InvalidToken, TokenSettings, issue_access_token
from tenancy.db import Database

SETTINGS = TokenSettings(issuer="http://127.0.0.1:8000", audience="http://127.0.0.1:8000/graphql")


async def _keyring(db: Database) -> KeyRing:
    keyring = KeyRing(db)
    await keyring.load()
    return keyring


def _token(keyring: KeyRing, tenant: uuid.UUID, ttl_s: int) -> str:
    return issue_access_token(
        keyring,
        SETTINGS,
        subject="client:erp",
        client_id="erp",
        tenant_id=tenant,
        scopes=["invoices:read"],
        role=None,
        ttl_s=ttl_s,
    )


async def test_a_token_verified_once_is_the_same_principal_after(db: Database) -> None:
    keyring = await _keyring(db)
    verifier = AccessTokenVerifier(keyring, SETTINGS)
    tenant = uuid.uuid4()
    token = _token(keyring, tenant, 600)
    first = await verifier.verify(token)
    again = await verifier.verify(token)
    assert first == again and again.tenant == tenant and again.scopes == frozenset({"invoices:read"})


async def test_a_remembered_token_still_expires(db: Database) -> None:
    # Given a token 2 s short of the end of its leeway, verified (and so remembered) while still good
    keyring = await _keyring(db)
    verifier = AccessTokenVerifier(keyring, SETTINGS)
    token = _token(keyring, uuid.uuid4(), -(LEEWAY_S - 2))
    await verifier.verify(token)
    # When it is presented again once the leeway has passed, then it is refused like any expired token
    await asyncio.sleep(3.1)
    with pytest.raises(InvalidToken):
        await verifier.verify(token)


async def test_a_tampered_copy_of_a_remembered_token_is_checked_afresh(db: Database) -> None:
    keyring = await _keyring(db)
    verifier = AccessTokenVerifier(keyring, SETTINGS)
    token = _token(keyring, uuid.uuid4(), 600)
    await verifier.verify(token)
    header, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(InvalidToken):
        await verifier.verify(f"{header}.{payload}.{flipped}")
