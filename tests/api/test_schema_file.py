"""The frontend's typed documents are generated from frontend/schema.graphql: it must be the schema served."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from api.cli import main

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "frontend" / "schema.graphql"


def test_checked_in_schema_is_the_servers() -> None:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["schema"]) == 0
    assert printed.getvalue() == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "frontend/schema.graphql is stale: run `facturehub schema > frontend/schema.graphql`, "
        "then `npm run codegen` in frontend/"
    )
