"""The hub serves the built SPA at / (api/frontend.py): fallback, caching, CSP, API paths untouched."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.frontend import CSP
from tenancy.db import Database
from tests.conftest import settings_for

INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Abc123.js"></script></head></html>'
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text(INDEX)
    (built / "assets" / "index-Abc123.js").write_text("console.log('app')")
    (built / "robots.txt").write_text("User-agent: *")
    (built / ".env").write_text("SECRET=1")
    (tmp_path / "secret.txt").write_text("outside the build")
    return built


async def _client(db: Database, database_url: str, dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings_for(database_url, frontend_dir=dist), db=db)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http:
            yield http


@pytest.fixture
async def web(db: Database, database_url: str, dist: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for http in _client(db, database_url, dist):
        yield http


@pytest.fixture
async def unbuilt(db: Database, database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for http in _client(db, database_url, tmp_path / "no-dist"):
        yield http


def test_the_policy_is_the_strict_one() -> None:
    assert CSP == EXPECTED_CSP


async def test_index_is_served_at_the_root_never_cached_with_the_csp(web: httpx.AsyncClient) -> None:
    response = await web.get("/")
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-security-policy"] == EXPECTED_CSP
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/factures/recues", "/callback?code=x&state=y", "/a/b/c", "/index.htm"])
async def test_app_routes_fall_back_to_index(web: httpx.AsyncClient, path: str) -> None:
    response = await web.get(path)
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-security-policy"] == EXPECTED_CSP


async def test_hashed_assets_are_cached_for_a_year(web: httpx.AsyncClient) -> None:
    response = await web.get("/assets/index-Abc123.js")
    assert response.status_code == 200
    assert response.text == "console.log('app')"
    assert "javascript" in response.headers["content-type"]
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-security-policy"] == EXPECTED_CSP


async def test_other_files_are_served_but_revalidated(web: httpx.AsyncClient) -> None:
    response = await web.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


async def test_a_missing_asset_is_404_not_the_index(web: httpx.AsyncClient) -> None:
    response = await web.get("/assets/index-Old999.js")
    assert response.status_code == 404
    assert INDEX not in response.text


@pytest.mark.parametrize("path", ["/..%2fsecret.txt", "/assets/..%2f..%2fsecret.txt", "/.env", "/%2e%2e/secret.txt"])
async def test_nothing_outside_the_build_nor_a_dot_file_is_served(web: httpx.AsyncClient, path: str) -> None:
    response = await web.get(path)
    assert "outside the build" not in response.text
    assert "SECRET" not in response.text


async def test_api_paths_keep_their_own_answers(web: httpx.AsyncClient) -> None:
    assert (await web.get("/healthz")).json() == {"status": "ok"}
    graphql = await web.get("/graphql")  # queries over GET need a token: the API's answer, not the SPA
    assert graphql.status_code == 401 and "WWW-Authenticate" in graphql.headers and INDEX not in graphql.text
    token = await web.get("/oauth/token")
    assert token.status_code == 405  # the token endpoint's route, not the SPA
    for path in ("/oauth/nothing", "/.well-known/nothing", "/files/", "/graphql/x", "/healthz/x"):
        response = await web.get(path)
        assert response.status_code == 404, path
        assert INDEX not in response.text
    assert (await web.get("/.well-known/oauth-authorization-server")).json()["issuer"] == "http://127.0.0.1:8000"


async def test_without_a_build_the_api_still_serves_and_the_root_says_how_to_build(
    unbuilt: httpx.AsyncClient,
) -> None:
    assert (await unbuilt.get("/healthz")).status_code == 200
    for path in ("/", "/factures/recues"):
        response = await unbuilt.get(path)
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("text/html")
        assert "make frontend" in response.text
    assert (await unbuilt.post("/graphql", json={"query": "{ viewer { subject } }"})).status_code == 401
