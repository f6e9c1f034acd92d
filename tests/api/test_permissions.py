"""Scope and role matrix: a token without the scope or the role gets FORBIDDEN and changes nothing.

The scope-guarded fields are read from the schema (every field whose permission classes demand a
scope), so a new guarded field fails ``test_every_scoped_field_has_a_call_and_demands_the_expected_scope``
until it is added to ``CALLS`` below, and then runs through the whole matrix.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from graphql import GraphQLObjectType
from sqlalchemy import select
from starlette.applications import Starlette
from strawberry.permission import PermissionExtension

from api.app import token_settings
from api.core.ids import to_global_id
from api.core.permissions import _ScopePermission
from api.schema import build_schema
from auth.clients import ClientDraft, register_client
from auth.models import User
from auth.oauth_models import OAuthClient
from auth.operator import OperatorError, mint_member_token
from auth.scopes import ALL_SCOPES, READ_SCOPES, Scope, scopes_for
from invoicing.deposit.records import InvoiceRecord
from invoicing.deposit.rules import Addressing
from invoicing.deposit.service import DocumentFile, deposit
from invoicing.deposit.transmission import Actor
from invoicing.lifecycle import service as lifecycle_service
from invoicing.lifecycle.transitions import Frame, Status
from tenancy import members
from tenancy.db import Database
from tenancy.enums import Access, Role
from tenancy.errors import DomainError, ErrorCode
from tenancy.events.actor import EventActor
from tenancy.joining import invitations as joining_invitations
from tenancy.joining import requests as joining_requests
from tenancy.models import Membership, Service, Structure
from tests.api.snapshot import tenant_state
from tests.factories import data, gql, make_member, make_service, make_structure, make_user, token_for
from tests.invoicing.fluxes import zip_of
from tests.invoicing.parties import invoice_between, ubl

# --- the guarded fields, from the schema -------------------------------------------------------------


def scoped_fields() -> dict[str, str]:
    """'Type.field' -> the scope its permission classes demand, for every object type of the schema."""
    found: dict[str, str] = {}
    for type_name, graphql_type in build_schema()._schema.type_map.items():
        if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            definition = field.extensions.get("strawberry-definition")
            for extension in definition.extensions if definition else ():
                if not isinstance(extension, PermissionExtension):
                    continue
                for permission in extension.permissions:
                    if isinstance(permission, _ScopePermission):
                        found[f"{type_name}.{field_name}"] = permission.scope
    return found


SCOPED = scoped_fields()


# --- a workspace to act in --------------------------------------------------------------------------


@dataclass
class World:
    app: Starlette
    structure: Structure
    principal: User
    principal_member: Membership
    manager: User
    manager_member: Membership
    employee: User
    employee_member: Membership
    outsider: User
    service: Service
    directory_entry: Structure
    api_client: OAuthClient
    invoices: dict[str, str] = dataclass_field(
        default_factory=dict
    )  # label -> global id of one of the workspace's invoices
    request_id: str = ""  # a pending request to join the workspace (global id)
    invitation_id: str = ""  # a pending invitation into it (global id)

    def token(
        self,
        scopes: frozenset[str] | set[str] = ALL_SCOPES,
        *,
        user: User | None = None,
        role: Role = Role.GESTIONNAIRE_PRINCIPAL,
    ) -> str:
        return token_for(self.app, self.structure, user or self.principal, scopes=scopes, role=role)


@pytest.fixture
async def world(app: Starlette, db: Database) -> World:
    structure = await make_structure(db, name="Fournitures Matrix")
    principal, manager, employee, outsider = (
        await make_user(db, name="Pat Principal"),
        await make_user(db, name="Gil Gestionnaire"),
        await make_user(db, name="Uma Utilisatrice"),
        await make_user(db, name="Otto Outsider"),
    )
    public = await make_structure(db, name="Mairie de Matrixville", public=True)
    await make_service(db, public, "MAIRIE-1")
    async with db.tenant_session(structure.id) as session:
        api_client, _ = await register_client(
            session,
            structure.id,
            ClientDraft(
                name="ERP Matrix",
                redirect_uris=[],
                confidential=True,
                grant_types=["client_credentials"],
                scopes=["invoices:read"],
            ),
            allowed_scopes=ALL_SCOPES,
            created_by=principal.id,
            actor=EventActor.system(),
        )
    world = World(
        app=app,
        structure=structure,
        principal=principal,
        principal_member=await make_member(db, structure, principal, Role.GESTIONNAIRE_PRINCIPAL),
        manager=manager,
        manager_member=await make_member(db, structure, manager, Role.GESTIONNAIRE),
        employee=employee,
        employee_member=await make_member(db, structure, employee, Role.UTILISATEUR),
        outsider=outsider,
        service=await make_service(db, structure, "COMPTA"),
        directory_entry=public,
        api_client=api_client,
    )
    world.invoices = await plant_invoices(db, structure, public)
    asker, now = await make_user(db, name="Rita Requester"), datetime.now(UTC)
    async with db.tenant_session(structure.id) as session:
        request = await joining_requests.open_request(
            session, structure.id, user_id=asker.id, message="je voudrais rejoindre", locale="fr", now=now
        )
        invitation, _ = await joining_invitations.invite(
            session,
            structure.id,
            actor_role=Role.GESTIONNAIRE_PRINCIPAL,
            invited_by=principal.id,
            email="ivy.invited@people.test",
            role=Role.UTILISATEUR,
            access=Access.WRITE,
            locale="fr",
            now=now,
        )
    world.request_id = to_global_id("MembershipRequest", request.id)
    world.invitation_id = to_global_id("Invitation", invitation.id)
    return world


async def plant_invoices(db: Database, structure: Structure, public: Structure) -> dict[str, str]:
    """Invoices in every state an invoice mutation acts on: the workspace as supplier, and as validator."""
    supplier = Actor(structure.id, "Pat Principal", "user:p")
    buyer = Actor(public.id, "Mairie", "user:m")
    found: dict[str, str] = {}

    async def deposited(who: Structure, actor: Actor, number: str, addressing: Addressing = Addressing()) -> Any:
        document = DocumentFile("f.xml", ubl(invoice_between(who, public, number=number)))
        done = await deposit(db, actor, document, [], addressing)
        assert done.issued is not None, done.checked.problems
        return done.issued

    for label, status, reason in (
        ("suspended", Status.SUSPENDUE, "pièce manquante"),
        ("rejected", Status.REJETEE, "pas pour nous"),
        ("sent back", Status.A_RECYCLER, "autre service"),
    ):
        issued = await deposited(structure, supplier, f"F-MATRIX-{len(found)}")
        async with db.tenant_session(public.id) as session:
            received = await session.scalar(
                select(InvoiceRecord.id).where(InvoiceRecord.transmission_id == issued.transmission_id)
            )
        assert received is not None
        await lifecycle_service.change_status(db, buyer, received, status, reason)
        found[label] = to_global_id("Invoice", issued.id)
    subcontractor = await make_structure(db, name="Sous-traitant Matrix")
    a9 = Addressing(frame=Frame.A9_FACTURE_SOUSTRAITANT, validator_identifier=structure.identifier)
    for label in ("to validate", "to validate too"):
        issued = await deposited(subcontractor, Actor(subcontractor.id, "S", "user:s"), f"F-SUB-{label[-3:]}", a9)
        async with db.tenant_session(structure.id) as session:
            mine = await session.scalar(
                select(InvoiceRecord.id).where(InvoiceRecord.transmission_id == issued.transmission_id)
            )
        assert mine is not None
        found[label] = to_global_id("Invoice", mine)
    return found


def member_id(member: Membership) -> str:
    return to_global_id("Member", member.id)


# --- one call per guarded field: the query, its variables, and what success looks like ----------------


@dataclass(frozen=True)
class Call:
    scope: str  # what the field must demand: a change here is a change of the security policy
    query: str
    path: tuple[str, ...]  # where the field's value sits in the answer
    variables: Callable[[World], dict[str, Any]]
    succeeded: Callable[[Any], bool]
    files: Callable[[World], dict[str, tuple[str, tuple[str, bytes, str]]]] | None = None  # multipart uploads
    changes: bool = True  # a mutation that stores nothing (a preview) is exempt from "it changed something"


async def send(client: httpx.AsyncClient, token: str, call: Call, world: World) -> httpx.Response:
    """The call as JSON, or as a GraphQL multipart request when it uploads files."""
    if call.files is None:
        return await gql(client, token, call.query, call.variables(world))
    uploads = call.files(world)
    return await client.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": call.query, "variables": call.variables(world)}),
            "map": json.dumps({name: [path] for name, (path, _) in uploads.items()}),
        },
        files={name: file for name, (_, file) in uploads.items()},
        headers={"Authorization": f"Bearer {token}"},
    )


async def send_ok(client: httpx.AsyncClient, token: str, call: Call, world: World) -> Any:
    response = await send(client, token, call, world)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


def payload_ok(name: str) -> Callable[[Any], bool]:
    return lambda result: (
        result[name]["userErrors"] == [] and any(v for k, v in result[name].items() if k != "userErrors")
    )


def mutation(name: str, input_type: str, selection: str, variables: Callable[[World], dict[str, Any]]) -> Call:
    return Call(
        Scope.WORKSPACE_ADMIN,
        f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ {selection} userErrors {{ code message }} }} }}",
        (name,),
        lambda w: {"input": variables(w)},
        payload_ok(name),
    )


def invoice_mutation(scope: Scope, name: str, input_type: str, variables: Callable[[World], dict[str, Any]]) -> Call:
    return Call(
        scope,
        f"mutation ($input: {input_type}!) {{ {name}(input: $input) {{ invoice {{ number status }} userErrors {{ code message }} }} }}",
        (name,),
        lambda w: {"input": variables(w)},
        payload_ok(name),
    )


def directory_search(path: tuple[str, ...]) -> Call:
    return Call(
        Scope.DIRECTORY_READ,
        "{ directory { structures(first: 10) { totalCount nodes { name } } } }",
        path,
        lambda w: {},
        lambda result: result["directory"]["structures"]["totalCount"] == 1,
    )


CALLS: dict[str, Call] = {
    "Query.directory": directory_search(("directory",)),
    "Directory.structures": directory_search(("directory", "structures")),
    "Directory.structure": Call(
        Scope.DIRECTORY_READ,
        "query ($identifier: String!) { directory { structure(identifier: $identifier) { name } } }",
        ("directory", "structure"),
        lambda w: {"identifier": w.directory_entry.identifier},
        lambda result: result["directory"]["structure"] == {"name": "Mairie de Matrixville"},
    ),
    "Workspace.members": Call(
        Scope.WORKSPACE_ADMIN,
        "{ workspace { members(first: 10) { totalCount } } }",
        ("workspace", "members"),
        lambda w: {},
        lambda result: result["workspace"]["members"]["totalCount"] == 3,
    ),
    "Mutation.createService": mutation(
        "createService", "CreateServiceInput", "service { code }", lambda w: {"code": "ACHATS", "name": "Achats"}
    ),
    "Mutation.updateService": mutation(
        "updateService",
        "UpdateServiceInput",
        "service { name }",
        lambda w: {"id": to_global_id("Service", w.service.id), "name": "Comptabilité générale"},
    ),
    "Mutation.updateWorkspace": mutation(
        "updateWorkspace",
        "UpdateWorkspaceInput",
        "workspace { name }",
        lambda w: {"name": "Fournitures Matrix et fils"},
    ),
    "Mutation.setAdminTwoFactor": mutation(
        "setAdminTwoFactor",
        "SetAdminTwoFactorInput",
        "workspace { requireAdminTwoFactor }",
        lambda w: {"required": True},
    ),
    "Workspace.membershipRequests": Call(
        Scope.WORKSPACE_ADMIN,
        "{ workspace { membershipRequests(first: 10) { totalCount } } }",
        ("workspace", "membershipRequests"),
        lambda w: {},
        lambda result: result["workspace"]["membershipRequests"]["totalCount"] == 1,
    ),
    "Workspace.invitations": Call(
        Scope.WORKSPACE_ADMIN,
        "{ workspace { invitations(first: 10) { totalCount } } }",
        ("workspace", "invitations"),
        lambda w: {},
        lambda result: result["workspace"]["invitations"]["totalCount"] == 1,
    ),
    "Mutation.inviteMember": mutation(
        "inviteMember",
        "InviteMemberInput",
        "invitation { email }",
        lambda w: {"email": "new.colleague@people.test", "role": "UTILISATEUR"},
    ),
    "Mutation.withdrawInvitation": mutation(
        "withdrawInvitation", "WithdrawInvitationInput", "invitation { status }", lambda w: {"id": w.invitation_id}
    ),
    "Mutation.approveMembershipRequest": mutation(
        "approveMembershipRequest",
        "ApproveMembershipRequestInput",
        "membershipRequest { status }",
        lambda w: {"id": w.request_id, "role": "UTILISATEUR"},
    ),
    "Mutation.declineMembershipRequest": mutation(
        "declineMembershipRequest",
        "DeclineMembershipRequestInput",
        "membershipRequest { status }",
        lambda w: {"id": w.request_id, "reason": "nous ne vous connaissons pas"},
    ),
    "Mutation.addMember": mutation(
        "addMember", "AddMemberInput", "member { role }", lambda w: {"email": w.outsider.email, "role": "UTILISATEUR"}
    ),
    "Mutation.updateMember": mutation(
        "updateMember",
        "UpdateMemberInput",
        "member { role }",
        lambda w: {"id": member_id(w.employee_member), "role": "GESTIONNAIRE"},
    ),
    "Mutation.removeMember": mutation(
        "removeMember", "RemoveMemberInput", "removedMemberId", lambda w: {"id": member_id(w.employee_member)}
    ),
    "Workspace.apiClients": Call(
        Scope.WORKSPACE_ADMIN,
        "{ workspace { apiClients(first: 10) { totalCount } } }",
        ("workspace", "apiClients"),
        lambda w: {},
        lambda result: result["workspace"]["apiClients"]["totalCount"] == 1,
    ),
    "Mutation.registerApiClient": mutation(
        "registerApiClient",
        "RegisterApiClientInput",
        "apiClient { name } clientSecret",
        lambda w: {
            "name": "Robot",
            "confidential": True,
            "grantTypes": ["client_credentials"],
            "scopes": ["invoices:read"],
        },
    ),
    "Mutation.rotateApiClientSecret": mutation(
        "rotateApiClientSecret",
        "RotateApiClientSecretInput",
        "apiClient { name } clientSecret",
        lambda w: {"id": to_global_id("ApiClient", w.api_client.id)},
    ),
    "Mutation.revokeApiClient": mutation(
        "revokeApiClient",
        "RevokeApiClientInput",
        "revokedApiClientId",
        lambda w: {"id": to_global_id("ApiClient", w.api_client.id)},
    ),
    "Workspace.fluxes": Call(
        Scope.INVOICES_READ,
        "{ workspace { fluxes(first: 10) { totalCount nodes { number } } } }",
        ("workspace", "fluxes"),
        lambda w: {},
        lambda result: result["workspace"]["fluxes"] == {"totalCount": 0, "nodes": []},
    ),
    "Mutation.depositFlux": Call(
        Scope.INVOICES_SUBMIT,
        "mutation ($input: DepositFluxInput!) { depositFlux(input: $input) { flux { number status } "
        "userErrors { code message } } }",
        ("depositFlux",),
        lambda w: {"input": {"archive": None}},
        payload_ok("depositFlux"),
        files=lambda w: {
            "0": (
                "variables.input.archive",
                (
                    "lot.zip",
                    zip_of([("a.xml", ubl(invoice_between(w.structure, w.directory_entry)))]),
                    "application/zip",
                ),
            )
        },
    ),
    **{
        f"Workspace.{name}": Call(
            Scope.INVOICES_READ,
            f"{{ workspace {{ {name}(first: 10) {{ totalCount nodes {{ number }} }} }} }}",
            ("workspace", name),
            lambda w: {},
            lambda result, name=name, expected=expected: result["workspace"][name]["totalCount"] == expected,  # type: ignore[misc]
        )
        for name, expected in (("issuedInvoices", 3), ("receivedInvoices", 0), ("invoicesToValidate", 2))
    },
    "Mutation.submitInvoice": Call(
        Scope.INVOICES_SUBMIT,
        "mutation ($input: SubmitInvoiceInput!) { submitInvoice(input: $input) { invoice { number } userErrors { code message } } }",
        ("submitInvoice",),
        lambda w: {"input": {"document": None}},
        payload_ok("submitInvoice"),
        files=lambda w: {
            "0": (
                "variables.input.document",
                ("f.xml", ubl(invoice_between(w.structure, w.directory_entry, number="F-SUBMIT")), "application/xml"),
            )
        },
    ),
    "Mutation.previewInvoice": Call(
        Scope.INVOICES_SUBMIT,
        "mutation ($input: PreviewInvoiceInput!) { previewInvoice(input: $input) { accepted userErrors { code message } } }",
        ("previewInvoice",),
        lambda w: {"input": {"document": None}},
        lambda result: result["previewInvoice"] == {"accepted": True, "userErrors": []},
        files=lambda w: {
            "0": (
                "variables.input.document",
                ("f.xml", ubl(invoice_between(w.structure, w.directory_entry, number="F-PREVIEW")), "application/xml"),
            )
        },
        changes=False,
    ),
    "Mutation.createInvoice": invoice_mutation(
        Scope.INVOICES_SUBMIT,
        "createInvoice",
        "InvoiceInput",
        lambda w: {
            "number": "F-TYPED-1",
            "issueDate": "2026-11-20",
            "recipientIdentifier": w.directory_entry.identifier,
            "lines": [{"itemName": "Audit", "quantity": "1", "netPrice": "900.00"}],
        },
    ),
    "Mutation.completeInvoice": invoice_mutation(
        Scope.INVOICES_SUBMIT,
        "completeInvoice",
        "CompleteInvoiceInput",
        lambda w: {"invoiceId": w.invoices["suspended"], "comment": "la voici"},
    ),
    "Mutation.acknowledgeRejection": invoice_mutation(
        Scope.INVOICES_SUBMIT,
        "acknowledgeRejection",
        "AcknowledgeRejectionInput",
        lambda w: {"invoiceId": w.invoices["rejected"]},
    ),
    "Mutation.recycleInvoice": invoice_mutation(
        Scope.INVOICES_SUBMIT,
        "recycleInvoice",
        "RecycleInvoiceInput",
        lambda w: {"invoiceId": w.invoices["sent back"], "serviceCode": "MAIRIE-1"},
    ),
    "Mutation.validateSubcontractInvoice": invoice_mutation(
        Scope.INVOICES_PROCESS,
        "validateSubcontractInvoice",
        "ValidateSubcontractInvoiceInput",
        lambda w: {"invoiceId": w.invoices["to validate"], "decision": "VALIDATE"},
    ),
    "Mutation.processInvoice": invoice_mutation(
        Scope.INVOICES_PROCESS,
        "processInvoice",
        "ProcessInvoiceInput",
        lambda w: {"invoiceId": w.invoices["to validate too"], "status": "REFUSEE_1", "reason": "hors marché"},
    ),
}


def test_every_scoped_field_has_a_call_and_demands_the_expected_scope() -> None:
    # A new guarded field must join CALLS; a guard that disappears or changes scope fails here.
    assert {name: call.scope for name, call in CALLS.items()} == SCOPED


def forbidden_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in body.get("errors") or () if (e.get("extensions") or {}).get("code") == "FORBIDDEN"]


def value_at(result: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if result is None:
            return None
        result = result[key]
    return result


@pytest.mark.parametrize("coordinate", sorted(CALLS))
async def test_a_token_without_the_scope_is_forbidden_and_changes_nothing(
    coordinate: str, world: World, db: Database, client: httpx.AsyncClient
) -> None:
    call = CALLS[coordinate]
    scope = SCOPED.get(coordinate, call.scope)  # what the schema demands (the policy table is checked above)
    # Given a principal manager whose token holds every scope but the one this field demands
    token = world.token(ALL_SCOPES - {scope})
    before = await tenant_state(db, world.structure.id)

    # When they call the field
    response = await send(client, token, call, world)

    # Then the answer is one top-level FORBIDDEN error naming the scope, on the field (or a parent
    # guarded by the same scope), and the field has no value
    body = response.json()
    assert response.status_code == 200, body
    (error,) = forbidden_errors(body)
    assert error["message"] == f"this token lacks the '{scope}' scope", body
    assert tuple(error["path"]) == call.path[: len(error["path"])], body
    assert value_at(body["data"], call.path) is None, body
    # and nothing changed
    assert await tenant_state(db, world.structure.id) == before

    # When the same principal has the scope, the same call works (so the refusal above was the scope's)
    allowed = await send_ok(client, world.token(ALL_SCOPES), call, world)
    assert call.succeeded(allowed), allowed


@pytest.mark.parametrize("coordinate", sorted(c for c in CALLS if c.startswith("Mutation.") and CALLS[c].changes))
async def test_a_mutation_with_the_scope_does_change_the_workspace(
    coordinate: str, world: World, db: Database, client: httpx.AsyncClient
) -> None:
    # The control for "changes nothing" above: the same call with the scope leaves a trace in the snapshot.
    call = CALLS[coordinate]
    before = await tenant_state(db, world.structure.id)
    await send_ok(client, world.token(), call, world)
    assert await tenant_state(db, world.structure.id) != before


async def test_a_token_without_any_scope_still_reads_its_own_workspace(world: World, client: httpx.AsyncClient) -> None:
    result = await data(
        client,
        world.token(set()),
        "{ viewer { scopes role } workspace { name services(first: 5) { nodes { code } } } }",
    )
    assert result["viewer"] == {"scopes": [], "role": "GESTIONNAIRE_PRINCIPAL"}
    assert result["workspace"] == {"name": "Fournitures Matrix", "services": {"nodes": [{"code": "COMPTA"}]}}


NODE_QUERY = "query ($id: ID!) { node(id: $id) { __typename id } }"


@pytest.mark.parametrize(
    ("node", "scope"),
    [
        (lambda w: to_global_id("Member", w.employee_member.id), Scope.WORKSPACE_ADMIN),
        (lambda w: to_global_id("DirectoryStructure", w.directory_entry.id), Scope.DIRECTORY_READ),
        (lambda w: to_global_id("ApiClient", w.api_client.id), Scope.WORKSPACE_ADMIN),
        (lambda w: w.invoices["suspended"], Scope.INVOICES_READ),
    ],
    ids=[
        "member-needs-workspace-admin",
        "directory-needs-directory-read",
        "api-client-needs-workspace-admin",
        "invoice-needs-invoices-read",
    ],
)
async def test_node_hides_what_the_scope_would_show(
    node: Callable[[World], str], scope: Scope, world: World, client: httpx.AsyncClient
) -> None:
    # Given a node the workspace may see with the scope
    node_id = node(world)
    seen = await data(client, world.token(), NODE_QUERY, {"id": node_id})
    assert seen["node"]["id"] == node_id
    # When asked without the scope, then it answers like a missing node
    hidden = await data(client, world.token(ALL_SCOPES - {scope}), NODE_QUERY, {"id": node_id})
    assert hidden == {"node": None}


# --- roles: what a GESTIONNAIRE may not do to a GESTIONNAIRE_PRINCIPAL -----------------------------------

ADD = "mutation ($input: AddMemberInput!) { addMember(input: $input) { member { role } userErrors { field code message } } }"
UPDATE = (
    "mutation ($input: UpdateMemberInput!) { updateMember(input: $input) {"
    " member { role access } userErrors { field code message } } }"
)
REMOVE = "mutation ($input: RemoveMemberInput!) { removeMember(input: $input) { removedMemberId userErrors { field code message } } }"


def principal_only_changes(w: World) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, mutation, input) that only a GESTIONNAIRE_PRINCIPAL may perform."""
    return [
        ("grant principal to a newcomer", ADD, {"email": w.outsider.email, "role": "GESTIONNAIRE_PRINCIPAL"}),
        ("promote a user to principal", UPDATE, {"id": member_id(w.employee_member), "role": "GESTIONNAIRE_PRINCIPAL"}),
        ("demote the principal", UPDATE, {"id": member_id(w.principal_member), "role": "UTILISATEUR"}),
        ("make the principal read-only", UPDATE, {"id": member_id(w.principal_member), "access": "READ_ONLY"}),
        ("remove the principal", REMOVE, {"id": member_id(w.principal_member)}),
    ]


