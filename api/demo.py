"""Demo data (`facturehub demo`): a few public entities and suppliers, with people in them. Idempotent."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.clients import AUTHORIZATION_CODE, CLIENT_CREDENTIALS, REFRESH_TOKEN, ClientDraft, register_client
from auth.oauth_models import OAuthClient
from auth.opaque import digest
from auth.scopes import ALL_SCOPES
from auth.users import upsert_user
from tenancy import members, privileged, services
from tenancy.db import Database
from tenancy.enums import Access, IdentifierType, Role
from tenancy.structures import Address, RecipientParameters, StructureDraft

DEMO_PASSWORD = "facturehub-demo"  # noqa: S105 (published demo credentials, printed by `demo --json`)
# Demo clients only: their ids and secrets are derived from the structure identifier with an HMAC over this
# fixed, public label, so `demo` gives the same credentials every time (real clients get random ones).
DEMO_CLIENT_LABEL = b"facturehub demo clients v1"
DEMO_REDIRECT_URIS = ("http://127.0.0.1:8000/callback", "http://[::1]:8000/callback")


@dataclass(frozen=True)
class DemoService:
    code: str
    name: str
    engagement_required: bool = False


@dataclass(frozen=True)
class DemoStructure:
    draft: StructureDraft
    services: tuple[DemoService, ...] = ()


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    memberships: tuple[tuple[str, Role, Access], ...] = field(default=())


def _public(siret: str, name: str, town: str, postcode: str, parameters: RecipientParameters) -> StructureDraft:
    return StructureDraft(
        identifier_type=IdentifierType.SIRET,
        identifier=siret,
        name=name,
        is_public=True,
        address=Address(line1="1 place de la République", postcode=postcode, town=town),
        parameters=parameters,
    )


STRUCTURES = (
    DemoStructure(
        _public(
            "21750001600019",
            "Mairie de Villeneuve-Saint-Martin",
            "Villeneuve-Saint-Martin",
            "45100",
            RecipientParameters(service_code_required=True),
        ),  # fmt: skip
        (
            DemoService("FINANCES", "Direction des finances"),
            DemoService("TECHNIQUE", "Services techniques", engagement_required=True),
            DemoService("ECOLES", "Affaires scolaires"),
        ),
    ),
    DemoStructure(
        _public(
            "13000274400014",
            "Centre hospitalier de Valbonne",
            "Valbonne",
            "06560",
            RecipientParameters(engagement_required=True),
        ),  # fmt: skip
        (DemoService("ACHATS", "Service des achats"), DemoService("PHARMACIE", "Pharmacie centrale")),
    ),
    DemoStructure(
        _public("26690001800026", "Syndicat des eaux du Val-de-Saône", "Mâcon", "71000", RecipientParameters()),
        (DemoService("EXPLOITATION", "Exploitation des réseaux"),),
    ),
    DemoStructure(
        StructureDraft(
            identifier_type=IdentifierType.SIRET,
            identifier="44306184100104",
            name="Atelier Durand SARL",
            is_public=False,
            vat_number="FR64443061841",
            address=Address(line1="12 rue des Artisans", postcode="69003", town="Lyon"),
        )
    ),
    DemoStructure(
        StructureDraft(
            identifier_type=IdentifierType.UE_HORS_FRANCE,
            identifier="DE136695976",
            name="Müller Bürotechnik GmbH",
            is_public=False,
            vat_number="DE136695976",
            address=Address(line1="Hauptstraße 5", postcode="10115", town="Berlin", country_code="DE"),
        )
    ),
    DemoStructure(
        StructureDraft(
            identifier_type=IdentifierType.HORS_UE,
            identifier="CHE-123.456.788",
            name="Helvetia Software AG",
            is_public=False,
            address=Address(line1="Bahnhofstrasse 1", postcode="8001", town="Zürich", country_code="CH"),
        )
    ),
)

GP, GEST, USER = Role.GESTIONNAIRE_PRINCIPAL, Role.GESTIONNAIRE, Role.UTILISATEUR
W, R = Access.WRITE, Access.READ_ONLY

USERS = (
    DemoUser("paul.martin@villeneuve.example", "Paul Martin", (("21750001600019", GP, W), ("26690001800026", USER, R))),
    DemoUser("agent.compta@villeneuve.example", "Sophie Bernard", (("21750001600019", USER, W),)),
    DemoUser("claire.petit@ch-valbonne.example", "Claire Petit", (("13000274400014", GP, W),)),
    DemoUser("jean.leroy@eaux-valdesaone.example", "Jean Leroy", (("26690001800026", GP, W),)),
    DemoUser(
        "marie.durand@atelier-durand.example", "Marie Durand", (("44306184100104", GP, W), ("DE136695976", GEST, W))
    ),
    DemoUser("hans.mueller@mueller-buero.example", "Hans Müller", (("DE136695976", GP, W),)),
    DemoUser("anna.keller@helvetia-software.example", "Anna Keller", (("CHE-123.456.788", GP, W),)),
)


async def load_demo(db: Database) -> dict[str, Any]:
    ids = {}
    for demo in STRUCTURES:
        structure = await privileged.upsert_structure(db, demo.draft)
        ids[structure.identifier] = structure.id
        async with db.tenant_session(structure.id) as session:
            for s in demo.services:
                draft = services.ServiceDraft(code=s.code, name=s.name, engagement_required=s.engagement_required)
                if await services.find_by_code(session, structure.id, s.code) is None:
                    await services.create_service(session, structure.id, draft)
    for person in USERS:
        user = await upsert_user(db, email=person.email, display_name=person.name, password=DEMO_PASSWORD)
        for identifier, role, access in person.memberships:
            async with db.tenant_session(ids[identifier]) as session:
                await members.ensure_member(session, ids[identifier], user_id=user.id, role=role, access=access)
    async with db.bare_session() as session:
        for identifier, structure_id in ids.items():
            for demo_client in demo_clients(identifier):
                await _ensure_client(session, structure_id, demo_client)
    return describe()


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    secret: str | None
    name: str
    grant_types: tuple[str, ...]
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...] = tuple(sorted(ALL_SCOPES))


def _derived(identifier: str, purpose: str, length: int) -> str:
    mac = hmac.new(DEMO_CLIENT_LABEL, f"{purpose}:{identifier}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")[:length]


def demo_clients(identifier: str) -> tuple[DemoClient, DemoClient]:
    """A confidential technical account (client credentials) and a public app (code + PKCE) per structure."""
    return (
        DemoClient(
            client_id="demo-cc-" + _derived(identifier, "cc-id", 12),
            secret=_derived(identifier, "cc-secret", 43),
            name=f"Demo technical account ({identifier})",
            grant_types=(CLIENT_CREDENTIALS,),
            redirect_uris=(),
        ),
        DemoClient(
            client_id="demo-app-" + _derived(identifier, "app-id", 12),
            secret=None,
            name=f"Demo app ({identifier})",
            grant_types=(AUTHORIZATION_CODE, REFRESH_TOKEN),
            redirect_uris=DEMO_REDIRECT_URIS,
        ),
    )


async def _ensure_client(session: AsyncSession, structure_id: uuid.UUID, demo: DemoClient) -> None:
    draft = ClientDraft(
        name=demo.name,
        redirect_uris=demo.redirect_uris,
        confidential=demo.secret is not None,
        grant_types=demo.grant_types,
        scopes=demo.scopes,
    )
    row = await session.scalar(select(OAuthClient).where(OAuthClient.client_id == demo.client_id))
    if row is None:
        await register_client(
            session,
            structure_id,
            draft,
            allowed_scopes=ALL_SCOPES,
            created_by=None,
            client_id=demo.client_id,
            secret=demo.secret,
        )
        return
    # Loading the demo again puts its clients back as described, even if someone revoked or rotated one.
    row.workspace_id = structure_id
    row.secret_hash = digest(demo.secret) if demo.secret else None
    row.revoked_at = None


def describe() -> dict[str, Any]:
    return {
        "structures": [
            {
                "identifier": d.draft.identifier,
                "identifierType": d.draft.identifier_type.value,
                "name": d.draft.name,
                "public": d.draft.is_public,
                "services": [
                    {"code": s.code, "name": s.name, "engagementRequired": s.engagement_required} for s in d.services
                ],
            }
            for d in STRUCTURES
        ],
        "users": [
            {
                "email": u.email,
                "password": DEMO_PASSWORD,
                "memberships": [{"identifier": i, "role": r.value, "access": a.value} for i, r, a in u.memberships],
            }
            for u in USERS
        ],
        "clients": [
            {
                "clientId": c.client_id,
                "clientSecret": c.secret,
                "workspace": d.draft.identifier,
                "scopes": list(c.scopes),
                "grantTypes": list(c.grant_types),
                "redirectUris": list(c.redirect_uris),
            }
            for d in STRUCTURES
            for c in demo_clients(d.draft.identifier)
        ],
    }
