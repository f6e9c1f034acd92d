"""The Chorus Pro directory CSV: import a few thousand rows, search them over GraphQL, export them back unchanged;
bad files are refused whole, with the line and the column of every problem, and nothing is written."""

from __future__ import annotations

import asyncio
import csv
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from api.cli import main
from tenancy import privileged
from tenancy.db import Database
from tenancy.directory_csv import COLUMNS, DirectoryImportError, export_directory, import_directory
from tests.factories import Tenant, data, make_siret, make_structure, make_tenant

ROWS = 3_000
FLAGS = COLUMNS[3:12]  # EmetteurEdi ... StructureActive
PLACES = [
    ("42000", "Saint-Étienne"),
    ("75001", "Paris"),
    ("69003", "Lyon"),
    ("13008", "Marseille"),
    ("97400", "Saint-Denis"),
    ("29200", "Brest"),
    ("59000", "Lille"),
    ("06000", "Nice"),
    ("20000", "Ajaccio"),
    ("67000", "Strasbourg"),
]
KINDS = [
    "Mairie de {town}",
    "Centre hospitalier de {town}",
    "Lycée Émile-Zola; {town}",  # ';' inside a quoted field
    'Régie "Eau & Assainissement" de {town}',
    "Communauté d'agglomération {town}",
    "Collège Étienne-Marcel",
    "Établissement public foncier; Île-de-France",
]


def _siret(i: int) -> str:
    return make_siret(500_000 + i)


def directory_row(i: int) -> dict[str, str]:
    postcode, town = PLACES[i % len(PLACES)]
    row = {
        "TypeIdentifiant": "SIRET",
        "Identifiant": _siret(i),
        "RaisonSociale": KINDS[i % len(KINDS)].format(town=town) + f" n{i:04d}",
        "Adresse": f"{i} rue de l'Église",
        "ComplementAdresse1": "Bâtiment B; 2e étage" if i % 3 == 0 else "",
        "ComplementAdresse2": "BP 42" if i % 5 == 0 else "",
        "CodePostal": postcode,
        "Ville": town,
        "NumTelephone": f"+33 4 77 {i % 100:02d} {i % 97:02d} 00" if i % 4 else "",
        "Courriel": f"contact{i}@collectivite.example" if i % 2 else "",
        "CodePays": "FR",
        "LibellePays": "FRANCE",
    }
    for bit, column in enumerate(FLAGS[:-1]):  # every combination of the eight parameter flags appears
        row[column] = "true" if (i >> bit) & 1 else "false"
    row["StructureActive"] = "false" if i % 11 == 10 else "true"
    return row


