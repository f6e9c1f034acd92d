"""Operator tools: mint a token for a member without the OAuth dance (`facturehub token`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from auth.keys import KeyRing
from auth.models import User
from auth.scopes import cap_scopes, scopes_for
from auth.tokens import MAX_TTL_S, MIN_TTL_S, TokenSettings, issue_access_token
from tenancy import privileged
from tenancy.db import Database
from tenancy.enums import Access, Role
from tenancy.models import Membership

OPERATOR_CLIENT_ID = "facturehub-cli"


class OperatorError(Exception):
    """Said to the operator as is."""


@dataclass(frozen=True)
class MintedToken:
    token: str
    scopes: frozenset[str]
    refused: frozenset[str]


async def mint_member_token(
    db: Database,
    keyring: KeyRing,
    settings: TokenSettings,
    *,
    email: str,
    workspace: str,
    scopes: Iterable[str] | None,
    ttl_s: int | None,
) -> MintedToken:
    if ttl_s is not None and not MIN_TTL_S <= ttl_s <= MAX_TTL_S:
        raise OperatorError(f"--ttl must be {MIN_TTL_S} to {MAX_TTL_S} seconds, not {ttl_s}")
    async with db.bare_session() as session:
        user = await session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        raise OperatorError(f"no active user with e-mail {email}")
    structures = await privileged.find_structure(db, workspace)
    if not structures:
        raise OperatorError(f"no structure with identifier {workspace}")
    if len(structures) > 1:
        raise OperatorError(f"identifier {workspace} names several structures; this should not happen")
    structure = structures[0]
    async with db.tenant_session(structure.id) as session:
        member = await session.scalar(
            select(Membership).where(Membership.tenant_id == structure.id, Membership.user_id == user.id)
        )
    if member is None:
        raise OperatorError(f"{user.email} is not a member of {structure.identifier} ({structure.name})")
    role = Role(member.role)
    granted, refused = cap_scopes(scopes, scopes_for(role, Access(member.access)))
    token = issue_access_token(
        keyring,
        settings,
        subject=f"user:{user.id}",
        client_id=OPERATOR_CLIENT_ID,
        tenant_id=structure.id,
        scopes=granted,
        role=role,
        ttl_s=ttl_s,
    )
    return MintedToken(token, granted, refused)
