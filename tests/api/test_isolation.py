"""Isolation sweep (security checklist T01-T04, T12, G17): tenant B learns nothing about tenant A.

Tenant A is planted twice: a private supplier, and a public entity whose directory entry is public by
design (its members, e-mail, phone, VAT number and inactive services are not). Every private value of
A carries the marker ``zq<tag>``; B's own values carry ``own<tag>``, A's public ones ``pub<tag>``.

The id-taking fields are read from the schema: every argument of type ``ID`` (or an input holding one)
must have a probe in ``PROBES``, so a new field either joins the sweep or fails
``test_every_id_argument_has_a_probe``. A probe called by B with any of A's ids (under every node type
name, and in alternative spellings of the same uuid) must answer exactly what a random or a malformed
id gets, change nothing in A, and leave no trace of A in the body. Every response body B receives is
scanned for A's private values, in clear and base64-decoded (ids and cursors are base64).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLType,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_non_null_type,
)
from sqlalchemy import select
from starlette.applications import Starlette

from api.core.ids import to_global_id
from api.core.pagination import encode_cursor
from api.schema import build_schema
from auth.clients import ClientDraft, register_client
from auth.consents import remember
from auth.models import User
from auth.oauth_models import OAuthClient
from auth.scopes import ALL_SCOPES
from invoicing.deposit.records import InvoiceRecord
from invoicing.deposit.rules import Addressing
from invoicing.deposit.service import DocumentFile, deposit
from invoicing.deposit.transmission import Actor
from invoicing.flux import service as flux_domain
from tenancy import privileged
from tenancy.db import Base, Database
from tenancy.enums import Access, IdentifierType, Role
from tenancy.events.actor import EventActor
from tenancy.joining import invitations as joining_invitations
from tenancy.joining import requests as joining_requests
from tenancy.models import Membership, Service, Structure
from tenancy.structures import Address, StructureDraft
from tests.api.invoice_calls import multipart, unsigned
from tests.api.snapshot import tenant_state
from tests.factories import data, gql, make_member, make_service, make_siret, make_user, token_for
from tests.invoicing.fluxes import zip_of
from tests.invoicing.parties import invoice_between, ubl

GRAPHQL = build_schema()._schema
PAGE = 10  # at most the directory's batched page, and small enough to stay under the cost limit (invoices nest lines)

# --- queries generated from the schema: every field a type has, so new fields are scanned too ------------


def _is_leaf(type_: GraphQLType) -> bool:
    return isinstance(get_named_type(type_), GraphQLScalarType | GraphQLEnumType)


def selection(type_: GraphQLType, depth: int, path: str = "", seen: dict[str, str] | None = None) -> str:
    """Every field reachable within ``depth`` levels; connections get ``first``, fields with other
    required arguments are left to explicit tests. ``seen`` maps response paths to their type, so that
    fragments on different types that share a field name with another type get an alias."""
    seen = {} if seen is None else seen
    named = get_named_type(type_)
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        fragments = [
            f"... on {t.name} {{ {_fields(t, depth, path, seen)} }}" for t in GRAPHQL.get_possible_types(named)
        ]
        return " ".join(["__typename", *fragments])
    assert isinstance(named, GraphQLObjectType)
    return _fields(named, depth, path, seen)


def _fields(owner: GraphQLObjectType, depth: int, path: str = "", seen: dict[str, str] | None = None) -> str:
    seen = {} if seen is None else seen
    parts = []
    for name, field_ in owner.fields.items():
        if owner.name.endswith("Connection") and name == "nodes":
            continue  # the same objects as edges.node
        required = [
            a for a, arg in field_.args.items() if is_non_null_type(arg.type) and arg.default_value is Undefined
        ]
        if required:
            continue
        response = name
        if seen.setdefault(f"{path}/{response}", str(field_.type)) != str(field_.type):
            response = f"{owner.name[0].lower()}{owner.name[1:]}{name[0].upper()}{name[1:]}"
            seen[f"{path}/{response}"] = str(field_.type)
        alias = "" if response == name else f"{response}: "
        arguments = f"(first: {PAGE})" if "first" in field_.args else ""
        if _is_leaf(field_.type):
            parts.append(alias + name + arguments)
        elif depth > 0:
            inner = selection(field_.type, depth - 1, f"{path}/{response}", seen)
            parts.append(f"{alias}{name}{arguments} {{ {inner} }}")
    return " ".join(parts)


NODE_SELECTION = selection(GRAPHQL.get_type("Node"), 5)  # type: ignore[arg-type]
EVERYTHING = "{ " + _fields(GRAPHQL.query_type, 7) + " }"
NODE_TYPES = sorted(t.name for t in GRAPHQL.get_possible_types(GRAPHQL.get_type("Node")))  # type: ignore[arg-type]


def payload(mutation: str) -> str:
    assert GRAPHQL.mutation_type is not None
    return selection(GRAPHQL.mutation_type.fields[mutation].type, 5)


# --- the id-taking arguments, from the schema ----------------------------------------------------------


def _id_paths(type_: GraphQLType, prefix: str) -> list[str]:
    named = get_named_type(type_)
    if named is GraphQLID:
        return [prefix]
    if isinstance(named, GraphQLInputObjectType):
        return [p for name, f in named.fields.items() for p in _id_paths(f.type, f"{prefix}.{name}")]
    return []


def id_arguments() -> set[str]:
    """'Type.field(argument.path)' for every argument (or input field) of type ID, on every object type."""
    found = set()
    for type_name, type_ in GRAPHQL.type_map.items():
        if type_name.startswith("__") or not isinstance(type_, GraphQLObjectType):
            continue
        for field_name, field_ in type_.fields.items():
            for arg_name, arg in field_.args.items():
                found |= {f"{type_name}.{field_name}({path})" for path in _id_paths(arg.type, arg_name)}
    return found


# --- the planted world ----------------------------------------------------------------------------------


def french_vat(siret: str) -> str:
    siren = siret[:9]
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


@dataclass
class Tenant:
    structure: Structure
    users: list[User]
    members: list[Membership]
    services: list[Service]
    api_client: OAuthClient
    authorization: uuid.UUID  # the principal's consent to that client in this workspace


@dataclass
class World:
    tag: str
    a_private: Tenant
    a_public: Tenant
    b: Tenant
    token_a: str
    token_b: str
    token_b_app: str  # a technical account of B (client credentials, no user)
    b_invoice: uuid.UUID = field(default_factory=uuid.uuid4)  # B's own issued invoice
    b_request: uuid.UUID = field(default_factory=uuid.uuid4)  # a pending request to join B
    b_invitation: uuid.UUID = field(default_factory=uuid.uuid4)  # a pending invitation into B
    private: dict[str, str] = field(default_factory=dict)  # label -> value B must never see
    private_uuids: dict[str, uuid.UUID] = field(default_factory=dict)
    public_uuids: dict[str, uuid.UUID] = field(default_factory=dict)

    @property
    def marker(self) -> str:
        return f"zq{self.tag}"


async def plant(db: Database, tag: str, *, marker: str, public: bool) -> Tenant:
    """A tenant whose every value carries ``marker``; ``public`` puts it in the directory."""
    siret = make_siret()
    structure = await privileged.create_structure(
        db,
        StructureDraft(
            identifier_type=IdentifierType.SIRET,
            identifier=siret,
            name=f"{marker} Structure {tag}",
            is_public=public,
            vat_number=french_vat(siret),
            email=f"{marker}.contact@structure.test",
            phone=f"{marker}-phone",
            address=Address(line1=f"{marker} rue", line2=f"{marker} bat", postcode="75001", town=f"{marker}ville"),
        ),
    )
    users = [
        await make_user(db, email=f"{marker}.{role.value.lower()}.{tag}@people.test", name=f"{marker} {role.value}")
        for role in Role
    ]
    members = [await make_member(db, structure, user, role) for user, role in zip(users, Role, strict=True)]
    services = [
        await make_service(db, structure, f"{marker}-ON", description=f"{marker} what it does"),
        await make_service(db, structure, f"{marker}-OFF", description=f"{marker} closed", is_active=False),
    ]
    draft = ClientDraft(
        name=f"{marker} ERP",
        redirect_uris=[f"https://{marker}.erp.test/callback"],
        confidential=True,
        grant_types=["authorization_code", "client_credentials"],
        scopes=["invoices:read"],
    )
    async with db.tenant_session(structure.id) as session:
        client, _ = await register_client(
            session, structure.id, draft, allowed_scopes=ALL_SCOPES, created_by=users[0].id, actor=EventActor.system()
        )
        authorization = await session.run_sync(
            lambda sync: remember(
                sync,
                user_id=users[0].id,
                client_pk=client.id,
                workspace_id=structure.id,
                scopes=frozenset({"invoices:read"}),
                now=datetime.now(UTC),
            )
        )
    return Tenant(structure, users, members, services, client, authorization)


@pytest.fixture
async def world(app: Starlette, db: Database) -> World:
    tag = secrets.token_hex(4)
    secret, public, own = f"zq{tag}", f"pub{tag}", f"own{tag}"
    a_private = await plant(db, tag, marker=secret, public=False)
    a_public = await plant(db, tag, marker=public, public=True)
    b = await plant(db, tag, marker=own, public=False)
    w = World(
        tag=tag,
        a_private=a_private,
        a_public=a_public,
        b=b,
        token_a=token_for(app, a_private.structure, a_private.users[0]),
        token_b=token_for(app, b.structure, b.users[0]),
        token_b_app=token_for(app, b.structure, None),
    )
    # Everything of the private supplier is private (its values all carry the zq marker).
    s = a_private.structure
    w.private |= {"A identifier": s.identifier, "A VAT": s.vat_number or "", "A marker": secret}
    w.private_uuids |= {"A structure": s.id}
    # The public entity: its directory entry is public; its record, people and closed services are not.
    p = a_public.structure
    w.private |= {
        "public A e-mail": p.email or "",
        "public A phone": p.phone or "",
        "public A VAT": p.vat_number or "",
        "public A active service description": a_public.services[0].description or "",
        "public A inactive service code": a_public.services[1].code,
        "public A inactive service description": a_public.services[1].description or "",
    }
    w.public_uuids |= {"public A structure": p.id, "public A active service": a_public.services[0].id}
    w.private_uuids |= {"public A inactive service": a_public.services[1].id}
    for label, tenant in (("A", a_private), ("public A", a_public)):
        client = tenant.api_client
        w.private |= {f"{label} API client name": client.name, f"{label} API client_id": client.client_id}
        w.private |= {f"{label} API client redirect URI": client.redirect_uris}
        w.private_uuids |= {f"{label} API client": client.id, f"{label} authorization": tenant.authorization}
    for label, tenant in (("A", a_private), ("public A", a_public)):
        for user in tenant.users:
            w.private |= {
                f"{label} e-mail of {user.email}": user.email,
                f"{label} name of {user.email}": user.display_name,
            }
            w.private_uuids[f"{label} user {user.email}"] = user.id
        for member in tenant.members:
            w.private_uuids[f"{label} member {member.role}"] = member.id
        if tenant is a_private:
            for service in tenant.services:
                w.private_uuids[f"{label} service {service.code}"] = service.id
    # A flux of A's (file name and depositor carry the marker): B must never see it, its report or its number.
    flux_a = await flux_domain.deposit_flux(
        db,
        Actor(s.id, f"{secret} depositor", "user:a"),
        f"{secret}-lot.zip",
        zip_of([(f"{secret}-invoice.xml", b"<Invoice/>")]),
        now=datetime.now(UTC),
    )
    w.private |= {"A flux number": flux_a.number}
    w.private_uuids |= {"A flux": flux_a.id}
    # An invoice of A's to the public entity: both records, their transmission, its number are A's secrets.
    issued_a = await _deposit(db, s, a_public.structure, f"{secret}", f"{secret} Depositor")
    received_a = await _record_of(db, a_public.structure, issued_a.transmission_id)
    w.private |= {"A invoice number": issued_a.number}
    w.private_uuids |= {
        "A issued invoice": issued_a.id,
        "public A received invoice": received_a,
        "A transmission": issued_a.transmission_id,
    }
    # B's own invoice (the positive control of the invoice probes), to the public entity too.
    issued_b = await _deposit(db, b.structure, a_public.structure, f"{own}", f"{own} Depositor")
    w.b_invoice = issued_b.id
    # Requests to join and invitations: A's (their people, messages and addresses are A's secrets), and B's own.
    for label, tenant, marker in (("A", a_private, secret), ("public A", a_public, public), ("B", b, own)):
        request, invitation = await _joining(db, tenant.structure, marker, tag)
        if tenant is b:
            w.b_request, w.b_invitation = request.id, invitation.id
            continue
        w.private |= {f"{label} request message": request.message or "", f"{label} invited": invitation.email}
        w.private_uuids |= {f"{label} request": request.id, f"{label} invitation": invitation.id}
    return w


async def _joining(db: Database, structure: Structure, marker: str, tag: str) -> tuple[Any, Any]:
    asker = await make_user(db, email=f"{marker}.asker.{tag}@people.test", name=f"{marker} asker")
    now = datetime.now(UTC)
    async with db.tenant_session(structure.id) as session:
        request = await joining_requests.open_request(
            session, structure.id, user_id=asker.id, message=f"{marker} would like to join", locale="fr", now=now
        )
        invitation, _ = await joining_invitations.invite(
            session,
            structure.id,
            actor_role=Role.GESTIONNAIRE_PRINCIPAL,
            invited_by=None,
            email=f"{marker}.invited.{tag}@people.test",
            role=Role.UTILISATEUR,
            access=Access.WRITE,
            locale="fr",
            now=now,
        )
    return request, invitation


async def _deposit(db: Database, supplier: Structure, recipient: Structure, number: str, actor: str) -> Any:
    document = DocumentFile("f.xml", ubl(invoice_between(supplier, recipient, number=number)), "application/xml")
    done = await deposit(db, Actor(supplier.id, actor, "user:x"), document, [], Addressing())
    assert done.issued is not None, done.checked.problems
    return done.issued


async def _record_of(db: Database, tenant: Structure, transmission: uuid.UUID) -> uuid.UUID:
    async with db.tenant_session(tenant.id) as session:
        found = await session.scalar(select(InvoiceRecord.id).where(InvoiceRecord.transmission_id == transmission))
    assert found is not None
    return found


# --- what B sees ----------------------------------------------------------------------------------------


def _decoded(value: str) -> str:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return ""


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in (key, *_strings(value))]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return [node] if isinstance(node, str) else []


def visible_text(body: Any) -> str:
    """The body as B could read it: every string in clear and base64-decoded, lower-cased."""
    strings = _strings(body)
    return "\n".join([json.dumps(body), *strings, *(_decoded(s) for s in strings)]).lower()


def leaks(world: World, bodies: list[Any]) -> list[str]:
    text = "\n".join(visible_text(b) for b in bodies)
    found = [label for label, value in world.private.items() if value and value.lower() in text]
    found += [label for label, key in world.private_uuids.items() if str(key) in text or key.hex in text]
    return found


def test_the_scan_reads_ids_and_cursors() -> None:
    # Given values hidden the way an API hides them: inside a global id and inside a keyset cursor
    key = uuid.uuid4()
    body = {"data": {"node": {"id": to_global_id("Member", key), "cursor": encode_cursor(["ZQsecret", key])}}}
    # Then the scan reads them
    text = visible_text(body)
    assert str(key) in text and "zqsecret" in text


class Recorder:
    """B's client: keeps every response body for the final canary scan."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.bodies: list[Any] = []

    async def call(self, token: str, query: str, variables: dict[str, Any] | None = None) -> tuple[int, Any]:
        response = await gql(self.client, token, query, variables)
        body = response.json()
        self.bodies.append(body)
        return response.status_code, body


