"""``s3graph query`` says what it did (issue 12): parameters in the spellings users type, an
unknown parameter named, an empty answer for a value that matches nothing said so, and a
user's own query file run as it is. The HTTP API shares the binding and says the same."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ingest_linked
from fastapi.testclient import TestClient

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.cli import main
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
MINING = "mining-industry-2020-h1.txt"


def run(store: Path, *args: str | Path) -> Result:
    runner = CliRunner(env={"S3GRAPH_STORE": None, "S3GRAPH_BASE": None})
    return runner.invoke(main, ["--store", str(store), *map(str, args)])


@pytest.fixture(scope="module")
def store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("query-cli") / "store"
    assert run(path, "ingest", shared_dir / "corpus" / MINING).exit_code == 0
    return path


def rows(result: Result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize(
    "spelling",
    ["mining-industry", "MINING-INDUSTRY", "Mining Industry", "partnership/Mining-Industry",
     f"{BASE}partnership/mining-industry"],
)  # fmt: skip
def test_a_partnership_by_slug_name_or_iri_in_any_case(store: Path, spelling: str) -> None:
    found = rows(run(store, "query", "regions-of-partnership", "-p", f"partnership={spelling}",
                     "--format", "csv"))  # fmt: skip
    assert found and {r["partnership"] for r in found} == {f"{BASE}partnership/mining-industry"}


def test_a_nuts_code_in_any_case(store: Path) -> None:
    query = ("query", "partnerships-of-region", "--format", "csv", "-p")
    upper = rows(run(store, *query, "code=ES41"))
    lower = run(store, *query, "code=es41")
    assert upper and rows(lower) == upper
    assert lower.stderr == ""


def test_a_region_by_code_in_any_case(store: Path) -> None:
    by_iri = run(store, "query", "page-region-partnerships", "-p", f"region={BASE}region/ES41")
    by_code = run(store, "query", "page-region-partnerships", "-p", "region=es41")
    assert by_iri.exit_code == 0 and by_code.stdout == by_iri.stdout, by_code.stderr


def test_an_unknown_parameter_is_exit_2_naming_it_and_the_query_s(store: Path) -> None:
    result = run(store, "query", "regions-of-partnership", "-p", "foo=1")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "query 'regions-of-partnership' has no parameter foo (parameters: partnership)"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("query", "param", "note"),
    [
        ("regions-of-partnership", "partnership=xyz", 'no partnership "xyz" in the store'),
        ("partnerships-of-region", "code=zz99", 'no region with the NUTS code "zz99" in the store'),
    ],
)
def test_a_value_that_matches_nothing_is_said_on_stderr(
    store: Path, query: str, param: str, note: str
) -> None:
    result = run(store, "query", query, "-p", param, "--format", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1  # the header row alone
    assert result.stderr.strip().splitlines() == [f"note: {note}"]


def test_an_empty_answer_for_a_known_value_says_nothing(store: Path) -> None:
    """A partnership of the registry without a report in the store: empty, and no note."""
    result = run(store, "query", "regions-of-partnership", "-p", "partnership=cybersecurity")
    assert result.exit_code == 0
    assert result.stderr == ""


# -- a user's own query file ----------------------------------------------------------------------

OWN = """\
# How many regions each report names (my own query, no header of s3graph's)
PREFIX s3g: <https://w3id.org/s3graph/def#>
SELECT ?report (COUNT(DISTINCT ?m) AS ?memberships)
WHERE { ?m s3g:reportedIn ?report }
GROUP BY ?report
"""


def test_a_query_file_without_our_header_runs_as_it_is(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(OWN, encoding="utf-8")
    (row,) = rows(run(store, "query", path, "--format", "csv"))
    assert row["report"] == f"{BASE}report/mining-industry/2020-H1"
    assert int(row["memberships"]) > 0


def test_a_query_file_takes_no_values_it_does_not_declare(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(OWN, encoding="utf-8")
    result = run(store, "query", path, "-p", "x=1")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: a query file takes -p values only when")


def test_a_query_file_that_is_no_select_is_exit_2(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "ask.rq"
    path.write_text("ASK { ?s ?p ?o }\n", encoding="utf-8")
    result = run(store, "query", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}: expected a SELECT query")


def test_a_named_query_file_keeps_its_parameters(store: Path, tmp_path: Path) -> None:
    from s3graph.resources import resource_dir

    path = tmp_path / "copy.rq"
    path.write_text((resource_dir("queries") / "regions-of-partnership.rq").read_text("utf-8"))
    named = run(store, "query", "regions-of-partnership", "-p", "partnership=mining-industry")
    copied = run(store, "query", path, "-p", "partnership=mining-industry")
    assert copied.exit_code == 0 and copied.stdout == named.stdout


# -- the HTTP API binds the same way --------------------------------------------------------------


@pytest.fixture(scope="module")
def client(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    opened = Store.open(tmp_path_factory.mktemp("query-api") / "store")
    ingest_linked(opened, [shared_dir / "corpus" / MINING], BASE)
    return TestClient(create_app(ApiSettings(base=BASE), opened))


def test_the_api_takes_the_same_spellings_and_notes_an_unmatched_value(
    client: TestClient,
) -> None:
    url = "/api/queries/regions-of-partnership?partnership="
    by_slug = client.get(url + "Mining-Industry")
    by_iri = client.get(url + f"{BASE}partnership/mining-industry")
    assert by_slug.status_code == 200 and by_slug.json() == by_iri.json()
    assert by_slug.json()["results"]["bindings"]
    assert "X-S3graph-Note" not in by_slug.headers
    missing = client.get(url + "xyz")
    assert missing.status_code == 200 and not missing.json()["results"]["bindings"]
    assert missing.headers["X-S3graph-Note"] == 'no partnership "xyz" in the store'
