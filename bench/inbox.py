"""The inbox query under concurrent load, beside one hand-written SQL query served as JSON (the floor).

    .venv/bin/python bench/inbox.py [--invoices 1000000] [--workspace-invoices 100000] [--seconds 10]
                                    [--keep] [--reuse DBNAME]

On PostgreSQL (FACTUREHUB_TEST_POSTGRES_URL, default postgres@127.0.0.1:5432), all on loopback:
  * loads a fresh database (created here, dropped at the end unless --keep) with --invoices invoice records:
    every transmission has both sides' records (the supplier's ISSUED, the recipient's RECEIVED), one or two
    history events per record; one public entity receives --workspace-invoices of them, nine others and
    200 suppliers share the rest. Bulk-loaded with asyncpg COPY (takes minutes; progress is printed);
  * the query: ``workspace { receivedInvoices(first: 50) { nodes { ...parties, totals, status, lastEvent } } }``
    through ``facturehub serve`` with a member's token (one, then two server processes);
  * the floor: the same 50 rows with their last event, by one SQL query through asyncpg, returned as JSON
    (orjson) by a minimal Starlette endpoint under uvicorn (one, then two processes), measured in the same run;
  * each with 1 and 16 concurrent clients (keep-alive connections, alternating between the processes) for
    --seconds after a warm-up: requests/s, p50 and p99 latency.
Targets: GraphQL at least 8% of the floor's throughput with one server process, 12% with two (both against the
floor with as many processes), p99 under 500 ms at 16 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from api.invoices.types import Invoice  # noqa: E402  (the type the ceiling executes over)
from bench.processes import stop_all  # noqa: E402

FACTUREHUB = [sys.executable, "-m", "api.cli"]
PG_URL = os.environ.get("FACTUREHUB_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
PUBLIC_URL = "http://127.0.0.1:8000"
ENTITY = "21330063500017"  # the workspace under test (a public entity's SIRET)
MEMBER = "agent.inbox@bench.example"

GRAPHQL = (
    "{ workspace { receivedInvoices(first: 50) { nodes { id number status issueDate depositedAt "
    "supplier { identifier name } recipient { identifier name } "
    "totals { withoutVat vat withVat amountDue } lastEvent { status at actor reason } } } } }"
)
FLOOR_SQL = """
SELECT i.id, i.number, i.status, i.issue_date, i.deposited_at,
       i.supplier_identifier, i.supplier_name, i.recipient_identifier, i.recipient_name,
       i.total_without_vat, i.total_vat, i.total_with_vat, i.amount_due,
       e.status_to, e.at, e.actor_name, e.reason