# --- the probes: one per id-taking argument --------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    query: str
    variables: Callable[[str], dict[str, Any]]
    own_id: Callable[[World], str]  # an id of B's that the probe finds or changes (the positive control)


def _mutation(name: str, input_type: str) -> str:
    return f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ {payload(name)} }} }}"


PROBES: dict[str, Probe] = {
    "Query.node(id)": Probe(
        f"query ($id: ID!) {{ node(id: $id) {{ {NODE_SELECTION} }} }}",
        lambda i: {"id": i},
        lambda w: to_global_id("Service", w.b.services[0].id),
    ),
    "Query.nodes(ids)": Probe(
        f"query ($ids: [ID!]!) {{ nodes(ids: $ids) {{ {NODE_SELECTION} }} }}",
        lambda i: {"ids": [i]},
        lambda w: to_global_id("Member", w.b.members[1].id),
    ),
    "Workspace.events(filter.objectId)": Probe(
        "query ($id: ID!) { workspace { events(first: 20, filter: {objectId: $id}) { totalCount"
        " edges { cursor node { id type objectId actor { name kind } invoice { number status counterpart } } } } } }",
        lambda i: {"id": i},
        lambda w: to_global_id("Invoice", w.b_invoice),  # B's issued invoice: its deposit event
    ),
    "Mutation.updateService(input.id)": Probe(
        _mutation("updateService", "UpdateServiceInput"),
        lambda i: {"input": {"id": i, "name": "overwritten by B", "isActive": False, "description": None}},
        lambda w: to_global_id("Service", w.b.services[0].id),
    ),
    "Mutation.updateMember(input.id)": Probe(
        _mutation("updateMember", "UpdateMemberInput"),
        lambda i: {"input": {"id": i, "role": "UTILISATEUR", "access": "READ_ONLY"}},
        lambda w: to_global_id("Member", w.b.members[1].id),  # B's GESTIONNAIRE
    ),
    "Mutation.removeMember(input.id)": Probe(
        _mutation("removeMember", "RemoveMemberInput"),
        lambda i: {"input": {"id": i}},
        lambda w: to_global_id("Member", w.b.members[2].id),  # B's UTILISATEUR
    ),
    "Mutation.rotateApiClientSecret(input.id)": Probe(
        _mutation("rotateApiClientSecret", "RotateApiClientSecretInput"),
        lambda i: {"input": {"id": i}},
        lambda w: to_global_id("ApiClient", w.b.api_client.id),
    ),
    "Mutation.revokeApiClient(input.id)": Probe(
        _mutation("revokeApiClient", "RevokeApiClientInput"),
        lambda i: {"input": {"id": i}},
        lambda w: to_global_id("ApiClient", w.b.api_client.id),
    ),
    **{
        f"Mutation.{name}(input.invoiceId)": Probe(
            _mutation(name, input_type),
            lambda i, extra=extra: {"input": {"invoiceId": i, **extra}},  # type: ignore[misc]
            lambda w: to_global_id("Invoice", w.b_invoice),
        )
        for name, input_type, extra in (
            ("processInvoice", "ProcessInvoiceInput", {"status": "MISE_EN_PAIEMENT"}),
            ("completeInvoice", "CompleteInvoiceInput", {"comment": "voici"}),
            ("recycleInvoice", "RecycleInvoiceInput", {"serviceCode": "X"}),
            ("acknowledgeRejection", "AcknowledgeRejectionInput", {}),
            ("validateSubcontractInvoice", "ValidateSubcontractInvoiceInput", {"decision": "VALIDATE"}),
        )
    },
    "Mutation.approveMembershipRequest(input.id)": Probe(
        _mutation("approveMembershipRequest", "ApproveMembershipRequestInput"),
        lambda i: {"input": {"id": i, "role": "UTILISATEUR"}},
        lambda w: to_global_id("MembershipRequest", w.b_request),
    ),
    "Mutation.declineMembershipRequest(input.id)": Probe(
        _mutation("declineMembershipRequest", "DeclineMembershipRequestInput"),
        lambda i: {"input": {"id": i, "reason": "non"}},
        lambda w: to_global_id("MembershipRequest", w.b_request),
    ),
    "Mutation.withdrawInvitation(input.id)": Probe(
        _mutation("withdrawInvitation", "WithdrawInvitationInput"),
        lambda i: {"input": {"id": i}},
        lambda w: to_global_id("Invitation", w.b_invitation),
    ),
    "Mutation.revokeAuthorization(input.id)": Probe(
        _mutation("revokeAuthorization", "RevokeAuthorizationInput"),
        lambda i: {"input": {"id": i}},
        lambda w: to_global_id("AuthorizedApp", w.b.authorization),
    ),
}