def to_csv(rows: list[dict[str, str]], columns: tuple[str, ...] | list[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


ALL_ROWS = [directory_row(i) for i in range(ROWS)]
BIG_FILE = to_csv(ALL_ROWS)


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ")


def expected_matches(search: str, *, include_inactive: bool = False) -> list[dict[str, str]]:
    """The directory's promise: every word of the search appears in the name, identifier, postcode or town."""
    words = _fold(search).split()
    found = []
    for row in ALL_ROWS:
        if row["StructureActive"] == "false" and not include_inactive:
            continue
        fields = [_fold(row[c]) for c in ("RaisonSociale", "Identifiant", "CodePostal", "Ville")]
        if all(any(w in f for f in fields) for w in words):
            found.append(row)
    return found


SEARCH = """query ($search: String, $first: Int, $after: String, $inactive: Boolean! = false) {
  directory { structures(search: $search, first: $first, after: $after, includeInactive: $inactive) {
    totalCount
    edges { cursor node {
      identifier identifierType name isActive
      address { line1 line2 line3 postcode town countryCode countryName }
      parameters { serviceCodeRequired engagementRequired serviceOrEngagementRequired paymentStatusReported }
    } }
    pageInfo { hasNextPage endCursor }
  } }
}"""


async def search_all(client: httpx.AsyncClient, tenant: Tenant, search: str, **variables: Any) -> tuple[int, list[Any]]:
    """Every page of a search: (totalCount, nodes)."""
    nodes: list[Any] = []
    after = None
    total = None
    while True:
        page = (
            await data(client, tenant.token, SEARCH, {"search": search, "first": 100, "after": after, **variables})
        )["directory"]["structures"]
        assert total is None or page["totalCount"] == total
        total = page["totalCount"]
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return total, nodes
        after = page["pageInfo"]["endCursor"]


def as_node(row: dict[str, str]) -> dict[str, Any]:
    """What the directory shows of a CSV row."""
    return {
        "identifier": row["Identifiant"],
        "identifierType": row["TypeIdentifiant"],
        "name": row["RaisonSociale"],
        "isActive": row["StructureActive"] == "true",
        "address": {
            "line1": row["Adresse"] or None,
            "line2": row["ComplementAdresse1"] or None,
            "line3": row["ComplementAdresse2"] or None,
            "postcode": row["CodePostal"] or None,
            "town": row["Ville"] or None,
            "countryCode": row["CodePays"],
            "countryName": row["LibellePays"] or None,
        },
        "parameters": {
            "serviceCodeRequired": row["GestionService"] == "true",
            "engagementRequired": row["GestionEngagement"] == "true",
            "serviceOrEngagementRequired": row["GestionServiceEngagement"] == "true",
            "paymentStatusReported": row["GestionStatutMiseEnPaiement"] == "true",
        },
    }


@pytest.fixture
async def big_directory(app: Starlette, db: Database) -> Tenant:
    created, updated = await import_directory(db, io.BytesIO(BIG_FILE))
    assert (created, updated) == (ROWS, 0)
    return await make_tenant(app, db)  # a private supplier looking up the directory


# --- search ------------------------------------------------------------------------------------


SEARCHES = {
    "name words": [
        "etienne",  # accent-insensitive: the town Saint-Étienne and the Collège Étienne-Marcel
        "Saint-Étienne",
        "SAINT ETIENNE mairie",
        "lycée zola",
        "emile-zola",
        "ile de france",
        "eau & assainissement",
        "d'agglomération nice",
        "n0042",
    ],
    "postcode": ["42000", "75001", "200"],  # "200" also finds identifiers and names holding those digits
    "town": ["lille", "saint-denis", "STRASBOURG", "brest mairie"],
}


@pytest.mark.parametrize("kind", list(SEARCHES))
async def test_search_by_name_words_postcode_and_town(
    client: httpx.AsyncClient, big_directory: Tenant, kind: str
) -> None:
    for search in SEARCHES[kind]:
        expected = expected_matches(search)
        assert expected, f"{search!r} must find something in the generated file"
        total, nodes = await search_all(client, big_directory, search)
        assert total == len(expected), search
        assert sorted(n["identifier"] for n in nodes) == sorted(r["Identifiant"] for r in expected), search
        assert all(n["isActive"] for n in nodes)


async def test_search_by_identifier_shows_the_whole_row(client: httpx.AsyncClient, big_directory: Tenant) -> None:
    for i in (0, 3, 1234, ROWS - 1):
        row = ALL_ROWS[i]
        total, nodes = await search_all(client, big_directory, row["Identifiant"])
        assert (total, nodes) == (1, [as_node(row)])


async def test_inactive_structures_only_on_request(client: httpx.AsyncClient, big_directory: Tenant) -> None:
    row = ALL_ROWS[10]
    assert row["StructureActive"] == "false"
    assert await search_all(client, big_directory, row["Identifiant"]) == (0, [])
    assert await search_all(client, big_directory, row["Identifiant"], inactive=True) == (1, [as_node(row)])
    total, _ = await search_all(client, big_directory, "lille", inactive=True)
    assert total == len(expected_matches("lille", include_inactive=True)) > len(expected_matches("lille"))


async def test_search_that_matches_nothing_and_like_wildcards(client: httpx.AsyncClient, big_directory: Tenant) -> None:
    for search in ("zzzz", "%", "_", "mairie%lyon", "\\"):
        assert await search_all(client, big_directory, search) == (0, [])


async def test_empty_search_lists_every_active_structure(client: httpx.AsyncClient, big_directory: Tenant) -> None:
    query = "{ directory { structures(first: 1) { totalCount } } }"
    active = sum(1 for r in ALL_ROWS if r["StructureActive"] == "true")
    assert (await data(client, big_directory.token, query))["directory"]["structures"]["totalCount"] == active
    query = '{ directory { structures(first: 1, search: "   ") { totalCount } } }'
    assert (await data(client, big_directory.token, query))["directory"]["structures"]["totalCount"] == active


async def test_directory_structure_by_identifier(client: httpx.AsyncClient, big_directory: Tenant) -> None:
    row = ALL_ROWS[2]  # the name holds a ';'
    query = "query ($id: String!) { directory { structure(identifier: $id) { name identifier } } }"
    result = await data(client, big_directory.token, query, {"id": row["Identifiant"]})
    assert result["directory"]["structure"] == {"name": row["RaisonSociale"], "identifier": row["Identifiant"]}
    assert ";" in row["RaisonSociale"]


# --- export and re-import ------------------------------------------------------------------------


async def test_export_round_trips_the_imported_file(db: Database) -> None:
    assert await import_directory(db, io.BytesIO(BIG_FILE)) == (ROWS, 0)
    exported = await export_directory(db)
    assert exported == BIG_FILE.decode()


async def test_reimport_updates_without_duplicates(app: Starlette, db: Database, client: httpx.AsyncClient) -> None:
    assert await import_directory(db, io.BytesIO(BIG_FILE)) == (ROWS, 0)
    assert await import_directory(db, io.BytesIO(BIG_FILE)) == (0, ROWS)
    assert await export_directory(db) == BIG_FILE.decode()

    changed = [dict(r) for r in ALL_ROWS]
    changed[7] = {**changed[7], "RaisonSociale": "Mairie renommée", "GestionService": "true", "Ville": "Annecy"}
    changed[10] = {**changed[10], "StructureActive": "true"}
    new_row = directory_row(ROWS)
    assert await import_directory(db, io.BytesIO(to_csv([*changed, new_row]))) == (1, ROWS)
    assert len(await privileged.public_structures(db)) == ROWS + 1
    assert await export_directory(db) == to_csv([*changed, new_row]).decode()

    tenant = await make_tenant(app, db)
    assert await search_all(client, tenant, "renommée annecy") == (1, [as_node(changed[7])])
    assert await search_all(client, tenant, ALL_ROWS[7]["RaisonSociale"]) == (0, [])  # the old name is gone
    assert (await search_all(client, tenant, changed[10]["Identifiant"]))[0] == 1  # now active


async def test_import_accepts_other_yes_no_spellings_and_a_bom(db: Database) -> None:
    rows = [directory_row(i) for i in range(4)]
    for row, (yes, no) in zip(rows, [("1", "0"), ("oui", "non"), ("OUI", "NON"), ("Vrai", "faux")], strict=True):
        for column in FLAGS:
            row[column] = yes if row[column] == "true" else no
    assert await import_directory(db, io.BytesIO(b"\xef\xbb\xbf" + to_csv(rows))) == (4, 0)
    assert await export_directory(db) == to_csv([directory_row(i) for i in range(4)]).decode()


async def test_import_reads_windows_1252(db: Database) -> None:
    rows = [directory_row(0)]
    assert await import_directory(db, io.BytesIO(to_csv(rows).decode().encode("cp1252"))) == (1, 0)
    (structure,) = await privileged.public_structures(db)
    assert structure.town == "Saint-Étienne"


async def test_import_normalises_identifiers(db: Database) -> None:
    row = directory_row(1)
    spaced = {**row, "Identifiant": f"{row['Identifiant'][:3]} {row['Identifiant'][3:6]} {row['Identifiant'][6:]}"}
    assert await import_directory(db, io.BytesIO(to_csv([spaced]))) == (1, 0)
    assert await import_directory(db, io.BytesIO(to_csv([row]))) == (0, 1)
    assert [s.identifier for s in await privileged.public_structures(db)] == [row["Identifiant"]]


# --- bad files -----------------------------------------------------------------------------------

SMALL = [directory_row(i) for i in range(5)]


def _with(line: int, **changes: str) -> list[dict[str, str]]:
    """The small file with one row changed; `line` counts like an editor (the header is line 1)."""
    rows = [dict(r) for r in SMALL]
    rows[line - 2].update(changes)
    return rows


def _bad_siret() -> str:
    good = _siret(3)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


BAD_FILES = {
    "bad SIRET": (
        to_csv(_with(4, Identifiant=_bad_siret())),
        [f"line 4, column Identifiant: SIRET '{_bad_siret()}' fails the Luhn check"],
    ),
    "short SIRET": (
        to_csv(_with(3, Identifiant="1234")),
        ["line 3, column Identifiant: SIRET '1234' must have 14 digits"],
    ),
    "unknown TypeIdentifiant": (
        to_csv(_with(5, TypeIdentifiant="SIREN")),
        ["line 5, column TypeIdentifiant: 'SIREN' is not one of SIRET, UE_HORS_FRANCE"],
    ),
    "bad boolean": (
        to_csv(_with(2, EstMOA="peut-être")),
        ["line 2, column EstMOA: 'peut-être' is not a yes/no value"],
    ),
    "missing columns": (
        to_csv(
            [{c: r[c] for c in COLUMNS if c not in ("Ville", "EstMOA")} for r in SMALL],
            [c for c in COLUMNS if c not in ("Ville", "EstMOA")],
        ),
        ["line 1: missing columns EstMOA, Ville"],
    ),
    "duplicate identifier": (
        to_csv([*SMALL, {**directory_row(99), "Identifiant": SMALL[1]["Identifiant"]}]),
        [f"line 7: {SMALL[1]['Identifiant']} already appears on line 3"],
    ),
    "non-SIRET public structure": (
        to_csv(_with(6, TypeIdentifiant="UE_HORS_FRANCE", Identifiant="DE136695976")),
        ["line 6, column TypeIdentifiant: a public structure is identified by its SIRET"],
    ),
    "empty name": (to_csv(_with(3, RaisonSociale="  ")), ["line 3, column RaisonSociale: name is required"]),
    "bad e-mail": (
        to_csv(_with(3, Courriel="nobody")),
        ["line 3, column Courriel: email 'nobody' is not an e-mail address"],
    ),
    "extra field": (
        to_csv(SMALL).replace(b"\n", b";surplus\n", 3).replace(b";surplus\n", b"\n", 1),
        ["line 2: 22 fields; the header has 21", "line 3: 22 fields; the header has 21"],
    ),
    "several problems": (
        to_csv([*_with(2, EstMOA="x")[:3], {**SMALL[3], "Identifiant": "abc"}, SMALL[4]]),
        [
            "line 2, column EstMOA: 'x' is not a yes/no value",
            "line 5, column Identifiant: SIRET 'abc' must contain digits only",
        ],
    ),
    "not text": (b"\x81\x8d\x8f\x90\x9d", ["the file is neither UTF-8 nor Windows-1252 text"]),
    "empty file": (b"", ["line 1: missing columns TypeIdentifiant"]),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
async def test_bad_files_are_refused_whole_with_line_and_column(db: Database, name: str) -> None:
    content, messages = BAD_FILES[name]
    with pytest.raises(DirectoryImportError) as caught:
        await import_directory(db, io.BytesIO(content))
    reported = str(caught.value)
    for message in messages:
        assert message in reported
    assert len(caught.value.errors) == len(messages), reported
    assert await privileged.public_structures(db) == []  # not even the good lines


async def test_line_numbers_count_blank_lines(db: Database) -> None:
    header, *lines = to_csv(_with(4, EstMOA="x")).decode().splitlines(keepends=True)
    content = "".join([header, "\n", *lines[:2], "\n", "\n", *lines[2:]]).encode()
    with pytest.raises(DirectoryImportError) as caught:
        await import_directory(db, io.BytesIO(content))
    assert caught.value.errors == ["line 7, column EstMOA: 'x' is not a yes/no value (true/false, 1/0, oui/non)"]
    assert await import_directory(db, io.BytesIO(content.replace(b";x;", b";true;"))) == (5, 0)


async def test_a_refused_file_leaves_the_previous_import_intact(db: Database) -> None:
    assert await import_directory(db, io.BytesIO(to_csv(SMALL))) == (5, 0)
    renamed = [{**r, "RaisonSociale": "Renamed"} for r in SMALL]
    renamed[4]["GestionService"] = "maybe"
    with pytest.raises(DirectoryImportError, match="line 6, column GestionService"):
        await import_directory(db, io.BytesIO(to_csv([*renamed, directory_row(50)])))
    assert await export_directory(db) == to_csv(SMALL).decode()


async def test_many_errors_are_summarised(db: Database) -> None:
    rows = [{**directory_row(i), "EstMOA": "?"} for i in range(120)]
    with pytest.raises(DirectoryImportError) as caught:
        await import_directory(db, io.BytesIO(to_csv(rows)))
    assert len(caught.value.errors) == 120
    lines = str(caught.value).splitlines()
    assert len(lines) == 51
    assert lines[0].startswith("line 2, column EstMOA")
    assert lines[-1] == "... and 70 more"


async def test_a_directory_siret_that_is_already_a_private_workspace_is_refused(db: Database) -> None:
    row = directory_row(0)
    await make_structure(db, identifier=row["Identifiant"], public=False, name="Fournisseur privé")
    with pytest.raises(DirectoryImportError, match=f"line 2, column Identifiant: .*{row['Identifiant']}"):
        await import_directory(db, io.BytesIO(to_csv([row])))
    assert await privileged.public_structures(db) == []


# --- the command line ------------------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[None]:
    monkeypatch.setenv("FACTUREHUB_DATABASE_URL", database_url)
    yield


async def run_cli(*argv: str) -> int:
    # The CLI runs its own event loop (asyncio.run), so it gets a thread of its own.
    return await asyncio.to_thread(main, list(argv))


async def test_cli_import_and_export(
    db: Database, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "annuaire.csv"
    source.write_bytes(BIG_FILE)
    assert await run_cli("directory", "import", str(source)) == 0
    assert "directory imported: 3000 created, 0 updated" in capsys.readouterr().err
    assert len(await privileged.public_structures(db)) == ROWS

    assert await run_cli("directory", "import", str(source)) == 0
    assert "directory imported: 0 created, 3000 updated" in capsys.readouterr().err

    target = tmp_path / "export.csv"
    assert await run_cli("directory", "export", str(target)) == 0
    assert target.read_bytes() == BIG_FILE
    capsys.readouterr()
    assert await run_cli("directory", "export", "-") == 0
    assert capsys.readouterr().out == BIG_FILE.decode()


async def test_cli_refuses_a_bad_file(
    db: Database, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bad.csv"
    source.write_bytes(BAD_FILES["several problems"][0])
    assert await run_cli("directory", "import", str(source)) == 1
    err = capsys.readouterr().err
    assert "line 2, column EstMOA" in err and "line 5, column Identifiant" in err
    assert await privileged.public_structures(db) == []


async def test_cli_reports_a_missing_file(
    db: Database, cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run_cli("directory", "import", str(tmp_path / "absent.csv")) == 1
    assert "cannot read" in capsys.readouterr().err
