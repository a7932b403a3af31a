"""The changes as data: one graph per partnership, the same whatever order the reports came in.

The shared corpus (seven reports, two of them Advanced Materials for Batteries: 2020-H1 and
2020-H2) and a third batteries report (the 2020-H2 text restated for July - December 2021, so
2021-H1 is a gap) are stored in several ways: all at once, one file at a time in two orders, and
all at once then the 2020-H2 report removed and ingested again. Every way must leave the same
store, quad for quad: the changes are computed whole again from the partnership's reports on
every write, never patched by the order of arrival. Removing a report leaves the store as if it
had never come.

Then the named queries: ``changes`` on the batteries partnership gives exactly the changes
written by hand in ``tests/test_changes_expected.py`` (read from there, not copied), and
``reporting-gaps`` gives the 2021-H1 gap and the partnerships that stopped reporting.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import find_shared_part
from rdflib import URIRef
from test_changes_expected import EXPECTED, H1, H2, Row
from test_query_repeats import with_period

from s3graph.changes.rdf import changes_graph_iri
from s3graph.ingest import ingest
from s3graph.judging import Reference, rejudge
from s3graph.linking.links import Linker
from s3graph.mapping.triples import NamedTriples
from s3graph.removal import remove
from s3graph.sparql import load_query, plain, run_query
from s3graph.store import Store
from s3graph.vocab.nuts_snapshot import snapshot_index
from s3graph.vocab.sources.loading import load_file

BASE = "https://w3id.org/s3graph/"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SLUG = "advanced-materials-for-batteries"
H2_IRI = f"{BASE}report/{SLUG}/2020-H2"
THIRD = f"{SLUG}-2021-h2.txt"

CORPUS, MISSING = find_shared_part("corpus")
pytestmark = pytest.mark.skipif(CORPUS is None, reason=MISSING)


@cache
def linker() -> Linker:
    return Linker.load(snapshot_index())


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The corpus's reports and the third batteries report, sorted by name."""
    assert CORPUS is not None
    folder = tmp_path_factory.mktemp("texts")
    for source in sorted(CORPUS.glob("*.txt")):
        (folder / source.name).write_bytes(source.read_bytes())
    later = with_period((CORPUS / H2).read_text(encoding="utf-8"), "July - December 2021")
    (folder / THIRD).write_text(later, encoding="utf-8")
    return sorted(folder.glob("*.txt"))


def put(path: Path, files: Sequence[Path]) -> None:
    """``files`` ingested in one write, linked as ``s3graph ingest`` links them."""
    with Store.open(path) as store:
        ingest(store, files, base=BASE, linker=linker(), now=lambda: NOW)


def contents(path: Path) -> dict[str, list[str]]:
    """Every named graph of the store and its triples as sorted N-Triples lines."""
    with Store.open(path, read_only=True) as store:
        return {
            g: sorted(store.dump_graph(g, ox.RdfFormat.N_TRIPLES).decode().splitlines())
            for g in store.graphs()
        }


@pytest.fixture(scope="module")
def at_once(tmp_path_factory: pytest.TempPathFactory, texts: list[Path]) -> Path:
    path = tmp_path_factory.mktemp("at-once") / "store"
    put(path, texts)
    return path


def test_the_store_holds_the_partnerships_changes_in_one_graph(at_once: Path) -> None:
    held = contents(at_once)
    changes = [g for g in held if g.startswith(f"{BASE}graph/changes/")]
    # only the batteries partnership has more than one report
    assert changes == [changes_graph_iri(BASE, SLUG)]
    assert any("#ReportingGap>" in line for line in held[changes[0]])


@pytest.mark.parametrize("order", ["one by one", "one by one, latest first"])
def test_the_order_of_arrival_does_not_matter(
    at_once: Path, texts: list[Path], tmp_path: Path, order: str
) -> None:
    path = tmp_path / "store"
    for file in texts if order == "one by one" else reversed(texts):
        put(path, [file])
    assert contents(path) == contents(at_once)


def test_removed_and_ingested_again_is_as_ingested_once(
    at_once: Path, texts: list[Path], tmp_path: Path
) -> None:
    path, never = tmp_path / "store", tmp_path / "never"
    put(path, texts)
    with Store.open(path) as store:
        remove(store, [H2_IRI], linker=linker())
    put(never, [t for t in texts if t.name != H2])
    assert contents(path) == contents(never)
    put(path, [t for t in texts if t.name == H2])
    assert contents(path) == contents(at_once)


def test_a_partnership_left_with_one_report_has_no_changes_graph(
    texts: list[Path], tmp_path: Path
) -> None:
    path = tmp_path / "store"
    put(path, [t for t in texts if t.name in (H1, H2)])
    graph = changes_graph_iri(BASE, SLUG)
    assert graph in contents(path)
    with Store.open(path) as store:
        remove(store, [H2_IRI], linker=linker())
    assert graph not in contents(path)


