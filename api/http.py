"""GraphQL over HTTP: bearer tokens only, POST only, the spec's media type and status codes."""

from __future__ import annotations

from typing import Any

import orjson
from graphql import GraphQLSyntaxError
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry import UNSET
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from api.core.context import Context, RequestSession
from auth.tokens import AccessTokenVerifier, InvalidToken
from tenancy.db import Database

GRAPHQL_RESPONSE = "application/graphql-response+json"
REALM = 'Bearer realm="facturehub"'


def bearer_token(request: Request) -> str | None:
    """Only the Authorization header counts: never a query parameter, a form field or a cookie."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def unauthorized(description: str | None) -> Response:
    """401 with the RFC 6750 challenge; the description says what failed (which claim, the signature...)."""
    challenge = REALM
    if description is not None:
        # A quoted-string of RFC 6750's error_description characters only (no quote, backslash, control).
        quoted = "".join(c if 0x20 <= ord(c) <= 0x7E and c not in '"\\' else "?" for c in description)
        challenge = f'{REALM}, error="invalid_token", error_description="{quoted}"'
    body = {
        "errors": [{"message": description or "a bearer token is required", "extensions": {"code": "UNAUTHENTICATED"}}]
    }
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": challenge})


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        schema: Any,
        *,
        db: Database,
        verifier: AccessTokenVerifier,
        max_body_bytes: int = 1_000_000,
        max_upload_bytes: int = 130 * 1024 * 1024,
    ) -> None:
        # Multipart uploads (the GraphQL multipart request spec) are safe here: the API takes bearer tokens
        # only, never cookies, so a cross-site form cannot act with someone's credentials.
        super().__init__(
            schema,
            graphql_ide=None,
            allow_queries_via_get=False,
            multipart_uploads_enabled=True,
            subscription_protocols=(),
        )
        self.db = db
        self.verifier = verifier
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if request.method != "POST":
            response: Response = JSONResponse(
                {"errors": [{"message": "GraphQL is served over POST only"}]},
                status_code=405,
                headers={"Allow": "POST"},
            )
            return await response(scope, receive, send)
        token = bearer_token(request)
        if token is None:
            return await unauthorized(None)(scope, receive, send)
        try:
            principal = await self.verifier.verify(token)
        except InvalidToken as exc:
            return await unauthorized(str(exc))(scope, receive, send)
        request.state.principal = principal
        request.state.db_session = RequestSession(self.db, principal)
        # The route admits uploads up to their own limit; everything else keeps the small one.
        uploading = request.headers.get("content-type", "").lower().startswith("multipart/form-data")
        limit = self.max_upload_bytes if uploading else self.max_body_bytes
        try:
            await RequestBodyLimitMiddleware(super().__call__, max_body_size=limit)(scope, receive, send)
        finally:
            await request.state.db_session.close(commit=False)  # a no-op when process_result already closed it

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context, root_value)
        finally:
            # Uploaded files are spooled to temporary files: close them whatever happened (refused map,
            # missing file, error), not whenever the garbage collector gets to them.
            form = getattr(request, "_form", None)
            if form is not None:
                await form.close()

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        assert isinstance(request, Request) and isinstance(response, Response)  # websockets are not served here
        request.state.sub_response = response
        return Context(request=request, principal=request.state.principal, db=self.db, session=request.state.db_session)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        sub_response: Response = request.state.sub_response
        errors = result.errors or []
        # Variable coercion fails before execution: data is null and no error has a path (field errors always do).
        pre_execution = isinstance(result, PreExecutionError)
        coercion = not pre_execution and result.data is None and bool(errors) and all(e.path is None for e in errors)
        request_error = pre_execution or coercion
        if request_error:
            syntax = any(isinstance(e, GraphQLSyntaxError) for e in errors)
            sub_response.status_code = 400 if syntax or coercion else 422
        for error in errors:  # graphql-core suggests enum values in variable errors even with suggestions off
            error.message = error.message.split(" Did you mean")[0]
        unexpected = any(e.message == "Unexpected error." for e in result.errors or ())
        await request.state.db_session.close(commit=not unexpected)
        accept = request.headers.get("accept", "")
        sub_response.media_type = (
            "application/json" if "application/json" in accept and GRAPHQL_RESPONSE not in accept else GRAPHQL_RESPONSE
        )
        processed = process_result(result)
        if request_error:
            processed.pop("data", None)  # a request error: nothing was executed, so no `data` entry (GraphQL spec 7.1)
        return processed

    def decode_json(self, data: str | bytes) -> object:
        # orjson refuses a lone surrogate ("\ud800"), which no store or XML can keep and which orjson could not
        # encode back either (a 500): the body is then not JSON, a 400. Its errors are json.JSONDecodeErrors.
        return orjson.loads(data)

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        media_type = sub_response.media_type or GRAPHQL_RESPONSE
        status = sub_response.status_code or 200
        if media_type == "application/json":
            status = 200 if status in (400, 422) else status  # legacy clients expect 200 with errors
        response = Response(self.encode_json(response_data), status_code=status, media_type=media_type)
        for name, value in sub_response.headers.items():
            if name.lower() not in ("content-type", "content-length"):
                response.headers.append(name, value)
        return response
