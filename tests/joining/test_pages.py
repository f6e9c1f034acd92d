"""The invitation link's page and the page to ask to join: what a browser gets, step by step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from auth.joining.routes import JoiningWeb
from auth.models import User
from tenancy.db import Database
from tenancy.joining.models import Invitation, InvitationStatus, MembershipRequest
from tenancy.models import Membership
from tests.auth.flows import PASSWORD, forms_of, make_person, sign_in
from tests.factories import Tenant, data, make_tenant
from tests.joining.mailbox import last_link, outbox

INVITE = """mutation ($input: InviteMemberInput!) { inviteMember(input: $input) {
  invitation { id } userErrors { code } } }"""
WITHDRAW = """mutation ($id: ID!) { withdrawInvitation(input: {id: $id}) { invitation { status } } }"""
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def _invite(
    client: httpx.AsyncClient, db: Database, tenant: Tenant, email: str, role: str = "UTILISATEUR"
) -> str:
    result = await data(client, tenant.token, INVITE, {"input": {"email": email, "role": role}})
    assert result["inviteMember"]["userErrors"] == []
    return urlsplit(await last_link(db, email)).path


async def _post(client: httpx.AsyncClient, path: str, **fields: str) -> httpx.Response:
    page = await client.get(path)
    form = next(f for f in forms_of(page.text) if f.action == path)
    return await client.post(path, data={**dict(form.fields), **fields})


async def _membership(db: Database, tenant: Tenant, email: str) -> Membership | None:
    async with db.tenant_session(tenant.structure.id) as session:
        return await session.scalar(
            select(Membership).join(User, User.id == Membership.user_id).where(User.email == email)
        )


async def test_a_newcomer_sets_a_password_and_is_signed_in_then_the_link_is_spent(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db, name="Atelier Nord")
    path = await _invite(client, db, a, "newcomer@example.test", "GESTIONNAIRE")
    page = await client.get(path)
    assert page.status_code == 200 and "Atelier Nord" in page.text and "gestionnaire" in page.text
    short = await _post(client, path, decision="accept", display_name="Nina Nouvelle", password="court")
    assert short.status_code == 400 and "12 caractères" in short.text
    assert await _membership(db, a, "newcomer@example.test") is None

    done = await _post(client, path, decision="accept", display_name="Nina Nouvelle", password=PASSWORD)
    assert done.status_code == 303 and done.headers["location"] == "/"
    member = await _membership(db, a, "newcomer@example.test")
    assert member is not None and member.role == "GESTIONNAIRE"
    async with db.bare_session() as session:
        user = await session.scalar(select(User).where(User.email == "newcomer@example.test"))
    assert user is not None and user.display_name == "Nina Nouvelle" and user.email_verified_at is not None
    signed_in = await client.get("/login")
    assert "Nina Nouvelle" in signed_in.text  # the session cookie the acceptance set

    reused = await client.get(path)
    assert reused.status_code == 410 and "déjà été acceptée" in reused.text
    client.cookies.clear()
    replay = await client.post(path, data={"decision": "accept", "display_name": "X", "password": PASSWORD})
    assert replay.status_code == 400  # no CSRF token: refused before anything


async def test_an_existing_account_signs_in_first_and_another_account_is_turned_away(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db)
    invited, other = await make_person(db), await make_person(db)
    path = await _invite(client, db, a, invited.email)
    page = await client.get(path)
    assert f'href="/login?next={path}"' in page.text and 'name="password"' not in page.text

    await sign_in(client, other.email)
    wrong = await client.get(path)
    assert wrong.status_code == 403 and invited.email in wrong.text
    client.cookies.clear()

    signed = await sign_in(client, invited.email, next_url=path)
    assert signed.status_code == 303 and signed.headers["location"] == path
    done = await _post(client, path, decision="accept")
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert await _membership(db, a, invited.email) is not None


async def test_declined_withdrawn_expired_and_forged_links_are_refused_clearly(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db, name="Régie")
    declined = await _invite(client, db, a, "no@example.test")
    answer = await _post(client, declined, decision="decline")
    assert answer.status_code == 200 and "refusé" in answer.text
    assert (await client.get(declined)).status_code == 410

    withdrawn = await _invite(client, db, a, "gone@example.test")
    invitation_id = (
        await data(client, a.token, "{ workspace { invitations(first: 5, status: PENDING) { nodes { id } } } }")
    )["workspace"]["invitations"]["nodes"][0]["id"]
    await data(client, a.token, WITHDRAW, {"id": invitation_id})
    page = await client.get(withdrawn + "?lang=en")
    assert page.status_code == 410 and "withdrawn" in page.text

    late = await _invite(client, db, a, "late@example.test")
    web: JoiningWeb = app.state.joining
    web.clock = lambda: datetime.now(UTC) + timedelta(days=7, minutes=1)
    expired = await client.get(late)
    assert expired.status_code == 410 and "has expired" in expired.text  # in English since ?lang=en
    async with db.tenant_session(a.structure.id) as session:
        row = await session.scalar(select(Invitation).where(Invitation.email == "late@example.test"))
    assert row is not None and row.status == InvitationStatus.EXPIRED

    forged = late[:-5] + ("AAAAA" if not late.endswith("AAAAA") else "BBBBB")
    assert (await client.get(forged)).status_code == 404
    assert (await client.get("/invitation/nothing-like-a-token")).status_code == 404


async def test_a_signed_in_person_asks_to_join_from_the_join_page(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db, name="Syndicat")
    person = await make_person(db)
    first = await client.get("/join")
    assert first.status_code == 303 and first.headers["location"] == "/login?next=/join"
    await sign_in(client, person.email, next_url="/join")
    unknown = await _post(client, "/join", identifier="99999999999999")
    assert unknown.status_code == 400 and "99999999999999" in unknown.text
    sent = await _post(client, "/join", identifier=a.structure.identifier, message="Bonjour,\nje suis le DAF.")
    assert sent.status_code == 200 and "Syndicat" in sent.text
    async with db.tenant_session(a.structure.id) as session:
        row = await session.scalar(select(MembershipRequest))
    assert row is not None and row.message == "Bonjour,\nje suis le DAF." and row.locale == "fr"
    assert [m.template for m in await outbox(db, a.user.email)] == ["membership_request"]
    again = await _post(client, "/join", identifier=a.structure.identifier)
    assert again.status_code == 400 and "déjà demandé" in again.text


async def test_the_join_page_names_the_structure_sign_up_found_taken(
    app: Starlette, client: httpx.AsyncClient, db: Database
) -> None:
    a = await make_tenant(app, db, name="Atelier déjà inscrit")
    person = await make_person(db)
    identifier = a.structure.identifier
    back = "/join?" + urlencode({"identifier": identifier, "identifier_type": "SIRET"})
    first = await client.get(f"/join?identifier_type=SIRET&identifier={identifier}")
    # Through the sign-in page and back, the structure still named
    assert first.status_code == 303 and first.headers["location"] == "/login?" + urlencode({"next": back})
    await sign_in(client, person.email, next_url=back)
    page = await client.get(back)
    assert page.status_code == 200
    assert f'name="identifier" value="{identifier}"' in page.text
    assert '<option value="SIRET" selected>' in page.text
    odd = await client.get("/join?identifier_type=NOT_A_TYPE&identifier=" + "9" * 200)
    assert odd.status_code == 200 and f'name="identifier" value="{"9" * 80}"' in odd.text  # cut to the field's size
    assert '<option value="NOT_A_TYPE"' not in odd.text and " selected>" not in odd.text
