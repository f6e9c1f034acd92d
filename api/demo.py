"""Demo data (`facturehub demo`): a few public entities and suppliers, with people in them, and a few dozen
invoices between them in various statuses. Idempotent."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from auth.clients import AUTHORIZATION_CODE, CLIENT_CREDENTIALS, REFRESH_TOKEN, ClientDraft, register_client
from auth.oauth_models import OAuthClient
from auth.opaque import digest
from auth.scopes import ALL_SCOPES
from auth.users import upsert_user
from invoicing.deposit import service as deposit
from invoicing.deposit.records import InvoiceRecord, RecordSide
from invoicing.deposit.rules import Addressing, AttachmentFile
from invoicing.deposit.transmission import Actor
from invoicing.formats import model
from invoicing.formats.convert import Target, write
from invoicing.lifecycle import service as lifecycle_service
from invoicing.lifecycle.transitions import Frame, Status
from tenancy import base64url, members, privileged, services
from tenancy.db import Database
from tenancy.enums import Access, IdentifierType, Role
from tenancy.events.actor import EventActor
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
                    await services.create_service(session, structure.id, draft, actor=EventActor.system())
    for person in USERS:
        user = await upsert_user(db, email=person.email, display_name=person.name, password=DEMO_PASSWORD)
        for identifier, role, access in person.memberships:
            async with db.tenant_session(ids[identifier]) as session:
                await members.ensure_member(session, ids[identifier], user_id=user.id, role=role, access=access)
    for identifier, structure_id in ids.items():
        # In the structure's session: registering a client writes an event in its log.
        async with db.tenant_session(structure_id) as session:
            for demo_client in demo_clients(identifier):
                await _ensure_client(session, structure_id, demo_client)
    await load_demo_invoices(db, ids)
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
    return base64url.encode(mac)[:length]


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
            actor=EventActor.system(),
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
        "invoices": len(INVOICES),
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


def summary(described: dict[str, Any]) -> str:
    """``describe()`` for a person: who and what to try the hub with (`facturehub demo`)."""

    def table(rows: list[list[str]]) -> list[str]:
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        return [
            ("  " + "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])).rstrip()
            for row in rows
        ]

    structures = [
        [
            s["identifier"],
            "public" if s["public"] else "supplier",
            s["name"],
            "services " + ", ".join(v["code"] + ("*" if v["engagementRequired"] else "") for v in s["services"])
            if s["services"]
            else "",
        ]
        for s in described["structures"]
    ]
    users = [
        [
            u["email"],
            "password " + u["password"],
            ", ".join(
                f"{m['role']} in {m['identifier']}" + (" (read-only)" if m["access"] == Access.READ_ONLY.value else "")
                for m in u["memberships"]
            ),
        ]
        for u in described["users"]
    ]
    clients = [
        [
            c["workspace"],
            c["clientId"],
            f"secret {c['clientSecret']}"
            if c["clientSecret"]
            else "public app, redirect " + " ".join(c["redirectUris"]) + " (loopback: any port)",
        ]
        for c in described["clients"]
    ]
    return "\n".join(
        [
            "Structures (a workspace each; `--workspace` takes the identifier; * = engagement number required):",
            *table(structures),
            "",
            "Users (sign in at /login, or `facturehub token --email EMAIL --workspace IDENTIFIER`):",
            *table(users),
            "",
            "API clients, two per structure: a technical account (client_credentials, HTTP Basic with its id and",
            "secret) and a public app (authorization code with PKCE); both may ask for every scope:",
            *table(clients),
            "",
            f"{described['invoices']} invoices between them, at every stage of the life cycle. "
            "All of it as JSON: `facturehub demo --json`.",
        ]
    )


# --- invoices ---------------------------------------------------------------------------------------

DURAND, MULLER, HELVETIA = "44306184100104", "DE136695976", "CHE-123.456.788"
VILLENEUVE, VALBONNE, EAUX = "21750001600019", "13000274400014", "26690001800026"
COMPLETE, ACKNOWLEDGE, VALIDATE = "COMPLETE", "ACKNOWLEDGE", "VALIDATE"  # story steps that are not a status

# Who acts on each side, as the history shows it (the demo users of each workspace).
ACTING = {
    DURAND: "Marie Durand",
    MULLER: "Hans Müller",
    HELVETIA: "Anna Keller",
    VILLENEUVE: "Paul Martin",
    VALBONNE: "Claire Petit",
    EAUX: "Jean Leroy",
}
REASONS = {
    Status.SUSPENDUE: "Bon de livraison manquant : merci de le joindre.",
    Status.REJETEE: "Prestation non commandée par nos services.",
    Status.A_RECYCLER: "Ce service ne traite pas cet achat : adressez la facture au service concerné.",
}


@dataclass(frozen=True)
class DemoSeller:
    party: model.Party
    vat: tuple[str, Decimal | None, str | None]  # category, rate, exemption reason
    iban: str


def _seller(name: str, legal: model.Identifier, vat_id: str | None, address: model.Address, email: str) -> model.Party:
    return model.Party(
        name=name,
        legal_registration=legal,
        vat_id=vat_id,
        address=address,
        contact=model.Contact(name="Service facturation", email=email),
    )


SELLERS = {
    DURAND: DemoSeller(
        _seller(
            "Atelier Durand SARL",
            model.Identifier(DURAND, "0009"),
            "FR64443061841",
            model.Address(line1="12 rue des Artisans", city="Lyon", postcode="69003", country="FR"),
            "factures@atelier-durand.example",
        ),
        ("S", Decimal("20.00"), None),
        "FR7630004000031234567890143",
    ),
    MULLER: DemoSeller(
        _seller(
            "Müller Bürotechnik GmbH",
            model.Identifier("HRB 12345"),
            MULLER,
            model.Address(line1="Hauptstraße 5", city="Berlin", postcode="10115", country="DE"),
            "rechnung@mueller-buero.example",
        ),
        ("AE", Decimal("0.00"), "Autoliquidation"),
        "DE89370400440532013000",
    ),
    HELVETIA: DemoSeller(
        _seller(
            "Helvetia Software AG",
            model.Identifier(HELVETIA),
            None,
            model.Address(line1="Bahnhofstrasse 1", city="Zürich", postcode="8001", country="CH"),
            "billing@helvetia-software.example",
        ),
        ("O", None, "Non soumis à la TVA française"),
        "CH9300762011623852957",
    ),
}
BUYERS = {
    VILLENEUVE: ("Mairie de Villeneuve-Saint-Martin", "Villeneuve-Saint-Martin", "45100"),
    VALBONNE: ("Centre hospitalier de Valbonne", "Valbonne", "06560"),
    EAUX: ("Syndicat des eaux du Val-de-Saône", "Mâcon", "71000"),
}


@dataclass(frozen=True)
class DemoInvoice:
    number: str
    supplier: str
    recipient: str
    age_days: int  # issued and deposited this many days before the demo is loaded
    lines: tuple[tuple[str, str, str], ...]  # item, quantity, unit price
    story: tuple[str, ...] = ()  # what happens after the deposit: statuses the recipient sets, or a step name
    service: str | None = None  # BT-10
    engagement: str | None = None  # BT-13
    frame: Frame = Frame.A1_FACTURE_FOURNISSEUR
    validator: str | None = None


PAID = ("SERVICE_FAIT", "MANDATEE", "MISE_EN_PAIEMENT")
SUPPLIES = (("Ramette papier A4 80 g", "40", "4.35"), ("Classeur à levier", "25", "2.90"))
REPAIRS = (("Réparation chaudière école Jules Ferry", "1", "1840.00"), ("Pièces détachées", "3", "126.50"))
PRINTERS = (("Multifunktionsdrucker MX-410", "2", "1290.00"), ("Wartungsvertrag 12 Monate", "2", "240.00"))
TONER = (("Tonerkartusche schwarz", "12", "68.90"),)
LICENCES = (("Licence logiciel de planification (1 an)", "25", "96.00"), ("Formation en ligne (jour)", "2", "850.00"))
SUPPORT = (("Support applicatif (mois)", "3", "420.00"),)
MEDICAL = (("Blouses de travail", "120", "18.40"), ("Gants nitrile (boîte de 100)", "300", "7.20"))
PIPES = (("Tuyau PEHD 110 mm (m)", "250", "9.80"), ("Raccord électrosoudable", "40", "22.50"))

INVOICES = (
    # Atelier Durand SARL: a French supplier of the three entities, invoices at every stage.
    DemoInvoice("AD-2026-101", DURAND, VILLENEUVE, 40, SUPPLIES, PAID, service="FINANCES"),
    DemoInvoice("AD-2026-102", DURAND, VILLENEUVE, 36, REPAIRS, PAID, service="TECHNIQUE", engagement="EJ-2026-0412"),
    DemoInvoice("AD-2026-103", DURAND, VILLENEUVE, 30, SUPPLIES, ("SERVICE_FAIT", "MANDATEE"), service="ECOLES"),
    DemoInvoice("AD-2026-104", DURAND, VILLENEUVE, 25, SUPPLIES, ("SERVICE_FAIT",), service="FINANCES"),
    DemoInvoice(
        "AD-2026-105", DURAND, VILLENEUVE, 21, REPAIRS, ("SUSPENDUE",), service="TECHNIQUE", engagement="EJ-2026-0431"
    ),
    DemoInvoice("AD-2026-106", DURAND, VILLENEUVE, 18, SUPPLIES, ("SUSPENDUE", COMPLETE), service="ECOLES"),
    DemoInvoice("AD-2026-107", DURAND, VILLENEUVE, 14, SUPPLIES, ("A_RECYCLER",), service="FINANCES"),
    DemoInvoice("AD-2026-108", DURAND, VILLENEUVE, 9, SUPPLIES, ("REJETEE", ACKNOWLEDGE), service="ECOLES"),
    DemoInvoice("AD-2026-109", DURAND, VILLENEUVE, 3, SUPPLIES, (), service="FINANCES"),
    DemoInvoice("AD-2026-110", DURAND, VALBONNE, 33, MEDICAL, PAID, service="ACHATS", engagement="CHV-EJ-88120"),
    DemoInvoice(
        "AD-2026-111", DURAND, VALBONNE, 12, MEDICAL, ("PRISE_EN_COMPTE_DESTINATAIRE",), engagement="CHV-EJ-88164"
    ),
    DemoInvoice(
        "AD-2026-112", DURAND, VALBONNE, 5, MEDICAL, ("REJETEE",), service="PHARMACIE", engagement="CHV-EJ-88170"
    ),
    DemoInvoice("AD-2026-113", DURAND, EAUX, 27, PIPES, ("SERVICE_FAIT", "MANDATEE"), service="EXPLOITATION"),
    DemoInvoice("AD-2026-114", DURAND, EAUX, 16, PIPES, ("SUSPENDUE",)),
    DemoInvoice("AD-2026-115", DURAND, EAUX, 2, PIPES),
    DemoInvoice(
        "AD-2026-116", DURAND, EAUX, 20, PIPES, ("SERVICE_FAIT",), frame=Frame.A2_FACTURE_FOURNISSEUR_DEJA_PAYEE
    ),
    # Müller Bürotechnik GmbH: a German supplier (reverse charge), by VAT number.
    DemoInvoice("MB-R-26-0051", MULLER, VILLENEUVE, 38, PRINTERS, PAID, service="FINANCES"),
    DemoInvoice("MB-R-26-0057", MULLER, VILLENEUVE, 19, TONER, ("SERVICE_FAIT",), service="ECOLES"),
    DemoInvoice("MB-R-26-0062", MULLER, VILLENEUVE, 8, TONER, ("SUSPENDUE", COMPLETE), service="FINANCES"),
    DemoInvoice(
        "MB-R-26-0064", MULLER, VALBONNE, 29, PRINTERS, ("SERVICE_FAIT", "MANDATEE"), engagement="CHV-EJ-87990"
    ),
    DemoInvoice(
        "MB-R-26-0066", MULLER, VALBONNE, 11, TONER, ("A_RECYCLER",), service="PHARMACIE", engagement="CHV-EJ-88150"
    ),
    DemoInvoice("MB-R-26-0069", MULLER, VALBONNE, 4, TONER, (), service="ACHATS", engagement="CHV-EJ-88181"),
    DemoInvoice("MB-R-26-0070", MULLER, EAUX, 22, PRINTERS, ("REJETEE", ACKNOWLEDGE)),
    DemoInvoice("MB-R-26-0073", MULLER, EAUX, 6, TONER, ("PRISE_EN_COMPTE_DESTINATAIRE",), service="EXPLOITATION"),
    # Helvetia Software AG: outside the EU (not subject to French VAT), and a subcontractor of Atelier Durand.
    DemoInvoice("HS-2026-0031", HELVETIA, VILLENEUVE, 35, LICENCES, PAID, service="FINANCES"),
    DemoInvoice("HS-2026-0034", HELVETIA, VILLENEUVE, 15, SUPPORT, ("SUSPENDUE",), service="FINANCES"),
    DemoInvoice(
        "HS-2026-0036", HELVETIA, VALBONNE, 24, LICENCES, ("SERVICE_FAIT",), service="ACHATS", engagement="CHV-EJ-88002"
    ),
    DemoInvoice("HS-2026-0038", HELVETIA, EAUX, 10, SUPPORT, ("REJETEE",)),
    DemoInvoice(
        "HS-2026-0040",
        HELVETIA,
        VILLENEUVE,
        13,
        SUPPORT,
        (VALIDATE,),
        service="ECOLES",
        frame=Frame.A9_FACTURE_SOUSTRAITANT,
        validator=DURAND,
    ),  # fmt: skip
    DemoInvoice(
        "HS-2026-0041",
        HELVETIA,
        VILLENEUVE,
        2,
        SUPPORT,
        (),
        service="TECHNIQUE",
        engagement="EJ-2026-0440",
        frame=Frame.A9_FACTURE_SOUSTRAITANT,
        validator=DURAND,
    ),  # fmt: skip
    DemoInvoice("HS-2026-0042", HELVETIA, EAUX, 1, LICENCES, (), frame=Frame.A12_FACTURE_COTRAITANT, validator=MULLER),
)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def demo_invoice(spec: DemoInvoice, today: date) -> model.Invoice:
    """The EN 16931 invoice of one demo entry, issued ``spec.age_days`` before ``today``."""
    seller = SELLERS[spec.supplier]
    category, rate, exemption = seller.vat
    name, town, postcode = BUYERS[spec.recipient]
    siret = model.Identifier(spec.recipient, "0009")
    buyer = model.Party(
        name=name,
        identifiers=[siret],
        legal_registration=siret,
        electronic_address=siret,
        address=model.Address(line1="1 place de la République", city=town, postcode=postcode, country="FR"),
    )
    lines = [
        model.Line(
            id=str(index),
            quantity=Decimal(quantity),
            unit="C62",
            net_amount=_cents(Decimal(quantity) * Decimal(price)),
            net_price=Decimal(price),
            item_name=item,
            vat_category=category,
            vat_rate=rate,
        )
        for index, (item, quantity, price) in enumerate(spec.lines, start=1)
    ]
    net = sum((line.net_amount for line in lines), Decimal("0.00"))
    vat = _cents(net * rate / 100) if rate else Decimal("0.00")
    paid = spec.frame is Frame.A2_FACTURE_FOURNISSEUR_DEJA_PAYEE
    issued = today - timedelta(days=spec.age_days)
    return model.Invoice(
        number=spec.number,
        issue_date=issued,
        type_code="380",
        currency="EUR",
        seller=seller.party,
        buyer=buyer,
        totals=model.Totals(
            line_net=net,
            without_vat=net,
            vat=vat,
            with_vat=net + vat,
            prepaid=net + vat if paid else None,
            payable=Decimal("0.00") if paid else net + vat,
        ),
        due_date=issued + timedelta(days=30),
        buyer_reference=spec.service,
        order_ref=spec.engagement,
        process_id=spec.frame.code,  # BT-23: the frame, as Chorus Pro flows carry it
        specification_id="urn:cen.eu:en16931:2017",
        payment=model.Payment(
            means_code="58" if seller.iban[:2] in ("FR", "DE") else "30",
            remittance=spec.number,
            credit_transfers=[model.CreditTransfer(seller.iban, seller.party.name)],
        ),
        vat_breakdown=[
            model.VatBreakdown(taxable=net, tax=vat, category=category, rate=rate, exemption_reason=exemption)
        ],
        lines=lines,
    )


async def _issued_numbers(db: Database, supplier_id: uuid.UUID) -> set[str]:
    async with db.tenant_session(supplier_id) as session:
        stmt = select(InvoiceRecord.number).where(
            InvoiceRecord.tenant_id == supplier_id, InvoiceRecord.side == RecordSide.ISSUED.value
        )
        return set(await session.scalars(stmt))


async def _copy_of(db: Database, tenant_id: uuid.UUID, transmission_id: uuid.UUID) -> InvoiceRecord:
    async with db.tenant_session(tenant_id) as session:
        record = await session.scalar(
            select(InvoiceRecord).where(
                InvoiceRecord.tenant_id == tenant_id, InvoiceRecord.transmission_id == transmission_id
            )
        )
    assert record is not None
    return record


async def load_demo_invoices(db: Database, ids: dict[str, uuid.UUID], *, now: datetime | None = None) -> int:
    """Deposit the demo invoices not deposited yet (by number, per supplier) and play their story. Returns how many."""
    now = now or datetime.now(UTC)
    taken = {identifier: await _issued_numbers(db, ids[identifier]) for identifier in SELLERS}
    added = 0
    for spec in INVOICES:
        if spec.number in taken[spec.supplier]:
            continue
        await _deposit_demo(db, ids, spec, now)
        added += 1
    return added


def _actor(ids: dict[str, uuid.UUID], identifier: str) -> Actor:
    return Actor(ids[identifier], ACTING[identifier], "demo")


async def _deposit_demo(db: Database, ids: dict[str, uuid.UUID], spec: DemoInvoice, now: datetime) -> None:
    deposited_at = now - timedelta(days=spec.age_days) + timedelta(hours=2)
    invoice = demo_invoice(spec, now.date())
    document = deposit.DocumentFile(f"{spec.number}.xml", write(invoice, Target.UBL), "application/xml")
    addressing = Addressing(frame=spec.frame, validator_identifier=spec.validator)
    done = await deposit.deposit(db, _actor(ids, spec.supplier), document, [], addressing, now=deposited_at)
    if done.issued is None:
        problems = "; ".join(f"{p.code}: {p.message}" for p in done.checked.problems)
        raise RuntimeError(f"demo invoice {spec.number} was refused: {problems}")
    await _play(db, ids, spec, done.issued, _moments(deposited_at, now, len(spec.story)))


def _moments(start: datetime, end: datetime, count: int) -> list[datetime]:
    """``count`` moments spread between a deposit and now: the story happened in between."""
    step = (end - start) / (count + 1)
    return [start + step * (index + 1) for index in range(count)]


async def _play(
    db: Database, ids: dict[str, uuid.UUID], spec: DemoInvoice, issued: InvoiceRecord, moments: Sequence[datetime]
) -> None:
    supplier = _actor(ids, spec.supplier)
    recipient = _actor(ids, spec.recipient)
    for step, at in zip(spec.story, moments, strict=True):
        if step == COMPLETE:
            note = AttachmentFile("bon-de-livraison.txt", f"Bon de livraison {spec.number}\n".encode(), "text/plain")
            await lifecycle_service.complete(db, supplier, issued.id, "Bon de livraison joint.", [note], now=at)
        elif step == ACKNOWLEDGE:
            await lifecycle_service.acknowledge_rejection(db, supplier, issued.id, now=at)
        elif step == VALIDATE:
            assert spec.validator is not None
            validator = _actor(ids, spec.validator)
            copy = await _copy_of(db, validator.tenant_id, issued.transmission_id)
            await lifecycle_service.change_status(db, validator, copy.id, Status.VALIDEE_1, now=at)
        else:
            status = Status(step)
            copy = await _copy_of(db, recipient.tenant_id, issued.transmission_id)
            await lifecycle_service.change_status(db, recipient, copy.id, status, REASONS.get(status), now=at)
