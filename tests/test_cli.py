"""The `facturehub` console script, run as a newcomer would: as a separate process."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from invoicing.records import InvoiceRecord
from tenancy import privileged
from tenancy.db import Database

FACTUREHUB = [sys.executable, "-m", "api.cli"]
REPO = Path(__file__).resolve().parents[1]


def run(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FACTUREHUB_DATABASE_URL": database_url, "FACTUREHUB_PUBLIC_URL": "http://127.0.0.1:8000"}
    done = subprocess.run([*FACTUREHUB, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)  # noqa: S603
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(db: Database, database_url: str, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    env = {**os.environ, "FACTUREHUB_DATABASE_URL": database_url, "FACTUREHUB_PUBLIC_URL": "http://127.0.0.1:8000"}
    process = subprocess.Popen(  # noqa: S603
        [*FACTUREHUB, "serve", "--port", str(port)], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = (tmp_path / "serve.log").read_text(errors="replace")
                raise AssertionError(f"facturehub serve did not start:\n{output}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


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
