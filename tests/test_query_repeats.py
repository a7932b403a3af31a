"""Shared facts do not multiply: every shipped query gives the same rows over one report and over
the same report ingested under ten reporting periods.

Each report graph restates the facts it shares with the others (a region's type, code and
label; a partnership's labels; a period's dates), so under the union default graph a fact stated
by ten reports is ten triples. A query that joins such facts before removing the repeats
multiplies them: its rows repeat, its counts grow, and its time and memory grow with the product
of the repeats (issue 10: a named query ran a server out of memory). Two stores are built from
the same texts: ``once`` holds each report once, ``tenfold`` the same reports under ten periods
each (the period lines rewritten, so ten report graphs state the same regions and partnership).
For every ``.rq`` under ``queries/`` (named queries, export tables, export description), with
its parameters filled from the data, the rows over both stores must be the same, once the
columns that legitimately change with ten reports are set aside:

* rows that belong to one report (a report, graph or membership column) are compared for the
  original reports only: the other nine periods add rows of their own, the original ones must
  not change;
* counts of reports, lists of periods, first and last days and ingestion times are left out;
  every other column must stay, row for row, as it was (no row may repeat).

A final DISTINCT can hide a multiplication from the rows but not from the time, so a second
check bounds the work: over the tenfold store a query may take at most 8 times as long as over
the single store, times the growth of its rows (a join of two tenfold-repeated facts makes it a
hundred times the combinations). The times are the best of five runs on in-memory copies, and
the bound is loose on purpose.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pyoxigraph as ox
import pytest
from boundary_files import write_synthetic
from conftest import find_shared_dir

from s3graph.ingest import ingest
from s3graph.linking.links import Linker
from s3graph.mapping.links import linked_mapper
from s3graph.resources import resource_dir
from s3graph.sparql import bind_parameters, load_query
from s3graph.store import Store
from s3graph.validate import validate_graph
from s3graph.vocab.nuts_csv import load_reference_dir
from s3graph.vocab.sources.base import ensure_base_vocabularies
from s3graph.vocab.sources.boundaries import read_boundaries_file, write_boundaries
from s3graph.vocab.sources.loading import load_file

BASE = "https://w3id.org/s3graph/"
EXAMPLES = Path(__file__).resolve().parent.parent / "s3graph" / "examples"
NUTS_VERSIONS = (2016, 2021)
COPIES = 10
INGESTED = datetime(2024, 1, 1, tzinfo=UTC)  # one ingestion time for both stores
BOUNDARIES = 2021  # the NUTS version of the synthetic boundaries both stores hold
#: How much slower a query may be over ten copies than over one, beyond the growth of its rows:
#: made distinct before they are joined, the repeats cost about ten times the scans (less with
#: the fixed costs); joined first, a hundred times. The margin absorbs a busy machine.
SLOWER = 8.0
FLOOR_MS = 1.0  # the single store's time counted as at least this (timer noise below it)

# -- the texts -----------------------------------------------------------------------------------

_PERIOD_LINE = re.compile(r"(\* Reporting period[ \t]*\r?\n(?:[ \t]*\r?\n)*)([^\r\n]+)")
_HALVES = {"January - June": "H1", "July - December": "H2"}


def source_reports() -> list[Path]:
    """A real report of the corpus when the shared folder is there, and a bundled example."""
    shared = find_shared_dir()
    mining = (
        shared / "corpus" / "mining-industry-2020-h1.txt"
        if shared is not None
        else EXAMPLES / "mining-industry-2020-h2.txt"
    )
    return [mining, EXAMPLES / "advanced-materials-for-batteries-2021-h1.txt"]


def period_of(text: str) -> str:
    match = _PERIOD_LINE.search(text)
    assert match, "the report has no reporting period line"
    return match[2].strip()


def other_periods(original: str, count: int) -> list[str]:
    """``count`` half-years other than ``original``, the latest first, from 2019 down."""
    periods = [
        f"{half} {year}" for year in range(2019, 2000, -1) for half in reversed(tuple(_HALVES))
    ]
    return [p for p in periods if p != original][:count]


def with_period(text: str, period: str) -> str:
    return _PERIOD_LINE.sub(lambda m: m[1] + period, text, count=1)


def write_texts(folder: Path, copies: int) -> list[str]:
    """The source reports under their own period (and ``copies - 1`` others) in ``folder``.

    Returns the original periods' labels. The original text keeps its file name, so the report
    graph of the original period is the same in both stores.
    """
    folder.mkdir(parents=True)
    originals = []
    for source in source_reports():
        text = source.read_text(encoding="utf-8")
        original = period_of(text)
        originals.append(original)
        (folder / source.name).write_text(text, encoding="utf-8")
        for n, period in enumerate(other_periods(original, copies - 1), start=1):
            copy = with_period(text, period)
            assert period_of(copy) == period
            (folder / f"{source.stem}-copy-{n:02d}.txt").write_text(copy, encoding="utf-8")
    return originals


# -- the stores ----------------------------------------------------------------------------------


def nuts_subset(store: Store, folder: Path) -> list[Path]:
    """NUTS CSV files holding the regions the reports state and the regions above them.

    Loading whole NUTS versions takes seconds; the queries only look at the stated regions and
    their broader regions, which a few lines of each version describe.
    """
    reference = find_shared_dir()
    if reference is None:
        return []
    codes = {
        row["code"].value
        for row in cast(
            ox.QuerySolutions,
            store.query(
                "SELECT DISTINCT ?code WHERE { ?m <https://w3id.org/s3graph/def#statedCode> ?code }"
            ),
        )
    }
    keep = {code[:n] for code in codes for n in range(2, len(code) + 1)}
    files = []
    for version in NUTS_VERSIONS:
        lines = (reference / "reference" / f"nuts-{version}.csv").read_text(encoding="utf-8")
        header, *rows = lines.splitlines()
        kept = [row for row in rows if row.split(",", 1)[0] in keep]
        path = folder / f"nuts-{version}.csv"
        path.write_text("\n".join([header, *kept]) + "\n", encoding="utf-8")
        files.append(path)
    changes = reference / "reference" / "nuts-changes.csv"
    return [*files, changes]


def build_store(path: Path, texts: Path, nuts_files: Sequence[Path]) -> Store:
    """A store made as ``s3graph vocab load`` and ``s3graph ingest`` make it."""
    shared = find_shared_dir()
    index = (
        load_reference_dir(shared / "reference", NUTS_VERSIONS) if shared is not None else None
    )
    store = Store.open(path)
    for nuts in nuts_files:
        load_file(store, nuts)
    folder = path.with_name(f"{path.name}-boundaries")  # one file name in both stores
    folder.mkdir()
    boundaries = write_synthetic(folder / f"NUTS_RG_20M_{BOUNDARIES}_4326.geojson")
    write_boundaries(store, read_boundaries_file(boundaries))
    ensure_base_vocabularies(store)
    ingest(
        store,
        [texts],
        base=BASE,
        map_report=linked_mapper(Linker.load(index)),
        validate=validate_graph,
        now=lambda: INGESTED,
    )
    return store


@dataclass
class Stores:
    once: Store
    tenfold: Store
    originals: set[str]  # the report graphs of the original periods (the same in both stores)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stores]:
    root = tmp_path_factory.mktemp("repeats")
    write_texts(root / "once-texts", 1)
    write_texts(root / "tenfold-texts", COPIES)
    # The NUTS subset is read off a first store without vocabularies, then both are built.
    with build_store(root / "probe", root / "once-texts", []) as probe:
        (root / "nuts").mkdir()
        nuts_files = nuts_subset(probe, root / "nuts")
    for name in ("once", "tenfold"):
        build_store(root / name, root / f"{name}-texts", nuts_files).close()
    # queried in memory, as the server queries its copy of the store
    once = Store.in_memory_copy(root / "once")
    tenfold = Store.in_memory_copy(root / "tenfold")
    originals = {row["r"].value for row in cast(ox.QuerySolutions, once.query(_REPORTS))}
    yield Stores(once, tenfold, originals)


_REPORTS = "SELECT ?r WHERE { ?r a <https://w3id.org/s3graph/def#MonitoringReport> }"

# -- what may change with ten reports ------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """How a query's rows over the tenfold store relate to its rows over the single store.

    ``per_report``: columns naming the report (or its graph) a row belongs to; only the rows of
    the original reports are compared. ``varies``: columns left out of the comparison (counts of
    reports, periods, dates of periods, ingestion times).
    """

    per_report: tuple[str, ...] = ()
    varies: tuple[str, ...] = ()
    note: str = ""
    #: Why the query may give no rows over the single store (one report per partnership).
    empty: str = ""


EXPECT: dict[str, Expect] = {
    # named queries
    "changes": Expect(
        per_report=("earlier", "later"), empty="a change needs two reports of one partnership"
    ),
    "collaborations": Expect(per_report=("report",)),
    "data-quality": Expect(per_report=("report",)),
    "most-shared-regions": Expect(),
    "nuts-changes": Expect(),
    "nuts-regions": Expect(),
    "page-describe": Expect(),
    "page-boundaries": Expect(),
    "page-boundary-versions": Expect(),
    "page-events": Expect(per_report=("report",)),
    "page-judgements": Expect(per_report=("report",)),
    "page-latest-changes": Expect(
        per_report=("earlier", "later"), empty="a change needs two reports of one partnership"
    ),
    "page-labels": Expect(per_report=("resource",)),
    "page-platforms": Expect(varies=("reports",)),
    "page-region-judgements": Expect(per_report=("report",)),
    "page-region-nuts": Expect(),
    "page-region-partnerships": Expect(per_report=("report",)),
    "page-report-answers": Expect(),
    "page-report-sdg": Expect(),
    "page-report-working-areas": Expect(),
    "page-sdg-goals": Expect(),
    "page-report-memberships": Expect(),
    "page-report-neighbours": Expect(per_report=("other",)),
    "page-report-validation": Expect(),
    "page-synthetic": Expect(per_report=("report",)),
    "page-timeline-regions": Expect(per_report=("report",)),
    "page-timeline-sdg": Expect(per_report=("report",)),
    "page-graphs": Expect(per_report=("graph",)),
    "page-index-partnerships": Expect(varies=("reports", "first", "last")),
    "page-index-regions": Expect(varies=("reports",)),
    "page-index-reports": Expect(per_report=("report",)),
    "page-search": Expect(per_report=("report",)),
    "partnerships-of-region": Expect(varies=("periods",)),
    "partnerships": Expect(varies=("reports",)),
    "region-flows": Expect(empty="a region joins or leaves between two reports of one partnership"),
    "regions-of-partnership": Expect(varies=("reports",)),
    "reporting-gaps": Expect(
        per_report=("lastReport", "nextReport"), empty="the latest partnership has no gap"
    ),
    "reports": Expect(per_report=("report",)),
    "sdg-profile": Expect(varies=("reports",)),
    "shared-regions": Expect(),
    "stats": Expect(varies=("reports", "memberships", "collaborationMentions")),
    # export tables
    "tables/changes": Expect(
        per_report=("earlier_report", "later_report"), empty="a change needs two reports"
    ),
    "tables/collaborations": Expect(per_report=("report",)),
    "tables/events": Expect(per_report=("report",)),
    "tables/memberships": Expect(per_report=("report",)),
    "tables/partnerships": Expect(varies=("reports", "first_period_start", "last_period_end")),
    "tables/regions": Expect(),
    "tables/reports": Expect(per_report=("report",)),
    "tables/sdg-answers": Expect(per_report=("report",)),
    "tables/validation-results": Expect(per_report=("report",)),
    # export description
    "dumps/countries": Expect(),
    "dumps/coverage": Expect(varies=("startDate", "endDate")),
    "dumps/keywords": Expect(),
    "dumps/linksets": Expect(note="s3g:goal links are per report"),
    "dumps/partnership-graphs": Expect(per_report=("graph",)),
    # the store's own bookkeeping (queries/store/)
    "store/partnership-sources": Expect(per_report=("report",)),
    "store/stored-sources": Expect(per_report=("report",)),
    "store/stored-reports": Expect(per_report=("report",)),
    "store/graph-lines": Expect(per_report=("g",)),
    "store/graph-sizes": Expect(per_report=("g",)),
    "store/transfer-graph-count": Expect(varies=("n",)),
    "store/transfer-graph-sizes": Expect(per_report=("g",)),
    "store/transfer-graph-triples": Expect(per_report=("g",)),
}


def query_files() -> list[Path]:
    folder = resource_dir("queries")
    return sorted(folder.glob("*.rq")) + sorted(folder.glob("*/*.rq"))


def key_of(path: Path) -> str:
    folder = resource_dir("queries")
    return path.relative_to(folder).with_suffix("").as_posix()


# -- parameters ----------------------------------------------------------------------------------

_SHARED_REGION = """
PREFIX s3g: <https://w3id.org/s3graph/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?region ?code ?partnership ?report WHERE {
  ?m org:member ?region ; org:organization ?partnership ; s3g:reportedIn ?report ;
     s3g:statedCode ?code .
  ?region s3g:nutsRegion ?nuts .
} ORDER BY ?region ?report LIMIT 1
"""


_A_RULE = "SELECT (MIN(?r) AS ?rule) WHERE { ?x <https://w3id.org/s3graph/def#rule> ?r }"


def parameter_sets(path: Path, stores: Stores) -> list[dict[str, str]]:
    """The parameter values a query is run with: none (when it may), then each value picked."""
    if path.parent.name != "queries":
        return [{}]
    query = load_query(str(path))
    row = next(iter(cast(ox.QuerySolutions, stores.once.query(_SHARED_REGION))))
    picks: dict[str, list[str]] = {
        "partnership": [row["partnership"].value],
        "region": [row["region"].value],
        "code": [row["code"].value],
        "report": [row["report"].value],
        "resource": [row["partnership"].value, row["region"].value, row["report"].value],
        "text": ["in", row["code"].value],
        "rule": [next(iter(cast(ox.QuerySolutions, stores.once.query(_A_RULE))))["rule"].value],
        "version": [str(BOUNDARIES)],
    }
    sets: list[dict[str, str]] = []
    if not any(p.required for p in query.parameters):
        sets.append({})
    for parameter in query.parameters:
        for value in picks[parameter.name]:
            sets.append({parameter.name: value})
    return sets


# -- running -------------------------------------------------------------------------------------


def text_of(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:b"  # blank node labels differ from store to store
    return str(term)


def rows_of(store: Store, path: Path, params: dict[str, str]) -> tuple[list[str], list[tuple]]:
    text = path.read_text(encoding="utf-8")
    substitutions = {}
    if params:
        substitutions = bind_parameters(load_query(str(path)), params, base=BASE)
    solutions = store.query(text, substitutions)
    assert isinstance(solutions, ox.QuerySolutions)
    columns = [v.value for v in solutions.variables]
    return columns, [tuple(text_of(s[c]) for c in columns) for s in solutions]


def comparable(columns: list[str], rows: list[tuple], expect: Expect, keep: set[str]) -> Counter:
    """The rows as compared: the original reports' rows only, varying columns left out."""
    report_at = [columns.index(c) for c in expect.per_report]
    shown = [i for i, c in enumerate(columns) if c not in expect.varies]
    kept: Counter = Counter()
    for row in rows:
        if any(row[i] and _unquoted(row[i]) not in keep for i in report_at):  # unbound: kept
            continue
        kept[tuple(row[i] for i in shown)] += 1
    return kept


