"""Links to NUTS go only to codes that exist in the version in force for the report's period.

A stated code keeps its value and its judgement whatever it is; ``s3g:nutsRegion`` goes to the
code itself when the version in force holds it, to its single successor when the change table
gives one, and nowhere otherwise. The store built from the whole corpus and its export are
checked IRI by IRI against the classification (the reference tables, read here on their own).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import CorpusCase
from rdflib import Graph, Literal, URIRef

from s3graph.cli import main
from s3graph.export.run import ExportSettings, export
from s3graph.ingest import ingest
from s3graph.linking.links import Linker
from s3graph.linking.regions import nuts_link, report_version
from s3graph.mapping.links import link_triples, linked_mapper, to_linked_graph
from s3graph.mapping.report import report_iri
from s3graph.namespaces import NUTS_CODE, S3G, SKOS
from s3graph.parse import parse_file
from s3graph.store import Store
from s3graph.vocab.nuts_csv import load_reference_dir, read_reference_csv
from s3graph.vocab.nuts_index import NutsIndex
from s3graph.vocab.nuts_snapshot import snapshot_index, with_snapshot

BASE = "https://w3id.org/s3graph/"
WHEN = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
NUTS_PREFIX = str(NUTS_CODE[""])
VOID_TRIPLES = URIRef("http://rdfs.org/ns/void#triples")
LINKSET = URIRef(f"{BASE}dataset#links-nuts")


@pytest.fixture(scope="module")
def classification(shared_dir: Path) -> NutsIndex:
    """The NUTS classification as the reference tables give it (not the packaged snapshot)."""
    folder = shared_dir / "reference"
    if not (folder / "nuts-changes.csv").is_file():
        pytest.skip(f"no NUTS reference tables in {folder}")
    return load_reference_dir(folder)


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker.load(with_snapshot(None))


def _case(corpus_files: list[CorpusCase], stem: str) -> Path:
    (path,) = [Path(c.txt) for c in corpus_files if Path(c.txt).stem == stem]
    return path


def _region(code: str) -> URIRef:
    return URIRef(f"{BASE}region/{code}")


# -- which code a stated code links to ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "version", "expected"),
    [
        ("ES41", 2016, "ES41"),  # in force: itself
        ("ES25", 2016, None),  # in no version
        ("EL24", 2016, "EL64"),  # NUTS 2010 only, recoded in 2013
        ("EL23", 2021, "EL63"),
        ("HR02", 2016, None),  # exists from NUTS 2021 on only
        ("HR02", 2021, "HR02"),
        ("PT16", 2024, None),  # split in 2024 (PT19 and part of PT1D)
        ("UKC1", 2024, None),  # no UK in NUTS 2024
        ("FI1D3", 2024, "FI1DC"),  # one successor after a boundary shift
        ("FR24", 2016, "FRB0"),  # FRB0 and its parent FRB: one territory, the same level wins
    ],
)
def test_a_code_links_to_itself_or_its_single_successor_in_force(
    classification: NutsIndex, code: str, version: int, expected: str | None
) -> None:
    assert nuts_link(code, classification, version) == expected
    assert nuts_link(code, snapshot_index(), version) == expected


def test_an_unknown_code_keeps_its_value_and_judgement_but_links_nowhere(
    corpus_files: list[CorpusCase], linker: Linker
) -> None:
    report = parse_file(_case(corpus_files, "advanced-materials-for-batteries-2020-h1"))
    links = linker.link(report)
    graph = to_linked_graph(report, links, base=BASE, ingested_at=WHEN)
    es25 = _region("ES25")

    assert graph.value(es25, SKOS.notation) == Literal("ES25")
    assert graph.value(es25, S3G.nutsRegion) is None
    (judgement,) = [j for j in links.issues if j.rule == "nuts-unknown" and "ES25" in j.message]
    node = next(
        n
        for n in graph.subjects(S3G.rule, Literal("nuts-unknown"))
        if "ES25" in str(graph.value(n, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
    )
    assert graph.value(node, S3G.nutsVersion) == Literal(2016)
    assert graph.value(node, S3G.nutsSource) == Literal("snapshot")
    assert judgement.version == 2016 and judgement.source == "snapshot"
    assert {"ES25"} <= {str(o) for o in graph.objects(None, S3G.statedCode)}


def test_an_obsolete_code_links_to_its_successor_in_force(
    corpus_files: list[CorpusCase], linker: Linker
) -> None:
    for stem, code, successor in [
        ("mining-industry-2020-h1", "EL24", "EL64"),
        ("advanced-materials-for-batteries-2020-h2", "EL23", "EL63"),
    ]:
        report = parse_file(_case(corpus_files, stem))
        links = linker.link(report)
        graph = to_linked_graph(report, links, base=BASE, ingested_at=WHEN)
        assert graph.value(_region(code), SKOS.notation) == Literal(code)
        assert set(graph.objects(_region(code), S3G.nutsRegion)) == {NUTS_CODE[successor]}
        assert any(j.rule == "nuts-obsolete" for j in links.issues if code in j.message)


def test_without_a_nuts_index_no_region_is_linked(corpus_files: list[CorpusCase]) -> None:
    bare = Linker.load(None)
    for case in corpus_files:
        report = parse_file(Path(case.txt))
        links = bare.link(report)
        iri = report_iri(report, BASE, links.partnership.slug if links.partnership else None)
        triples = link_triples(report, iri, links, base=BASE)
        graph = to_linked_graph(report, links, base=BASE, ingested_at=WHEN)
        assert not [t for t in triples if t[1] == S3G.nutsRegion]
        assert not list(graph.triples((None, S3G.nutsRegion, None))), case.txt


def test_judgements_say_a_loaded_version_was_used(
    corpus_files: list[CorpusCase], shared_dir: Path
) -> None:
    loaded = NutsIndex.from_rows(
        read_reference_csv(shared_dir / "reference" / "nuts-2016.csv", 2016), []
    )
    report = parse_file(_case(corpus_files, "mining-industry-2020-h1"))
    links = Linker.load(with_snapshot(loaded)).link(report)

    judged = [j for j in links.issues if j.version is not None]
    assert judged and {(j.version, j.source) for j in judged} == {(2016, "loaded")}
    assert {i["nuts_source"] for i in links.known_issues() if i["nuts_version"]} == {"loaded"}


# -- the store of the whole corpus and its export ----------------------------------------------


@pytest.fixture(scope="module")
def corpus_store(
    corpus_files: list[CorpusCase], linker: Linker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """Every corpus report ingested with its links against the snapshot."""
    path = tmp_path_factory.mktemp("nuts-links") / "store"
    with Store.open(path) as store:
        paths = [Path(c.txt) for c in corpus_files]
        ingest(store, paths, base=BASE, map_report=linked_mapper(linker))
        yield store


@pytest.fixture(scope="module")
def versions(corpus_files: list[CorpusCase], linker: Linker) -> dict[str, int]:
    """Report IRI -> the NUTS version in force for its period."""
    found = {}
    for case in corpus_files:
        report = parse_file(Path(case.txt))
        links = linker.link(report)
        slug = links.partnership.slug if links.partnership else None
        found[str(report_iri(report, BASE, slug))] = report_version(report, snapshot_index())
    return found


def _report_of(graph: str, versions: dict[str, int]) -> str | None:
    return next((r for r in versions if graph == r or graph.startswith(f"{r}/")), None)


def _published(
    rows: Iterable[tuple[str, str, str]], versions: dict[str, int]
) -> list[tuple[str, str, str]]:
    """(report, predicate, NUTS code) of every NUTS code IRI in a report's graphs, from
    (graph, predicate, object IRI) rows."""
    out = []
    for graph, predicate, value in rows:
        report = _report_of(graph, versions)
        if value.startswith(NUTS_PREFIX) and report is not None:
            out.append((report, predicate, value.removeprefix(NUTS_PREFIX)))
    return out


def _store_rows(store: Store, predicate: str | None = None) -> list[tuple[str, str, str]]:
    """(graph, predicate, object) of every triple of a named graph whose object is a NUTS code
    (with ``predicate`` only those of that predicate)."""
    only = f"VALUES ?p {{ <{predicate}> }}" if predicate else ""
    query = f"""SELECT ?g ?p ?o WHERE {{
        {only}
        GRAPH ?g {{ ?s ?p ?o }}
        FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{NUTS_PREFIX}"))
    }}"""
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return [(row["g"].value, row["p"].value, row["o"].value) for row in solutions]


def _dump_rows(dump: Path) -> Iterator[tuple[str, str, str]]:
    with dump.open("rb") as file:
        for quad in ox.parse(file, ox.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                yield quad.graph_name.value, quad.predicate.value, quad.object.value


def _check(
    published: list[tuple[str, str, str]], versions: dict[str, int], index: NutsIndex
) -> None:
    assert published, "the corpus links regions to NUTS"
    wrong = [
        (report, predicate, code, versions[report])
        for report, predicate, code in published
        if index.region(code, versions[report]) is None
    ]
    assert not wrong, wrong


def test_every_nuts_iri_in_the_store_exists_in_its_reports_version(
    corpus_store: Store, versions: dict[str, int], classification: NutsIndex
) -> None:
    published = _published(_store_rows(corpus_store), versions)
    _check(published, versions, classification)
    predicates = {p for _, p, _ in published}
    assert str(S3G.nutsRegion) in predicates and str(S3G.resolvedRegion) in predicates
    assert "ES25" not in {code for _, _, code in published}


def test_every_nuts_iri_in_the_export_exists_and_the_linkset_counts_them(
    corpus_store: Store,
    versions: dict[str, int],
    classification: NutsIndex,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    out = tmp_path_factory.mktemp("nuts-links-export") / "dumps"
    export(corpus_store, out, ExportSettings(formats=("nq",), base=BASE))
    (dump,) = out.glob("*.nq")
    published = _published(_dump_rows(dump), versions)
    _check(published, versions, classification)
    assert sorted(published) == sorted(_published(_store_rows(corpus_store), versions))

    links = _published(_store_rows(corpus_store, str(S3G.nutsRegion)), versions)
    real = {
        (report, code) for report, _, code in links if classification.region(code, versions[report])
    }
    description = Graph().parse(out / "dataset.ttl", format="turtle")
    (counted,) = description.objects(LINKSET, VOID_TRIPLES)
    # every link is real, so the linkset's count of distinct links counts real links only
    assert len(real) == len(set(links)) > 0
    distinct = {(s, o) for s, o in _link_pairs(corpus_store)}
    assert int(str(counted)) == len(distinct)
    assert all(classification.versions_of(code) for _, code in distinct)


def _link_pairs(store: Store) -> list[tuple[str, str]]:
    """(region, NUTS code) of every ``s3g:nutsRegion`` triple of the union, as VoID counts."""
    solutions = store.query(
        f"SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{S3G.nutsRegion}> ?o }} }}"
    )
    assert isinstance(solutions, ox.QuerySolutions)
    return [(row["s"].value, row["o"].value.removeprefix(NUTS_PREFIX)) for row in solutions]


def test_the_cli_store_and_export_publish_only_existing_codes(
    shared_dir: Path,
    corpus_files: list[CorpusCase],
    versions: dict[str, int],
    classification: NutsIndex,
    tmp_path: Path,
) -> None:
    """``s3graph ingest --nuts`` (links, validation), then ``s3graph export``, as a user would."""
    store, out = tmp_path / "store", tmp_path / "dumps"
    commands: list[list[str | Path]] = [
        ["ingest", "--nuts", shared_dir / "reference", *(c.txt for c in corpus_files)],
        ["export", "--out", out, "--formats", "nq"],
    ]
    for command in commands:
        args = ["--store", str(store), "--base", BASE, *map(str, command)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    (dump,) = out.glob("*.nq")
    published = _published(_dump_rows(dump), versions)
    _check(published, versions, classification)
    assert {code for _, p, code in published if p == str(S3G.nutsRegion)} >= {"EL64", "EL63"}
