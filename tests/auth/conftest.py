from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.app import create_app
from auth.models import User
from tenancy.db import Database
from tenancy.models import Structure
from tests.auth.account_flows import Hub, make_hub
from tests.auth.flows import Registered, make_client, make_person
from tests.conftest import settings_for
from tests.factories import make_member, make_structure

HTTPS_REDIRECT = "https://app.example.com/cb"


@dataclass
class World:
    structure: Structure
    person: User
    public: Registered
    confidential: Registered
    machine: Registered


@pytest.fixture
async def world(db: Database) -> World:
    structure = await make_structure(db, name="Atelier A")
    person = await make_person(db)
    await make_member(db, structure, person)
    public = await make_client(db, structure, redirect_uris=("http://127.0.0.1/callback", HTTPS_REDIRECT))
    confidential = await make_client(db, structure, confidential=True, name="Confidential app")
    machine = await make_client(
        db, structure, confidential=True, grant_types=("client_credentials",), redirect_uris=(), name="ERP"
    )
    return World(structure, person, public, confidential, machine)


async def app_with(db: Database, database_url: str, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    application: Starlette = create_app(settings_for(database_url, **overrides), db=db)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
            yield http


@pytest.fixture
async def second_structure(db: Database) -> Structure:
    return await make_structure(db, name="Structure B")


@pytest.fixture
def hub(app: Starlette, db: Database, tmp_path: Path) -> Hub:
    """The in-process hub with a clock the test holds and its mail written under ``tmp_path``."""
    return make_hub(app, db, tmp_path / "mail")
