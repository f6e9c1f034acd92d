"""A real `facturehub serve` for the tests that talk to it over the network: a subprocess on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

FACTUREHUB = [sys.executable, "-m", "api.cli"]
REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(env: Mapping[str, str], log: Path, port: int, *, start_timeout: float = 60) -> Iterator[str]:
    """`facturehub serve --port PORT` with this environment, its output in `log`; yields its base URL once
    /healthz answers, and stops it afterwards (the job under way finishes: SIGTERM)."""
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            [*FACTUREHUB, "serve", "--port", str(port)], env=dict(env), cwd=REPO, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    output = log.read_text(errors="replace")[-5000:]
                    raise AssertionError(f"facturehub serve did not start:\n{output}")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)
