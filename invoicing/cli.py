"""``facturehub validate`` and ``facturehub convert``: subcommands registered on the main console script."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from invoicing.formats.convert import Target
from invoicing.formats.errors import InvoiceInputError
from invoicing.formats.pdf import MAX_PDF_BYTES
from invoicing.validation import saxon
from invoicing.validation.artefacts import Stylesheet
from invoicing.validation.validate import validate_many

# A process pool (multiprocessing, concurrent.futures) is imported only for --jobs 2 and more: a whole
# ``facturehub validate`` run is compared with the bare official check run as its own process, start-up
# included (bench/validate.py).

SUFFIXES = (".xml", ".pdf")
USAGE_ERROR = 2
# Files validated together (validation.validate_many works phase by phase over a batch).
CHUNK = 32


def read_capped(path: Path) -> bytes:
    """At most one byte over the largest accepted input: enough for the size check to refuse it."""
    with path.open("rb") as handle:
        return handle.read(MAX_PDF_BYTES + 1)


def collect(paths: Iterable[str]) -> list[tuple[str, Path]]:
    """(report key, file) pairs: a folder's files keyed relative to it, a file keyed as given."""
    found: list[tuple[str, Path]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            found.extend((p.relative_to(path).as_posix(), p) for p in files)
        elif path.is_file():
            found.append((given, path))
        else:
            raise FileNotFoundError(given)
    return found


class FileResult(NamedTuple):
    """What a worker sends back per file: small and flat, so the parent's share of the work stays small."""

    valid: bool
    summary: str  # syntax, and the fatal rule ids when invalid
    report_json: str  # empty unless asked for (--json)


def validate_chunk(paths: list[Path], with_json: bool = True) -> list[FileResult]:
    results = []
    for report in validate_many([read_capped(path) for path in paths]):
        reasons = report.fatal or sorted({f.rule for f in report.findings if f.flag == "fatal"})
        summary = str(report.syntax) if report.valid else f"{report.syntax}: {', '.join(reasons)}"
        encoded = json.dumps(report.as_json(), ensure_ascii=False) if with_json else ""
        results.append(FileResult(report.valid, summary, encoded))
    return results


def worker_init() -> None:
    # Each worker builds its own Saxon processor (SaxonC does not survive fork) and compiles up front.
    saxon.warm_up(Stylesheet.CEN_UBL, Stylesheet.CEN_CII)


def validate_files(files: list[Path], jobs: int, *, with_json: bool = True) -> Iterator[FileResult]:
    """One result per file, in the order given; batches of files go to the workers."""
    if jobs <= 1 or len(files) <= 1:
        for start in range(0, len(files), CHUNK):
            yield from validate_chunk(files[start : start + CHUNK], with_json)
        return
    # Largest files first, in batches small enough that the last ones keep every worker busy to the end.
    order = sorted(range(len(files)), key=lambda i: files[i].stat().st_size, reverse=True)
    size = max(1, min(CHUNK, len(files) // (jobs * 8)))
    batches = [order[i : i + size] for i in range(0, len(order), size)]
    results: list[FileResult | None] = [None for _ in files]
    import functools
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=worker_init) as pool:
        chunk = functools.partial(validate_chunk, with_json=with_json)
        work = pool.map(chunk, [[files[i] for i in batch] for batch in batches])
        for batch, done in zip(batches, work, strict=True):
            for index, result in zip(batch, done, strict=True):
                results[index] = result
    yield from (result for result in results if result is not None)


def run_validate(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        print("facturehub validate: --jobs must be at least 1", file=sys.stderr)
        return USAGE_ERROR
    try:
        found = collect(args.paths)
    except FileNotFoundError as exc:
        print(f"facturehub validate: no such file or folder: {exc.args[0]}", file=sys.stderr)
        return USAGE_ERROR
    all_valid = True
    entries = []
    for (key, _), result in zip(
        found, validate_files([p for _, p in found], args.jobs, with_json=args.json), strict=True
    ):
        all_valid = all_valid and result.valid
        if args.json:
            # The reports arrive as JSON text from the workers: joined, not decoded and encoded again.
            entries.append(f"  {json.dumps(key, ensure_ascii=False)}: {result.report_json}")
        else:
            print(f"{'OK' if result.valid else 'INVALID':<8} {key} ({result.summary})")
    if args.json:
        print("{\n" + ",\n".join(entries) + ("\n}" if entries else "}"))
    return 0 if all_valid else 1


def run_convert(args: argparse.Namespace) -> int:
    from invoicing.formats.convert import convert

    source = Path(args.input)
    if not source.is_file():
        print(f"facturehub convert: no such file: {args.input}", file=sys.stderr)
        return USAGE_ERROR
    try:
        output = convert(read_capped(source), Target(args.to))
    except InvoiceInputError as exc:
        print(f"facturehub convert: {args.input}: {exc}", file=sys.stderr)
        return 1
    Path(args.output).write_bytes(output)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = subparsers.add_parser(
        "validate",
        help="validate invoices (UBL, CII, Factur-X PDF) against XSD, EN 16931 and profile rules",
        description="Exit status: 0 all valid, 1 some invalid, 2 usage error.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders searched for *.xml and *.pdf")
    check.add_argument("--json", action="store_true", help="one JSON object keyed by file")
    check.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)")
    check.set_defaults(func=run_validate)

    conv = subparsers.add_parser("convert", help="convert an invoice to UBL, CII or a Factur-X PDF")
    conv.add_argument("input", metavar="IN")
    conv.add_argument("--to", required=True, choices=[t.value for t in Target])
    conv.add_argument("-o", "--output", required=True, metavar="OUT")
    conv.set_defaults(func=run_convert)