def test_every_id_argument_has_a_probe() -> None:
    assert id_arguments() == set(PROBES), "add a probe for the new id-taking argument (and drop stale ones)"


def test_the_generated_queries_reach_every_node_type() -> None:
    expected = {"Workspace", "Service", "Member", "User", "DirectoryStructure", "DirectoryService", "ApiClient"}
    assert expected | {"AuthorizedApp"} <= set(NODE_TYPES)
    assert all(f"... on {name} " in NODE_SELECTION for name in NODE_TYPES)


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def foreign_ids(world: World) -> dict[str, str]:
    """A's uuids under every node type name, and A's natural ids in other spellings of the same uuid."""
    public_by_design = {
        to_global_id("DirectoryStructure", world.a_public.structure.id),
        to_global_id("DirectoryService", world.a_public.services[0].id),
    }
    ids = {
        f"{type_name}:{label}": to_global_id(type_name, key)
        for label, key in (world.private_uuids | world.public_uuids).items()
        for type_name in NODE_TYPES
    }
    ids = {label: value for label, value in ids.items() if value not in public_by_design}
    natural = [("Workspace", world.a_private.structure.id)]
    for tenant in (world.a_private, world.a_public):
        natural += [("Member", m.id) for m in tenant.members] + [("User", u.id) for u in tenant.users]
    natural += [("Service", s.id) for s in world.a_private.services]
    for tenant in (world.a_private, world.a_public):
        natural += [("ApiClient", tenant.api_client.id), ("AuthorizedApp", tenant.authorization)]
    for type_name, key in natural:
        ids[f"{type_name}:{key} upper-case"] = _b64(f"{type_name}:{str(key).upper()}")
        ids[f"{type_name}:{key} hex"] = _b64(f"{type_name}:{key.hex}")
        ids[f"{type_name}:{key} urn"] = _b64(f"{type_name}:urn:uuid:{key}")
    return ids


