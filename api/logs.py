"""Logging: one access line per request, text or JSON lines, tracebacks only for what nobody meant to happen."""

from __future__ import annotations

import logging
import sys
import time
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS = logging.getLogger("facturehub.access")
ERRORS = logging.getLogger("facturehub.errors")

LogFormat = Literal["text", "json"]
# What a request handler may add to its access line (see `note`): GraphQL operation, workspace id.
_NOTES = "facturehub.access"
# Every attribute a LogRecord has on its own; anything else on a record came from `extra=`.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def note(scope: Scope, **fields: str | None) -> None:
    """Add fields to this request's access line (None leaves a field out)."""
    notes: dict[str, str] = scope.setdefault(_NOTES, {})
    notes.update({key: value for key, value in fields.items() if value is not None})


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the fields a log collector indexes (and a traceback as one string)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({key: value for key, value in record.__dict__.items() if key not in _STANDARD})
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return orjson.dumps(entry, default=str).decode()


def configure_logging(log_format: LogFormat = "text", level: str = "INFO") -> None:
    """The root logger writes to stderr in the chosen format; uvicorn's loggers and ours go through it."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for previous in root.handlers[:]:
        root.removeHandler(previous)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # let them reach the root handler, once
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True


class AccessLog:
    """ASGI middleware: one line per HTTP request, written when the response has been sent (or has failed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500  # what the client gets when the application raises before it answers

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            fields: dict[str, Any] = {
                "method": scope["method"],
                "path": scope["path"],  # never the query string: it can carry a GET query's variables
                "status": status,
                "duration_ms": duration_ms,
                **scope.get(_NOTES, {}),
            }
            extras = "".join(f" {key}={fields[key]}" for key in ("operation", "workspace") if key in fields)
            ACCESS.info(
                "%s %s %s %.1f ms%s", fields["method"], fields["path"], status, duration_ms, extras, extra=fields
            )