@pytest.mark.parametrize("actor", ["gestionnaire", "technical-account"])
async def test_only_a_principal_manager_grants_modifies_or_removes_the_principal_role(
    actor: str, world: World, db: Database, client: httpx.AsyncClient
) -> None:
    # Given an admin-scoped token that is not a GESTIONNAIRE_PRINCIPAL (a manager, or an app acting on its own)
    if actor == "gestionnaire":
        token = world.token(user=world.manager, role=Role.GESTIONNAIRE)
    else:
        token = token_for(world.app, world.structure, None, scopes=ALL_SCOPES)
    for label, mutation, variables in principal_only_changes(world):
        before = await tenant_state(db, world.structure.id)
        # When it tries a change reserved to principals
        result = await data(client, token, mutation, {"input": variables})
        # Then it gets a FORBIDDEN user error on the role and nothing changes
        (payload,) = result.values()
        assert payload["userErrors"] == [
            {
                "field": ["input", "role"],
                "code": "FORBIDDEN",
                "message": "only a GESTIONNAIRE_PRINCIPAL may grant or change that role",
            }
        ], label
        assert await tenant_state(db, world.structure.id) == before, label


async def test_a_gestionnaire_manages_non_principal_members(world: World, client: httpx.AsyncClient) -> None:
    token = world.token(user=world.manager, role=Role.GESTIONNAIRE)
    added = await data(client, token, ADD, {"input": {"email": world.outsider.email, "role": "GESTIONNAIRE"}})
    assert added["addMember"] == {"member": {"role": "GESTIONNAIRE"}, "userErrors": []}
    changed = await data(
        client, token, UPDATE, {"input": {"id": member_id(world.employee_member), "access": "READ_ONLY"}}
    )
    assert changed["updateMember"] == {"member": {"role": "UTILISATEUR", "access": "READ_ONLY"}, "userErrors": []}
    removed = await data(client, token, REMOVE, {"input": {"id": member_id(world.employee_member)}})
    assert removed["removeMember"]["userErrors"] == []