def other_ids() -> dict[str, str]:
    """Ids that name nothing: random well-formed ones of every type, and malformed ones."""
    ids = {f"random {t}": to_global_id(t, uuid.uuid4()) for t in NODE_TYPES}
    ids |= {
        "empty": "",
        "garbage": "not an id!",
        "bad uuid": _b64("Service:not-a-uuid"),
        "unknown type": _b64(f"Invoice:{uuid.uuid4()}"),
        "no type": _b64(str(uuid.uuid4())),
        "bare uuid": str(uuid.uuid4()),
        "too long": "A" * 300,
        "padded": to_global_id("Service", uuid.uuid4()) + "==",
    }
    return ids


@pytest.mark.parametrize("argument", sorted(PROBES))
async def test_a_foreign_id_answers_like_a_missing_one_and_changes_nothing(
    argument: str, world: World, db: Database, client: httpx.AsyncClient
) -> None:
    probe, b = PROBES[argument], Recorder(client)
    states = {
        t.structure.id: await tenant_state(db, t.structure.id) for t in (world.a_private, world.a_public, world.b)
    }

    # Given the answer B gets for an id that names nothing
    baseline = await b.call(world.token_b, probe.query, probe.variables(to_global_id("Service", uuid.uuid4())))
    assert baseline[0] == 200 and "errors" not in baseline[1], baseline

    # When B passes random, malformed, then A's ids
    for label, value in (other_ids() | foreign_ids(world)).items():
        answer = await b.call(world.token_b, probe.query, probe.variables(value))
        # Then every answer is exactly the baseline: same status, same data, same (user) errors
        assert answer == baseline, f"{argument} with {label}"

    # and nothing changed anywhere, and none of A's values reached B
    for tenant_id, before in states.items():
        assert await tenant_state(db, tenant_id) == before
    assert leaks(world, b.bodies) == []

    # Control: one of B's own ids gets a different answer (the probe can find things)
    own = await b.call(world.token_b, probe.query, probe.variables(probe.own_id(world)))
    assert own[0] == 200 and own != baseline and "errors" not in own[1], own


