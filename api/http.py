"""GraphQL over HTTP: bearer tokens only; queries over GET or POST, mutations over POST only; the spec's media
types and status codes, and a GraphQL error document for every refusal (never plain text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLSyntaxError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry import UNSET
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.parse_content_type import parse_content_type
from strawberry.http.types import QueryParams
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from api.core.bounded import BoundedCache
from api.core.context import Context, RequestSession
from api.core.language import request_locale
from api.core.operation import OperationNotDetermined
from api.loaders import Loaders
from api.logs import note
from auth.principal import Principal
from auth.tokens import AccessTokenVerifier, InvalidToken
from tenancy.db import Database

GRAPHQL_RESPONSE = "application/graphql-response+json"
REALM = 'Bearer realm="facturehub"'
MAX_ACTOR_NAMES = 10_000
# The request media types served: JSON, and the GraphQL multipart request spec for files. Anything a
# cross-site HTML form can send without a preflight (urlencoded, text/plain) is refused.
REQUEST_MEDIA_TYPES = ("application/json", "multipart/form-data")


class RequestRefused(Exception):
    """A request answered with an error document instead of a GraphQL result.

    `well_formed` marks a refusal of a well-formed GraphQL-over-HTTP request (e.g. no operation of that
    name): legacy `application/json` clients get those with 200, like any other GraphQL request error.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str = "BAD_REQUEST",
        headers: Mapping[str, str] | None = None,
        well_formed: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})
        self.well_formed = well_formed


def bearer_token(request: Request) -> str | None:
    """Only the Authorization header counts: never a query parameter, a form field or a cookie."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def response_media_type(request: Request) -> str:
    """The spec's media type, unless the client accepts only the older `application/json`."""
    accept = request.headers.get("accept", "")
    return "application/json" if "application/json" in accept and GRAPHQL_RESPONSE not in accept else GRAPHQL_RESPONSE


def error_document(request: Request, refused: RequestRefused) -> Response:
    media_type = response_media_type(request)
    status = 200 if refused.well_formed and media_type == "application/json" else refused.status
    body = {"errors": [{"message": refused.message, "extensions": {"code": refused.code}}]}
    return Response(orjson.dumps(body), status_code=status, media_type=media_type, headers=refused.headers)


def unauthorized(description: str | None) -> RequestRefused:
    """401 with the RFC 6750 challenge; the description says what failed (which claim, the signature...)."""
    challenge = REALM
    if description is not None:
        # A quoted-string of RFC 6750's error_description characters only (no quote, backslash, control).
        quoted = "".join(c if 0x20 <= ord(c) <= 0x7E and c not in '"\\' else "?" for c in description)
        challenge = f'{REALM}, error="invalid_token", error_description="{quoted}"'
    return RequestRefused(
        401,
        description or "a bearer token is required",
        code="UNAUTHENTICATED",
        headers={"WWW-Authenticate": challenge},
    )