FROM invoices i
LEFT JOIN LATERAL (
    SELECT status_to, at, actor_name, reason FROM invoice_events e
    WHERE e.tenant_id = i.tenant_id AND e.invoice_id = i.id
    ORDER BY e.at DESC LIMIT 1
) e ON true
WHERE i.tenant_id = $1 AND i.side = 'RECEIVED'
ORDER BY i.deposited_at DESC, i.id DESC
LIMIT 50
"""


def admin_dsn(database: str | None = None) -> str:
    url = make_url(PG_URL).set(drivername="postgresql")
    if database:
        url = url.set(database=database)
    return url.render_as_string(hide_password=False)


def app_url(database: str) -> str:
    return make_url(PG_URL).set(database=database).render_as_string(hide_password=False)


def env_for(database: str) -> dict[str, str]:
    return {
        **os.environ,
        "FACTUREHUB_DATABASE_URL": app_url(database),
        "FACTUREHUB_PUBLIC_URL": PUBLIC_URL,
        "FACTUREHUB_ACCESS_TOKEN_TTL": "3600",
        "FACTUREHUB_RUN_WORKER": "false",
    }


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- loading ----------------------------------------------------------------------------------------------


def siret(n: int) -> str:
    from stdnum import luhn

    siren8 = f"{30_000_000 + n:08d}"
    siren = siren8 + luhn.calc_check_digit(siren8)
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


async def create_parties(database: str) -> tuple[uuid.UUID, list[uuid.UUID], list[tuple[uuid.UUID, str, str]]]:
    """The workspace under test, nine other public entities, 200 suppliers; a member of the workspace."""
    import auth.models
    import auth.oauth_models
    import invoicing.deposit.records
    import tenancy.jobs.table
    import tenancy.models
    from auth.users import upsert_user
    from tenancy import members, privileged
    from tenancy.db import Database
    from tenancy.enums import Access, IdentifierType, Role
    from tenancy.structures import Address, StructureDraft

    _ = (auth.models, auth.oauth_models, invoicing.deposit.records, tenancy.jobs.table, tenancy.models)
    db = Database(app_url(database))
    try:

        async def structure(identifier: str, name: str, public: bool) -> uuid.UUID:
            draft = StructureDraft(
                identifier_type=IdentifierType.SIRET,
                identifier=identifier,
                name=name,
                is_public=public,
                address=Address(line1="1 place de la Mairie", postcode="33000", town="Bordeaux"),
            )
            return (await privileged.create_structure(db, draft)).id

        entity = await structure(ENTITY, "Mairie de Grandville", True)
        others = [await structure(siret(i), f"Collectivité {i}", True) for i in range(1, 10)]
        suppliers = []
        for i in range(200):
            identifier = siret(1000 + i)
            name = f"Fournisseur {i:03d} SARL"
            suppliers.append((await structure(identifier, name, False), identifier, name))
        user = await upsert_user(db, email=MEMBER, display_name="Agent Inbox", password=None)
        async with db.tenant_session(entity) as session:
            await members.ensure_member(
                session, entity, user_id=user.id, role=Role.GESTIONNAIRE_PRINCIPAL, access=Access.WRITE
            )
        return entity, others, suppliers
    finally:
        await db.dispose()


async def bulk_load(database: str, total: int, in_workspace: int) -> None:
    from invoicing.deposit.records import InvoiceEvent, InvoiceRecord

    entity, others, suppliers = await create_parties(database)
    recipients = {entity: (ENTITY, "Mairie de Grandville")}
    for i, other in enumerate(others, start=1):
        recipients[other] = (siret(i), f"Collectivité {i}")
    sha = "0" * 64
    connection = await asyncpg.connect(admin_dsn(database))
    try:
        await connection.execute(
            "INSERT INTO documents (sha256, size, media_type, content) VALUES ($1, 4, 'application/xml', $2)",
            sha,
            b"<x/>",
        )
        invoice_columns = [c.name for c in InvoiceRecord.__table__.columns]
        event_columns = [c.name for c in InvoiceEvent.__table__.columns]
        transmissions = total // 2
        start = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
        batch = 50_000
        began = time.perf_counter()
        for first in range(0, transmissions, batch):
            records: list[tuple[Any, ...]] = []
            events: list[tuple[Any, ...]] = []
            for n in range(first, min(first + batch, transmissions)):
                # Every (transmissions / in_workspace)-th transmission goes to the workspace under test.
                recipient = entity if n % max(1, transmissions // in_workspace) == 0 else others[n % len(others)]
                supplier_id, supplier_identifier, supplier_name = suppliers[n % len(suppliers)]
                recipient_identifier, recipient_name = recipients[recipient]
                deposited = start - dt.timedelta(seconds=61 * n)
                net = Decimal(100 + n % 9000) + Decimal(n % 100) / 100
                vat = (net * Decimal("0.2")).quantize(Decimal("0.01"))
                status = "MISE_A_DISPOSITION" if n % 7 else "SERVICE_FAIT"
                common: dict[str, Any] = {
                    "transmission_id": uuid.uuid4(),
                    "number": f"F{n:09d}",
                    "issue_date": deposited.date(),
                    "year": deposited.year,
                    "type_code": "380",
                    "is_credit_note": False,
                    "frame": "A1_FACTURE_FOURNISSEUR",
                    "currency": "EUR",
                    "supplier_id": supplier_id,
                    "supplier_identifier": supplier_identifier,
                    "supplier_name": supplier_name,
                    "recipient_id": recipient,
                    "recipient_identifier": recipient_identifier,
                    "recipient_name": recipient_name,
                    "validator_id": None,
                    "validator_identifier": None,
                    "service_code": None,
                    "engagement_number": None,
                    "total_without_vat": net,
                    "total_vat": vat,
                    "total_with_vat": net + vat,
                    "amount_due": net + vat,
                    "status": status,
                    "status_at": deposited,
                    "version": 1,
                    "deposited_at": deposited,
                    "document_sha256": sha,
                    "document_name": f"F{n:09d}.xml",
                    "syntax": "UBL Invoice",
                    "flux_id": None,
                    "rejection_acknowledged_at": None,
                    "details": "{}",
                }
                for tenant, side, counterpart in (
                    (supplier_id, "ISSUED", recipient_name),
                    (recipient, "RECEIVED", supplier_name),
                ):
                    record_id = uuid.uuid4()
                    row = {
                        **common,
                        "tenant_id": tenant,
                        "id": record_id,
                        "side": side,
                        "search_text": f"{common['number'].lower()} | {counterpart.lower()}",
                    }
                    records.append(tuple(row[c] for c in invoice_columns))
                    # One or two history events per record: the deposit, then (mostly) the status it reached.
                    history = [("DEPOSIT", None, "DEPOSEE", "SUPPLIER", supplier_name, None, deposited)]
                    if n % 3:
                        reason = "Service fait constaté" if status == "SERVICE_FAIT" else None
                        history.append(
                            (
                                "STATUS",
                                "DEPOSEE",
                                status,
                                "SYSTEM" if status == "MISE_A_DISPOSITION" else "RECIPIENT",
                                "facturehub" if status == "MISE_A_DISPOSITION" else "Agent Inbox",
                                reason,
                                deposited + dt.timedelta(seconds=1),
                            )
                        )
                    for action, status_from, status_to, actor_side, actor_name, why, at in history:
                        event = {
                            "tenant_id": tenant,
                            "id": uuid.uuid4(),
                            "invoice_id": record_id,
                            "at": at,
                            "action": action,
                            "status_from": status_from,
                            "status_to": status_to,
                            "actor_side": actor_side,
                            "actor_name": actor_name,
                            "reason": why,
                        }
                        events.append(tuple(event[c] for c in event_columns))
            await connection.copy_records_to_table("invoices", records=records, columns=invoice_columns)
            await connection.copy_records_to_table("invoice_events", records=events, columns=event_columns)
            done = min(first + batch, transmissions) * 2
            rate = done / (time.perf_counter() - began)
            say(f"loaded {done:,}/{transmissions * 2:,} invoice records ({rate:,.0f}/s)")
        say("ANALYZE")
        await connection.execute("ANALYZE")
        count = await connection.fetchval(
            "SELECT count(*) FROM invoices WHERE tenant_id = $1 AND side = 'RECEIVED'", entity
        )
        say(
            f"workspace under test: {count:,} received invoices; database: {await connection.fetchval('SELECT count(*) FROM invoices'):,} invoices, {await connection.fetchval('SELECT count(*) FROM invoice_events'):,} events"
        )
    finally:
        await connection.close()


# --- the floor: one SQL query, JSON out ---------------------------------------------------------------------


def floor_app(dsn: str, tenant: uuid.UUID) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    pool: asyncpg.Pool | None = None

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        nonlocal pool
        # Custom plans: a generic plan of this query guesses the average tenant's size (a few rows) and, for
        # a workspace of 100,000 invoices, joins them all before sorting. See the note in the report.
        pool = await asyncpg.create_pool(
            dsn, min_size=4, max_size=10, server_settings={"plan_cache_mode": "force_custom_plan"}
        )
        yield
        await pool.close()

    async def inbox(request: Request) -> Response:
        assert pool is not None
        rows = await pool.fetch(FLOOR_SQL, tenant)
        nodes = [
            {
                "id": str(r["id"]),
                "number": r["number"],
                "status": r["status"],
                "issueDate": r["issue_date"].isoformat(),
                "depositedAt": r["deposited_at"].isoformat(),
                "supplier": {"identifier": r["supplier_identifier"], "name": r["supplier_name"]},
                "recipient": {"identifier": r["recipient_identifier"], "name": r["recipient_name"]},
                "totals": {
                    "withoutVat": str(r["total_without_vat"]),
                    "vat": str(r["total_vat"]),
                    "withVat": str(r["total_with_vat"]),
                    "amountDue": str(r["amount_due"]),
                },
                "lastEvent": None
                if r["at"] is None
                else {
                    "status": r["status_to"],
                    "at": r["at"].isoformat(),
                    "actor": r["actor_name"],
                    "reason": r["reason"],
                },
            }
            for r in rows
        ]
        body = orjson.dumps({"data": {"workspace": {"receivedInvoices": {"nodes": nodes}}}})
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/inbox", inbox, methods=["GET", "POST"])], lifespan=lifespan)


def serve_floor(port: int, database: str, tenant: str) -> None:
    import uvicorn

    uvicorn.run(floor_app(admin_dsn(database), uuid.UUID(tenant)), host="127.0.0.1", port=port, log_level="warning")


# --- servers and load -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def processes(commands: list[list[str]], env: dict[str, str], ports: list[int]) -> Iterator[None]:
    procs = [
        subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        for command in commands
    ]
    try:
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"nothing listens on {port}") from None
                    time.sleep(0.2)
        yield
    finally:
        stop_all(procs)


def request_bytes(path: str, body: bytes, token: str | None) -> bytes:
    head = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
    ]
    if token:
        head.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    """One request on a keep-alive connection: a minimal HTTP/1.1 client, so the load generator costs little."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length == 0 and b"chunked" in head.lower():
        raise RuntimeError("chunked responses are not expected here")
    return status, await reader.readexactly(length)


