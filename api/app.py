"""The Starlette application: /graphql, well-known documents, health, and the web frontend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from api.http import GraphQLView
from api.schema import build_schema
from api.settings import Settings
from auth.keys import KeyRing
from auth.tokens import AccessTokenVerifier, TokenSettings
from tenancy.db import Database


def token_settings(settings: Settings) -> TokenSettings:
    return TokenSettings(issuer=settings.issuer, audience=settings.audience, ttl_s=settings.access_token_ttl)


def create_app(settings: Settings | None = None, *, db: Database | None = None) -> Starlette:
    settings = settings or Settings()
    database = db or Database(settings.database_url, pool_size=settings.db_pool_size)
    keyring = KeyRing(database)
    view = GraphQLView(
        build_schema(settings), db=database, verifier=AccessTokenVerifier(keyring, token_settings(settings))
    )

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def jwks(request: Request) -> Response:
        return JSONResponse(keyring.jwks, headers={"Cache-Control": "public, max-age=300"})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await keyring.load()
        yield
        if db is None:
            await database.dispose()

    routes: list[BaseRoute] = [
        Route(
            "/graphql", view, methods=["GET", "POST", "PUT", "DELETE", "PATCH"], max_body_size=settings.max_body_bytes
        ),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/.well-known/jwks.json", jwks, methods=["GET"]),
    ]
    if settings.frontend_dir.is_dir():
        routes.append(Mount("/", StaticFiles(directory=settings.frontend_dir, html=True), name="frontend"))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.db = database
    app.state.keyring = keyring
    return app
