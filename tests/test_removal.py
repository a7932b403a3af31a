"""``s3graph remove``: reports out, all or nothing, leaving the store as if never ingested."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from conftest import find_shared_part

from s3graph.cli import examples_dir, main
from s3graph.ingest import ingest
from s3graph.linking.links import Linker
from s3graph.mapping.links import linked_mapper
from s3graph.namespaces import DEFAULT_BASE
from s3graph.removal import find_reports, remove
from s3graph.sparql import load_query, run_query
from s3graph.store import Store
from s3graph.validate import validate_graph
from s3graph.vocab.nuts_snapshot import snapshot_index

BASE = DEFAULT_BASE
NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
MINING = examples_dir() / "mining-industry-2020-h2.txt"
BATTERIES = examples_dir() / "advanced-materials-for-batteries-2021-h1.txt"
MINING_IRI = f"{BASE}report/mining-industry/2020-H2"
BATTERIES_IRI = f"{BASE}report/advanced-materials-for-batteries/2021-H1"
#: The queries whose answers are computed across reports.
ACROSS_REPORTS = (
    "collaborations", "shared-regions", "most-shared-regions", "stats", "partnerships"
)  # fmt: skip


def corpus_reports() -> list[Path]:
    corpus, reason = find_shared_part("corpus")
    if corpus is None:
        pytest.skip(reason)
    return sorted(corpus.glob("*.txt"))


def ingest_into(path: Path, files: Sequence[Path]) -> None:
    """Ingest as ``s3graph ingest`` does (linked, validated), at one fixed ingestion time."""
    mapper = linked_mapper(Linker.load(snapshot_index()))
    with Store.open(path) as store:
        ingest(store, files, base=BASE, map_report=mapper, validate=validate_graph, now=lambda: NOW)


def contents(path: Path) -> dict[str, list[str]]:
    """Every named graph of the store at ``path`` and its triples as sorted N-Triples lines."""
    with Store.open(path, read_only=True) as store:
        return {
            g: sorted(store.dump_graph(g, ox.RdfFormat.N_TRIPLES).decode().splitlines())
            for g in store.graphs()
        }


def answers(path: Path) -> dict[str, list[list[str | None]]]:
    with Store.open(path, read_only=True) as store:
        found = {}
        for name in ACROSS_REPORTS:
            result = run_query(store, load_query(name), {}, base=BASE)
            found[name] = [[None if t is None else str(t) for t in row] for row in result.rows]
        return found


def cli(store: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--store", str(store), "remove", *args])


def removed_reports(output: str) -> list[str]:
    """The reports named by the ``removed REPORT: N triples in M graphs`` lines, sorted."""
    lines = output.splitlines()
    assert all(line.startswith("removed ") and " triples in " in line for line in lines), output
    return sorted(line.removeprefix("removed ").split(": ")[0] for line in lines)


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the two examples and the corpus (when there), made once; copied per test."""
    path = tmp_path_factory.mktemp("template") / "store"
    ingest_into(path, [examples_dir(), *_corpus_if_there()])
    return path


def _corpus_if_there() -> list[Path]:
    corpus, _ = find_shared_part("corpus")
    return sorted(corpus.glob("*.txt")) if corpus is not None else []


def corpus_there() -> bool:
    return bool(_corpus_if_there())