async def test_a_principal_grants_and_removes_the_principal_role(world: World, client: httpx.AsyncClient) -> None:
    token = world.token()
    promoted = await data(
        client, token, UPDATE, {"input": {"id": member_id(world.manager_member), "role": "GESTIONNAIRE_PRINCIPAL"}}
    )
    assert promoted["updateMember"]["userErrors"] == []
    # Now that there are two principals, the first may step down
    demoted = await data(
        client, token, UPDATE, {"input": {"id": member_id(world.principal_member), "role": "GESTIONNAIRE"}}
    )
    assert demoted["updateMember"] == {"member": {"role": "GESTIONNAIRE", "access": "WRITE"}, "userErrors": []}


# --- the last principal manager stays -------------------------------------------------------------------

LAST_PRINCIPAL = {
    "field": ["input", "id"],
    "code": "LAST_PRINCIPAL_MANAGER",
    "message": "a workspace keeps at least one GESTIONNAIRE_PRINCIPAL with write access: name another one first",
}


@pytest.mark.parametrize(
    ("mutation", "change"),
    [
        (REMOVE, {}),
        (UPDATE, {"role": "GESTIONNAIRE"}),
        (UPDATE, {"role": "UTILISATEUR"}),
        (UPDATE, {"access": "READ_ONLY"}),
    ],
    ids=["remove", "demote-to-gestionnaire", "demote-to-utilisateur", "make-read-only"],
)
async def test_the_last_principal_manager_cannot_be_removed_or_demoted(
    mutation: str, change: dict[str, str], world: World, db: Database, client: httpx.AsyncClient
) -> None:
    # Given a workspace whose only other principal is read-only (which does not count as a manager)
    await make_member(db, world.structure, world.outsider, Role.GESTIONNAIRE_PRINCIPAL, Access.READ_ONLY)
    before = await tenant_state(db, world.structure.id)
    # When the last principal with write access is removed or demoted
    result = await data(client, world.token(), mutation, {"input": {"id": member_id(world.principal_member), **change}})
    # Then the change is refused and nothing changed
    (payload,) = result.values()
    assert payload["userErrors"] == [LAST_PRINCIPAL]
    assert await tenant_state(db, world.structure.id) == before


