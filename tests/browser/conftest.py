"""A real `facturehub serve` (SQLite, migrated, demo data, the built frontend) and Debian's Chromium.

The server runs as a subprocess on a free port, as a person would start it; Chromium is the system one
(`make test` installs it with apt when missing): no browser is ever downloaded. Without a build or a
Chromium the browser tests are skipped, except under CI, where that is an error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.live import FACTUREHUB, free_port, serving

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "frontend" / "dist"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "var" / "screenshots"
AXE = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"  # from npm, with the frontend's deps
SERIOUS = ("serious", "critical")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing() -> str | None:
    if not (DIST / "index.html").is_file():
        return "frontend/dist is not built (make frontend)"
    if not AXE.is_file():
        return "frontend/node_modules is not installed (make frontend)"
    if not CHROMIUM.exists():
        return "no /usr/bin/chromium (apt-get install -y chromium)"
    return None


@dataclass(frozen=True)
class Hub:
    base: str
    env: dict[str, str]

    def cli(self, *args: str) -> str:
        """A `facturehub` command against this hub's database (e.g. `token` for an API call)."""
        done = subprocess.run(  # noqa: S603 (our own command line)
            [sys.executable, "-m", "api.cli", *args], env=self.env, check=True, capture_output=True, text=True
        )
        return done.stdout.strip()

    def graphql(self, token: str, query: str, variables: dict[str, object] | None = None) -> dict[str, object]:
        answer = httpx.post(
            self.base + "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}", "Accept": "application/graphql-response+json"},
            timeout=30,
        )
        body: dict[str, object] = answer.json()
        assert answer.status_code == 200 and "errors" not in body, body
        data = body["data"]
        assert isinstance(data, dict)
        return data


def require_browser() -> None:
    """Skip without a build or a Chromium, except under CI, where that is an error."""
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {missing}")
        pytest.skip(missing)


def hub_env(database_url: str, base: str) -> dict[str, str]:
    """A hub on this database at this address, serving the built frontend, jobs left to the tests."""
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "FACTUREHUB_DATABASE_URL": database_url,
        "FACTUREHUB_PUBLIC_URL": base,
        "FACTUREHUB_FRONTEND_DIR": str(DIST),
        "FACTUREHUB_RUN_WORKER": "false",
    }


@pytest.fixture(scope="session")
def live_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    require_browser()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = hub_env(f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('hub') / 'hub.db'}", base)
    # `demo` migrates an SQLite database first, and `serve` writes the web app's client at start-up.
    subprocess.run([*FACTUREHUB, "demo"], env=env, check=True, capture_output=True, timeout=240)  # noqa: S603
    with serving(env, tmp_path_factory.mktemp("log") / "serve.log", port):
        yield Hub(base, env)


@pytest.fixture(scope="session")
def hub(live_hub: Hub) -> str:
    return live_hub.base


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by sync Playwright."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


# Per module, not per session: sync Playwright runs an event loop in this thread while it lives, and the
# async tests of other modules (run after these in the same session) need the thread free.
@pytest.fixture(scope="module")
def browser(hub: str) -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@dataclass
class Tab:
    """A page of a fresh browser profile, with what its console said."""

    page: Page
    base: str
    errors: list[str] = field(default_factory=list)

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)

    def shot(self, name: str) -> None:
        """Save the screen, after checking it has no serious or critical accessibility violation."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        assert self.axe_violations() == [], name

    def axe_violations(self) -> list[str]:
        # Evaluated through the DevTools protocol, which the page's CSP does not govern (an injected
        # <script> would be refused, as it should).
        if not self.page.evaluate("() => 'axe' in window"):
            self.page.evaluate("source => { (0, eval)(source); }", AXE.read_text(encoding="utf-8"))
        found: list[dict[str, Any]] = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
        )
        return [f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes'][:3]}" for v in found if v["impact"] in SERIOUS]


@contextmanager
def person(browser: Browser, base: str) -> Iterator[Tab]:
    """One person's own browser profile (French, Paris time), its console watched."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        opened = Tab(page, base)

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                opened.errors.append(message.text)

        page.on("console", console)
        page.on("pageerror", lambda error: opened.errors.append(str(error)))
        yield opened
    finally:
        context.close()


@pytest.fixture
def tab(browser: Browser, hub: str) -> Iterator[Tab]:
    with person(browser, hub) as opened:
        yield opened