@pytest.fixture
def store(examples_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(examples_store, copy)
    return copy


def test_after_remove_the_store_is_as_if_the_report_was_never_ingested(tmp_path: Path) -> None:
    """Nothing derived across reports is kept elsewhere: quad for quad, query for query."""
    others = [MINING, *corpus_reports()]
    ingested, never = tmp_path / "ingested", tmp_path / "never"
    ingest_into(ingested, [BATTERIES, *others])
    ingest_into(never, others)
    before = answers(ingested)
    with Store.open(ingested) as opened:
        found = find_reports(opened, ["advanced-materials-for-batteries/2021-h1"], base=BASE)
        removed = remove(opened, found)
    assert [r.report for r in removed] == [BATTERIES_IRI]
    assert contents(ingested) == contents(never)
    after = answers(ingested)
    assert after == answers(never)
    # The report did count: the collaborations, shared regions and counts changed with it.
    for name in ("collaborations", "shared-regions", "stats"):
        assert before[name] != after[name], name
    mentions = [row for row in before["collaborations"] if f"<{BATTERIES_IRI}>" in row]
    assert mentions and not [row for row in after["collaborations"] if f"<{BATTERIES_IRI}>" in row]


def test_remove_by_iri_drops_the_reports_graphs_and_prints_their_triples(store: Path) -> None:
    before = contents(store)
    own = [g for g in before if g == MINING_IRI or g.startswith(MINING_IRI + "/")]
    assert MINING_IRI + "/validation" in own
    result = cli(store, MINING_IRI)
    assert result.exit_code == 0, result.output
    triples = sum(len(before[g]) for g in own)
    assert result.output == f"removed {MINING_IRI}: {triples} triples in {len(own)} graphs\n"
    after = contents(store)
    # The partnership's changes are computed again from the one report it keeps: none left.
    changes = f"{BASE}graph/changes/mining-industry"
    assert (changes in before) == corpus_there() and changes not in after
    assert after == {g: lines for g, lines in before.items() if g not in [*own, changes]}


@pytest.mark.parametrize(
    "reference",
    ["mining-industry/2020-H2", "mining-industry/2020-h2", "Mining-Industry/2020-h2",
     f"{BASE}report/mining-industry/2020-h2"],
)  # fmt: skip
def test_remove_by_slug_and_period_in_any_case(store: Path, reference: str) -> None:
    result = cli(store, reference)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"removed {MINING_IRI}: ")
    left = contents(store)
    assert not [g for g in left if g.startswith(MINING_IRI)]
    assert BATTERIES_IRI in left


def test_remove_a_partnership_removes_all_its_reports_and_only_those(store: Path) -> None:
    before = contents(store)
    prefix = f"{BASE}report/mining-industry/"
    reports = sorted(g for g in before if g.startswith(prefix) and "/" not in g[len(prefix) :])
    result = cli(store, "--partnership", "mining-industry")
    assert result.exit_code == 0, result.output
    assert len(reports) >= 2 if corpus_there() else len(reports) == 1
    assert removed_reports(result.output) == reports
    after = contents(store)
    gone = (prefix, f"{BASE}graph/changes/mining-industry")  # its changes go with its reports
    assert after == {g: lines for g, lines in before.items() if not g.startswith(gone)}


def test_remove_examples_removes_the_synthetic_reports_only(store: Path) -> None:
    before = contents(store)
    result = cli(store, "--examples")
    assert result.exit_code == 0, result.output
    assert removed_reports(result.output) == sorted([MINING_IRI, BATTERIES_IRI])
    after = contents(store)
    # The changes of the two partnerships are computed again from the reports they keep.
    changes = (f"{BASE}graph/changes/",)
    gone = {g for g in before if g.startswith((MINING_IRI, BATTERIES_IRI, *changes))}
    assert {g: v for g, v in after.items() if not g.startswith(changes)} == {
        g: lines for g, lines in before.items() if g not in gone
    }
    assert not any("/2021-H1" in line for g in after if g.startswith(changes) for line in after[g])
    again = cli(store, "--examples")
    assert again.exit_code == 2
    assert "a synthetic example report" in again.output
    assert contents(store) == after


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["cybersecurity/2030-H1"], "cybersecurity/2030-H1"),
        # one known, one unknown: nothing removed
        ([MINING_IRI, "cybersecurity/2030-h1"], f"{BASE}report/cybersecurity/2030-H1"),
        (["--partnership", "no-such-partnership", MINING_IRI], "no-such-partnership"),
        ([MINING_IRI + "/validation"], MINING_IRI + "/validation"),
        ([f"{BASE}graph/registry"], f"{BASE}graph/registry"),
        (["not-a-report"], "not-a-report"),
        (["--", "-mining/2020-H2"], "-mining/2020-H2"),  # shaped like one, but no slug we make
        (["mining--industry/2020-H2"], "mining--industry/2020-H2"),
    ],
)
def test_an_unknown_report_is_exit_2_naming_it_and_nothing_is_removed(
    store: Path, args: list[str], named: str
) -> None:
    before = contents(store)
    result = cli(store, *args)
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert contents(store) == before


def test_no_store_is_exit_3_and_creates_none(tmp_path: Path) -> None:
    missing = tmp_path / "no-store"
    result = cli(missing, MINING_IRI)
    assert result.exit_code == 3
    assert f"no store at {missing}" in result.output
    assert not missing.exists()


def test_a_store_locked_by_another_process_is_exit_3(store: Path) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        result = cli(store, MINING_IRI)
        assert result.exit_code == 3, result.output
        assert "locked" in result.output
    finally:
        holder.communicate("")
    assert MINING_IRI in contents(store)


def test_nothing_asked_is_a_usage_error(store: Path) -> None:
    assert cli(store).exit_code == 2
