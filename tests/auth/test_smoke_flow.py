from __future__ import annotations

import httpx
from starlette.applications import Starlette

from tenancy.db import Database
from tests.auth.flows import code_for, make_client, make_person, redeem, refresh
from tests.factories import data, make_member, make_structure


async def test_code_flow_in_process(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    structure = await make_structure(db)
    person = await make_person(db)
    await make_member(db, structure, person)
    registered = await make_client(db, structure)
    code, verifier = await code_for(client, person.email, registered.client_id)
    answer = await redeem(client, registered.client_id, code, verifier)
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    got = await data(client, tokens["access_token"], "{ workspace { name } viewer { scopes } }")
    assert got["workspace"]["name"] == structure.name
    again = await refresh(client, registered.client_id, tokens["refresh_token"])
    assert again.status_code == 200, again.text