async def test_b_reads_everything_it_can_and_sees_none_of_a(world: World, client: httpx.AsyncClient) -> None:
    b = Recorder(client)
    # Given tenant A's data, when B (a user, then a technical account) reads every field the schema offers
    for token in (world.token_b, world.token_b_app):
        status, body = await b.call(token, EVERYTHING)
        assert status == 200 and "errors" not in body, body
    # and the directory with every filter, by its pages, and both ways of listing services
    for include_inactive in (False, True):
        await b.call(
            world.token_b,
            "query ($inactive: Boolean!) { directory { structures(first: 5, includeInactive: $inactive) {"
            " totalCount edges { cursor node { id name services(first: 50) { totalCount edges { cursor node"
            " { id code name } } } } } } } }",
            {"inactive": include_inactive},
        )
    # Then B saw its own data (the scan works) and the public entity's directory entry, and nothing of A
    text = "\n".join(visible_text(body) for body in b.bodies)
    assert f"own{world.tag}" in text and f"pub{world.tag} structure" in text
    assert leaks(world, b.bodies) == []


async def test_headers_naming_a_do_not_switch_the_workspace(world: World, client: httpx.AsyncClient) -> None:
    # The workspace comes from the token only (checklist O09): headers naming A change nothing
    plain = (await gql(client, world.token_b, EVERYTHING)).json()
    a = world.a_private.structure
    headers = {"X-Tenant": str(a.id), "X-Tenant-Id": str(a.id), "X-Workspace": a.identifier}
    steered = (await gql(client, world.token_b, EVERYTHING, **headers)).json()
    # Signed download links carry their expiry in seconds: two calls a second apart differ only there.
    assert unsigned(steered) == unsigned(plain)
    assert leaks(world, [steered]) == []