def _from_strawberry(exc: HTTPException) -> RequestRefused:
    """strawberry's own refusals (no query, batching, a `variables` that is not an object...), as documents."""
    return RequestRefused(exc.status_code, exc.reason)


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        schema: Any,
        *,
        db: Database,
        verifier: AccessTokenVerifier,
        max_body_bytes: int = 1_000_000,
        max_upload_bytes: int = 130 * 1024 * 1024,
        max_url_bytes: int = 8192,
    ) -> None:
        # Queries over GET and multipart uploads are safe here: the API takes bearer tokens only, never
        # cookies, so a cross-site link or form cannot act with someone's credentials.
        super().__init__(
            schema,
            graphql_ide=None,
            allow_queries_via_get=True,
            multipart_uploads_enabled=True,
            subscription_protocols=(),
        )
        self.db = db
        self.verifier = verifier
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes
        self.max_url_bytes = max_url_bytes
        self.actor_names: BoundedCache[str, str] = BoundedCache(MAX_ACTOR_NAMES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        limit = self._body_limit(request)
        try:
            self._check_request(request, limit)
            principal = await self._authenticate(request)
        except RequestRefused as refused:
            return await error_document(request, refused)(scope, receive, send)
        note(scope, workspace=str(principal.tenant))
        request.state.principal = principal
        request.state.db_session = RequestSession(self.db, principal)
        try:
            await RequestBodyLimitMiddleware(self._serve, max_body_size=limit)(scope, receive, send)
        finally:
            await request.state.db_session.close(commit=False)  # a no-op when process_result already closed it

    def _body_limit(self, request: Request) -> int:
        """Uploads have their own limit; everything else keeps the small one."""
        uploading = request.headers.get("content-type", "").lower().startswith("multipart/form-data")
        return self.max_upload_bytes if uploading else self.max_body_bytes

    def _check_request(self, request: Request, body_limit: int) -> None:
        """What can be refused from the request line and headers alone, before the token is even read."""
        if request.method not in ("GET", "POST"):
            raise RequestRefused(
                405,
                "GraphQL is served over GET (queries) and POST",
                code="METHOD_NOT_ALLOWED",
                headers={"Allow": "GET, POST"},
            )
        query_string = request.scope["query_string"]
        path = request.scope.get("raw_path") or request.url.path.encode()
        url_bytes = len(path) + (1 + len(query_string) if query_string else 0)  # the request target, `?` included
        if url_bytes > self.max_url_bytes:
            raise RequestRefused(
                414,
                f"the URL has {url_bytes} bytes, more than {self.max_url_bytes}: send the query over POST",
                code="URI_TOO_LONG",
            )
        declared = request.headers.get("content-length", "")
        if request.method == "POST" and declared.isdigit() and int(declared) > body_limit:
            raise RequestRefused(413, f"the request body is over {body_limit} bytes", code="PAYLOAD_TOO_LARGE")

    async def _authenticate(self, request: Request) -> Principal:
        token = bearer_token(request)
        if token is None:
            raise unauthorized(None)
        try:
            return await self.verifier.verify(token)
        except InvalidToken as exc:
            raise unauthorized(str(exc)) from exc

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await self.run(request)
        except RequestRefused as refused:
            response = error_document(request, refused)
        except HTTPException as exc:
            response = error_document(request, _from_strawberry(exc))
        except StarletteHTTPException as exc:  # raised while reading the body: a malformed multipart, or too large
            if exc.status_code == 413:  # found while reading a body that declared no length (or a false one)
                limit = self._body_limit(request)
                problem = RequestRefused(413, f"the request body is over {limit} bytes", code="PAYLOAD_TOO_LARGE")
            elif 400 <= exc.status_code < 500:
                problem = RequestRefused(exc.status_code, exc.detail)
            else:
                raise
            response = error_document(request, problem)
        if request.method == "GET":  # an answer for one token: no cache, private or shared, keeps it
            response.headers["Cache-Control"] = "no-store"
        await response(scope, receive, send)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context, root_value)
        finally:
            # Uploaded files are spooled to temporary files: close them whatever happened (refused map,
            # missing file, error), not whenever the garbage collector gets to them.
            form = getattr(request, "_form", None)
            if form is not None:
                await form.close()

    def should_render_graphql_ide(self, request: Any) -> bool:
        return False  # a GET without a query is a request error, not a page

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type not in REQUEST_MEDIA_TYPES:
                raise RequestRefused(
                    415,
                    f"unsupported content type {content_type or '(none)'!r}: send application/json, "
                    "or multipart/form-data for files",
                    code="UNSUPPORTED_MEDIA_TYPE",
                )
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData) and not isinstance(data.operation_name, str | None):
            raise RequestRefused(400, "`operationName` must be a string or null")
        return data

    def parse_query_params(self, params: QueryParams) -> dict[str, Any]:
        """The GET parameters of the GraphQL-over-HTTP spec; `variables` and `extensions` are JSON."""
        data: dict[str, Any] = {key: params[key] for key in ("query", "operationName") if params.get(key) is not None}
        for key in ("variables", "extensions"):
            value = params.get(key)
            if value:
                data[key] = self._decode(value, f"the `{key}` parameter")
        return data

    def decode_json(self, data: str | bytes) -> object:
        return self._decode(data, "the request body")

    @staticmethod
    def _decode(data: str | bytes, what: str) -> object:
        # orjson parses without recursing on the Python stack and stops at 1024 levels: a body nested
        # 5,000 arrays deep is refused here instead of exhausting the interpreter's recursion limit.
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            if exc.msg == "depth limit exceeded":
                raise RequestRefused(400, f"{what} is nested too deeply (JSON depth over 1024)") from exc
            raise RequestRefused(400, f"{what} is not valid JSON: {exc}") from exc

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as exc:
            cause = exc.__cause__
            if isinstance(cause, InvalidOperationTypeError):  # GET allows queries only (GraphQL over HTTP)
                raise RequestRefused(
                    405,
                    f"{cause.operation_type.value}s are served over POST only",
                    code="METHOD_NOT_ALLOWED",
                    headers={"Allow": "POST"},
                ) from exc
            if isinstance(cause, CannotGetOperationTypeError):
                name = cause.operation_name
                message = "the document has no operation" if name is None else f"the document has no operation {name!r}"
                raise RequestRefused(400, message, well_formed=True) from exc
            raise

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        assert isinstance(request, Request) and isinstance(response, Response)  # websockets are not served here
        request.state.sub_response = response
        principal: Principal = request.state.principal
        session: RequestSession = request.state.db_session
        return Context(
            request=request,
            principal=principal,
            db=self.db,
            session=session,
            loaders=Loaders.build(session, principal.tenant, self.db),
            actor_names=self.actor_names,
            locale=request_locale(request.headers.get("accept-language")),
        )

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        sub_response: Response = request.state.sub_response
        errors = result.errors or []
        # Variable coercion fails before execution: data is null and no error has a path (field errors always do).
        pre_execution = isinstance(result, PreExecutionError)
        coercion = not pre_execution and result.data is None and bool(errors) and all(e.path is None for e in errors)
        request_error = pre_execution or coercion
        if request_error:
            syntax = any(isinstance(e, GraphQLSyntaxError | OperationNotDetermined) for e in errors)
            sub_response.status_code = 400 if syntax or coercion else 422
        for error in errors:  # graphql-core suggests enum values in variable errors even with suggestions off
            error.message = error.message.split(" Did you mean")[0]
        unexpected = any(e.message == "Unexpected error." for e in result.errors or ())
        await request.state.db_session.close(commit=not unexpected)
        sub_response.media_type = response_media_type(request)
        processed = process_result(result)
        if request_error:
            processed.pop("data", None)  # a request error: nothing was executed, so no `data` entry (GraphQL spec 7.1)
        return processed

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
