"""`facturehub`: serve, schema, migrate, demo, token, user, structure, directory (and validate/convert from
invoicing).

Each command imports what it needs when it runs: ``facturehub validate`` must not pay for the server stack
(settings, SQLAlchemy, asyncio: about half a second) before it checks the first file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from api.settings import Settings
    from tenancy.db import Database

Handler = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.func
    return handler(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="facturehub", description="facturehub e-invoicing hub")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the hub (migrates the embedded SQLite database first)")
    _address_arguments(serve, "listen on")
    serve.set_defaults(func=_serve)

    worker = sub.add_parser("worker", help="run a job worker (fluxes, timers) beside the servers; stops on SIGTERM")
    worker.add_argument("--poll-interval", type=float, default=None, help="seconds between polls when idle")
    worker.set_defaults(func=_sync(_worker))

    schema = sub.add_parser("schema", help="print the GraphQL schema (SDL) the hub serves")
    schema.set_defaults(func=_schema)

    migrate = sub.add_parser("migrate", help="bring the database to the latest schema")
    migrate.set_defaults(func=_sync(_migrate))

    demo = sub.add_parser("demo", help="load demo structures, services and users (idempotent)")
    demo.add_argument("--json", action="store_true", help="print what was loaded, with passwords, as JSON")
    demo.set_defaults(func=_sync(_demo))

    token = sub.add_parser("token", help="print an access token for a member of a workspace (operators)")
    token.add_argument("--email", required=True)
    token.add_argument("--workspace", required=True, help="identifier of the structure (SIRET, VAT number...)")
    token.add_argument("--scope", action="append", help="repeat for several; default: all the role allows")
    token.add_argument(
        "--ttl",
        type=int,
        default=None,
        help="lifetime, 30 to 3600 seconds (default: the configured one)",  # auth.tokens checks it
    )
    _address_arguments(token, "mint for the hub served on")
    token.set_defaults(func=_sync(_token))

    user = sub.add_parser("user", help="manage user accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="create an account (or update its name)")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--password", help="default: asked on the terminal")
    add.set_defaults(func=_sync(_user_add))
    passwd = user_sub.add_parser("passwd", help="set an account's password")
    passwd.add_argument("--email", required=True)
    passwd.add_argument("--password", help="default: asked on the terminal")
    passwd.set_defaults(func=_sync(_user_passwd))

    structure = sub.add_parser("structure", help="structures (workspaces)")
    structure_sub = structure.add_subparsers(dest="structure_command", required=True)
    manager = structure_sub.add_parser(
        "manager", help="name a principal manager of a structure (e.g. a public one from the directory)"
    )
    manager.add_argument("identifier", help="the structure's identifier (SIRET, VAT number...)")
    manager.add_argument("email", help="the manager's address: an account is made and mailed a link when none has it")
    manager.add_argument(
        "--type", dest="identifier_type", help="the identifier's type, when several structures share it"
    )
    manager.add_argument("--name", help="the new account's name (default: the address's local part)")
    manager.add_argument("--lang", default="fr", choices=("fr", "en"), help="the new account's language (default fr)")
    manager.set_defaults(func=_sync(_structure_manager))

    keys = sub.add_parser("keys", help="the token signing keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rotate = keys_sub.add_parser("rotate", help="publish a new signing key now; it signs after --publish-ahead")
    rotate.add_argument(
        "--publish-ahead", type=int, default=3600, help="seconds between publishing and signing (default 3600)"
    )
    rotate.set_defaults(func=_sync(_keys_rotate))

    directory = sub.add_parser("directory", help="import or export the Chorus Pro directory CSV")
    dir_sub = directory.add_subparsers(dest="directory_command", required=True)
    imp = dir_sub.add_parser("import", help="upsert public structures from a ';'-separated CSV")
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=_sync(_directory_import))
    exp = dir_sub.add_parser("export", help="write the public structures as CSV ('-' for stdout)")
    exp.add_argument("file")
    exp.set_defaults(func=_sync(_directory_export))

    try:
        from invoicing import cli as invoicing_cli  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # the invoicing commands are optional while that package is being built
        pass
    else:
        register = getattr(invoicing_cli, "register", None)
        if register is not None:
            register(sub)
    return parser


def _address_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    """The one rule for the hub's address: --host/--port, else FACTUREHUB_HOST/FACTUREHUB_PORT, else
    127.0.0.1:8000; tokens and OAuth endpoints name http://HOST:PORT unless FACTUREHUB_PUBLIC_URL is set."""
    parser.add_argument("--host", default=None, help=f"address to {what} (default: FACTUREHUB_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help=f"port to {what} (default: FACTUREHUB_PORT or 8000)")


def _settings(args: argparse.Namespace) -> Settings:
    from pydantic import ValidationError

    from api.settings import Settings

    given = {name: getattr(args, name, None) for name in ("host", "port")}
    try:
        return Settings(**{name: value for name, value in given.items() if value is not None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CommandError(f"bad setting: {problems}") from exc


def _sync(command: Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]) -> Handler:
    def run(args: argparse.Namespace) -> int:
        import asyncio

        try:
            return asyncio.run(command(args, _settings(args)))
        except CommandError as exc:
            print(f"facturehub: {exc}", file=sys.stderr)
            return 1

    return run


class CommandError(Exception):
    pass


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


async def _with_db(settings: Settings, work: Callable[[Database], Awaitable[Any]]) -> Any:
    from tenancy.db import Database

    await _require_schema(settings.database_url)
    db = Database(settings.database_url)
    try:
        return await work(db)
    finally:
        await db.dispose()


async def _require_schema(url: str) -> None:
    """A command run elsewhere than the hub's folder, or before `migrate`, says so instead of a traceback."""
    import asyncio

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from migrations import current_revision
    from tenancy.db import is_postgres

    parsed = make_url(url)
    missing = f"no facturehub database at {_shown(url)}: run `facturehub migrate`, or set FACTUREHUB_DATABASE_URL"
    file = None if is_postgres(parsed) or parsed.database in (None, "", ":memory:") else Path(parsed.database)
    if file is not None and not await asyncio.to_thread(file.is_file):  # connecting would create an empty file
        raise CommandError(missing + " (relative paths start from the current folder)")
    try:
        revision = await current_revision(url)
    except (DBAPIError, OSError) as exc:
        raise CommandError(f"cannot open the database {_shown(url)}: {exc}") from exc
    if revision is None:
        raise CommandError(missing)


async def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from migrations import upgrade

    upgraded = await upgrade(settings.database_url)
    await _with_db(settings, lambda db: _ensure_web_client(db, settings))
    print(f"database {_shown(settings.database_url)}: {upgraded.describe()}", file=sys.stderr)
    return 0


async def _ensure_web_client(db: Database, settings: Settings) -> None:
    from auth.first_party import ensure_web_client

    await ensure_web_client(db, settings.issuer)


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from api.demo import load_demo
    from migrations import upgrade
    from tenancy.db import is_postgres
    from tenancy.errors import DomainError

    if not is_postgres(settings.database_url):
        await upgrade(settings.database_url)
    try:
        loaded = await _with_db(settings, load_demo)
    except DomainError as exc:
        raise CommandError(str(exc)) from exc
    if args.json:
        print(json.dumps(loaded, ensure_ascii=False, indent=2))
    else:
        from api.demo import summary

        print(f"Demo loaded into {_shown(settings.database_url)} (loading it again changes nothing).\n")
        print(summary(loaded))
    return 0


async def _token(args: argparse.Namespace, settings: Settings) -> int:
    from api.app import token_settings
    from auth.keys import KeyRing
    from auth.operator import OperatorError, mint_member_token

    async def mint(db: Database) -> int:
        keyring = KeyRing(db)
        await keyring.load()
        try:
            minted = await mint_member_token(
                db,
                keyring,
                token_settings(settings),
                email=args.email,
                workspace=args.workspace,
                scopes=args.scope,
                ttl_s=args.ttl,
            )
        except OperatorError as exc:
            raise CommandError(str(exc)) from exc
        if minted.refused:
            print(f"facturehub: the member's role does not allow {', '.join(sorted(minted.refused))}", file=sys.stderr)
        if not minted.scopes:
            raise CommandError("no scope left to grant")
        print(minted.token)
        return 0

    result: int = await _with_db(settings, mint)
    return result


async def _keys_rotate(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import timedelta

    from auth.keys import KeyRing

    if args.publish_ahead < 0:
        raise CommandError("--publish-ahead must be zero or more seconds")

    async def rotate(db: Database) -> str:
        keyring = KeyRing(db)
        await keyring.load()
        return await keyring.rotate(publish_ahead=timedelta(seconds=args.publish_ahead))

    kid = await _with_db(settings, rotate)
    print(f"published key {kid}; it signs tokens from {args.publish_ahead} s from now", file=sys.stderr)
    return 0


async def _structure_manager(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC, datetime

    from auth.signup.managers import ManagerError, name_manager

    try:
        named = await _with_db(
            settings,
            lambda db: name_manager(
                db,
                identifier=args.identifier,
                identifier_type=args.identifier_type,
                email=args.email,
                display_name=args.name,
                locale=args.lang,
                base_url=settings.issuer.rstrip("/"),
                now=datetime.now(UTC),
            ),
        )
    except ManagerError as exc:
        raise CommandError(str(exc)) from exc
    account = "a new account" if named.new_account else "an existing account"
    print(
        f"{named.email} ({account}) is a GESTIONNAIRE_PRINCIPAL of {named.structure_name} ({named.structure_identifier})"
        + ("; a link to choose a password was mailed (valid 7 days)" if named.mailed else ""),
        file=sys.stderr,
    )
    return 0


def _password(given: str | None) -> str:
    import getpass

    return given if given is not None else getpass.getpass("password: ")


async def _user_add(args: argparse.Namespace, settings: Settings) -> int:
    from auth.users import upsert_user
    from tenancy.errors import DomainError

    try:
        await _with_db(
            settings,
            lambda db: upsert_user(db, email=args.email, display_name=args.name, password=_password(args.password)),
        )
    except DomainError as exc:
        raise CommandError(str(exc)) from exc
    return 0


async def _user_passwd(args: argparse.Namespace, settings: Settings) -> int:
    from auth.users import find_user, upsert_user
    from tenancy.errors import DomainError

    async def change(db: Database) -> None:
        user = await find_user(db, args.email)
        if user is None:
            raise CommandError(f"no user with e-mail {args.email}")
        await upsert_user(db, email=user.email, display_name=user.display_name, password=_password(args.password))

    try:
        await _with_db(settings, change)
    except DomainError as exc:
        raise CommandError(str(exc)) from exc
    return 0


async def _directory_import(args: argparse.Namespace, settings: Settings) -> int:
    from tenancy.directory_csv import DirectoryImportError, import_directory

    try:
        with args.file.open("rb") as stream:
            created, updated = await _with_db(settings, lambda db: import_directory(db, stream))
    except DirectoryImportError as exc:
        raise CommandError(str(exc)) from exc
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror}") from exc
    print(f"directory imported: {created} created, {updated} updated", file=sys.stderr)
    return 0


async def _directory_export(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from tenancy.directory_csv import export_directory

    text: str = await _with_db(settings, export_directory)
    if args.file == "-":
        sys.stdout.write(text)
    else:
        await asyncio.to_thread(Path(args.file).write_text, text, encoding="utf-8")
    return 0


async def _worker(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio
    import signal
    from datetime import timedelta

    from api.logs import configure_logging
    from auth import jobs as auth_jobs
    from invoicing.background import hub_worker
    from tenancy.db import is_postgres

    configure_logging(settings.log_format, settings.log_level)
    if not is_postgres(settings.database_url):
        from migrations import upgrade

        await upgrade(settings.database_url)

    async def serve(db: Database) -> None:
        worker = hub_worker(
            db,
            mail_config=settings.mail_config(),
            poll_interval=args.poll_interval or settings.worker_poll_interval,
            lease=timedelta(seconds=settings.worker_lease),
            more=auth_jobs.HANDLERS,
        )
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):  # finish the job under way, then leave
            loop.add_signal_handler(signum, worker.stop)
        await worker.run()

    await _with_db(settings, serve)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from api.schema import build_schema
    from api.settings import Settings

    sys.stdout.write(build_schema(Settings()).as_str() + "\n")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import asyncio
    import logging

    import uvicorn

    from api.app import create_app
    from api.logs import configure_logging
    from api.settings import is_wildcard
    from migrations import upgrade
    from tenancy.db import is_postgres

    try:
        settings = _settings(args)
    except CommandError as exc:
        print(f"facturehub: {exc}", file=sys.stderr)
        return 1
    configure_logging(settings.log_format, settings.log_level)
    if not is_postgres(settings.database_url):
        asyncio.run(upgrade(settings.database_url))
    # Its redirect URI follows FACTUREHUB_PUBLIC_URL, which may have changed since the last migrate.
    asyncio.run(_with_db(settings, lambda db: _ensure_web_client(db, settings)))
    app = create_app(settings)
    # Through logging, so that a JSON log stays one JSON object per line.
    log = logging.getLogger("facturehub")
    log.info("issuer and OAuth endpoints at %s", settings.issuer)
    if settings.public_url is None and is_wildcard(settings.host):
        log.warning(
            "listening on every interface, but tokens name %s: set FACTUREHUB_PUBLIC_URL to the address other "
            "machines use",
            settings.issuer,
        )
    _tune_gc()
    # The app writes its own access line (api/logs.py); uvicorn's loggers go through the same handler.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        log_level=settings.log_level.lower(),
        access_log=False,
        proxy_headers=False,
    )
    return 0


def _tune_gc() -> None:
    """A GraphQL response allocates thousands of short-lived objects, which reference counting frees; the
    cyclic collector would still run every 700 allocations and, in its oldest generation, walk every
    long-lived object of the process (schema, modules), stalling requests. Move what exists at start-up
    out of its sight and let it run less often."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


if __name__ == "__main__":
    raise SystemExit(main())
