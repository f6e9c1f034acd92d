"""The event log through GraphQL, on both engines: each side of an invoice has its own event in its own
workspace, every change of the workspace writes one with the change (and none when the change is refused),
and a client that pages with a cursor resumes exactly where it stopped."""

from __future__ import annotations

import base64
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from api.core.ids import to_global_id
from auth.scopes import Scope
from invoicing.background import hub_worker
from invoicing.deposit import service as deposit
from invoicing.deposit.rules import Addressing
from invoicing.deposit.transmission import Actor
from invoicing.flux import service as flux
from invoicing.lifecycle import service as lifecycle
from invoicing.lifecycle.transitions import Status
from tenancy.db import Database
from tenancy.events.actor import EventActor
from tenancy.events.record import record_one
from tenancy.events.table import Event
from tenancy.events.types import EventType, ObjectKind
from tests.clock import FakeClock
from tests.factories import Tenant, data, gql, make_structure, make_tenant, make_user, new_id, token_for
from tests.invoicing.fluxes import members, zip_of
from tests.invoicing.parties import invoice_between, ubl

EVENTS = """
query ($first: Int!, $after: String, $filter: EventFilter, $order: EventOrder) {
  workspace { events(first: $first, after: $after, filter: $filter, order: $order) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id cursor type occurredAt actor { name kind } objectId
      invoice { number status fromStatus reason counterpart }
      flux { number status memberIndex memberStatus invoiceNumber accepted rejected }
      member { userId role access fromRole fromAccess }
      apiClient { clientId name }
      service { code name isActive }
    } }
  } }
}
"""


async def events_of(client: httpx.AsyncClient, token: str, first: int = 100, **variables: Any) -> list[dict[str, Any]]:
    result = await data(client, token, EVENTS, {"first": first, **variables})
    return [edge["node"] for edge in result["workspace"]["events"]["edges"]]


async def deposited(db: Database, supplier: Tenant, recipient: Tenant, number: str = "F-EV-1") -> Any:
    document = deposit.DocumentFile(
        "f.xml", ubl(invoice_between(supplier.structure, recipient.structure, number=number)), "application/xml"
    )
    actor = Actor(supplier.structure.id, "Marie Durand", f"user:{supplier.user.id}")
    done = await deposit.deposit(db, actor, document, [], Addressing())
    assert done.issued is not None, done.checked.problems
    return done.issued


async def received_id(client: httpx.AsyncClient, recipient: Tenant) -> str:
    result = await data(client, recipient.token, "{ workspace { receivedInvoices(first: 1) { nodes { id } } } }")
    return str(result["workspace"]["receivedInvoices"]["nodes"][0]["id"])