async def test_counts_are_scoped_to_the_workspace_and_the_directory(world: World, client: httpx.AsyncClient) -> None:
    result = await data(
        client,
        world.token_b,
        "{ workspace { services(first: 1) { totalCount } members(first: 1) { totalCount } }"
        " directory { structures(first: 1, includeInactive: true) { totalCount nodes { name services(first: 5)"
        " { totalCount nodes { code } } } } } }",
    )
    assert result["workspace"] == {"services": {"totalCount": 2}, "members": {"totalCount": 3}}
    # The directory lists the one public structure, with its active service only
    assert result["directory"]["structures"]["totalCount"] == 1
    (entry,) = result["directory"]["structures"]["nodes"]
    assert entry["name"] == f"pub{world.tag} Structure {world.tag}"
    assert entry["services"]["nodes"] == [{"code": f"pub{world.tag}-ON"}]


def _searches(world: World) -> dict[str, str]:
    """What B might type in the directory to find A's private data."""
    a, p = world.a_private, world.a_public
    return {
        "A name": a.structure.name,
        "A identifier": a.structure.identifier,
        "A SIREN": a.structure.identifier[:9],
        "A town": a.structure.town or "",
        "A marker": world.marker,
        "A e-mail": a.structure.email or "",
        "A member e-mail": a.users[0].email,
        "A service code": a.services[0].code,
        "public A e-mail": p.structure.email or "",
        "public A phone": p.structure.phone or "",
        "public A member": p.users[0].display_name,
        "public A inactive service": p.services[1].code,
    }


async def test_directory_search_finds_nothing_private(world: World, client: httpx.AsyncClient) -> None:
    b = Recorder(client)
    query = (
        "query ($search: String!, $inactive: Boolean!) { directory { structures(search: $search, first: 10,"
        " includeInactive: $inactive) { totalCount edges { cursor node { id name } } pageInfo { startCursor endCursor } } } }"
    )
    for include_inactive in (False, True):
        # Given what a search for something that exists nowhere answers
        nothing = await b.call(
            world.token_b, query, {"search": "nowhere-" + secrets.token_hex(6), "inactive": include_inactive}
        )
        assert nothing[1]["data"]["directory"]["structures"]["totalCount"] == 0
        # When B searches for A's private values, then it gets exactly that
        for label, search in _searches(world).items():
            answer = await b.call(world.token_b, query, {"search": search, "inactive": include_inactive})
            assert answer == nothing, label
    # Control: the public entity is found by its name
    found = await b.call(world.token_b, query, {"search": f"pub{world.tag}", "inactive": False})
    assert found[1]["data"]["directory"]["structures"]["totalCount"] == 1
    assert leaks(world, b.bodies) == []


async def test_directory_lookup_by_identifier_does_not_reveal_a_private_structure(
    world: World, client: httpx.AsyncClient
) -> None:
    b = Recorder(client)
    query = f"query ($identifier: String!) {{ directory {{ structure(identifier: $identifier) {{ {selection(GRAPHQL.get_type('DirectoryStructure'), 4)} }} }} }}"  # type: ignore[arg-type]
    unknown = await b.call(world.token_b, query, {"identifier": make_siret()})
    assert unknown[1]["data"] == {"directory": {"structure": None}}
    assert await b.call(world.token_b, query, {"identifier": world.a_private.structure.identifier}) == unknown
    # The public entity is listed, with its directory fields only
    public = await b.call(world.token_b, query, {"identifier": world.a_public.structure.identifier})
    assert public[1]["data"]["directory"]["structure"]["name"] == world.a_public.structure.name
    assert leaks(world, b.bodies) == []


async def test_public_directory_nodes_show_the_directory_entry_only(world: World, client: httpx.AsyncClient) -> None:
    b = Recorder(client)
    query = f"query ($id: ID!) {{ node(id: $id) {{ {NODE_SELECTION} }} }}"
    entry = await b.call(world.token_b, query, {"id": to_global_id("DirectoryStructure", world.a_public.structure.id)})
    service = await b.call(
        world.token_b, query, {"id": to_global_id("DirectoryService", world.a_public.services[0].id)}
    )
    assert entry[1]["data"]["node"]["__typename"] == "DirectoryStructure"
    assert service[1]["data"]["node"]["code"] == world.a_public.services[0].code
    assert leaks(world, b.bodies) == []


async def test_a_cursor_from_a_pages_through_b_only(world: World, client: httpx.AsyncClient) -> None:
    # Given cursors A got from its own connections
    own = await data(
        client,
        world.token_a,
        "{ workspace { services(first: 1) { edges { cursor } } members(first: 1) { edges { cursor } } } }",
    )
    service_cursor = own["workspace"]["services"]["edges"][0]["cursor"]
    member_cursor = own["workspace"]["members"]["edges"][0]["cursor"]
    # When B pages its own connections after them
    b = Recorder(client)
    status, body = await b.call(
        world.token_b,
        "query ($s: String!, $m: String!) { workspace {"
        " services(first: 20, after: $s) { totalCount nodes { code name description } }"
        " members(first: 20, after: $m) { totalCount nodes { user { email displayName } } } } }",
        {"s": service_cursor, "m": member_cursor},
    )
    # Then B gets its own rows (or none), never A's, and its counts stay its own
    assert status == 200 and "errors" not in body, body
    workspace = body["data"]["workspace"]
    assert {s["code"] for s in workspace["services"]["nodes"]} <= {s.code for s in world.b.services}
    assert {m["user"]["email"] for m in workspace["members"]["nodes"]} <= {u.email for u in world.b.users}
    assert (workspace["services"]["totalCount"], workspace["members"]["totalCount"]) == (2, 3)
    assert leaks(world, b.bodies) == []