async def _waiting_on_a_lock(owner: Database) -> bool:
    async with owner.engine.connect() as connection:
        waiting = await connection.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(waiting.scalar())


async def _step_down(session: Any, structure: Structure, member: Membership, how: str) -> None:
    """Remove a principal manager, or demote them, as another principal manager."""
    actor = Role.GESTIONNAIRE_PRINCIPAL
    if how == "remove":
        await members.remove_member(
            session, structure.id, actor_role=actor, member_id=member.id, actor=EventActor.system()
        )
    else:
        await members.update_member(
            session,
            structure.id,
            actor_role=actor,
            member_id=member.id,
            role=Role.GESTIONNAIRE,
            actor=EventActor.system(),
        )


async def _step_down_alone(db: Database, structure: Structure, member: Membership, how: str) -> str:
    try:
        async with db.tenant_session(structure.id) as session:
            await _step_down(session, structure, member, how)
    except DomainError as refusal:
        return refusal.errors[0].code
    return "done"


@pytest.mark.postgres_only
@pytest.mark.parametrize("how", ["remove", "demote"])
async def test_a_change_racing_an_uncommitted_one_cannot_drop_the_last_principal(
    how: str, world: World, db: Database, database_url: str
) -> None:
    # PostgreSQL runs both transactions truly in parallel (SQLite serialises writers), so the interleaving
    # is forced here: the second change runs while the first is done but not yet committed.
    second_principal = await make_member(db, world.structure, world.outsider, Role.GESTIONNAIRE_PRINCIPAL)
    owner = Database(database_url, as_owner=True)
    try:
        # Given the second principal removed (or demoted) by a transaction that has not committed yet
        async with db.tenant_session(world.structure.id) as first:
            await _step_down(first, world.structure, second_principal, how)
            # When the first principal is removed (or demoted) meanwhile: it either finishes or waits
            second = asyncio.create_task(_step_down_alone(db, world.structure, world.principal_member, how))
            while not second.done() and not await _waiting_on_a_lock(owner):
                pass  # each check is a round trip to the server, which lets the second change run
        outcome = await second  # the first commits when its block ends
    finally:
        await owner.dispose()
    # Then the second change is refused, and the workspace keeps its principal manager
    assert outcome == ErrorCode.LAST_PRINCIPAL_MANAGER
    state = await tenant_state(db, world.structure.id)
    managers = [m["id"] for m in state["memberships"] if m["role"] == "GESTIONNAIRE_PRINCIPAL"]
    assert managers == [world.principal_member.id]


