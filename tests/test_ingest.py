"""Ingestion, all or nothing, with fake parse and map functions (and once with the real ones).

A fake report file holds ``key: value`` lines: ``partnership``, ``period``, ``triples`` (how many
triples the fake mapping makes), ``warnings`` (how many parse warnings) and ``fail`` (the line
number at which the fake parser raises a ReportError).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from s3graph.errors import ReportError
from s3graph.ingest import IngestSummary, collect_files, ingest
from s3graph.model import ParseWarning, Report, SourceFile
from s3graph.store import Store, Term

BASE = "https://example.org/kg/"
EX = Namespace("https://example.org/def#")
WHEN = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


def select(store: Store, text: str, substitutions: Mapping[str, Term] | None = None) -> Any:
    """The solutions of a SELECT run on ``store``."""
    result = store.query(text, substitutions)
    assert isinstance(result, ox.QuerySolutions)
    return result


def fake_parse(path: Path) -> Report:
    fields = dict(line.split(": ", 1) for line in path.read_text().splitlines() if line)
    if "fail" in fields:
        raise ReportError(str(path), int(fields["fail"]), "a good report", "a bad one")
    warnings = tuple(
        ParseWarning(line=i + 1, message=f"oddity {i}") for i in range(int(fields["warnings"]))
    )
    return Report(
        source=SourceFile(name=str(path), sha256="0" * 64, size=0),
        partnership=fields["partnership"],
        partnership_line=1,
        reporting_period=None,
        start_date_text=fields["period"],  # the fake mapping reads the period from here
        webpage=str(int(fields["triples"])),  # and the number of triples from here
        leading_regions=(),
        participating_regions=(),
        working_areas=(),
        past_events=(),
        planned_events=(),
        sdg=(),
        answers=(),
        warnings=warnings,
    )


def fake_map(report: Report, *, base: str, ingested_at: datetime) -> Graph:
    iri = URIRef(f"{base}report/{report.partnership}/{report.start_date_text}")
    graph = Graph(identifier=iri)
    graph.add((iri, EX.ingestedAt, Literal(ingested_at)))
    graph.add((iri, EX.file, Literal(Path(report.source.name).name)))
    for i in range(int(report.webpage or 0) - 2):
        graph.add((iri, EX.item, Literal(i)))
    return graph


def write(path: Path, partnership: str = "p", period: str = "2020-H1", **fields: int) -> Path:
    values = {"triples": 5, "warnings": 0, **fields}
    lines = [f"partnership: {partnership}", f"period: {period}"]
    lines += [f"{key}: {value}" for key, value in values.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def run(store: Store, paths: list[Path], **kwargs: object) -> IngestSummary:
    # The fake parse reads no bytes, so there are none to keep for re-judging.
    kwargs = {"parse": fake_parse, "map_report": fake_map, "now": lambda: WHEN, **kwargs}
    kwargs.setdefault("keep_sources", False)
    return ingest(store, paths, base=BASE, **kwargs)  # type: ignore[arg-type]


def report_iri(partnership: str, period: str = "2020-H1") -> str:
    return f"{BASE}report/{partnership}/{period}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store") as opened:
        yield opened


# -- collecting files --------------------------------------------------------------------------


def test_directories_expand_to_their_txt_files_sorted_recursively(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    for name in ["b.txt", "a.txt", "sub/c.txt", "sub/deeper/a.txt", "notes.md", "x.TXT.bak"]:
        (reports / name).parent.mkdir(parents=True, exist_ok=True)
        (reports / name).write_text("")
    (reports / "folder.txt").mkdir()  # a directory named like a report is not a file
    single = write(tmp_path / "single.report")
    assert collect_files([single, reports]) == [
        single,
        reports / "a.txt",
        reports / "b.txt",
        reports / "sub/c.txt",
        reports / "sub/deeper/a.txt",
    ]


def test_a_file_reached_twice_is_kept_once_where_it_first_appears(tmp_path: Path) -> None:
    a, b = write(tmp_path / "d/a.txt"), write(tmp_path / "d/b.txt")
    assert collect_files([b, tmp_path / "d", a]) == [b, a]


def test_a_missing_path_is_a_report_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(ReportError) as caught:
        collect_files([write(tmp_path / "a.txt"), missing])
    assert str(caught.value) == f"{missing}: no such file or directory"


# -- ingesting ---------------------------------------------------------------------------------


def test_summary_counts_files_triples_warnings_and_graphs(tmp_path: Path, store: Store) -> None:
    write(tmp_path / "in/b.txt", "beta", triples=7, warnings=2)
    write(tmp_path / "in/a.txt", "alpha", triples=4)
    seen: list[Path] = []
    summary = run(store, [tmp_path / "in"], progress=seen.append)
    assert summary.files == 2
    assert summary.triples == 11 == store.count()
    assert summary.graphs == [report_iri("alpha"), report_iri("beta")] == store.graphs()
    assert [(path.name, w.line, w.message) for path, w in summary.warnings] == [
        ("b.txt", 1, "oddity 0"),
        ("b.txt", 2, "oddity 1"),
    ]
    assert seen == [tmp_path / "in/a.txt", tmp_path / "in/b.txt"]


def test_all_files_share_one_ingestion_time(tmp_path: Path, store: Store) -> None:
    calls: list[datetime] = []

    def now() -> datetime:
        calls.append(WHEN)
        return WHEN

    run(store, [write(tmp_path / "a.txt", "a"), write(tmp_path / "b.txt", "b")], now=now)
    assert len(calls) == 1
    times = select(store, f"SELECT DISTINCT ?t WHERE {{ ?r <{EX.ingestedAt}> ?t }}")
    # Oxigraph stores xsd:dateTime as a value: it comes back as 2024-05-06T07:08:09Z.
    assert [datetime.fromisoformat(row["t"].value) for row in times] == [WHEN]


def test_a_bad_file_writes_nothing(tmp_path: Path, store: Store) -> None:
    run(store, [write(tmp_path / "old.txt", "a", triples=3)])
    before = (store.count(), store.graphs())
    write(tmp_path / "in/1.txt", "a", triples=9)
    bad = write(tmp_path / "in/2.txt", "b", fail=17)
    write(tmp_path / "in/3.txt", "c")
    with pytest.raises(ReportError) as caught:
        run(store, [tmp_path / "in"])
    assert (caught.value.path, caught.value.line) == (str(bad), 17)
    assert (store.count(), store.graphs()) == before


def test_a_mapping_error_writes_nothing(tmp_path: Path, store: Store) -> None:
    def failing_map(report: Report, *, base: str, ingested_at: datetime) -> Graph:
        if report.partnership == "bad":
            raise ReportError(report.source.name, 1, "a partnership name")
        return fake_map(report, base=base, ingested_at=ingested_at)

    with pytest.raises(ReportError, match="a partnership name"):
        run(store, [write(tmp_path / "a.txt", "a"), write(tmp_path / "b.txt", "bad")],
            map_report=failing_map)  # fmt: skip
    assert store.count() == 0


def test_ingesting_twice_changes_nothing(tmp_path: Path, store: Store) -> None:
    paths = [write(tmp_path / "a.txt", "a", triples=6), write(tmp_path / "b.txt", "b")]
    run(store, paths)
    first = (store.count(), store.graphs())
    run(store, paths)
    assert (store.count(), store.graphs()) == first == (11, [report_iri("a"), report_iri("b")])


def test_ingesting_a_shorter_report_replaces_the_old_graph(tmp_path: Path, store: Store) -> None:
    path = write(tmp_path / "a.txt", "a", triples=10)
    run(store, [path, write(tmp_path / "b.txt", "b", triples=4)])
    write(path, "a", triples=3)
    summary = run(store, [path])
    assert (summary.triples, store.count()) == (3, 3 + 4)


def test_the_later_of_two_files_for_the_same_report_wins(tmp_path: Path, store: Store) -> None:
    first = write(tmp_path / "in/1-draft.txt", "a", triples=9)
    second = write(tmp_path / "in/2-final.txt", "a", triples=4)
    summary = run(store, [tmp_path / "in"])
    assert summary.files == 2
    assert summary.graphs == [report_iri("a")]
    assert summary.triples == 4 == store.count()
    ((path, warning),) = summary.warnings
    assert path == first and warning.line == 0
    assert str(second) in warning.message and report_iri("a") in warning.message
    files = select(store, f"SELECT ?f WHERE {{ ?r <{EX.file}> ?f }}")
    assert [row["f"].value for row in files] == ["2-final.txt"]


def test_the_real_parser_and_mapping_are_the_defaults(tmp_path: Path) -> None:
    """The bundled examples, through s3graph.parse and s3graph.mapping, twice."""
    examples = Path(__file__).resolve().parents[1] / "s3graph" / "examples"
    with Store.open(tmp_path / "store") as store:
        summary = ingest(store, [examples], base=BASE)
        count = store.count()
        again = ingest(store, [examples], base=BASE)
        assert store.count() == count == summary.triples == again.triples
    assert summary.files == len(list(examples.glob("*.txt"))) == len(summary.graphs) > 0
    assert all(iri.startswith(f"{BASE}report/") for iri in summary.graphs)


@pytest.mark.parametrize("parallel_from", [1000, 2], ids=["in-process", "worker-processes"])
def test_a_run_with_the_real_parser_stops_at_the_first_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel_from: int
) -> None:
    """Real parser, in this process or in workers: the first bad file in order is reported,
    nothing written, and a clean run gives the same graphs either way."""
    import s3graph.ingest as ingest_module

    monkeypatch.setattr(ingest_module, "PARALLEL_FROM", parallel_from)
    examples = Path(__file__).resolve().parents[1] / "s3graph" / "examples"
    folder = tmp_path / "in"
    folder.mkdir()
    for example in sorted(examples.glob("*.txt")):
        (folder / example.name).write_bytes(example.read_bytes())
    with Store.open(tmp_path / "store") as store:
        summary = ingest(store, [folder], base=BASE)
        count = store.count()
        assert count == summary.triples > 0
        (folder / "zz-bad.txt").write_text("not a report\n")
        with pytest.raises(ReportError) as caught:
            ingest(store, [folder], base=BASE)
        assert caught.value.path.endswith("zz-bad.txt")
        assert store.count() == count
        (folder / "zz-bad.txt").unlink()
        again = ingest(store, [folder], base=BASE)
        assert (again.triples, store.count(), again.graphs) == (count, count, summary.graphs)