def test_judging_again_computes_the_changes_again(at_once: Path, tmp_path: Path) -> None:
    """``s3graph check`` and every change of reference data read all reports again: the changes
    graph is computed again with them (here: dropped first, it comes back as it was)."""
    path = tmp_path / "store"
    shutil.copytree(at_once, path)
    graph = changes_graph_iri(BASE, SLUG)
    with Store.open(path) as store:
        store.replace_graphs([NamedTriples(URIRef(graph), [])])
        reference = Reference.load(snapshot_index(), {})
        store.replace_graphs(rejudge(store, base=BASE, reference=reference, validate=None).graphs)
    assert contents(path) == contents(at_once)


# -- the named queries ---------------------------------------------------------------------------


def query_rows(path: Path, name: str, **params: str) -> Iterator[dict[str, str]]:
    with Store.open(path, read_only=True) as store:
        result = run_query(store, load_query(name), params, base=BASE)
    for row in result.rows:
        yield {c: "" if t is None else plain(t) for c, t in zip(result.columns, row, strict=True)}


def _split(text: str, separator: str) -> list[str]:
    return sorted(text.split(separator)) if text else []


def as_expected(row: dict[str, str]) -> tuple[object, ...]:
    """A row of ``changes`` in the shape of the hand-written expectation (values as sets)."""
    return (
        row["kind"],
        row["subject"],
        row["code"] or None,
        row["stated"] or None,
        _split(row["before"], "; "),
        _split(row["after"], "; "),
        sorted(int(n) for n in _split(row["linesBefore"], ", ")),
        sorted(int(n) for n in _split(row["linesAfter"], ", ")),
        row["detail"] or None,
    )


def expected(row: Row) -> tuple[object, ...]:
    kind, subject, code, name, before, after, lines_before, lines_after, detail = row
    return (kind, subject, code, name, sorted(before), sorted(after), sorted(lines_before),
            sorted(lines_after), detail)  # fmt: skip


def test_the_changes_query_gives_the_hand_written_changes(at_once: Path) -> None:
    rows = list(query_rows(at_once, "changes", partnership=SLUG))
    first = [r for r in rows if (r["earlierPeriod"], r["laterPeriod"]) == ("2020-H1", "2020-H2")]
    found = sorted(map(as_expected, first), key=repr)
    assert found == sorted(map(expected, EXPECTED), key=repr)
    assert {r["earlier"] for r in first} == {f"{BASE}report/{SLUG}/2020-H1"}
    assert {r["later"] for r in first} == {H2_IRI}
    goals = {r["subject"]: r["goal"] for r in first if r["kind"] == "sdg-changed"}
    assert goals == {
        "Goal 12": "http://metadata.un.org/sdg/12",
        "Goal 14": "http://metadata.un.org/sdg/14",
    }
    # the same text a year on: the events it planned were not held, nothing else changed
    later = {r["kind"] for r in rows if r["laterPeriod"] == "2021-H2"}
    assert later == {"event-not-held"}


def test_a_changed_region_is_named_by_nuts_when_the_store_holds_it(
    at_once: Path, tmp_path: Path
) -> None:
    """Named by NUTS (its Latin-script name, as the report graphs name regions: from the NUTS
    snapshot packaged, or the versions loaded), the code being the one the stated region
    resolved to; the name the report wrote ("Dytiki Ellada") stays the stated name."""
    assert CORPUS is not None
    rows = list(query_rows(at_once, "changes", partnership=SLUG))
    named = {r["code"]: r["name"] for r in rows if r["code"]}
    assert named == {"ITH5": "Emilia-Romagna", "EL63": "Dytiki Elláda", "CZ06": "Jihovýchod"}
    assert {r["stated"] for r in rows if r["code"] == "EL63"} == {"Dytiki Ellada"}
    path = tmp_path / "store"
    shutil.copytree(at_once, path)
    with Store.open(path) as store:
        load_file(store, CORPUS.parent / "reference" / "nuts-2016.csv")
    rows = list(query_rows(path, "changes", partnership=SLUG))
    named = {r["code"]: r["name"] for r in rows if r["code"]}
    assert named == {"ITH5": "Emilia-Romagna", "EL63": "Dytiki Elláda", "CZ06": "Jihovýchod"}


def test_the_reporting_gaps_query_gives_gaps_and_stopped_partnerships(at_once: Path) -> None:
    rows = list(query_rows(at_once, "reporting-gaps"))
    gaps = [(r["partnership"], r["period"], r["lastPeriod"], r["nextPeriod"]) for r in rows
            if r["kind"] == "gap"]  # fmt: skip
    assert gaps == [(f"{BASE}partnership/{SLUG}", "2021-H1", "2020-H2", "2021-H2")]
    stopped = {r["partnership"].rsplit("/", 1)[1]: (r["period"], r["until"]) for r in rows
               if r["kind"] == "stopped"}  # fmt: skip
    # every partnership but the batteries one filed nothing for 2021-H2, the latest period
    assert stopped["mining-industry"] == ("2020-H2", "2021-H2")
    assert stopped["cybersecurity"] == ("2021-H2", "2021-H2")
    assert SLUG not in stopped
    one = list(query_rows(at_once, "reporting-gaps", partnership="mining-industry"))
    assert [r["kind"] for r in one] == ["stopped"]