# --- scopes_for: the role and the access cap what a token may hold --------------------------------------

MEMBER_SCOPES = frozenset({"invoices:read", "invoices:submit", "invoices:process", "directory:read"})


@pytest.mark.parametrize(
    ("role", "access", "expected"),
    [
        (Role.GESTIONNAIRE_PRINCIPAL, Access.WRITE, ALL_SCOPES),
        (Role.GESTIONNAIRE, Access.WRITE, ALL_SCOPES),
        (Role.UTILISATEUR, Access.WRITE, MEMBER_SCOPES),
        (Role.GESTIONNAIRE_PRINCIPAL, Access.READ_ONLY, frozenset({"invoices:read", "directory:read"})),
        (Role.GESTIONNAIRE, Access.READ_ONLY, frozenset({"invoices:read", "directory:read"})),
        (Role.UTILISATEUR, Access.READ_ONLY, frozenset({"invoices:read", "directory:read"})),
    ],
)
def test_scopes_for_caps_by_role_then_access(role: Role, access: Access, expected: frozenset[str]) -> None:
    assert scopes_for(role, access) == expected
    assert "workspace:admin" not in scopes_for(Role.UTILISATEUR, access)
    assert "webhooks:manage" not in scopes_for(Role.UTILISATEUR, access)
    assert scopes_for(role, Access.READ_ONLY) <= READ_SCOPES


