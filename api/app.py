"""The Starlette application: /graphql, well-known documents, health, and the web frontend."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from api.frontend import Frontend
from api.http import GraphQLView
from api.invoices.files import file_endpoint
from api.logs import AccessLog
from api.schema import build_schema
from api.settings import Settings
from auth import jobs as auth_jobs
from auth.joining.routes import JoiningSettings, JoiningWeb
from auth.keys import KeyRing
from auth.routes import OAuthWeb, OAuthWebSettings
from auth.server import OAuthSettings
from auth.throttle import LoginLimits
from auth.tokens import AccessTokenVerifier, TokenSettings
from invoicing.background import hub_worker
from tenancy.db import Database


def token_settings(settings: Settings) -> TokenSettings:
    return TokenSettings(issuer=settings.issuer, audience=settings.audience, ttl_s=settings.access_token_ttl)


def oauth_settings(settings: Settings) -> OAuthWebSettings:
    return OAuthWebSettings(
        oauth=OAuthSettings(
            issuer=settings.issuer,
            tokens=token_settings(settings),
            code_ttl_s=settings.authorization_code_ttl,
            refresh_ttl_s=settings.refresh_token_ttl,
        ),
        login_limits=LoginLimits(
            window_s=settings.login_failure_window,
            per_account=settings.login_max_failures_per_account,
            per_address=settings.login_max_failures_per_address,
        ),
        session_ttl_s=settings.login_session_ttl,
        token_requests_per_client=settings.token_requests_per_minute_per_client,
        token_requests_per_address=settings.token_requests_per_minute_per_address,
        signup_window_s=settings.signup_window,
        signup_per_address=settings.signup_max_per_address,
        signup_mails_per_recipient=settings.signup_max_mails_per_recipient,
        signup_structures_per_account=settings.signup_max_structures_per_account,
    )


def create_app(settings: Settings | None = None, *, db: Database | None = None) -> Starlette:
    settings = settings or Settings()
    database = db or Database(settings.database_url, pool_size=settings.db_pool_size)
    keyring = KeyRing(database)
    oauth = OAuthWeb(oauth_settings(settings), database, keyring)
    joining = JoiningWeb(JoiningSettings(issuer=settings.issuer, session_ttl_s=settings.login_session_ttl), database)
    view = GraphQLView(
        build_schema(settings),
        db=database,
        verifier=AccessTokenVerifier(keyring, token_settings(settings)),
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        max_url_bytes=settings.max_url_bytes,
    )

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def jwks(request: Request) -> Response:
        return JSONResponse(keyring.jwks, headers={"Cache-Control": "public, max-age=300"})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await keyring.load()
        worker = (
            hub_worker(
                database,
                mail_config=settings.mail_config(),
                poll_interval=settings.worker_poll_interval,
                lease=timedelta(seconds=settings.worker_lease),
                more=auth_jobs.HANDLERS,
            )
            if settings.run_worker
            else None
        )
        task = asyncio.create_task(worker.run(), name="facturehub-worker") if worker else None
        yield
        if worker is not None and task is not None:  # the job under way finishes; nothing is cut half-way
            worker.stop()
            await task
        if db is None:
            await database.dispose()

    routes: list[BaseRoute] = [
        # The view enforces its body limits itself, so that even a 413 is a GraphQL error document.
        Route("/graphql", view),  # every method: the view answers 405 itself
        Route("/healthz", healthz, methods=["GET"]),
        Route("/files/{token}", file_endpoint(database, keyring), methods=["GET"]),
        Route("/.well-known/jwks.json", jwks, methods=["GET"]),
        *oauth.routes(),
        *joining.routes(),
        *Frontend(settings.frontend_dir).routes(),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(AccessLog)])
    app.state.settings = settings
    app.state.db = database
    app.state.keyring = keyring
    app.state.oauth = oauth
    app.state.joining = joining
    return app