async def test_a_deposit_writes_one_event_on_each_side_and_neither_sees_the_others(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    supplier = await make_tenant(app, db, name="Atelier Durand")
    recipient = await make_tenant(app, db, public=True, name="Mairie de Villeneuve")

    issued = await deposited(db, supplier, recipient)

    [mine] = await events_of(client, supplier.token)
    [theirs] = await events_of(client, recipient.token)
    received = await received_id(client, recipient)
    assert mine["type"] == "INVOICE_DEPOSITED" and theirs["type"] == "INVOICE_RECEIVED"
    assert mine["objectId"] == to_global_id("Invoice", issued.id) and theirs["objectId"] == received
    assert mine["invoice"] == {
        "number": "F-EV-1",
        "status": "MISE_A_DISPOSITION",
        "fromStatus": None,
        "reason": None,
        "counterpart": "Mairie de Villeneuve",
    }
    assert theirs["invoice"]["counterpart"] == "Atelier Durand" and theirs["invoice"]["number"] == "F-EV-1"
    assert mine["actor"] == {"name": "Marie Durand", "kind": "USER"}
    assert mine["flux"] is None and mine["member"] is None
    # Each opens its own record from its event, and not the other side's: through node, or by filtering on it
    node = "query ($id: ID!) { node(id: $id) { id } }"
    assert (await data(client, supplier.token, node, {"id": mine["objectId"]}))["node"] == {"id": mine["objectId"]}
    assert (await data(client, supplier.token, node, {"id": received}))["node"] is None
    assert (await data(client, recipient.token, node, {"id": mine["objectId"]}))["node"] is None
    assert await events_of(client, supplier.token, filter={"objectId": received}) == []
    assert await events_of(client, recipient.token, filter={"objectId": mine["objectId"]}) == []
    assert [e["id"] for e in await events_of(client, recipient.token, filter={"objectId": received})] == [theirs["id"]]
    # and nothing of the other side's record is in its own log
    assert str(issued.id) not in str(await events_of(client, recipient.token))


async def test_status_changes_and_completion_reach_both_sides_with_their_reason(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    supplier = await make_tenant(app, db)
    recipient = await make_tenant(app, db, public=True)
    await deposited(db, supplier, recipient)
    received = await received_id(client, recipient)

    process = """mutation ($id: ID!) { processInvoice(input: {invoiceId: $id, status: SUSPENDUE,
      reason: "Bon de commande manquant"}) { invoice { status } userErrors { code } } }"""
    assert (await data(client, recipient.token, process, {"id": received}))["processInvoice"]["userErrors"] == []
    complete = """mutation ($id: ID!) { completeInvoice(input: {invoiceId: $id, comment: "Le voici"}) {
      invoice { status } userErrors { code } } }"""
    issued_id = (await events_of(client, supplier.token))[0]["objectId"]
    assert (await data(client, supplier.token, complete, {"id": issued_id}))["completeInvoice"]["userErrors"] == []

    for tenant, own in ((supplier, issued_id), (recipient, received)):
        log = await events_of(client, tenant.token)
        assert [e["type"] for e in log] == ["INVOICE_DEPOSITED" if tenant is supplier else "INVOICE_RECEIVED",
                                            "INVOICE_STATUS_CHANGED", "INVOICE_COMPLETED"]  # fmt: skip
        assert {e["objectId"] for e in log} == {own}
        suspended, completed = log[1]["invoice"], log[2]["invoice"]
        assert (suspended["fromStatus"], suspended["status"]) == ("MISE_A_DISPOSITION", "SUSPENDUE")
        assert suspended["reason"] == "Bon de commande manquant"
        assert (completed["fromStatus"], completed["status"], completed["reason"]) == (
            "SUSPENDUE",
            "COMPLETEE",
            "Le voici",
        )
        assert log[1]["actor"]["kind"] == "USER" and log[2]["actor"]["kind"] == "USER"


async def test_a_refused_change_writes_no_event(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    supplier = await make_tenant(app, db)
    recipient = await make_tenant(app, db, public=True)
    await deposited(db, supplier, recipient)
    received = await received_id(client, recipient)
    before = {t.structure.id: await events_of(client, t.token) for t in (supplier, recipient)}

    # A transition the table refuses (no reason for a suspension), a duplicate service code (rolled back in
    # its savepoint after the first service's event), and a domain call that fails after writing its event
    process = """mutation ($id: ID!) { processInvoice(input: {invoiceId: $id, status: SUSPENDUE}) {
      userErrors { code } } }"""
    refused = await data(client, recipient.token, process, {"id": received})
    assert refused["processInvoice"]["userErrors"] == [{"code": "REASON_REQUIRED"}]
    create = 'mutation { createService(input: {code: "ACHATS", name: "Achats"}) { userErrors { code } } }'
    assert (await data(client, recipient.token, create))["createService"]["userErrors"] == []
    assert (await data(client, recipient.token, create))["createService"]["userErrors"] == [{"code": "DUPLICATE"}]
    try:
        async with db.tenant_session(supplier.structure.id) as session:
            await record_one(
                session,
                supplier.structure.id,
                EventType.SERVICE_CREATED,
                ObjectKind.SERVICE,
                new_id(),
                EventActor.system(),
                {"code": "X", "name": "X", "is_active": True},
            )
            raise RuntimeError("the change fails after its event was written")
    except RuntimeError:
        pass

    assert await events_of(client, supplier.token) == before[supplier.structure.id]
    after = await events_of(client, recipient.token)
    assert [e["type"] for e in after] == [e["type"] for e in before[recipient.structure.id]] + ["SERVICE_CREATED"]
    # and no id was taken: the next event follows the last one without a gap
    await data(client, supplier.token, create)
    ids = [int(_plain(e["id"]).split(":")[1]) for e in await events_of(client, supplier.token)]
    assert ids == list(range(1, len(ids) + 1))


def _plain(global_id: str) -> str:
    return base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()


async def test_member_service_and_api_client_changes_write_theirs_under_the_admin_scope(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    admin = await make_tenant(app, db)
    newcomer = await make_user(db, email=f"newcomer{new_id().hex[:8]}@example.test", name="Nina Newcomer")
    token = admin.token

    added = await data(
        client,
        token,
        "mutation ($email: String!) { addMember(input: {email: $email, role: UTILISATEUR}) { member { id } } }",
        {"email": newcomer.email},
    )
    member_id = added["addMember"]["member"]["id"]
    update = "mutation ($id: ID!) { updateMember(input: {id: $id, role: GESTIONNAIRE}) { userErrors { code } } }"
    await data(client, token, update, {"id": member_id})
    await data(client, token, "mutation ($id: ID!) { removeMember(input: {id: $id}) { userErrors { code } } }",
               {"id": member_id})  # fmt: skip
    registered = await data(
        client,
        token,
        'mutation { registerApiClient(input: {name: "ERP", confidential: true, grantTypes: ["client_credentials"],'
        ' scopes: ["invoices:read"]}) { apiClient { id clientId } userErrors { code } } }',
    )
    app_id = registered["registerApiClient"]["apiClient"]["id"]
    rotate = "mutation ($id: ID!) { rotateApiClientSecret(input: {id: $id}) { clientSecret } }"
    secret = (await data(client, token, rotate, {"id": app_id}))["rotateApiClientSecret"]["clientSecret"]
    await data(client, token, "mutation ($id: ID!) { revokeApiClient(input: {id: $id}) { userErrors { code } } }",
               {"id": app_id})  # fmt: skip
    created = await data(
        client, token, 'mutation { createService(input: {code: "RH", name: "RH"}) { service { id } } }'
    )
    service_id = created["createService"]["service"]["id"]
    await data(client, token, 'mutation ($id: ID!) { updateService(input: {id: $id, isActive: false}) { service { id } } }',
               {"id": service_id})  # fmt: skip

    log = await events_of(client, token)
    assert [e["type"] for e in log] == [
        "MEMBER_ADDED", "MEMBER_ROLE_CHANGED", "MEMBER_REMOVED",
        "API_CLIENT_CREATED", "API_CLIENT_SECRET_ROTATED", "API_CLIENT_REVOKED",
        "SERVICE_CREATED", "SERVICE_UPDATED",
    ]  # fmt: skip
    user_id = to_global_id("User", newcomer.id)
    assert log[0]["member"] == {"userId": user_id, "role": "UTILISATEUR", "access": "WRITE", "fromRole": None,
                                "fromAccess": None}  # fmt: skip
    assert (log[1]["member"]["fromRole"], log[1]["member"]["role"]) == ("UTILISATEUR", "GESTIONNAIRE")
    assert {log[i]["objectId"] for i in range(3)} == {member_id}
    assert {log[i]["objectId"] for i in range(3, 6)} == {app_id}
    assert log[3]["apiClient"] == {"clientId": registered["registerApiClient"]["apiClient"]["clientId"], "name": "ERP"}
    assert secret not in str(log)
    assert log[7]["service"] == {"code": "RH", "name": "RH", "isActive": False}
    assert log[0]["actor"]["kind"] == "USER"

    # A token without workspace:admin reads the services' events only, and is told why it may not ask for more
    reader = token_for(app, admin.structure, admin.user, scopes=[Scope.INVOICES_READ.value])
    assert [e["type"] for e in await events_of(client, reader)] == ["SERVICE_CREATED", "SERVICE_UPDATED"]
    refused = (await gql(client, reader, EVENTS, {"first": 5, "filter": {"types": ["MEMBER_ADDED"]}})).json()
    assert refused["data"] is None and "workspace:admin" in refused["errors"][0]["message"]
    # and a technical account of the workspace is named as such
    app_token = token_for(app, admin.structure, None, client_id="erp-cc")
    await data(client, app_token, 'mutation { createService(input: {code: "CC", name: "CC"}) { service { id } } }')
    assert (await events_of(client, token, filter={"types": ["SERVICE_CREATED"]}))[-1]["actor"]["kind"] == "CLIENT"


async def test_paging_with_a_cursor_resumes_after_the_last_event_seen(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(app, db)
    create = "mutation ($code: String!) { createService(input: {code: $code, name: $code}) { service { id } } }"

    async def write(*codes: str) -> None:
        for code in codes:
            await data(client, tenant.token, create, {"code": code})

    def codes(page: list[dict[str, Any]]) -> list[str]:
        return [e["service"]["code"] for e in page]

    await write("S1", "S2", "S3", "S4", "S5")
    first = await data(client, tenant.token, EVENTS, {"first": 2})
    page = first["workspace"]["events"]
    assert codes([e["node"] for e in page["edges"]]) == ["S1", "S2"] and page["pageInfo"]["hasNextPage"]
    cursor = page["pageInfo"]["endCursor"]
    assert cursor == page["edges"][-1]["node"]["cursor"]

    # Events written between two pages come after the cursor, in order, none lost or repeated
    await write("S6", "S7", "S8")
    seen: list[str] = []
    while True:
        result = (await data(client, tenant.token, EVENTS, {"first": 2, "after": cursor}))["workspace"]["events"]
        seen += codes([e["node"] for e in result["edges"]])
        if not result["pageInfo"]["hasNextPage"]:
            break
        cursor = result["pageInfo"]["endCursor"]
        if len(seen) == 2:
            await write("S9")
    assert seen == ["S3", "S4", "S5", "S6", "S7", "S8", "S9"]
    assert first["workspace"]["events"]["totalCount"] == 5

    # Newest first, for a list of recent events; its cursors resume the same way
    newest = await events_of(client, tenant.token, first=3, order="NEWEST_FIRST")
    assert codes(newest) == ["S9", "S8", "S7"]
    older = await events_of(client, tenant.token, first=2, order="NEWEST_FIRST", after=newest[-1]["cursor"])
    assert codes(older) == ["S6", "S5"]
    # and the filters: by type, by object, by time
    since = newest[1]["occurredAt"]
    assert codes(await events_of(client, tenant.token, filter={"since": since})) in (["S8", "S9"], ["S7", "S8", "S9"])
    assert await events_of(client, tenant.token, filter={"types": ["MEMBER_ADDED"]}) == []


async def test_a_bad_cursor_is_refused_clearly(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    tenant = await make_tenant(app, db)
    body = (await gql(client, tenant.token, EVENTS, {"first": 5, "after": "not-a-cursor"})).json()
    assert body["data"] is None and "invalid cursor" in body["errors"][0]["message"]


async def test_a_flux_writes_its_progress_and_end_in_the_depositors_log(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    supplier = await make_tenant(app, db)
    recipient = await make_tenant(app, db, public=True)
    clock = FakeClock()
    archive = zip_of(members(supplier.structure, recipient.structure, 3, broken={1}))
    actor = Actor(supplier.structure.id, "Marie", f"user:{supplier.user.id}")
    done = await flux.deposit_flux(db, actor, "lot.zip", archive, now=clock.now())
    await hub_worker(db, clock=clock, listen=False).run_until_idle()

    log = [e for e in await events_of(client, supplier.token) if e["flux"] is not None]
    assert {e["objectId"] for e in log} == {to_global_id("Flux", done.id)}
    assert [e["type"] for e in log] == ["FLUX_DEPOSITED"] + ["FLUX_PROGRESSED"] * 5 + ["FLUX_FINISHED"]
    assert log[0]["actor"] == {"name": "Marie", "kind": "USER"} and log[1]["actor"]["kind"] == "SYSTEM"
    assert [e["flux"]["status"] for e in log[:3]] == ["IN_RECU", "IN_EN_ATTENTE_TRAITEMENT_CPP",
                                                      "IN_EN_COURS_TRAITEMENT_CPP"]  # fmt: skip
    outcomes = [(e["flux"]["memberIndex"], e["flux"]["memberStatus"]) for e in log[3:6]]
    assert outcomes == [(0, "ACCEPTED"), (1, "REJECTED"), (2, "ACCEPTED")]
    assert log[3]["flux"]["invoiceNumber"] == "FX-0000"
    assert (log[-1]["flux"]["status"], log[-1]["flux"]["accepted"], log[-1]["flux"]["rejected"]) == (
        "IN_INTEGRE_PARTIEL",
        2,
        1,
    )
    # The two invoices it brought reached the recipient, each its own event there; the flux stays the supplier's
    theirs = await events_of(client, recipient.token)
    assert [e["type"] for e in theirs] == ["INVOICE_RECEIVED", "INVOICE_RECEIVED"]
    assert not any(e["flux"] for e in theirs)


async def test_a_decision_by_an_app_names_it_as_a_client(db: Database) -> None:
    """Domain level: the event names who decided, as a person or an app (a technical account)."""
    supplier = await make_structure(db)
    recipient = await make_structure(db, public=True)
    document = deposit.DocumentFile(
        "f.xml", ubl(invoice_between(supplier, recipient, number="F-R-1")), "application/xml"
    )
    done = await deposit.deposit(db, Actor(supplier.id, "S", "user:s"), document, [], Addressing())
    assert done.issued is not None
    async with db.tenant_session(recipient.id) as session:
        [arrival] = list(await session.scalars(select(Event)))
    buyer = Actor(recipient.id, "Paul", "client:erp")
    await lifecycle.change_status(db, buyer, arrival.object_id, Status.REJETEE, "Pas pour nous")
    async with db.tenant_session(supplier.id) as session:
        rows = list(await session.scalars(select(Event).order_by(Event.id)))
    assert [(r.type, r.payload.get("status"), r.actor_name, r.actor_kind) for r in rows] == [
        (EventType.INVOICE_DEPOSITED, "MISE_A_DISPOSITION", "S", "user"),
        (EventType.INVOICE_STATUS_CHANGED, "REJETEE", "Paul", "client"),
    ]
    assert rows[1].payload["reason"] == "Pas pour nous" and rows[1].object_id == done.issued.id


@pytest.mark.postgres_only  # SQLite serialises writers: a request's own write transaction and another one
async def test_one_request_that_changes_its_workspace_twice_waits_for_nothing(
    app: Starlette, db: Database, client: httpx.AsyncClient
) -> None:
    """The request's own transaction (createService) and the life cycle's (processInvoice) both log an event
    in the recipient's workspace: the request keeps its events until its commit, so neither waits."""
    supplier = await make_tenant(app, db)
    recipient = await make_tenant(app, db, public=True)
    await deposited(db, supplier, recipient)
    received = await received_id(client, recipient)
    both = """mutation ($id: ID!) {
      createService(input: {code: "AVANT", name: "Avant"}) { userErrors { code } }
      processInvoice(input: {invoiceId: $id, status: SUSPENDUE, reason: "Pièce manquante"}) { userErrors { code } }
      again: createService(input: {code: "AVANT", name: "Encore"}) { userErrors { code } }
    }"""
    started = time.monotonic()
    result = await data(client, recipient.token, both, {"id": received})
    assert time.monotonic() - started < 10
    assert result["again"]["userErrors"] == [{"code": "DUPLICATE"}]
    log = await events_of(client, recipient.token)
    # In commit order: the life cycle's transaction committed first, the request's at its end
    assert [e["type"] for e in log] == ["INVOICE_RECEIVED", "INVOICE_STATUS_CHANGED", "SERVICE_CREATED"]
    assert log[2]["service"]["name"] == "Avant"