async def mint(app: Starlette, db: Database, user: User, structure: Structure, scopes: list[str] | None) -> Any:
    return await mint_member_token(
        db,
        app.state.keyring,
        token_settings(app.state.settings),
        email=user.email,
        workspace=structure.identifier,
        scopes=scopes,
        ttl_s=None,
    )


@pytest.mark.parametrize(
    ("role", "access", "granted"),
    [
        (Role.UTILISATEUR, Access.WRITE, MEMBER_SCOPES),
        (Role.GESTIONNAIRE_PRINCIPAL, Access.READ_ONLY, READ_SCOPES),
        (Role.GESTIONNAIRE, Access.WRITE, ALL_SCOPES),
    ],
)
async def test_the_operator_token_is_capped_by_role_and_access(
    role: Role, access: Access, granted: frozenset[str], app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    # Given a member with this role and access
    structure = await make_structure(db)
    user = await make_user(db)
    await make_member(db, structure, user, role, access)
    # When `facturehub token` asks for every scope
    minted = await mint(app, db, user, structure, sorted(ALL_SCOPES))
    # Then it grants the cap, says what it refused, and the API sees exactly the granted scopes
    assert minted.scopes == granted
    assert minted.refused == ALL_SCOPES - granted
    viewer = await data(client, minted.token, "{ viewer { scopes role } }")
    assert viewer["viewer"] == {"scopes": sorted(granted), "role": role.value}
    # and a guarded mutation answers FORBIDDEN when the cap removed its scope
    response = await gql(
        client, minted.token, CALLS["Mutation.createService"].query, {"input": {"code": "X", "name": "X"}}
    )
    if Scope.WORKSPACE_ADMIN in granted:
        assert response.json()["data"]["createService"]["userErrors"] == []
    else:
        assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["FORBIDDEN"]


async def test_the_operator_token_without_requested_scopes_gets_the_whole_cap(app: Starlette, db: Database) -> None:
    structure = await make_structure(db)
    user = await make_user(db)
    await make_member(db, structure, user, Role.UTILISATEUR, Access.READ_ONLY)
    minted = await mint(app, db, user, structure, None)
    assert (minted.scopes, minted.refused) == (READ_SCOPES, frozenset())


async def test_the_operator_refuses_a_token_for_a_non_member(app: Starlette, db: Database) -> None:
    structure, elsewhere = await make_structure(db), await make_structure(db)
    user = await make_user(db)
    await make_member(db, elsewhere, user)
    with pytest.raises(OperatorError, match="is not a member of"):
        await mint(app, db, user, structure, None)