def best_ms(store: Store, path: Path, params: dict[str, str], runs: int = 5) -> tuple[float, int]:
    """The fastest of ``runs`` runs in ms (the least disturbed by the rest of the machine), and
    the number of rows."""
    best, rows = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = len(rows_of(store, path, params)[1])
        best = min(best, time.perf_counter() - started)
    return 1000 * best, rows


def _unquoted(iri: str) -> str:
    return iri[1:-1] if iri.startswith("<") else iri


def cases() -> list[Path]:
    return query_files()


def test_every_shipped_query_has_an_expectation() -> None:
    assert sorted(key_of(p) for p in query_files()) == sorted(EXPECT)


@pytest.mark.parametrize("path", cases(), ids=key_of)
def test_shared_facts_do_not_multiply(stores: Stores, path: Path) -> None:
    expect = EXPECT[key_of(path)]
    keep = stores.originals | {f"{r}/validation" for r in stores.originals}
    for params in parameter_sets(path, stores):
        columns, once = rows_of(stores.once, path, params)
        _, tenfold = rows_of(stores.tenfold, path, params)
        assert once or expect.empty, (
            f"{key_of(path)} {params}: no rows over the single store; pick better data"
        )
        if key_of(path) == "dumps/linksets":
            once_rows = dict(once)
            ten_rows = dict(tenfold)
            nuts = "<https://w3id.org/s3graph/def#nutsRegion>"
            assert ten_rows[nuts] == once_rows[nuts]
            continue
        left = comparable(columns, once, expect, keep)
        right = comparable(columns, tenfold, expect, keep)
        repeated = [row for row, n in right.items() if n > left.get(row, 0)]
        assert left == right, (
            f"{key_of(path)} {params}: rows differ with ten periods; "
            f"{len(repeated)} rows repeat or are new, e.g. {repeated[:3]}; "
            f"missing: {[r for r in left if r not in right][:3]}"
        )


@pytest.mark.parametrize("path", cases(), ids=key_of)
def test_repeats_cost_no_more_than_the_rows_they_add(stores: Stores, path: Path) -> None:
    """A join of two facts that ten reports repeat forms a hundred combinations, which a final
    DISTINCT hides from the rows but not from the time and memory: over the tenfold store a
    query may take longer in proportion to the rows it gives (a row per report), by a loose
    factor, not more (partnerships-of-region before issue 10: 28 times slower, same rows)."""
    for params in parameter_sets(path, stores):
        once, once_rows = best_ms(stores.once, path, params)
        tenfold, tenfold_rows = best_ms(stores.tenfold, path, params)
        grown = max(1.0, tenfold_rows / max(once_rows, 1))
        limit = SLOWER * max(once, FLOOR_MS) * grown
        assert tenfold <= limit, (
            f"{key_of(path)} {params}: {tenfold:.1f} ms over ten reports, {once:.1f} ms over one "
            f"(rows {once_rows} -> {tenfold_rows}; at most {limit:.0f} ms): repeated facts are "
            "joined before they are made distinct"
        )