async def load(ports: list[int], request: bytes, clients: int, seconds: float, warmup: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    measuring = False
    stop_at = time.perf_counter() + warmup + seconds

    async def client(index: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", ports[index % len(ports)])
        try:
            while time.perf_counter() < stop_at:
                sent = time.perf_counter()
                status, _ = await exchange(reader, writer, request)
                if measuring:
                    latencies.append(time.perf_counter() - sent)
                    errors += status != 200
        finally:
            writer.close()

    async def clock() -> None:
        nonlocal measuring
        await asyncio.sleep(warmup)
        measuring = True

    await asyncio.gather(clock(), *(client(i) for i in range(clients)))
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors,
    }


async def check_answer(port: int, request: bytes) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        status, body = await exchange(reader, writer, request)
    finally:
        writer.close()
    answer = orjson.loads(body)
    nodes = ((answer.get("data") or {}).get("workspace") or {}).get("receivedInvoices", {}).get("nodes")
    if status != 200 or "errors" in answer or not nodes or len(nodes) != 50 or not nodes[0]["lastEvent"]:
        raise RuntimeError(f"unexpected answer on port {port}: {status} {body[:500]!r}")


def token_for(database: str) -> str:
    done = subprocess.run(  # noqa: S603
        [*FACTUREHUB, "token", "--email", MEMBER, "--workspace", ENTITY, "--scope", "invoices:read"],
        env=env_for(database),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return done.stdout.strip()


def measure(database: str, tenant: uuid.UUID, args: argparse.Namespace) -> list[tuple[str, int, int, dict[str, float]]]:
    token = token_for(database)
    graphql = request_bytes("/graphql", orjson.dumps({"query": GRAPHQL}), token)
    floor = request_bytes("/inbox", b"{}", None)
    rows = []
    for count in (1, 2):
        for kind in ("floor", "graphql"):
            ports = [free_port() for _ in range(count)]
            if kind == "floor":
                commands = [
                    [
                        sys.executable,
                        __file__,
                        "serve-floor",
                        "--port",
                        str(p),
                        "--database",
                        database,
                        "--tenant",
                        str(tenant),
                    ]
                    for p in ports
                ]
                request = floor
            else:
                commands = [[*FACTUREHUB, "serve", "--host", "127.0.0.1", "--port", str(p)] for p in ports]
                request = graphql
            with processes(commands, env_for(database), ports):
                for port in ports:
                    asyncio.run(check_answer(port, request))
                for clients in (1, 16):
                    result = asyncio.run(load(ports, request, clients, args.seconds, args.warmup))
                    rows.append((kind, count, clients, result))
                    say(f"{kind} x{count} processes, {clients} clients: {result['rps']:.0f} req/s")
    return rows


def execution_ceiling(database: str, tenant: uuid.UUID) -> float:
    """Pages/s that graphql-core and strawberry alone reach on this selection: the first page's 50 invoices,
    read and built once as the server builds them (rows, then ``Invoice.of``), then only the execution of
    the same node selection over them, in this process: no HTTP, no token, no database. The ceiling any
    strawberry server of this schema has, whatever it does around the execution."""
    import strawberry
    from strawberry.extensions import ParserCache, ValidationCache

    from api.core.execution import ExecutionContext
    from invoicing import inbox
    from invoicing.deposit.records import RecordSide
    from tenancy.db import Database
    from tenancy.keyset import PageRequest, fetch_page

    async def invoices() -> list[Invoice]:
        db = Database(app_url(database))
        try:
            async with db.tenant_session(tenant) as session:
                stmt = inbox.list_query(tenant, RecordSide.RECEIVED, None)
                keys = inbox.sort_keys(inbox.SortField.DEPOSITED_AT, True)
                page = await fetch_page(session, stmt, keys, PageRequest(first=50), scalars=False)
                events = await inbox.histories(session, tenant, [row.id for row in page.items])
            return [Invoice.of(row, events[row.id]) for row in page.items]
        finally:
            await db.dispose()

    built = asyncio.run(invoices())

    @strawberry.type
    class Page:
        @strawberry.field
        def nodes(self) -> list[Invoice]:
            return built

    schema = strawberry.Schema(
        query=Page,
        extensions=[lambda: ParserCache(), lambda: ValidationCache()],
        execution_context_class=ExecutionContext,  # as the server's schema executes
    )
    # GRAPHQL is "{ workspace { receivedInvoices(first: 50) { nodes { ... } } } }": keep "nodes { ... }"
    nodes = GRAPHQL[GRAPHQL.index("nodes") :]
    query = "{ " + nodes[: len(nodes) - len(" } } }")] + " }"
    for _ in range(20):
        result = schema.execute_sync(query)
        assert result.errors is None and len(result.data["nodes"]) == 50, result.errors
    best = 0.0
    for _ in range(5):
        start = time.process_time()
        for _ in range(50):
            schema.execute_sync(query)
        best = max(best, 50 / (time.process_time() - start))
    return best


def report(
    rows: list[tuple[str, int, int, dict[str, float]]],
    load_before: tuple[float, ...],
    args: argparse.Namespace,
    ceiling: float,
) -> None:
    floor = {(count, clients): r for kind, count, clients, r in rows if kind == "floor"}
    load_after = os.getloadavg()
    print(
        f"\nInbox query (50 received invoices with parties, totals, status, last event) on a workspace of "
        f"{args.workspace_invoices:,} received invoices in a database of {args.invoices:,}; "
        f"{args.seconds:.0f} s per cell after {args.warmup:.0f} s warm-up; {os.cpu_count()} CPUs"
    )
    print(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f}"
    )
    print(
        f"{'what':<28} {'procs':>5} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'% of floor':>10}"
    )
    for kind, count, clients, r in rows:
        share = 100 * r["rps"] / floor[(count, clients)]["rps"]
        label = "floor: asyncpg SQL + JSON" if kind == "floor" else "GraphQL receivedInvoices"
        print(
            f"{label:<28} {count:>5} {clients:>7} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
            f"{r['errors']:>6.0f} {share:>9.1f}%"
        )
    best_floor = max(r["rps"] for (count, clients), r in floor.items() if count == 1)
    print(
        f"{'ceiling: execution only':<28} {1:>5} {'-':>7} {ceiling:>8.0f} {1000 / ceiling:>8.1f} {'':>8} {'':>6} "
        f"{100 * ceiling / best_floor:>9.1f}%"
    )
    print(
        "(ceiling: strawberry + graphql-core executing the same node selection over 50 invoices built once, in"
        " process, CPU time; % against the best x1 floor. No server of this schema answers faster per core.)"
    )
    for count, target in ((1, 8), (2, 12)):
        ours = next(r for kind, c, cl, r in rows if kind == "graphql" and c == count and cl == 16)
        share = 100 * ours["rps"] / floor[(count, 16)]["rps"]
        p99 = ours["p99"]
        print(
            f"target x{count} process(es), 16 clients: {share:.1f}% of the floor (>= {target}%: "
            f"{'met' if share >= target else 'NOT MET'}), p99 {p99:.0f} ms (< 500 ms: {'met' if p99 < 500 else 'NOT MET'})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command")
    floor = sub.add_parser("serve-floor")
    floor.add_argument("--port", type=int, required=True)
    floor.add_argument("--database", required=True)
    floor.add_argument("--tenant", required=True)
    parser.add_argument("--invoices", type=int, default=1_000_000, help="invoice records in the database")
    parser.add_argument("--workspace-invoices", type=int, default=100_000, help="received by the workspace under test")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--keep", action="store_true", help="keep the database at the end (print its name)")
    parser.add_argument("--reuse", help="a database an earlier --keep run left: skip the load")
    args = parser.parse_args()
    if args.command == "serve-floor":
        serve_floor(args.port, args.database, args.tenant)
        return 0
    load_before = os.getloadavg()
    database = args.reuse or f"facturehub_inbox_{secrets.token_hex(3)}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(admin_dsn())
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    if not args.reuse:
        say(f"creating database {database}")
        asyncio.run(admin(f'CREATE DATABASE "{database}"'))
    try:
        if not args.reuse:
            subprocess.run([*FACTUREHUB, "migrate"], env=env_for(database), cwd=REPO, check=True, timeout=300)  # noqa: S603
            asyncio.run(bulk_load(database, args.invoices, args.workspace_invoices))

        async def tenant_of() -> uuid.UUID:
            connection = await asyncpg.connect(admin_dsn(database))
            try:
                found: uuid.UUID = await connection.fetchval("SELECT id FROM structures WHERE identifier = $1", ENTITY)
                return found
            finally:
                await connection.close()

        tenant = asyncio.run(tenant_of())
        rows = measure(database, tenant, args)
        report(rows, load_before, args, execution_ceiling(database, tenant))
    finally:
        if args.keep or args.reuse:
            say(f"database kept: {database}")
        else:
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
