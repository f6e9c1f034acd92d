"""Deposit throughput through GraphQL (multipart ``submitInvoice``, upload to MISE_A_DISPOSITION), beside
validation alone on the same files (the floor), measured in the same run.

    .venv/bin/python bench/deposit.py [--invoices 300] [--concurrency 4] [--engines sqlite,postgresql]

What it does, all on loopback:
  * generates N distinct valid invoices (the test builder's invoice, numbers varied) from the demo supplier
    Atelier Durand SARL to the Syndicat des eaux du Val-de-Saône (a recipient that requires nothing);
  * the floor: ``invoicing.validation.validate_many`` (what ``facturehub validate`` runs) over the same files,
    in one process, then in two processes (half the files each), warmed up first;
  * for each engine (SQLite in a temporary file; PostgreSQL in a fresh database it creates and drops, on the
    server of FACTUREHUB_TEST_POSTGRES_URL or postgres@127.0.0.1:5432) and for one then two
    ``facturehub serve`` processes (two ports; the client alternates): a fresh migrated database with the
    demo loaded, a token from ``facturehub token``, a warm-up, then the N deposits, ``--concurrency``
    requests in flight per server; every answer must be an accepted invoice in MISE_A_DISPOSITION;
  * the request floor: as many ``previewInvoice`` calls of a one-byte file on one server (SQLite): the same
    HTTP, multipart, token and GraphQL path, refused before validation and the database.
It prints invoices/s, p50/p99 latency and two cost ratios, with the load average before and after: wall
(floor invoices/s over deposit invoices/s, the floor with as many processes as servers) and CPU (the server
processes' CPU per invoice, read from /proc, over validation's CPU per invoice). Target: at most 1.5.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.processes import stop_all  # noqa: E402
from invoicing.formats.convert import Target, write  # noqa: E402
from invoicing.formats.model import Address, Identifier, Party  # noqa: E402
from invoicing.validation.validate import validate_many  # noqa: E402
from tests.invoicing import builder  # noqa: E402

FACTUREHUB = [sys.executable, "-m", "api.cli"]
PG_URL = os.environ.get("FACTUREHUB_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
SUPPLIER_EMAIL, SUPPLIER = "marie.durand@atelier-durand.example", "44306184100104"
RECIPIENT = "26690001800026"
PUBLIC_URL = "http://127.0.0.1:8000"
PREVIEW = "mutation($input: PreviewInvoiceInput!) { previewInvoice(input: $input) { accepted userErrors { rule } } }"
SUBMIT = (
    "mutation($input: SubmitInvoiceInput!) { submitInvoice(input: $input) "
    "{ invoice { id number status } userErrors { rule message } } }"
)


def invoices(count: int, tag: str) -> list[bytes]:
    base = builder.invoice()
    seller = dataclasses.replace(
        base.seller,
        name="Atelier Durand SARL",
        identifiers=[Identifier(SUPPLIER[:9], "0002")],
        legal_registration=Identifier(SUPPLIER, "0009"),
        vat_id="FR64443061841",
        electronic_address=Identifier(SUPPLIER, "0009"),
    )
    buyer = Party(
        name="Syndicat des eaux du Val-de-Saône",
        identifiers=[Identifier(RECIPIENT, "0009")],
        legal_registration=Identifier(RECIPIENT, "0009"),
        electronic_address=Identifier(RECIPIENT, "0009"),
        address=Address(line1="1 place de la République", city="Mâcon", postcode="71000", country="FR"),
    )
    common = {"seller": seller, "buyer": buyer, "buyer_reference": None, "order_ref": None}
    return [write(builder.invoice(number=f"BD-{tag}-{i:06d}", **common), Target.UBL) for i in range(count)]


# --- the floor ---------------------------------------------------------------------------------------


def _validate_all(files: list[bytes]) -> float:
    """CPU seconds spent validating ``files`` in this process."""
    validate_many(files[:4])  # warm: compiled stylesheets, schemas
    start = time.process_time()
    for i in range(0, len(files), 25):
        reports = validate_many(files[i : i + 25])
        assert all(r.valid for r in reports), [r.as_json() for r in reports if not r.valid][:1]
    return time.process_time() - start


def floor(files: list[bytes], processes: int) -> tuple[float, float]:
    """Invoices/s of validation alone, with ``processes`` processes sharing the files, and CPU ms per invoice."""
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_validate_all, [files[:8]] * processes))  # start and warm the workers
        start = time.perf_counter()
        cpu = sum(pool.map(_validate_all, [files[i::processes] for i in range(processes)]))
        return len(files) / (time.perf_counter() - start), cpu / len(files) * 1000


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (Linux /proc), threads included."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the whole line)
    return total / os.sysconf("SC_CLK_TCK")


# --- servers -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "FACTUREHUB_DATABASE_URL": url,
        "FACTUREHUB_PUBLIC_URL": PUBLIC_URL,
        "FACTUREHUB_ACCESS_TOKEN_TTL": "3600",
        "FACTUREHUB_RUN_WORKER": "false",
        "FACTUREHUB_MAX_UPLOAD_BYTES": str(10 * 1024 * 1024),
    }


def cli(url: str, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [*FACTUREHUB, *args], env=env_for(url), cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"facturehub {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


@contextmanager
def servers(url: str, count: int) -> Iterator[tuple[list[str], list[int]]]:
    ports = [free_port() for _ in range(count)]
    procs = [
        subprocess.Popen(  # noqa: S603
            [*FACTUREHUB, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env_for(url),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        deadline = time.monotonic() + 60
        for base in bases:
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server at {base} did not start")
                time.sleep(0.2)
        yield bases, [proc.pid for proc in procs]
    finally:
        stop_all(procs)


@contextmanager
def database(engine: str) -> Iterator[str]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite+aiosqlite:///{tmp}/bench.db"
        return
    name = f"facturehub_bench_{secrets.token_hex(4)}"
    admin_dsn = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(admin_dsn)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- the client -----------------------------------------------------------------------------------------


Send = Callable[[httpx.AsyncClient, str, str, bytes, str], Awaitable[float]]


async def _post_document(
    client: httpx.AsyncClient, base: str, token: str, query: str, data: bytes, name: str
) -> tuple[httpx.Response, float]:
    """A GraphQL multipart request carrying one document as ``input.document``; its answer and latency."""
    operations = {"query": query, "variables": {"input": {"document": None}}}
    start = time.perf_counter()
    response = await client.post(
        f"{base}/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.document"]})},
        files={"0": (name, data, "application/xml")},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response, time.perf_counter() - start


async def submit(client: httpx.AsyncClient, base: str, token: str, data: bytes, name: str) -> float:
    """One deposit through GraphQL; its latency."""
    response, elapsed = await _post_document(client, base, token, SUBMIT, data, name)
    body = response.json()
    answer = (body.get("data") or {}).get("submitInvoice") or {}
    invoice = answer.get("invoice")
    if response.status_code != 200 or not invoice or invoice["status"] != "MISE_A_DISPOSITION":
        raise RuntimeError(f"deposit of {name} not accepted: {response.status_code} {body}")
    return elapsed


async def preview_nothing(client: httpx.AsyncClient, base: str, token: str, data: bytes, name: str) -> float:
    """``previewInvoice`` of a one-byte file: the same HTTP, multipart, token and GraphQL path as a deposit,
    refused before any validation or database work. What the request layer costs by itself."""
    response, elapsed = await _post_document(client, base, token, PREVIEW, data, name)
    answer = ((response.json().get("data") or {}).get("previewInvoice")) or {}
    if response.status_code != 200 or answer.get("accepted") is not False or not answer.get("userErrors"):
        raise RuntimeError(f"preview of one byte not refused: {response.status_code} {response.text[:300]}")
    return elapsed


async def drive(
    bases: list[str], token: str, files: list[bytes], concurrency: int, send: Send
) -> tuple[float, list[float]]:
    queue = list(enumerate(files))
    latencies: list[float] = []

    async def worker(client: httpx.AsyncClient) -> None:
        while queue:
            index, data = queue.pop(0)
            base = bases[index % len(bases)]  # alternate between the servers
            latencies.append(await send(client, base, token, data, f"invoice-{index}.xml"))

    limits = httpx.Limits(max_connections=concurrency * len(bases) * 2)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency * len(bases))))
        return time.perf_counter() - start, latencies


def measure(
    engine: str, processes: int, files: list[bytes], warm: list[bytes], concurrency: int, send: Send = submit
) -> dict[str, Any]:
    with database(engine) as url:
        cli(url, "migrate")
        cli(url, "demo")
        token = cli(
            url, "token", "--email", SUPPLIER_EMAIL, "--workspace", SUPPLIER, "--scope", "invoices:submit"
        ).strip()
        with servers(url, processes) as (bases, pids):
            asyncio.run(drive(bases, token, warm, 1, send))  # each server compiles its stylesheets, fills its pools
            cpu_before = cpu_seconds(pids)
            wall, latencies = asyncio.run(drive(bases, token, files, concurrency, send))
            cpu = cpu_seconds(pids) - cpu_before
    latencies.sort()
    return {
        "rate": len(files) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "cpu_ms": cpu / len(files) * 1000,
    }


def postgres_answers() -> str | None:
    async def probe() -> None:
        dsn = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn, timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except Exception as exc:  # any failure: no PostgreSQL for this run
        return f"{type(exc).__name__}: {exc}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invoices", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight per server")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--processes", default="1,2", help="server process counts to measure")
    args = parser.parse_args()
    started = time.perf_counter()
    load_before = os.getloadavg()
    tag = secrets.token_hex(2).upper()
    files = invoices(args.invoices, tag)
    warm = invoices(6, tag + "W")
    counts = [int(p) for p in args.processes.split(",")]
    floors = {p: floor(files, p) for p in counts}
    rows: list[tuple[str, int, dict[str, Any]]] = []
    # The request floor: what HTTP, multipart, token and GraphQL cost around a deposit, on one server.
    request_floor = measure("sqlite", 1, [b"x"] * len(files), [b"x"] * 6, args.concurrency, preview_nothing)
    print("  measured the request floor", file=sys.stderr)
    for engine in args.engines.split(","):
        if engine == "postgresql" and (why := postgres_answers()):
            print(f"PostgreSQL skipped: {why}", file=sys.stderr)
            continue
        for processes in counts:
            rows.append((engine, processes, measure(engine, processes, files, warm, args.concurrency)))
            print(f"  measured {engine} x{processes}", file=sys.stderr)
    load_after = os.getloadavg()

    print(
        f"\nDeposit through GraphQL: {args.invoices} invoices, {args.concurrency} in flight per server, {os.cpu_count()} CPUs"
    )
    print(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f}"
    )
    head = f"{'what':<34} {'invoices/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'x floor (wall)':>15} {'CPU ms/inv':>11} {'x floor (CPU)':>14}"
    print(head)
    for processes in counts:
        rate, cpu_ms = floors[processes]
        label = f"floor: validate_many x{processes} proc"
        print(f"{label:<34} {rate:>11.1f} {'':>8} {'':>8} {'1.00':>15} {cpu_ms:>11.2f} {'1.00':>14}")
    label = "request floor: preview of 1 byte x1"
    print(
        f"{label:<34} {request_floor['rate']:>11.1f} {request_floor['p50']:>8.1f} {request_floor['p99']:>8.1f}"
        f" {'':>15} {request_floor['cpu_ms']:>11.2f} {request_floor['cpu_ms'] / floors[1][1]:>14.2f}"
    )
    for engine, processes, result in rows:
        rate, cpu_ms = floors[processes]
        wall_ratio, cpu_ratio = rate / result["rate"], result["cpu_ms"] / cpu_ms
        label = f"deposit {engine} x{processes} server"
        print(
            f"{label:<34} {result['rate']:>11.1f} {result['p50']:>8.1f} {result['p99']:>8.1f} {wall_ratio:>15.2f}"
            f" {result['cpu_ms']:>11.2f} {cpu_ratio:>14.2f}"
        )
    print(
        "(target: deposit costs at most 1.5x validation alone. x floor (wall): floor invoices/s over deposit"
        " invoices/s, with as many processes; x floor (CPU): the servers' CPU per invoice over validation's."
        " The request floor is previewInvoice of a one-byte file: HTTP, multipart, token and GraphQL, refused"
        " before validation and the database; its CPU is what a deposit costs beyond validation at the least."
        f" Run took {time.perf_counter() - started:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