# Mutations that take no id act on B's own workspace; each must still leave A untouched.
OWN_WORKSPACE_MUTATIONS: dict[str, tuple[str, Callable[[World], dict[str, Any]]]] = {
    "createService": ("CreateServiceInput", lambda w: {"code": f"own{w.tag}-NEW", "name": f"own{w.tag} new"}),
    "updateWorkspace": (
        "UpdateWorkspaceInput",
        lambda w: {"name": f"own{w.tag} renamed", "email": f"own{w.tag}@b.test", "phone": None},
    ),
    "addMember": ("AddMemberInput", lambda w: {"email": f"own{w.tag}.newcomer@people.test", "role": "UTILISATEUR"}),
    "setAdminTwoFactor": ("SetAdminTwoFactorInput", lambda w: {"required": True}),
    "inviteMember": ("InviteMemberInput", lambda w: {"email": f"own{w.tag}.guest@people.test", "role": "UTILISATEUR"}),
    "registerApiClient": (
        "RegisterApiClientInput",
        lambda w: {
            "name": f"own{w.tag} app",
            "confidential": True,
            "grantTypes": ["client_credentials"],
            "scopes": ["invoices:read"],
        },
    ),
}


# Mutations that take no id and upload files (GraphQL multipart requests): name -> (query, variables, files).
UPLOAD_MUTATIONS: dict[
    str, tuple[str, dict[str, Any], Callable[[World], dict[str, tuple[str, tuple[str, bytes, str]]]]]
] = {
    "depositFlux": (
        "mutation ($input: DepositFluxInput!) { depositFlux(input: $input) { flux { id number status report { name } }"
        " userErrors { code message } } }",
        {"input": {"archive": None}},
        lambda w: {
            "0": ("variables.input.archive", ("own.zip", zip_of([("own.xml", b"<Invoice/>")]), "application/zip"))
        },
    ),
}


async def _tenant_rows(db: Database, tenant_id: uuid.UUID) -> dict[str, list[dict[str, Any]]]:
    """The tenant's rows, without the global queue, file store and mail outbox (shared by design, written by
    every deposit and every mail)."""
    return {
        k: v for k, v in (await tenant_state(db, tenant_id)).items() if k not in ("jobs", "documents", "mail_outbox")
    }


async def test_upload_mutations_change_b_only(world: World, db: Database, client: httpx.AsyncClient) -> None:
    before = {t.structure.id: await _tenant_rows(db, t.structure.id) for t in (world.a_private, world.a_public)}
    bodies = []
    for name, (query, variables, files) in UPLOAD_MUTATIONS.items():
        response = await multipart(client, world.token_b, query, variables, files(world))
        body = response.json()
        assert response.status_code == 200 and "errors" not in body and body["data"][name]["userErrors"] == [], body
        bodies.append(body)
    for tenant_id, state in before.items():
        assert await _tenant_rows(db, tenant_id) == state
    assert leaks(world, bodies) == []


# Deposits by B (no id taken): they write B's issued record and the addressed recipient's received one, by
# design; the private supplier A is untouched and B's answers say nothing of A. Name -> (query, variables, files).
def _document(w: World, number: str) -> dict[str, tuple[str, tuple[str, bytes, str]]]:
    content = ubl(invoice_between(w.b.structure, w.a_public.structure, number=number))
    return {"0": ("variables.input.document", ("own.xml", content, "application/xml"))}


DEPOSIT_MUTATIONS: dict[str, tuple[str, Callable[[World], dict[str, Any]], Callable[[World], dict[str, Any]]]] = {
    "previewInvoice": (
        "mutation ($input: PreviewInvoiceInput!) { previewInvoice(input: $input) { accepted number"
        " userErrors { code message } } }",
        lambda w: {"input": {"document": None}},
        lambda w: _document(w, f"own{w.tag}-P"),
    ),
    "submitInvoice": (
        _mutation("submitInvoice", "SubmitInvoiceInput"),
        lambda w: {"input": {"document": None}},
        lambda w: _document(w, f"own{w.tag}-S"),
    ),
    "createInvoice": (
        _mutation("createInvoice", "InvoiceInput"),
        lambda w: {
            "input": {
                "number": f"own{w.tag}-C",
                "issueDate": "2026-11-20",
                "recipientIdentifier": w.a_public.structure.identifier,
                "lines": [{"itemName": f"own{w.tag} item", "quantity": "1", "netPrice": "10.00"}],
            }
        },
        lambda w: {},
    ),
}


