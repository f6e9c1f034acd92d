"""The workspace mutations: services, the structure's record and parameters, members; refusals change nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from tenancy.db import Database
from tenancy.enums import Access, Role
from tests.factories import Tenant, data, make_member, make_service, make_tenant, make_user, token_for

SERVICE_FIELDS = "id code name description isActive startDate endDate engagementRequired"
USER_ERRORS = "userErrors { field code message }"

CREATE_SERVICE = f"""mutation ($input: CreateServiceInput!) {{
  createService(input: $input) {{ service {{ {SERVICE_FIELDS} }} {USER_ERRORS} }}
}}"""
UPDATE_SERVICE = f"""mutation ($input: UpdateServiceInput!) {{
  updateService(input: $input) {{ service {{ {SERVICE_FIELDS} }} {USER_ERRORS} }}
}}"""
WORKSPACE_FIELDS = """id name vatNumber email phone
  address { line1 line2 line3 postcode town countryCode countryName }
  parameters { serviceCodeRequired engagementRequired serviceOrEngagementRequired paymentStatusReported }"""
UPDATE_WORKSPACE = f"""mutation ($input: UpdateWorkspaceInput!) {{
  updateWorkspace(input: $input) {{ workspace {{ {WORKSPACE_FIELDS} }} {USER_ERRORS} }}
}}"""
MEMBER_FIELDS = "id role access user { id email }"
ADD_MEMBER = f"""mutation ($input: AddMemberInput!) {{
  addMember(input: $input) {{ member {{ {MEMBER_FIELDS} }} {USER_ERRORS} }}
}}"""
UPDATE_MEMBER = f"""mutation ($input: UpdateMemberInput!) {{
  updateMember(input: $input) {{ member {{ {MEMBER_FIELDS} }} {USER_ERRORS} }}
}}"""
REMOVE_MEMBER = f"""mutation ($input: RemoveMemberInput!) {{
  removeMember(input: $input) {{ removedMemberId {USER_ERRORS} }}
}}"""
SERVICES = f"{{ workspace {{ services(first: 100) {{ totalCount nodes {{ {SERVICE_FIELDS} }} }} }} }}"
MEMBERS = f"{{ workspace {{ members(first: 100) {{ totalCount nodes {{ {MEMBER_FIELDS} }} }} }} }}"
WORKSPACE = f"{{ workspace {{ {WORKSPACE_FIELDS} }} }}"
NODE = """query ($id: ID!) { node(id: $id) { __typename id
  ... on Service { code name description }
  ... on Member { role access user { email } }
  ... on Workspace { name } } }"""


async def _mutate(client: httpx.AsyncClient, tenant: Tenant, mutation: str, **input: Any) -> dict[str, Any]:
    result = await data(client, tenant.token, mutation, {"input": input})
    (payload,) = result.values()
    return payload


async def _services(client: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, Any]]:
    return (await data(client, tenant.token, SERVICES))["workspace"]["services"]["nodes"]


async def _members(client: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, Any]]:
    return (await data(client, tenant.token, MEMBERS))["workspace"]["members"]["nodes"]


async def _workspace(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    return (await data(client, tenant.token, WORKSPACE))["workspace"]


async def _node(client: httpx.AsyncClient, tenant: Tenant, node_id: str) -> dict[str, Any] | None:
    return (await data(client, tenant.token, NODE, {"id": node_id}))["node"]


@pytest.fixture
async def tenant(app: Starlette, db: Database) -> Tenant:
    return await make_tenant(app, db, name="Mutations SA")


# --- createService -----------------------------------------------------------------------------


async def test_create_service(client: httpx.AsyncClient, tenant: Tenant) -> None:
    payload = await _mutate(
        client,
        tenant,
        CREATE_SERVICE,
        code=" ACHATS ",
        name="Service des achats",
        description="Commandes publiques",
        startDate="2026-01-01",
        endDate="2026-12-31",
        engagementRequired=True,
    )
    assert payload["userErrors"] == []
    service = payload["service"]
    assert {k: v for k, v in service.items() if k != "id"} == {
        "code": "ACHATS",
        "name": "Service des achats",
        "description": "Commandes publiques",
        "isActive": True,
        "startDate": "2026-01-01",
        "endDate": "2026-12-31",
        "engagementRequired": True,
    }
    assert await _services(client, tenant) == [service]
    assert await _node(client, tenant, service["id"]) == {
        "__typename": "Service",
        "id": service["id"],
        "code": "ACHATS",
        "name": "Service des achats",
        "description": "Commandes publiques",
    }


@pytest.mark.parametrize(
    ("input", "field", "code", "words"),
    [
        ({"code": "", "name": "Vide"}, ["input", "code"], "REQUIRED", "code is required"),
        ({"code": "   ", "name": "Blanc"}, ["input", "code"], "REQUIRED", "code is required"),
        ({"code": "X" * 101, "name": "Long"}, ["input", "code"], "TOO_LONG", "at most 100"),
        ({"code": "A;B", "name": "Bad"}, ["input", "code"], "INVALID", "letters, digits"),
        ({"code": "OK", "name": " "}, ["input", "name"], "REQUIRED", "name is required"),
        (
            {"code": "DATES", "name": "Dates", "startDate": "2026-06-01", "endDate": "2026-05-31"},
            ["input", "endDate"],
            "INVALID_DATE_RANGE",
            "endDate 2026-05-31 is before startDate 2026-06-01",
        ),
    ],
)
async def test_create_service_refusals_write_nothing(
    client: httpx.AsyncClient, tenant: Tenant, input: dict[str, Any], field: list[str], code: str, words: str
) -> None:
    payload = await _mutate(client, tenant, CREATE_SERVICE, **input)
    assert payload["service"] is None
    assert len(payload["userErrors"]) == 1
    error = payload["userErrors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert words in error["message"]
    assert await _services(client, tenant) == []


async def test_create_service_with_a_duplicate_code(client: httpx.AsyncClient, tenant: Tenant) -> None:
    first = await _mutate(client, tenant, CREATE_SERVICE, code="COMPTA", name="Comptabilité")
    assert first["userErrors"] == []
    again = await _mutate(client, tenant, CREATE_SERVICE, code="COMPTA", name="Autre nom", description="x")
    assert again["service"] is None
    assert again["userErrors"] == [
        {"field": ["input", "code"], "code": "DUPLICATE", "message": "a service with code 'COMPTA' already exists"}
    ]
    assert await _services(client, tenant) == [first["service"]]


async def test_the_same_code_in_another_workspace_is_fine(
    app: Starlette, db: Database, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    other = await make_tenant(app, db)
    await make_service(db, other.structure, "COMPTA")
    payload = await _mutate(client, tenant, CREATE_SERVICE, code="COMPTA", name="Comptabilité")
    assert payload["userErrors"] == []


async def test_a_refusal_does_not_undo_earlier_mutations_of_the_request(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    mutation = """mutation { a: createService(input: {code: "A", name: "A"}) { userErrors { code } }
        b: createService(input: {code: "A", name: "again"}) { userErrors { code } }
        c: createService(input: {code: "C", name: "C"}) { userErrors { code } } }"""
    result = await data(client, tenant.token, mutation)
    assert result == {"a": {"userErrors": []}, "b": {"userErrors": [{"code": "DUPLICATE"}]}, "c": {"userErrors": []}}
    assert [(s["code"], s["name"]) for s in await _services(client, tenant)] == [("A", "A"), ("C", "C")]


# --- updateService -----------------------------------------------------------------------------


async def _a_service(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    payload = await _mutate(
        client,
        tenant,
        CREATE_SERVICE,
        code="RH",
        name="Ressources humaines",
        description="Paie et formation",
        startDate="2026-01-01",
        endDate="2026-12-31",
    )
    return payload["service"]


async def test_update_service_changes_only_the_fields_sent(client: httpx.AsyncClient, tenant: Tenant) -> None:
    service = await _a_service(client, tenant)
    payload = await _mutate(client, tenant, UPDATE_SERVICE, id=service["id"], name="RH et paie", isActive=False)
    assert payload["userErrors"] == []
    assert payload["service"] == {**service, "name": "RH et paie", "isActive": False}
    assert await _services(client, tenant) == [payload["service"]]


async def test_update_service_null_description_clears_it(client: httpx.AsyncClient, tenant: Tenant) -> None:
    service = await _a_service(client, tenant)
    payload = await _mutate(client, tenant, UPDATE_SERVICE, id=service["id"], description=None, endDate=None)
    assert payload["userErrors"] == []
    assert payload["service"] == {**service, "description": None, "endDate": None}


async def test_update_service_null_for_a_required_field_keeps_it(client: httpx.AsyncClient, tenant: Tenant) -> None:
    service = await _a_service(client, tenant)
    payload = await _mutate(client, tenant, UPDATE_SERVICE, id=service["id"], name=None, isActive=None)
    assert payload["service"] == service


async def test_update_service_bad_dates_change_nothing(client: httpx.AsyncClient, tenant: Tenant) -> None:
    service = await _a_service(client, tenant)
    # The new start date is after the kept end date; the name change in the same input is not applied either.
    payload = await _mutate(client, tenant, UPDATE_SERVICE, id=service["id"], name="Changed", startDate="2027-01-01")
    assert payload["service"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "endDate"],
            "code": "INVALID_DATE_RANGE",
            "message": "endDate 2026-12-31 is before startDate 2027-01-01",
        }
    ]
    assert await _services(client, tenant) == [service]


async def test_update_service_empty_name_changes_nothing(client: httpx.AsyncClient, tenant: Tenant) -> None:
    service = await _a_service(client, tenant)
    payload = await _mutate(client, tenant, UPDATE_SERVICE, id=service["id"], name="  ", description="new")
    assert payload["userErrors"][0]["field"] == ["input", "name"]
    assert payload["userErrors"][0]["code"] == "REQUIRED"
    assert await _services(client, tenant) == [service]


async def test_update_service_of_another_workspace_is_not_found(
    app: Starlette, db: Database, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    other = await make_tenant(app, db)
    theirs = await _a_service(client, other)
    for service_id in (theirs["id"], "not-an-id", tenant.user.id.hex):
        payload = await _mutate(client, tenant, UPDATE_SERVICE, id=service_id, name="Hijacked")
        assert payload["service"] is None
        assert payload["userErrors"] == [
            {"field": ["input", "id"], "code": "NOT_FOUND", "message": "no such service in this workspace"}
        ]
    assert await _services(client, other) == [theirs]


# --- updateWorkspace ---------------------------------------------------------------------------


async def test_update_workspace_parameters_and_address(client: httpx.AsyncClient, tenant: Tenant) -> None:
    before = await _workspace(client, tenant)
    parameters = {
        "serviceCodeRequired": True,
        "engagementRequired": True,
        "serviceOrEngagementRequired": False,
        "paymentStatusReported": False,
    }
    address = {"line1": "2 place de l'Hôtel de Ville", "postcode": "42000", "town": "Saint-Étienne"}
    payload = await _mutate(
        client, tenant, UPDATE_WORKSPACE, parameters=parameters, address=address, vatNumber="fr 40 303 265 045"
    )
    assert payload["userErrors"] == []
    expected = {
        **before,
        "vatNumber": "FR40303265045",
        "parameters": parameters,
        "address": {**address, "line2": None, "line3": None, "countryCode": "FR", "countryName": None},
    }
    assert payload["workspace"] == expected
    assert await _workspace(client, tenant) == expected


async def test_update_workspace_keeps_what_is_not_sent_and_clears_nulls(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    first = await _mutate(client, tenant, UPDATE_WORKSPACE, email="Compta@Example.test", phone="+33 1 23 45 67 89")
    assert first["userErrors"] == []
    assert first["workspace"]["email"] == "compta@example.test"
    second = await _mutate(client, tenant, UPDATE_WORKSPACE, phone=None, name="Renamed SA")
    assert second["workspace"] == {**first["workspace"], "phone": None, "name": "Renamed SA"}


@pytest.mark.parametrize("vat", ["FR41303265045", "DE136695977", "US123", "FR40303265045" + "0" * 10])
async def test_update_workspace_bad_vat_number_changes_nothing(
    client: httpx.AsyncClient, tenant: Tenant, vat: str
) -> None:
    before = await _workspace(client, tenant)
    payload = await _mutate(
        client, tenant, UPDATE_WORKSPACE, vatNumber=vat, name="Should not stick", address={"town": "Nowhere"}
    )
    assert payload["workspace"] is None
    assert len(payload["userErrors"]) == 1
    error = payload["userErrors"][0]
    assert error["field"] == ["input", "vatNumber"]
    assert error["code"] in ("INVALID_IDENTIFIER", "TOO_LONG")
    assert "vatNumber" in error["message"] or vat in error["message"]
    assert await _workspace(client, tenant) == before


async def test_update_workspace_wrong_vat_key_names_the_field_and_the_problem(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    payload = await _mutate(client, tenant, UPDATE_WORKSPACE, vatNumber="FR41303265045")
    assert payload["userErrors"] == [
        {
            "field": ["input", "vatNumber"],
            "code": "INVALID_IDENTIFIER",
            "message": "French VAT number 'FR41303265045': key 41 does not match SIREN 303265045 (expected 40)",
        }
    ]


@pytest.mark.parametrize(
    ("input", "field", "code"),
    [
        ({"email": "not-an-email"}, ["input", "email"], "INVALID"),
        ({"name": ""}, ["input", "name"], "REQUIRED"),
        ({"address": {"countryCode": "FRA"}}, ["input", "address", "countryCode"], "INVALID"),
        ({"address": {"town": "T" * 101}}, ["input", "address.town"], "TOO_LONG"),
    ],
)
async def test_update_workspace_other_refusals_change_nothing(
    client: httpx.AsyncClient, tenant: Tenant, input: dict[str, Any], field: list[str], code: str
) -> None:
    before = await _workspace(client, tenant)
    payload = await _mutate(client, tenant, UPDATE_WORKSPACE, phone="+33 9 99 99 99 99", **input)
    assert payload["workspace"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]
    assert await _workspace(client, tenant) == before


async def test_workspace_node(client: httpx.AsyncClient, tenant: Tenant) -> None:
    workspace = await _workspace(client, tenant)
    assert await _node(client, tenant, workspace["id"]) == {
        "__typename": "Workspace",
        "id": workspace["id"],
        "name": "Mutations SA",
    }


# --- members -----------------------------------------------------------------------------------


async def test_add_update_and_remove_a_member(
    app: Starlette, db: Database, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await make_user(db, email="colleague@example.test")
    added = await _mutate(client, tenant, ADD_MEMBER, email=" Colleague@Example.TEST ", role="UTILISATEUR")
    assert added["userErrors"] == []
    member = added["member"]
    assert member["role"] == "UTILISATEUR" and member["access"] == "WRITE"
    assert member["user"]["email"] == "colleague@example.test"
    assert member in await _members(client, tenant)
    assert await _node(client, tenant, member["id"]) == {
        "__typename": "Member",
        "id": member["id"],
        "role": "UTILISATEUR",
        "access": "WRITE",
        "user": {"email": "colleague@example.test"},
    }

    updated = await _mutate(client, tenant, UPDATE_MEMBER, id=member["id"], access="READ_ONLY")
    assert updated["userErrors"] == []
    assert updated["member"] == {**member, "access": "READ_ONLY"}
    promoted = await _mutate(client, tenant, UPDATE_MEMBER, id=member["id"], role="GESTIONNAIRE")
    assert promoted["member"] == {**member, "access": "READ_ONLY", "role": "GESTIONNAIRE"}

    removed = await _mutate(client, tenant, REMOVE_MEMBER, id=member["id"])
    assert removed == {"removedMemberId": member["id"], "userErrors": []}
    assert [m["user"]["email"] for m in await _members(client, tenant)] == [tenant.user.email]
    assert await _node(client, tenant, member["id"]) is None


async def test_add_member_with_an_unknown_email_writes_nothing(client: httpx.AsyncClient, tenant: Tenant) -> None:
    before = await _members(client, tenant)
    payload = await _mutate(client, tenant, ADD_MEMBER, email="nobody@example.test", role="UTILISATEUR")
    assert payload["member"] is None
    assert payload["userErrors"] == [
        {
            "field": ["input", "email"],
            "code": "NOT_FOUND",
            "message": "no active facturehub account uses 'nobody@example.test'",
        }
    ]
    assert await _members(client, tenant) == before


async def test_a_control_character_in_a_workspace_mutation_is_a_user_error(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    # A NUL in the e-mail looked up was `Unexpected error.` on PostgreSQL (it refuses NUL in text).
    payload = await _mutate(client, tenant, ADD_MEMBER, email="nobody\x00@example.test", role="UTILISATEUR")
    assert payload == {
        "member": None,
        "userErrors": [
            {
                "field": ["input", "email"],
                "code": "INVALID",
                "message": "`email` contains a control character (U+0000) at character 7",
            }
        ],
    }
    # Nested inputs name the whole path; the first problem of each field is told, nothing is written.
    before = await _workspace(client, tenant)
    payload = await _mutate(
        client, tenant, UPDATE_WORKSPACE, name="Mutations\tSA", address={"line1": "1 rue\x02", "town": "Lyon"}
    )
    assert payload["userErrors"] == [
        {
            "field": ["input", "name"],
            "code": "INVALID",
            "message": "`name` must be a single line: it contains a tab (U+0009) at character 10",
        },
        {
            "field": ["input", "address", "line1"],
            "code": "INVALID",
            "message": "`address.line1` contains a control character (U+0002) at character 6",
        },
    ]
    assert await _workspace(client, tenant) == before


async def test_add_member_twice_is_a_duplicate(db: Database, client: httpx.AsyncClient, tenant: Tenant) -> None:
    await make_user(db, email="twice@example.test")
    first = await _mutate(client, tenant, ADD_MEMBER, email="twice@example.test", role="UTILISATEUR")
    assert first["userErrors"] == []
    again = await _mutate(client, tenant, ADD_MEMBER, email="TWICE@example.test", role="GESTIONNAIRE")
    assert again["member"] is None
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [(["input", "email"], "DUPLICATE")]
    members = await _members(client, tenant)
    assert len(members) == 2
    assert [m["role"] for m in members if m["user"]["email"] == "twice@example.test"] == ["UTILISATEUR"]


async def test_a_user_may_belong_to_two_workspaces(
    app: Starlette, db: Database, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    other = await make_tenant(app, db)
    payload = await _mutate(client, other, ADD_MEMBER, email=tenant.user.email, role="GESTIONNAIRE")
    assert payload["userErrors"] == []
    assert len(await _members(client, other)) == 2
    assert len(await _members(client, tenant)) == 1


async def test_update_and_remove_unknown_members_are_not_found(
    app: Starlette, db: Database, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    other = await make_tenant(app, db)
    (their_member,) = await _members(client, other)
    for member_id in (their_member["id"], "bm9wZQ", ""):
        updated = await _mutate(client, tenant, UPDATE_MEMBER, id=member_id, role="UTILISATEUR")
        assert updated["member"] is None
        assert [(e["field"], e["code"]) for e in updated["userErrors"]] == [(["input", "id"], "NOT_FOUND")]
        removed = await _mutate(client, tenant, REMOVE_MEMBER, id=member_id)
        assert removed["removedMemberId"] is None
        assert [(e["field"], e["code"]) for e in removed["userErrors"]] == [(["input", "id"], "NOT_FOUND")]
    assert await _members(client, other) == [their_member]


async def test_the_last_principal_manager_stays(client: httpx.AsyncClient, tenant: Tenant) -> None:
    (me,) = await _members(client, tenant)
    for mutation, extra in (
        (UPDATE_MEMBER, {"role": "UTILISATEUR"}),
        (UPDATE_MEMBER, {"access": "READ_ONLY"}),
        (REMOVE_MEMBER, {}),
    ):
        payload = await _mutate(client, tenant, mutation, id=me["id"], **extra)
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "id"], "LAST_PRINCIPAL_MANAGER")]
    assert await _members(client, tenant) == [me]


async def test_a_gestionnaire_cannot_grant_the_principal_role(
    app: Starlette, db: Database, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    manager = await make_user(db, email="manager@example.test")
    await make_member(db, tenant.structure, manager, role=Role.GESTIONNAIRE, access=Access.WRITE)
    await make_user(db, email="newcomer@example.test")
    as_manager = Tenant(tenant.structure, manager, token_for(app, tenant.structure, manager, role=Role.GESTIONNAIRE))
    before = await _members(client, tenant)
    payload = await _mutate(
        client, as_manager, ADD_MEMBER, email="newcomer@example.test", role="GESTIONNAIRE_PRINCIPAL"
    )
    assert payload["member"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "role"], "FORBIDDEN")]
    # The role is refused before the address is looked up: the answer says nothing of which accounts exist.
    unknown = await _mutate(client, as_manager, ADD_MEMBER, email="nobody@example.test", role="GESTIONNAIRE_PRINCIPAL")
    assert [(e["field"], e["code"]) for e in unknown["userErrors"]] == [(["input", "role"], "FORBIDDEN")]
    assert await _members(client, tenant) == before
