"""The web frontend (frontend/dist, built by `make frontend`) at `/`, as a single-page app.

Any GET that no API route answered and that names no file of the build gets index.html, so the SPA's own
routes (/factures/recues, /callback...) load on a reload or a shared link. Paths under the API's prefixes
keep their 404. Vite names assets by their content hash: they are cached for a year; index.html is
revalidated every time, so a new build is picked up at once. Every answer carries a CSP that allows no
inline script and no other origin.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

API_PREFIXES = ("/graphql", "/oauth", "/files", "/.well-known", "/healthz")
HASHED_DIR = "assets"
CSP = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>facturehub</title></head>
<body><h1>facturehub</h1><p>The API is up (<code>/graphql</code>), but the web frontend is not built in
<code>{dist}</code>.</p><p>Build it with <code>make frontend</code> (Node.js 20 or later), then reload.</p></body></html>"""


def is_api_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in API_PREFIXES)


class _AppRoute(Route):
    """Matches no API path at all, so those keep the router's own answers (404, or 405 with Allow)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and is_api_path(scope["path"]):
            return Match.NONE, {}
        return super().matches(scope)


class Frontend:
    def __init__(self, dist: Path) -> None:
        self.dist = dist.resolve()

    def routes(self) -> list[BaseRoute]:
        # Last in the route list: every API route has had its chance first.
        return [_AppRoute("/{path:path}", self.serve, methods=["GET", "HEAD"], name="frontend")]

    async def serve(self, request: Request) -> Response:
        path = request.url.path
        index = self.dist / "index.html"
        if not index.is_file():
            page = NOT_BUILT.format(dist=escape(str(self.dist)))
            return HTMLResponse(page, status_code=503, headers={**SECURITY_HEADERS, "Cache-Control": "no-store"})
        found = self._file(path)
        if found is not None:
            hashed = found.parent == self.dist / HASHED_DIR
            return FileResponse(
                found, headers={**SECURITY_HEADERS, "Cache-Control": IMMUTABLE if hashed else REVALIDATE}
            )
        if path.startswith(f"/{HASHED_DIR}/"):
            # An asset of another build (a page loaded before a deploy): a 404, not index.html as JavaScript.
            return PlainTextResponse("Not Found", status_code=404, headers=SECURITY_HEADERS)
        return FileResponse(index, headers={**SECURITY_HEADERS, "Cache-Control": REVALIDATE})

    def _file(self, path: str) -> Path | None:
        relative = path.lstrip("/")
        if not relative or "\x00" in relative:
            return None
        candidate = (self.dist / relative).resolve()
        # Never outside the build (../, symlinks), never a dot-file.
        if not candidate.is_relative_to(self.dist) or any(
            p.startswith(".") for p in candidate.relative_to(self.dist).parts
        ):
            return None
        return candidate if candidate.is_file() else None
