"""Joining through GraphQL: invitations and requests to join, answered, refused, and kept to their workspace."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from tenancy.db import Database
from tenancy.enums import Access, Role
from tests.factories import Tenant, data, make_member, make_tenant, make_user, token_for
from tests.joining.mailbox import outbox

ERRORS = "userErrors { field code message }"
INVITE = f"""mutation ($input: InviteMemberInput!) {{
  inviteMember(input: $input) {{ invitation {{ id email role access status expiresAt invitedBy {{ email }} }} {ERRORS} }}
}}"""
WITHDRAW = f"""mutation ($input: WithdrawInvitationInput!) {{
  withdrawInvitation(input: $input) {{ invitation {{ id status }} {ERRORS} }}
}}"""
REQUEST = f"""mutation ($input: RequestMembershipInput!) {{
  requestMembership(input: $input) {{ membershipRequest {{ status message structure {{ name identifier }} }} {ERRORS} }}
}}"""
APPROVE = f"""mutation ($input: ApproveMembershipRequestInput!) {{
  approveMembershipRequest(input: $input) {{ membershipRequest {{ id status role access }} member {{ role user {{ email }} }} {ERRORS} }}
}}"""
DECLINE = f"""mutation ($input: DeclineMembershipRequestInput!) {{
  declineMembershipRequest(input: $input) {{ membershipRequest {{ id status reason }} {ERRORS} }}
}}"""
LISTS = """query ($status: MembershipRequestStatus) { workspace {
  membershipRequests(first: 10, status: $status) { totalCount nodes { id status message requester { email } } }
  invitations(first: 10) { totalCount nodes { id email status } } } }"""
OWN = """{ viewer { membershipRequests(first: 10) { totalCount nodes { status reason structure { name } } }
  invitations(first: 10) { totalCount nodes { role structure { name } } } } }"""


async def _call(client: httpx.AsyncClient, token: str, mutation: str, **input: Any) -> dict[str, Any]:
    (payload,) = (await data(client, token, mutation, {"input": input})).values()
    return dict(payload)


async def test_an_invitation_is_listed_mailed_and_withdrawn_once(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db, name="Atelier A")
    made = await _call(client, a.token, INVITE, email=" Nora@Example.test ", role="UTILISATEUR", language="EN")
    assert made["userErrors"] == []
    invitation = made["invitation"]
    assert (invitation["email"], invitation["status"], invitation["invitedBy"]["email"]) == (
        "nora@example.test",
        "PENDING",
        a.user.email,
    )
    (mail,) = await outbox(db, "nora@example.test")
    assert mail.template == "invitation" and mail.locale == "en" and "Atelier A" in mail.subject
    assert mail.params["link"].startswith("http://127.0.0.1:8000/invitation/")
    listed = (await data(client, a.token, LISTS))["workspace"]["invitations"]
    assert listed["totalCount"] == 1 and listed["nodes"][0]["id"] == invitation["id"]

    again = await _call(client, a.token, INVITE, email="nora@example.test", role="UTILISATEUR")
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [(["input", "email"], "DUPLICATE")]

    withdrawn = await _call(client, a.token, WITHDRAW, id=invitation["id"])
    assert withdrawn["invitation"]["status"] == "WITHDRAWN"
    twice = await _call(client, a.token, WITHDRAW, id=invitation["id"])
    assert [(e["field"], e["code"]) for e in twice["userErrors"]] == [(["input", "id"], "NOT_PENDING")]
    # Withdrawn, the address may be invited anew.
    anew = await _call(client, a.token, INVITE, email="nora@example.test", role="GESTIONNAIRE")
    assert anew["userErrors"] == [] and len(await outbox(db, "nora@example.test")) == 2


async def test_inviting_is_refused_for_members_principal_roles_and_bad_addresses(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db)
    manager = await make_user(db)
    await make_member(db, a.structure, manager, Role.GESTIONNAIRE)
    second = token_for(app, a.structure, manager, role=Role.GESTIONNAIRE)
    refusals = [
        (a.token, {"email": a.user.email, "role": "UTILISATEUR"}, (["input", "email"], "DUPLICATE")),
        (a.token, {"email": "not an address", "role": "UTILISATEUR"}, (["input", "email"], "INVALID")),
        (second, {"email": "boss@example.test", "role": "GESTIONNAIRE_PRINCIPAL"}, (["input", "role"], "FORBIDDEN")),
    ]
    for token, input, expected in refusals:
        payload = await _call(client, token, INVITE, **input)
        assert payload["invitation"] is None
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [expected]
    assert await outbox(db) == []
    reader = await make_user(db)
    await make_member(db, a.structure, reader, Role.UTILISATEUR)
    body = (
        await client.post(
            "/graphql",
            json={"query": LISTS},
            headers={
                "Authorization": f"Bearer {token_for(app, a.structure, reader, role=Role.UTILISATEUR, scopes=['invoices:read'])}"
            },
        )
    ).json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def _asker(app: Starlette, db: Database) -> Tenant:
    return await make_tenant(app, db, name="Chez le demandeur")


async def test_a_request_to_join_is_mailed_to_principal_managers_and_approved_once(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db, name="Mairie A")
    deputy = await make_user(db)
    await make_member(db, a.structure, deputy, Role.GESTIONNAIRE)
    asker = await _asker(app, db)
    asked = await _call(
        client,
        asker.token,
        REQUEST,
        identifier=a.structure.identifier,
        message="Comptable\nde la mairie",
        language="EN",
    )
    assert asked["userErrors"] == []
    assert asked["membershipRequest"]["structure"]["name"] == "Mairie A"
    (told,) = await outbox(db, a.user.email)  # the principal manager; not the GESTIONNAIRE
    assert told.template == "membership_request" and told.params["message"] == "Comptable\nde la mairie"
    assert await outbox(db, deputy.email) == []
    twice = await _call(client, asker.token, REQUEST, identifier=a.structure.identifier)
    assert [e["code"] for e in twice["userErrors"]] == ["DUPLICATE"]

    pending = (await data(client, a.token, LISTS))["workspace"]["membershipRequests"]
    assert pending["totalCount"] == 1 and pending["nodes"][0]["requester"]["email"] == asker.user.email
    # The asker's own workspace sees nothing of it; the asker sees it as theirs.
    assert (await data(client, asker.token, LISTS))["workspace"]["membershipRequests"]["totalCount"] == 0
    own = (await data(client, asker.token, OWN))["viewer"]["membershipRequests"]
    assert own["totalCount"] == 1 and own["nodes"][0]["status"] == "PENDING"

    request_id = pending["nodes"][0]["id"]
    approved = await _call(client, a.token, APPROVE, id=request_id, role="GESTIONNAIRE", access="READ_ONLY")
    assert approved["userErrors"] == []
    assert approved["membershipRequest"]["status"] == "APPROVED"
    assert approved["member"] == {"role": "GESTIONNAIRE", "user": {"email": asker.user.email}}
    (answer,) = await outbox(db, asker.user.email)
    assert (
        answer.template == "membership_approved" and answer.locale == "en" and answer.params["role"] == "GESTIONNAIRE"
    )
    again = await _call(client, a.token, APPROVE, id=request_id, role="UTILISATEUR")
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [(["input", "id"], "NOT_PENDING")]
    assert (await data(client, a.token, LISTS))["workspace"]["membershipRequests"]["totalCount"] == 0


async def test_a_declined_request_tells_the_reason_and_may_be_asked_again(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db)
    asker = await _asker(app, db)
    await _call(client, asker.token, REQUEST, identifier=a.structure.identifier)
    (node,) = (await data(client, a.token, LISTS))["workspace"]["membershipRequests"]["nodes"]
    blank = await _call(client, a.token, DECLINE, id=node["id"], reason="  ")
    assert [(e["field"], e["code"]) for e in blank["userErrors"]] == [(["input", "reason"], "REQUIRED")]
    declined = await _call(client, a.token, DECLINE, id=node["id"], reason="Inconnu du service")
    assert declined["membershipRequest"] == {"id": node["id"], "status": "DECLINED", "reason": "Inconnu du service"}
    (answer,) = await outbox(db, asker.user.email)
    assert answer.template == "membership_declined" and answer.params["reason"] == "Inconnu du service"
    own = (await data(client, asker.token, OWN))["viewer"]["membershipRequests"]["nodes"]
    assert own == [{"status": "DECLINED", "reason": "Inconnu du service", "structure": {"name": a.structure.name}}]
    anew = await _call(client, asker.token, REQUEST, identifier=a.structure.identifier)
    assert anew["userErrors"] == []


async def test_requests_are_refused_for_unknown_structures_and_members(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db)
    unknown = await _call(client, a.token, REQUEST, identifier="00000000000000")
    assert [(e["field"], e["code"]) for e in unknown["userErrors"]] == [(["input", "identifier"], "NOT_FOUND")]
    member = await _call(client, a.token, REQUEST, identifier=a.structure.identifier)
    assert [(e["field"], e["code"]) for e in member["userErrors"]] == [(["input", "identifier"], "DUPLICATE")]
    machine = token_for(app, a.structure, None)
    refused = await _call(client, machine, REQUEST, identifier=a.structure.identifier)
    assert [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"]
    assert await outbox(db) == []


async def test_another_workspace_cannot_see_or_answer_them(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a, b = await make_tenant(app, db), await make_tenant(app, db)
    asker = await _asker(app, db)
    await _call(client, asker.token, REQUEST, identifier=a.structure.identifier)
    invited = await _call(client, a.token, INVITE, email="guest@example.test", role="UTILISATEUR")
    lists = (await data(client, a.token, LISTS))["workspace"]
    request_id, invitation_id = lists["membershipRequests"]["nodes"][0]["id"], invited["invitation"]["id"]

    theirs = (await data(client, b.token, LISTS))["workspace"]
    assert theirs["membershipRequests"]["totalCount"] == 0 and theirs["invitations"]["totalCount"] == 0
    for mutation, input in (
        (APPROVE, {"id": request_id, "role": "UTILISATEUR"}),
        (DECLINE, {"id": request_id, "reason": "non"}),
        (WITHDRAW, {"id": invitation_id}),
    ):
        payload = await _call(client, b.token, mutation, **input)
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["input", "id"], "NOT_FOUND")]
    nodes = await data(
        client, b.token, "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [request_id, invitation_id]}
    )
    assert nodes["nodes"] == [None, None]
    still = (await data(client, a.token, LISTS))["workspace"]
    assert still["membershipRequests"]["totalCount"] == 1
    assert still["invitations"]["nodes"][0]["status"] == "PENDING"


async def test_the_viewer_sees_the_invitations_addressed_to_them(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a, b = await make_tenant(app, db, name="Invitante"), await make_tenant(app, db)
    await _call(client, a.token, INVITE, email=b.user.email, role="GESTIONNAIRE", access=Access.WRITE.name)
    own = (await data(client, b.token, OWN))["viewer"]["invitations"]
    assert own == {"totalCount": 1, "nodes": [{"role": "GESTIONNAIRE", "structure": {"name": "Invitante"}}]}
    assert (await data(client, a.token, OWN))["viewer"]["invitations"]["totalCount"] == 0
