"""The `facturehub` console script, run as a newcomer would: as a separate process."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from invoicing.deposit.records import InvoiceRecord
from migrations import head_revision
from tenancy import privileged
from tenancy.db import Database
from tests.live import FACTUREHUB, REPO, free_port, serving


def _env(database_url: str, changes: dict[str, str | None] | None = None) -> dict[str, str]:
    """The caller's environment without its FACTUREHUB_* settings, plus the database and ``changes``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTUREHUB_")}
    env.update(FACTUREHUB_DATABASE_URL=database_url, FACTUREHUB_PUBLIC_URL="http://127.0.0.1:8000")
    for name, value in (changes or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(
    database_url: str,
    *args: str,
    check: bool = True,
    env: dict[str, str | None] | None = None,
    cwd: Path = REPO,
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603
        [*FACTUREHUB, *args],
        env=_env(database_url, env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


async def test_demo_is_idempotent_and_describes_what_it_loaded(db: Database, database_url: str) -> None:
    first = json.loads(run(database_url, "demo", "--json").stdout)
    after_first = await _demo_invoices(db, first)
    second = json.loads(run(database_url, "demo", "--json").stdout)
    assert first == second
    # The demo workspaces look alive: invoices at every stage, the same ones after a second run.
    assert await _demo_invoices(db, second) == after_first
    issued = [row for row in after_first if row[1] == "ISSUED"]
    assert len(issued) == first["invoices"] >= 24
    statuses = {row[2] for row in issued}
    assert statuses >= {
        "MISE_A_DISPOSITION",
        "PRISE_EN_COMPTE_DESTINATAIRE",
        "SUSPENDUE",
        "COMPLETEE",
        "SERVICE_FAIT",
        "MANDATEE",
        "MISE_EN_PAIEMENT",
        "REJETEE",
        "A_RECYCLER",
        "A_VALIDER_1",
    }
    acknowledged = {row[3] for row in issued if row[2] == "REJETEE"}
    assert acknowledged == {True, False}, "rejections acknowledged and not"
    sides = {row[1] for row in after_first}
    assert sides == {"ISSUED", "RECEIVED", "TO_VALIDATE"}
    suppliers = {row[0] for row in issued}
    assert suppliers == {"44306184100104", "DE136695976", "CHE-123.456.788"}
    structures = {s["identifier"]: s for s in first["structures"]}
    public = [s for s in first["structures"] if s["public"]]
    suppliers = [s for s in first["structures"] if not s["public"]]
    assert len(public) >= 3 and len(suppliers) >= 3
    assert {s["identifierType"] for s in suppliers} >= {"SIRET", "UE_HORS_FRANCE", "HORS_UE"}
    assert all(s["services"] for s in public)
    assert any(len(u["memberships"]) > 1 for u in first["users"])
    for user in first["users"]:
        assert user["password"]
        for membership in user["memberships"]:
            assert membership["identifier"] in structures
    exported = run(database_url, "directory", "export", "-").stdout.splitlines()
    assert len(exported) == 1 + len(public)  # header + the public structures, loaded once despite two runs


def test_token_prints_a_jwt_capped_by_the_role(db: Database, database_url: str) -> None:
    demo = json.loads(run(database_url, "demo", "--json").stdout)
    reader = next(u for u in demo["users"] if any(m["access"] == "READ_ONLY" for m in u["memberships"]))
    workspace = next(m["identifier"] for m in reader["memberships"] if m["access"] == "READ_ONLY")
    done = run(
        database_url,
        "token",
        "--email",
        reader["email"],
        "--workspace",
        workspace,
        "--scope",
        "workspace:admin",
        "--scope",
        "invoices:read",
    )
    assert done.stdout.count(".") == 2
    assert "does not allow workspace:admin" in done.stderr
    refused = run(database_url, "token", "--email", "nobody@example.test", "--workspace", workspace, check=False)
    assert refused.returncode == 1 and "no active user" in refused.stderr


async def _demo_invoices(db: Database, demo: dict[str, Any]) -> list[tuple[str, str, str, bool, str]]:
    """(supplier, side, status, rejection acknowledged, number) of every invoice record of the demo structures."""
    tenants = set()
    for structure in demo["structures"]:
        tenants.update(s.id for s in await privileged.find_structure(db, structure["identifier"]))
    async with privileged.across(db, tenants) as session:
        rows = await session.execute(
            select(
                InvoiceRecord.supplier_identifier,
                InvoiceRecord.side,
                InvoiceRecord.status,
                InvoiceRecord.rejection_acknowledged_at.is_not(None),
                InvoiceRecord.number,
            ).order_by(InvoiceRecord.number, InvoiceRecord.side)
        )
        return [(a, b, c, bool(d), e) for a, b, c, d, e in rows.all()]


@pytest.fixture
def server(db: Database, database_url: str, tmp_path: Path) -> Iterator[str]:
    yield from _serve(database_url, tmp_path, free_port(), {})


@pytest.fixture
def port_server(db: Database, database_url: str, tmp_path: Path) -> Iterator[str]:
    """`facturehub serve --port P` as a newcomer runs it: no FACTUREHUB_PUBLIC_URL."""
    yield from _serve(database_url, tmp_path, free_port(), {"FACTUREHUB_PUBLIC_URL": None})


def _serve(database_url: str, tmp_path: Path, port: int, env: dict[str, str | None]) -> Iterator[str]:
    with serving(_env(database_url, env), tmp_path / "serve.log", port) as base:
        yield base


def test_serve_answers_graphql_with_an_operator_token(server: str, database_url: str) -> None:
    run(database_url, "demo")
    token = run(
        database_url, "token", "--email", "claire.petit@ch-valbonne.example", "--workspace", "13000274400014"
    ).stdout.strip()
    response = httpx.post(
        f"{server}/graphql",
        json={"query": "{ workspace { name parameters { engagementRequired } services(first: 5) { totalCount } } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    workspace = response.json()["data"]["workspace"]
    assert workspace["name"] == "Centre hospitalier de Valbonne"
    assert workspace["parameters"]["engagementRequired"] is True
    assert workspace["services"]["totalCount"] == 2
    jwks = httpx.get(f"{server}/.well-known/jwks.json", timeout=5).json()
    assert jwks["keys"] and all("d" not in key for key in jwks["keys"])


def test_keys_rotate_publishes_a_key_that_does_not_sign_yet(db: Database, database_url: str) -> None:
    run(database_url, "demo")
    before = run(
        database_url, "token", "--email", "jean.leroy@eaux-valdesaone.example", "--workspace", "26690001800026"
    )
    done = run(database_url, "keys", "rotate", "--publish-ahead", "3600")
    kid = done.stderr.split()[2].rstrip(";")
    after = run(database_url, "token", "--email", "jean.leroy@eaux-valdesaone.example", "--workspace", "26690001800026")
    header = json.loads(base64.urlsafe_b64decode(after.stdout.split(".")[0] + "=="))
    assert header["kid"] != kid  # published, not yet signing
    assert json.loads(base64.urlsafe_b64decode(before.stdout.split(".")[0] + "=="))["kid"] == header["kid"]
    assert run(database_url, "keys", "rotate", "--publish-ahead", "-5", check=False).returncode == 1


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims


def test_serve_port_is_the_public_address_without_public_url(port_server: str, database_url: str) -> None:
    # Given `facturehub serve --port P` without FACTUREHUB_PUBLIC_URL
    port = port_server.rsplit(":", 1)[1]
    demo = json.loads(run(database_url, "demo", "--json").stdout)
    # Then discovery names that port for the issuer and every endpoint
    metadata = httpx.get(f"{port_server}/.well-known/oauth-authorization-server", timeout=5).json()
    assert metadata["issuer"] == port_server
    endpoints = {k: v for k, v in metadata.items() if k.endswith("_endpoint") or k == "jwks_uri"}
    assert endpoints and all(url.startswith(port_server + "/") for url in endpoints.values()), endpoints
    # And a technical account's token from the advertised endpoint is accepted by /graphql
    machine = next(c for c in demo["clients"] if c["workspace"] == "13000274400014" and c["clientSecret"])
    issued = httpx.post(
        metadata["token_endpoint"],
        data={"grant_type": "client_credentials", "scope": "invoices:read"},
        auth=(machine["clientId"], machine["clientSecret"]),
        timeout=10,
    )
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    assert _claims(token)["iss"] == port_server and _claims(token)["aud"] == f"{port_server}/graphql"
    query = {"query": "{ workspace { name } }"}
    answer = httpx.post(f"{port_server}/graphql", json=query, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200 and answer.json()["data"]["workspace"]["name"] == "Centre hospitalier de Valbonne"
    # And `facturehub token` agrees with the hub it is told about, by --port or FACTUREHUB_PORT
    member = ("--email", "claire.petit@ch-valbonne.example", "--workspace", "13000274400014")
    bare = {"FACTUREHUB_PUBLIC_URL": None}
    by_option = run(database_url, "token", *member, "--port", port, env=bare).stdout.strip()
    by_setting = run(database_url, "token", *member, env={**bare, "FACTUREHUB_PORT": port}).stdout.strip()
    for minted in (by_option, by_setting):
        assert _claims(minted)["iss"] == port_server
        accepted = httpx.post(
            f"{port_server}/graphql", json=query, headers={"Authorization": f"Bearer {minted}"}, timeout=10
        )
        assert accepted.status_code == 200, accepted.text
    # And a token for the default address is refused, saying which claim is wrong
    default = run(database_url, "token", *member, env=bare).stdout.strip()
    assert _claims(default)["iss"] == "http://127.0.0.1:8000"
    refused = httpx.post(
        f"{port_server}/graphql", json=query, headers={"Authorization": f"Bearer {default}"}, timeout=10
    )
    assert refused.status_code == 401
    assert f"the iss claim is not this hub's issuer, {port_server}" in refused.headers["www-authenticate"]


def test_public_url_wins_over_the_listening_address(server: str, database_url: str) -> None:
    # The `server` fixture listens on a free port with FACTUREHUB_PUBLIC_URL=http://127.0.0.1:8000 (a proxy's address)
    metadata = httpx.get(f"{server}/.well-known/oauth-authorization-server", timeout=5).json()
    assert metadata["issuer"] == "http://127.0.0.1:8000"
    assert metadata["token_endpoint"] == "http://127.0.0.1:8000/oauth/token"


def test_token_refuses_a_ttl_outside_30_to_3600_seconds(db: Database, database_url: str) -> None:
    run(database_url, "demo")
    member = ("--email", "jean.leroy@eaux-valdesaone.example", "--workspace", "26690001800026")
    for ttl in ("99999", "29"):
        refused = run(database_url, "token", *member, "--ttl", ttl, check=False)
        assert refused.returncode == 1 and refused.stdout == ""
        assert refused.stderr == f"facturehub: --ttl must be 30 to 3600 seconds, not {ttl}\n"
    claims = _claims(run(database_url, "token", *member, "--ttl", "30").stdout.strip())
    assert claims["exp"] - claims["iat"] == 30


def test_migrate_says_what_it_did(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'new' / 'facturehub.db'}"
    head = head_revision()
    created = run(url, "migrate")
    assert created.stderr == f"database {url}: created the schema at revision {head}\n"
    again = run(url, "migrate")
    assert again.stderr == f"database {url}: the schema is already at the latest revision, {head}\n"


def test_commands_without_a_database_say_so(tmp_path: Path) -> None:
    # Run from a folder that holds no ./var/facturehub.db (the default), before any `migrate`
    default = "sqlite+aiosqlite:///./var/facturehub.db"
    member = ("--email", "paul.martin@villeneuve.example", "--workspace", "21750001600019")
    for args in (("token", *member), ("directory", "export", "-")):
        refused = run(default, *args, check=False, cwd=tmp_path)
        assert refused.returncode == 1
        assert refused.stderr.startswith(f"facturehub: no facturehub database at {default}: run `facturehub migrate`")
        assert "Traceback" not in refused.stderr
    assert not (tmp_path / "var").exists()  # nothing was created on the way


def test_demo_prints_who_and_what_to_try(db: Database, database_url: str) -> None:
    shown = run(database_url, "demo").stdout
    described = json.loads(run(database_url, "demo", "--json").stdout)
    lines = shown.splitlines()
    for structure in described["structures"]:
        assert any(structure["identifier"] in line and structure["name"] in line for line in lines)
    for user in described["users"]:
        row = next(line for line in lines if user["email"] in line)
        assert user["password"] in row
        assert all(m["identifier"] in row and m["role"] in row for m in user["memberships"])
    for client in described["clients"]:
        row = next(line for line in lines if client["clientId"] in line)
        assert client["workspace"] in row
        assert client["clientSecret"] is None or client["clientSecret"] in row
    assert len(lines) < 60  # a summary, not the JSON
