"""Logs: one access line per request with its fields; tracebacks only for unexpected errors; JSON lines on demand."""

from __future__ import annotations

import json
import logging
import os
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from starlette.applications import Starlette

from api.logs import JsonFormatter
from api.settings import Settings
from tenancy.db import Database
from tenancy.models import Structure
from tests.factories import make_tenant, token_for
from tests.live import free_port, serving


def _access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "facturehub.access"]


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    keys = ("method", "path", "status", "duration_ms", "operation", "workspace")
    return {key: getattr(record, key) for key in keys if hasattr(record, key)}


async def _post(client: httpx.AsyncClient, token: str | None, body: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.post("/graphql", json=body, headers=headers)


async def test_one_access_line_per_request_with_its_fields(
    app: Starlette, db: Database, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    tenant = await make_tenant(app, db)
    caplog.set_level(logging.INFO)
    response = await _post(client, tenant.token, {"query": "query WhoAmI { viewer { clientId } }"})
    assert response.status_code == 200
    [line] = _access_lines(caplog)
    fields = _fields(line)
    duration = fields.pop("duration_ms")
    assert isinstance(duration, float) and 0 <= duration < 10_000
    workspace = str(tenant.structure.id)
    assert fields == {
        "method": "POST",
        "path": "/graphql",
        "status": 200,
        "operation": "WhoAmI",
        "workspace": workspace,
    }
    assert line.levelno == logging.INFO
    assert line.getMessage() == f"POST /graphql 200 {duration:.1f} ms operation=WhoAmI workspace={workspace}"


async def test_the_access_line_names_only_what_there_is(
    app: Starlette, db: Database, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    tenant = await make_tenant(app, db)
    caplog.set_level(logging.INFO)
    await _post(client, tenant.token, {"query": "{ viewer { clientId } }"})  # anonymous: no operation name
    await _post(client, None, {"query": "query Named { viewer { clientId } }"})  # no token: no workspace
    await client.get("/healthz")
    secret = "query Secret { workspace { name } }"
    await client.get("/graphql", params={"query": secret}, headers={"Authorization": f"Bearer {tenant.token}"})
    anonymous, unauthenticated, health, over_get = (_fields(r) for r in _access_lines(caplog))
    assert "operation" not in anonymous and anonymous["workspace"] == str(tenant.structure.id)
    assert unauthenticated["status"] == 401 and "workspace" not in unauthenticated
    assert "operation" not in unauthenticated  # nothing was parsed for a request without a token
    assert health["path"] == "/healthz" and health["status"] == 200 and "workspace" not in health
    # A GET query's text (and variables) stays out of the log: the path only.
    assert over_get["path"] == "/graphql" and over_get["operation"] == "Secret"
    assert "workspace { name }" not in caplog.text


CLIENT_MISTAKES: dict[str, Any] = {
    "missing scope": {"query": "{ directory { structures(first: 1) { totalCount } } }"},
    "unknown field": {"query": "{ workspace { nope } }"},
    "syntax": {"query": "{ workspace { name }"},
    "variable type": {
        "query": "query ($n: Int) { workspace { services(first: $n) { totalCount } } }",
        "variables": {"n": "x"},
    },
    "bad argument": {"query": "{ workspace { services(first: 500) { totalCount } } }"},
    "user error": {"query": 'mutation { createService(input: {code: "", name: ""}) { userErrors { code } } }'},
    "unknown operation": {"query": "query A { __typename }", "operationName": "B"},
    "query cost": {
        "query": "{ directory { structures(first: 100) { nodes { services(first: 100) { nodes { id } } } } } }"
    },
}


async def test_a_clients_mistakes_leave_no_traceback(
    app: Starlette, db: Database, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    tenant = await make_tenant(app, db)
    token = token_for(app, tenant.structure, tenant.user, scopes=["workspace:admin"])  # no directory:read
    caplog.set_level(logging.DEBUG)
    for name, body in CLIENT_MISTAKES.items():
        response = await _post(client, token, body)
        assert response.status_code in (200, 400, 422), name
        assert "Unexpected error." not in response.text, name
    malformed = await client.post(
        "/graphql", content="{", headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    )
    assert malformed.status_code == 400
    assert len(_access_lines(caplog)) == len(CLIENT_MISTAKES) + 1
    assert [r for r in caplog.records if r.exc_info] == []
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert "Traceback" not in caplog.text


async def test_an_unexpected_error_is_logged_with_its_traceback_and_masked(
    app: Starlette, db: Database, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # A well-signed token for a structure that does not exist: the resolver hits a LookupError (a bug path).
    ghost = Structure(id=uuid.uuid4(), identifier="ghost", name="Ghost")
    caplog.set_level(logging.INFO)
    response = await _post(client, token_for(app, ghost), {"query": "query Mine { workspace { name } }"})
    assert [e["message"] for e in response.json()["errors"]] == ["Unexpected error."]
    [error] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert error.name == "facturehub.errors" and error.levelno == logging.ERROR
    assert error.exc_info is not None and error.exc_info[0] is LookupError
    assert error.getMessage().startswith("unexpected error in Mine at workspace: LookupError(")
    assert "Traceback" in caplog.text
    [line] = _access_lines(caplog)
    assert _fields(line)["operation"] == "Mine" and _fields(line)["workspace"] == str(ghost.id)


def test_the_json_format_is_one_object_per_line_with_the_fields() -> None:
    formatter = JsonFormatter()
    record = logging.LogRecord("facturehub.access", logging.INFO, __file__, 1, "%s %s", ("GET", "/x"), None)
    record.status = 200
    record.duration_ms = 1.5
    line = formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry.pop("time").endswith("+00:00")
    assert entry == {
        "level": "INFO",
        "logger": "facturehub.access",
        "message": "GET /x",
        "status": 200,
        "duration_ms": 1.5,
    }
    try:
        raise LookupError("boom")
    except LookupError:
        failed = logging.LogRecord("facturehub.errors", logging.ERROR, __file__, 1, "oops", (), sys.exc_info())
    entry = json.loads(formatter.format(failed))
    assert entry["message"] == "oops"
    assert entry["traceback"].startswith("Traceback (most recent call last):")
    assert entry["traceback"].endswith("LookupError: boom")


def test_log_settings_take_any_case_and_refuse_the_rest() -> None:
    assert Settings(log_format="JSON", log_level="debug").log_format == "json"
    assert Settings(log_level="debug").log_level == "DEBUG"
    assert (Settings().log_format, Settings().log_level) == ("text", "INFO")
    with pytest.raises(ValidationError):
        Settings(log_format="xml")
    with pytest.raises(ValidationError):
        Settings(log_level="LOUD")


def test_serve_writes_json_lines_and_only_the_apps_access_line(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "FACTUREHUB_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'hub.db'}",
        "FACTUREHUB_PUBLIC_URL": base,
        "FACTUREHUB_LOG_FORMAT": "json",
        "FACTUREHUB_RUN_WORKER": "false",
    }
    log = tmp_path / "serve.log"
    with serving(env, log, port):
        assert httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}).status_code == 401
    entries = [json.loads(line) for line in log.read_text().splitlines()]  # every line is JSON
    access = [e for e in entries if e["logger"] == "facturehub.access"]
    assert access[-1]["path"] == "/graphql" and access[-1]["status"] == 401 and access[-1]["method"] == "POST"
    assert all(e["path"] == "/healthz" for e in access[:-1])  # one line per request, the polls included
    assert not any(e["logger"] == "uvicorn.access" for e in entries)  # uvicorn's own access log is off
    assert any(e["logger"] == "uvicorn.error" and "Uvicorn running" in e["message"] for e in entries)
