"""The migrations travel with the distribution, and the `alembic` command of a checkout sees the same history."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from migrations import head_revision

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "api", "auth", "invoicing", "migrations", "tenancy")

UPGRADE = """
import asyncio, sys
import migrations
asyncio.run(migrations.upgrade(sys.argv[1]))
print(migrations.__file__)
print(asyncio.run(migrations.current_revision(sys.argv[1])))
"""


def test_an_installed_wheel_carries_the_migrations_and_runs_them(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:  # a copy: building in the checkout would leave build/ and *.egg-info behind
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(REPO / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(source)],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("facturehub-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:  # a pure-Python wheel installs by unpacking it
        archive.extractall(installed)

    database = tmp_path / "var" / "hub.sqlite"
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-c", UPGRADE, f"sqlite+aiosqlite:///{database}"],
        env={**os.environ, "PYTHONPATH": str(installed)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    module, revision = run.stdout.split()
    assert Path(module) == installed / "migrations" / "__init__.py"
    assert revision == head_revision()
    assert (installed / "migrations" / "script.py.mako").is_file()
    templates = installed / "tenancy" / "mail" / "templates"  # the mail templates travel too, every language
    assert {p.relative_to(templates).as_posix() for p in templates.rglob("*.*")} == {
        p.relative_to(REPO / "tenancy" / "mail" / "templates").as_posix()
        for p in (REPO / "tenancy" / "mail" / "templates").rglob("*.*")
    }


def test_alembic_ini_names_the_same_history() -> None:
    config = Config(str(REPO / "alembic.ini"))
    script = ScriptDirectory.from_config(config)
    assert Path(script.dir) == REPO / "migrations"
    assert script.get_heads() == [head_revision()]
    assert [r.revision for r in script.walk_revisions()] == [
        "0006_events",
        "0006_signup",
        "0006_account",
        "0006_joining",
        "0005_twofactor",
        "0005_mail",
        "0004",
        "0003",
        "0002",
        "0001",
    ]
