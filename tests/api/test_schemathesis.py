"""Schemathesis in GraphQL mode against a real `facturehub serve`: every query and mutation, generated from the
schema the hub publishes, must answer without a server error and as GraphQL over HTTP says.

The run is bounded and reproducible: derandomized, no shrinking, a fixed number of examples per operation
(about 1,050 requests: some 20 s on an idle 2-core machine, server start included). It uses the demo data on SQLite and the demo principal manager's token (every
scope), sends queries by POST and by GET, and mutations by POST (and checks that GET refuses them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.graphql import nodes

from api.http import GRAPHQL_RESPONSE
from tests.live import REPO, free_port, serving

DEMO_MANAGER = ("paul.martin@villeneuve.example", "21750001600019")  # GESTIONNAIRE_PRINCIPAL: every scope
# Examples per operation and mode: 24 operations x (positive + negative), queries also sent by GET.
EXAMPLES = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 8}
MAX_URL = 8192

# The hub's own scalars. A Decimal is sent as a string (as the API documents) or a number (strawberry takes
# both); an Upload can only be a file in a multipart request, so inline it is a string, which the mutations
# must refuse with a user error.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2).map(str).map(nodes.String),
        st.integers(min_value=-(10**6), max_value=10**6).map(nodes.Int),
        st.sampled_from(["0", "1e3", "-0.001", "NaN", "Infinity", "1" * 40, "abc"]).map(nodes.String),
    ),
)
schemathesis.graphql.scalar("Upload", st.sampled_from(["", "invoice.xml", "%PDF-1.7"]).map(nodes.String))


@dataclass
class Hub:
    base: str
    token: str
    log: Path


@dataclass
class Findings:
    """Problems by (operation, method, problem), each with its first example and how often it came."""

    seen: dict[tuple[str, str, str], tuple[str, int]] = field(default_factory=dict)
    requests: int = 0
    tried_over_get: set[str] = field(default_factory=set)

    def add(self, operation: str, method: str, problem: str, example: str) -> None:
        key = (operation, method, problem)
        first, count = self.seen.get(key, (example, 0))
        self.seen[key] = (first, count + 1)

    def report(self) -> str:
        lines = []
        for (operation, method, problem), (example, count) in sorted(self.seen.items()):
            lines.append(f"{operation} over {method}: {problem} ({count}x), first:\n{example}\n")
        return "\n".join(lines)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    directory = tmp_path_factory.mktemp("schemathesis")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "FACTUREHUB_DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'hub.db'}",
        "FACTUREHUB_PUBLIC_URL": base,
    }

    # The operator commands `demo` (migrates, then loads the demo structures, members, clients and invoices)
    # and `token`, in one process: each process pays the imports.
    email, workspace = DEMO_MANAGER
    operator = (
        "import sys; from api.cli import main; "
        f"sys.exit(main(['demo']) or main(['token', '--email', {email!r}, '--workspace', {workspace!r}, '--ttl', '3600']))"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", operator], env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1]  # `demo` prints its summary first
    log = directory / "serve.log"
    with serving(env, log, port):
        yield Hub(base, token, log)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lowercase names
    text: str

    @classmethod
    def of(cls, response: schemathesis.Response | requests.Response) -> Answer:
        if isinstance(response, requests.Response):
            headers = {name.lower(): value for name, value in response.headers.items()}
        else:  # schemathesis' own: lowercase names, a list of values each
            headers = {name: ", ".join(values) for name, values in response.headers.items()}
        return cls(response.status_code, headers, response.content.decode("utf-8", "replace"))


def conformance_problems(answer: Answer, *, over_get: bool, is_mutation: bool) -> list[str]:
    """What is wrong with one answer, by GraphQL over HTTP (application/graphql-response+json)."""
    status = answer.status
    if status >= 500:
        return [f"server error {status}"]
    if over_get and is_mutation:
        expected = status == 405 and answer.headers.get("allow") == "POST"
        return [] if expected else [f"a mutation over GET answered {status}, not 405 with Allow: POST"]
    problems = []
    media_type = answer.headers.get("content-type", "")
    if not media_type.startswith(GRAPHQL_RESPONSE):
        problems.append(f"media type {media_type!r}")
    try:
        body = json.loads(answer.text)
    except ValueError:
        return [*problems, "a body that is not JSON"]
    if (
        not isinstance(body, dict)
        or not body.keys() & {"data", "errors"}
        or body.keys() - {"data", "errors", "extensions"}
    ):
        return [*problems, f"not a GraphQL response: keys {sorted(body) if isinstance(body, dict) else type(body)}"]
    errors = body.get("errors", [])
    if "errors" in body and not (
        isinstance(errors, list)
        and errors
        and all(isinstance(e, dict) and isinstance(e.get("message"), str) for e in errors)
    ):
        problems.append("`errors` is not a non-empty list of errors with a message")
    elif any(e["message"] == "Unexpected error." for e in errors):
        problems.append("Unexpected error. (a masked exception: see the server log)")
    elif any(e["message"].startswith("Cannot return null for non-nullable field") for e in errors):
        problems.append("null in a non-null field (the answer breaks the published schema)")
    if "data" in body and status != 200:
        problems.append(f"status {status} with a `data` entry (the spec wants 200)")
    if "data" not in body and not 400 <= status < 500:
        problems.append(f"status {status} for a request error (no `data`: the spec wants 4xx)")
    return problems


def _example(case: Any, answer: Answer) -> str:
    return f"  query: {case.body}\n  answer: {answer.status} {answer.text[:500]}"


def _exercise(
    operation: Any, mode: GenerationMode, hub: Hub, session: requests.Session, findings: Findings
) -> Callable[[], None]:
    is_mutation = operation.label.startswith("Mutation.")
    headers = {"Authorization": f"Bearer {hub.token}", "Accept": GRAPHQL_RESPONSE}

    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a fixed budget, and every finding is kept
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        answer = Answer.of(case.call(session=session, headers=headers, timeout=30))
        findings.requests += 1
        for problem in conformance_problems(answer, over_get=False, is_mutation=is_mutation):
            findings.add(operation.label, "POST", problem, _example(case, answer))
        url = f"{hub.base}/graphql"
        # Queries are sent by GET too; a mutation once per operation (it must be refused, and run nothing).
        if is_mutation and operation.label in findings.tried_over_get:
            return
        findings.tried_over_get.add(operation.label)
        if len(requests.Request("GET", url, params={"query": case.body}).prepare().path_url) <= MAX_URL:
            answer = Answer.of(session.get(url, params={"query": case.body}, headers=headers, timeout=30))
            findings.requests += 1
            for problem in conformance_problems(answer, over_get=True, is_mutation=is_mutation):
                findings.add(operation.label, "GET", problem, _example(case, answer))

    return run


def test_every_operation_answers_as_graphql_over_http_says(hub: Hub) -> None:
    headers = {"Authorization": f"Bearer {hub.token}"}
    schema = schemathesis.graphql.from_url(f"{hub.base}/graphql", headers=headers, timeout=30)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [o.label for o in operations]
    findings = Findings()
    started = time.monotonic()
    with requests.Session() as session:
        for operation in operations:
            for mode in EXAMPLES:
                _exercise(operation, mode, hub, session, findings)()
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {findings.requests} requests in {elapsed:.1f} s")
    unexpected = [line for line in hub.log.read_text().splitlines() if "Traceback" in line or " ERROR " in line]
    assert not findings.seen, findings.report() + "\nserver log errors:\n" + "\n".join(unexpected[:20])


def _answer(status: int, body: Any, media_type: str = GRAPHQL_RESPONSE, **headers: str) -> Answer:
    return Answer(status, {"content-type": media_type, **headers}, body if isinstance(body, str) else json.dumps(body))


@pytest.mark.parametrize(
    ("answer", "over_get", "is_mutation", "problem"),
    [
        (_answer(200, {"data": {"a": 1}}), False, False, None),
        (_answer(422, {"errors": [{"message": "x"}]}), False, False, None),
        (_answer(405, {"errors": [{"message": "x"}]}, allow="POST"), True, True, None),
        (_answer(500, "Internal Server Error", "text/plain"), False, False, "server error 500"),
        (_answer(400, "bad", "text/plain"), False, False, "media type 'text/plain'"),
        (_answer(200, [1]), False, False, "not a GraphQL response"),
        (_answer(200, {"data": None, "foo": 1}), False, False, "not a GraphQL response"),
        (_answer(200, {"errors": []}), False, False, "`errors` is not a non-empty list"),
        (_answer(400, {"data": None, "errors": [{"message": "x"}]}), False, False, "status 400 with a `data` entry"),
        (_answer(200, {"errors": [{"message": "x"}]}), False, False, "status 200 for a request error"),
        (_answer(200, {"data": None, "errors": [{"message": "Unexpected error."}]}), False, False, "Unexpected error."),
        (
            _answer(200, {"data": None, "errors": [{"message": "Cannot return null for non-nullable field Q.a."}]}),
            False,
            False,
            "null in a non-null field",
        ),
        (_answer(200, {"data": {"a": 1}}), True, True, "a mutation over GET answered 200"),
    ],
)
def test_the_checks_catch_what_they_should(
    answer: Answer, over_get: bool, is_mutation: bool, problem: str | None
) -> None:
    found = conformance_problems(answer, over_get=over_get, is_mutation=is_mutation)
    if problem is None:
        assert found == []
    else:
        assert any(p.startswith(problem) for p in found), found