async def test_deposits_by_b_change_b_and_its_recipient_only(
    world: World, db: Database, client: httpx.AsyncClient
) -> None:
    a_before = await tenant_state(db, world.a_private.structure.id)
    b_before = await tenant_state(db, world.b.structure.id)
    bodies = []
    for name, (query, variables, files) in DEPOSIT_MUTATIONS.items():
        uploads = files(world)
        if uploads:
            response = await multipart(client, world.token_b, query, variables(world), uploads)
        else:
            response = await gql(client, world.token_b, query, variables(world))
        body = response.json()
        assert response.status_code == 200 and "errors" not in body and body["data"][name]["userErrors"] == [], body
        bodies.append(body)
    # (the global tables, e.g. the content-addressed documents, gain B's files: compare A's own rows)
    assert _owned(await tenant_state(db, world.a_private.structure.id)) == _owned(a_before)
    assert _owned(await tenant_state(db, world.b.structure.id)) != _owned(b_before)
    assert leaks(world, bodies) == []


def _owned(state: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    tables = Base.metadata.tables
    return {
        name: rows
        for name, rows in state.items()
        if name == "structures" or "tenant_id" in tables[name].c or "workspace_id" in tables[name].c
    }


def test_every_mutation_is_swept() -> None:
    assert GRAPHQL.mutation_type is not None
    swept = {p.split(".")[1].split("(")[0] for p in PROBES if p.startswith("Mutation.")} | set(OWN_WORKSPACE_MUTATIONS)
    swept |= set(UPLOAD_MUTATIONS) | set(DEPOSIT_MUTATIONS) | {"requestMembership"}
    assert set(GRAPHQL.mutation_type.fields) == swept, "classify the new mutation: id-taking (PROBES) or not"


async def test_mutations_without_ids_change_b_only(world: World, db: Database, client: httpx.AsyncClient) -> None:
    # Given A's and B's rows as they are, and an account B may add
    await make_user(db, email=f"own{world.tag}.newcomer@people.test", name=f"own{world.tag} newcomer")
    b = Recorder(client)
    before = {t.structure.id: await _tenant_rows(db, t.structure.id) for t in (world.a_private, world.a_public)}
    b_before = await tenant_state(db, world.b.structure.id)
    # When B runs every mutation that takes no id
    for name, (input_type, variables) in OWN_WORKSPACE_MUTATIONS.items():
        status, body = await b.call(world.token_b, _mutation(name, input_type), {"input": variables(world)})
        # Then each works, in B's workspace
        assert status == 200 and "errors" not in body and body["data"][name]["userErrors"] == [], body
    assert await tenant_state(db, world.b.structure.id) != b_before
    # and nothing changed in A, and B saw nothing of A
    for tenant_id, state in before.items():
        assert await _tenant_rows(db, tenant_id) == state
    assert leaks(world, b.bodies) == []


async def test_asking_to_join_changes_only_the_structure_asked(
    world: World, db: Database, client: httpx.AsyncClient
) -> None:
    # requestMembership takes no id: it writes a request in the structure it names, by design (here a third one)
    c = await plant(db, world.tag, marker=f"own{world.tag}c", public=False)
    before = {t.structure.id: await _tenant_rows(db, t.structure.id) for t in (world.a_private, world.a_public)}
    b = Recorder(client)
    asked = {"identifier": c.structure.identifier, "message": f"own{world.tag} asks"}
    status, body = await b.call(
        world.token_b, _mutation("requestMembership", "RequestMembershipInput"), {"input": asked}
    )
    assert status == 200 and body["data"]["requestMembership"]["userErrors"] == [], body
    for tenant_id, state in before.items():
        assert await _tenant_rows(db, tenant_id) == state
    assert len((await tenant_state(db, c.structure.id))["membership_requests"]) == 1
    assert leaks(world, b.bodies) == []


async def test_a_service_code_of_a_is_free_in_b(world: World, client: httpx.AsyncClient) -> None:
    # Codes are unique per workspace: B reusing one of A's codes must not get a DUPLICATE that reveals it
    code = world.a_private.services[0].code
    result = await data(
        client, world.token_b, _mutation("createService", "CreateServiceInput"), {"input": {"code": code, "name": "x"}}
    )
    assert result["createService"]["userErrors"] == []
    assert result["createService"]["service"]["code"] == code


# --- two tenants at once: per-request loaders and sessions ----------------------------------------------

CONCURRENT = (
    "query ($user: ID!) { workspace { name services(first: 20) { nodes { code description } } members(first: 20)"
    " { nodes { user { email displayName } } } } user: node(id: $user) { ... on User { email displayName } } }"
)


async def test_concurrent_requests_of_a_and_b_each_see_their_own_data(world: World, client: httpx.AsyncClient) -> None:
    # Given both tenants asking, at the same time and many times over, for their workspace and for A's principal user
    a_user = to_global_id("User", world.a_private.users[0].id)
    calls = []
    for _ in range(10):
        calls += [
            gql(client, world.token_a, CONCURRENT, {"user": a_user}),
            gql(client, world.token_b, CONCURRENT, {"user": a_user}),
        ]
    responses = await asyncio.gather(*calls)
    # Then A always sees A (its user included) and B always sees B (and no user)
    for i, response in enumerate(responses):
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        text = visible_text(body)
        if i % 2 == 0:
            assert world.marker in text and f"own{world.tag}" not in text, body
            assert body["data"]["user"]["email"] == world.a_private.users[0].email, body
        else:
            assert f"own{world.tag}" in text and body["data"]["user"] is None, body
    assert leaks(world, [r.json() for i, r in enumerate(responses) if i % 2 == 1]) == []
