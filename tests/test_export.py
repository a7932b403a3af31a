"""``s3graph export`` end to end: the dumps against the store they come from.

One store is built from the corpus (NUTS 2021 loaded first, the SDG goals with the base
vocabularies) and exported once per configuration. The dumps are read back with pyoxigraph and
rdflib and compared with the store itself (its N-Quads, SPARQL counts), never with what the
export code computes; the description is checked against the files on disk. The dumps hold one
graph more than the store: the ontology's concept schemes and concepts, read here from the
ontology itself.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from conftest import CorpusCase
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

import s3graph.export.partnerships
import s3graph.export.run
from s3graph.cli import main
from s3graph.errors import ExportError
from s3graph.export.run import ExportSettings, ExportSummary, export
from s3graph.export.tables import write_tables
from s3graph.store import Store
from s3graph.validate.dcat import validate_description

BASE = "https://w3id.org/s3graph/"
DATASET = URIRef(f"{BASE}dataset")
PUBLISHER = URIRef(f"{BASE}dataset#publisher")
CATALOG = URIRef(f"{BASE}dataset#catalog")
CONTACT = URIRef(f"{BASE}dataset#contact")
STABLE = URIRef("http://publications.europa.eu/resource/authority/planned-availability/STABLE")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
PREFIXES = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX s3g: <https://w3id.org/s3graph/def#>
"""
SUMS = "SHA256SUMS"
ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "s3graph.ttl"
#: The named graph of the ontology's concept schemes, which the export adds to the store's graphs.
CONCEPTS = ox.NamedNode("https://w3id.org/s3graph/def/concepts")
DESCRIPTION = ("dataset.jsonld", "dataset.ttl")
UNION = {"s3graph.nt": "nt", "s3graph.ttl": "turtle", "s3graph.jsonld": "json-ld"}
OX_FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
RDFLIB_FORMATS = {".nq": "nquads", ".nt": "nt", ".ttl": "turtle", ".jsonld": "json-ld"}

Exporter = Callable[..., ExportSummary]

# rdflib's own parsers use its deprecated ConjunctiveGraph and Dataset.default_context.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


# -- the store and its exports ---------------------------------------------------------------------


def cli(*args: str | Path) -> Result:
    """``s3graph ARGS`` in process, stdout and stderr apart, the environment left out."""
    env = {"S3GRAPH_STORE": None, "S3GRAPH_BASE": None, "S3GRAPH_DUMPS": None}
    try:
        runner = CliRunner(mix_stderr=False, env=env)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner(env=env)  # click >= 8.2 keeps stdout and stderr apart
    return runner.invoke(main, [str(arg) for arg in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def store_path(
    shared_dir: Path, corpus_files: list[CorpusCase], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The corpus ingested as ``s3graph ingest`` does, after ``s3graph vocab load`` NUTS 2021."""
    path = tmp_path_factory.mktemp("export-store") / "store"
    nuts = shared_dir / "reference" / "nuts-2021.csv"
    commands: list[list[str | Path]] = [
        ["vocab", "load", nuts],
        ["ingest", *(case.txt for case in corpus_files)],
    ]
    for command in commands:
        result = cli("--store", path, "--base", BASE, *command)
        assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def store(store_path: Path) -> Iterator[Store]:
    with Store.open(store_path, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def dumped(store_path: Path) -> ox.Store:
    """What the dumps must hold: the store's quads, and every statement about the concept schemes
    and concepts of the ontology as the graph CONCEPTS (roles, SDG ratings, form questions)."""
    expected = ox.Store()
    expected.load(b"".join(raw_nquads(store_path)), format=ox.RdfFormat.N_QUADS)
    ontology = ox.Store()
    ontology.load(path=ONTOLOGY, format=ox.RdfFormat.TURTLE)
    concepts = ontology.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> CONSTRUCT { ?s ?p ?o } WHERE {"
        " VALUES ?class { skos:Concept skos:ConceptScheme } ?s a ?class ; ?p ?o }"
    )
    added = [ox.Quad(t.subject, t.predicate, t.object, CONCEPTS) for t in concepts]  # type: ignore[union-attr]
    assert len(added) > 200
    expected.extend(added)
    return expected


@pytest.fixture(scope="module")
def exported(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Exporter:
    """``exported(name, **settings)``: the store exported once per name into its own folder."""
    done: dict[str, ExportSummary] = {}

    def run(name: str, **settings: object) -> ExportSummary:
        if name not in done:
            out = tmp_path_factory.mktemp("exports") / name
            done[name] = export(store, out, ExportSettings(**settings))  # type: ignore[arg-type]
        return done[name]

    return run


@pytest.fixture(scope="module")
def out(exported: Exporter) -> Path:
    """The export of every format, uncompressed."""
    return exported("all").folder


@pytest.fixture(scope="module")
def description(out: Path) -> Graph:
    return Graph().parse(out / "dataset.ttl", format="turtle")


# -- reading back ----------------------------------------------------------------------------------


def count(store: Store | ox.Store, query: str) -> int:
    (solution,) = rows(store, query)
    return int(solution["n"].value)


def rows(store: Store | ox.Store, query: str) -> list[ox.QuerySolution]:
    return list(store.query(PREFIXES + query))  # type: ignore[arg-type]


def raw_nquads(store_path: Path) -> list[bytes]:
    """The store's quads as sorted N-Quads lines, read by pyoxigraph apart from s3graph's Store,
    but for the graphs of the reports' source bytes (bookkeeping the dumps leave out)."""
    data = ox.Store.read_only(str(store_path)).dump(format=ox.RdfFormat.N_QUADS)
    assert data is not None
    lines = data.splitlines(keepends=True)
    assert any(b"/source-text> ." in q for q in lines), "the store keeps the reports' sources"
    return sorted(q for q in lines if not q.endswith(b"/source-text> .\n"))


def line(triple: ox.Triple | ox.Quad) -> str:
    """A triple (a quad's graph dropped) as an N-Triples line without its final dot."""
    return f"{triple.subject} {triple.predicate} {triple.object}"


def ox_triples(path: Path) -> set[str]:
    """The triples of an RDF file (plain or .gz) as read by pyoxigraph."""
    data = read_plain(path)
    format_ = OX_FORMATS[Path(path.name.removesuffix(".gz")).suffix]
    return {line(quad) for quad in ox.parse(data, format=format_)}


def rdflib_graph(path: Path) -> Graph:
    return Graph().parse(data=read_plain(path), format=RDFLIB_FORMATS[path.suffix])


def read_plain(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def store_union(store: Store | ox.Store) -> set[str]:
    """The distinct triples of every named graph of the store."""
    found = rows(store, "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {f"{r['s']} {r['p']} {r['o']}" for r in found}


def graph_triples(store: Store, graphs: list[str]) -> set[str]:
    """The distinct triples of the named graphs ``graphs`` of the store."""
    values = " ".join(f"<{graph}>" for graph in graphs)
    query = f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    return {f"{r['s']} {r['p']} {r['o']}" for r in rows(store, query)}


def listed(folder: Path) -> dict[str, str]:
    """``SHA256SUMS`` of an export: path -> checksum, checking its layout on the way."""
    entries = {}
    text = (folder / SUMS).read_text(encoding="utf-8")
    assert text.endswith("\n")
    for entry in text.splitlines():
        checksum, path = entry.split("  ", 1)
        assert len(checksum) == 64 and int(checksum, 16) >= 0, entry
        entries[path] = checksum
    assert list(entries) == sorted(entries), "SHA256SUMS is not sorted by path"
    return entries


def files_under(folder: Path) -> set[str]:
    """Every file under ``folder`` (hidden ones too), as POSIX paths relative to it."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def contents(folder: Path) -> dict[str, bytes]:
    return {path: (folder / path).read_bytes() for path in sorted(files_under(folder))}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(out: Path) -> list[str]:
    """Staging or set-aside folders of an export left beside ``out``."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def void_values(graph: Graph) -> dict[str, str]:
    """The dataset's VoID statistics, by property."""
    return {
        str(p).removeprefix(str(VOID)): str(o)
        for p, o in graph.predicate_objects(DATASET)
        if str(p).startswith(str(VOID)) and isinstance(o, Literal)
    }


def partnerships_of(store: Store) -> dict[str, list[str]]:
    """Partnership IRI -> its report graphs and their validation graphs, read from the store,
    and the graph of its changes between reports when it has one."""
    slices: dict[str, list[str]] = {}
    stored = set(store.graphs())
    query = """SELECT DISTINCT ?partnership ?report ?validation WHERE {
        GRAPH ?report { ?report a s3g:MonitoringReport ; s3g:partnership ?partnership }
        OPTIONAL { ?report s3g:validationReport ?validation } }"""
    for row in rows(store, query):
        graphs = slices.setdefault(row["partnership"].value, [])
        graphs.append(row["report"].value)
        if row["validation"] is not None:
            graphs.append(row["validation"].value)
    for partnership, graphs in slices.items():
        changes = f"{BASE}graph/changes/{partnership.rsplit('/', 1)[-1]}"
        graphs += [changes] if changes in stored else []
    return slices


# -- 1. the N-Quads dump is the store ------------------------------------------------------------


def test_nquads_load_back_into_the_same_dataset(
    store_path: Path, dumped: ox.Store, out: Path
) -> None:
    source = sorted(dumped.dump(format=ox.RdfFormat.N_QUADS).splitlines(keepends=True))  # type: ignore[union-attr]
    copy = ox.Store()
    copy.load(path=out / "s3graph.nq", format=ox.RdfFormat.N_QUADS)
    stored = ox.Store.read_only(str(store_path)).named_graphs()
    source_graphs = [*(g for g in stored if not g.value.endswith("/source-text")), CONCEPTS]
    dumped_again = copy.dump(format=ox.RdfFormat.N_QUADS)

    assert len(source) > 20_000
    assert b"_:" not in b"".join(source), "blank nodes: compare by isomorphism instead"
    assert sorted(dumped_again.splitlines(keepends=True)) == source  # type: ignore[union-attr]
    assert sorted(map(str, copy.named_graphs())) == sorted(map(str, source_graphs))
    assert sorted((out / "s3graph.nq").read_bytes().splitlines(keepends=True)) == source


def test_nquads_are_sorted_graph_by_graph(store: Store, out: Path) -> None:
    """Graph after graph in IRI order, each graph's lines in byte order: exports diff well."""
    quads = list(ox.parse(path=out / "s3graph.nq", format=ox.RdfFormat.N_QUADS))
    graphs = [getattr(quad.graph_name, "value", "") for quad in quads]
    order = list(dict.fromkeys(graphs))

    assert len(order) > 16 and order == sorted(order)
    published = [g for g in store.graphs() if not g.endswith("/source-text")]
    assert order == sorted([*published, CONCEPTS.value])
    for graph in order:
        lines = [line(q) for q, g in zip(quads, graphs, strict=True) if g == graph]
        assert lines == sorted(lines), graph


def test_summary_counts_the_store(store: Store, dumped: ox.Store, exported: Exporter) -> None:
    summary = exported("all")
    reporting = count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?r s3g:partnership ?p }")

    assert summary.quads == len(dumped) > store.count()
    assert summary.triples == len(store_union(dumped))
    assert summary.partnerships == reporting == 6
    assert {f.path: f.sha256 for f in summary.files} == listed(summary.folder)


# -- 2. every dump parses; the union and the partnerships hold what they should -----------------


@pytest.fixture(scope="module")
def parsed(out: Path) -> dict[str, Graph]:
    """The union dumps as rdflib reads them, parsed once."""
    return {name: rdflib_graph(out / name) for name in UNION}


@pytest.mark.parametrize(
    "name", ["s3graph.nq", *UNION, *DESCRIPTION, "partnerships/cybersecurity.jsonld"]
)
def test_each_dump_parses_with_pyoxigraph_and_rdflib(
    out: Path, parsed: dict[str, Graph], name: str
) -> None:
    path = out / name
    ox_count = sum(1 for _ in ox.parse(path=path, format=OX_FORMATS[path.suffix]))
    if path.suffix == ".nq":
        dataset = Dataset()
        dataset.parse(path, format="nquads")
        rdflib_count = sum(1 for _ in dataset.quads((None, None, None, None)))
    else:
        rdflib_count = len(parsed[name] if name in parsed else rdflib_graph(path))

    assert ox_count > 0
    assert rdflib_count == ox_count


def test_union_dumps_hold_the_distinct_triples_of_the_store(
    dumped: ox.Store, out: Path, parsed: dict[str, Graph]
) -> None:
    union = store_union(dumped)
    distinct = count(
        dumped, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    )
    nt = set(parsed["s3graph.nt"])

    assert len(union) == distinct
    for name in UNION:
        assert ox_triples(out / name) == union, name
    assert not any(isinstance(term, BNode) for triple in nt for term in triple)
    for name, graph in parsed.items():
        assert len(graph) == distinct, name
        assert set(graph) == nt, f"{name} differs from s3graph.nt"


def test_each_partnership_file_holds_its_reports_and_their_validation(
    store: Store, out: Path
) -> None:
    slices = partnerships_of(store)
    names = {iri.rsplit("/", 1)[-1]: iri for iri in slices}
    folder = out / "partnerships"

    assert len(slices) == 6
    assert all(any(g.endswith("/validation") for g in graphs) for graphs in slices.values())
    assert files_under(folder) == {f"{n}.{ext}" for n in names for ext in ("ttl", "jsonld")}
    for name, partnership in names.items():
        expected = graph_triples(store, slices[partnership])
        for ext in ("ttl", "jsonld"):
            path = folder / f"{name}.{ext}"
            assert ox_triples(path) == expected, path.name
            assert len(rdflib_graph(path)) == len(expected), path.name


def test_jsonld_dumps_carry_their_context_and_publish_it(out: Path) -> None:
    context = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    head = json.loads((out / "s3graph.jsonld").read_text(encoding="utf-8"))

    assert head["@context"] == context
    assert context["s3graph"] == BASE
    assert len(head["@graph"]) == len({t.split(" ", 1)[0] for t in ox_triples(out / "s3graph.nt")})


# -- 3. determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "gzip"])
def test_two_exports_of_one_store_are_byte_identical(exported: Exporter, packed: bool) -> None:
    first = exported("gzip" if packed else "all", gzip=packed).folder
    second = exported("gzip-again" if packed else "all-again", gzip=packed).folder

    assert first != second
    assert (first / SUMS).read_bytes() == (second / SUMS).read_bytes()
    assert contents(first) == contents(second)
    assert any(name.endswith(".gz") for name in files_under(first)) == packed


def test_gzip_files_decompress_to_the_plain_files(exported: Exporter, out: Path) -> None:
    packed = exported("gzip", gzip=True).folder
    names = files_under(packed)
    compressed = sorted(name for name in names if name.endswith(".gz"))
    kept = names - set(compressed)

    assert {name.removesuffix(".gz") for name in compressed} | kept == files_under(out)
    assert kept == {SUMS, *DESCRIPTION, "context.jsonld", "csv/csv-metadata.json"}
    for name in compressed:
        data = (packed / name).read_bytes()
        assert data[4:8] == b"\0\0\0\0", f"{name}: the gzip header records a time"
        assert gzip.decompress(data) == (out / name.removesuffix(".gz")).read_bytes(), name


# -- 4. checksums and the description --------------------------------------------------------------


@pytest.mark.parametrize("name", ["all", "gzip"])
def test_sha256sums_lists_every_other_file_with_its_checksum(exported: Exporter, name: str) -> None:
    folder = exported(name, gzip=name == "gzip").folder
    sums = listed(folder)

    assert set(sums) == files_under(folder) - {SUMS}
    for path, checksum in sums.items():
        assert sha256(folder / path) == checksum, path


@pytest.mark.parametrize("name", ["all", "gzip"])
def test_one_distribution_per_file_with_its_size_and_checksum(
    exported: Exporter, name: str
) -> None:
    folder = exported(name, gzip=name == "gzip").folder
    graph = Graph().parse(folder / "dataset.ttl", format="turtle")
    described = set(listed(folder)) - set(DESCRIPTION)
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))

    assert set(graph.objects(DATASET, DCAT.distribution)) == distributions
    assert len(distributions) == len(described)
    by_path = {}
    for distribution in distributions:
        (url,) = graph.objects(distribution, DCAT.downloadURL)
        by_path[str(url).removeprefix(f"{BASE}dumps/")] = distribution
    assert set(by_path) == described
    for path, distribution in by_path.items():
        (size,) = graph.objects(distribution, DCAT.byteSize)
        (checksum,) = graph.objects(distribution, SPDX.checksum)
        (value,) = graph.objects(checksum, SPDX.checksumValue)
        assert int(str(size)) == (folder / path).stat().st_size, path
        assert str(value) == sha256(folder / path), path
        assert (distribution, DCAT.compressFormat, None) in graph or not path.endswith(".gz")


def test_description_is_valid_dcat_ap(description: Graph) -> None:
    assert validate_description(description) == []


def test_description_jsonld_is_the_turtle(out: Path, description: Graph) -> None:
    jsonld = Graph().parse(out / "dataset.jsonld", format="json-ld")

    assert len(description) > 300
    assert isomorphic(jsonld, description)
    assert ox_triples(out / "dataset.jsonld") == ox_triples(out / "dataset.ttl")


def test_void_statistics_count_the_union(dumped: ox.Store, description: Graph) -> None:
    queries = {
        "triples": "(COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }",
        "distinctSubjects": "(COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
        "entities": "(COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }",
        "properties": "(COUNT(DISTINCT ?p) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
        "classes": "(COUNT(DISTINCT ?c) AS ?n) { GRAPH ?g { ?s a ?c } }",
    }
    expected = {key: count(dumped, f"SELECT {query}") for key, query in queries.items()}
    values = void_values(description)

    assert {key: int(values[key]) for key in expected} == expected


@pytest.mark.parametrize(
    ("linkset", "predicate"), [("links-nuts", "nutsRegion"), ("links-sdg", "goal")]
)
def test_linksets_count_the_distinct_links(
    store: Store, description: Graph, linkset: str, predicate: str
) -> None:
    node = URIRef(f"{DATASET}#{linkset}")
    links = count(
        store,
        f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?s ?o"
        f" {{ GRAPH ?g {{ ?s s3g:{predicate} ?o }} }} }}",
    )
    (triples,) = description.objects(node, VOID.triples)

    assert links > 0
    assert int(str(triples)) == links
    assert (DATASET, VOID.subset, node) in description
    assert (node, VOID.linkPredicate, URIRef(f"https://w3id.org/s3graph/def#{predicate}")) in (
        description
    )


def test_temporal_coverage_spans_the_reporting_periods(store: Store, description: Graph) -> None:
    (span,) = rows(
        store,
        """SELECT (MIN(?start) AS ?first) (MAX(?end) AS ?last) WHERE {
            ?report a s3g:MonitoringReport ; dcterms:temporal ?period .
            ?period dcat:startDate ?start ; dcat:endDate ?end }""",
    )
    (period,) = description.objects(DATASET, DCT.temporal)
    start = description.value(period, DCAT.startDate)
    end = description.value(period, DCAT.endDate)

    assert isinstance(start, Literal) and isinstance(end, Literal)
    assert (str(start), str(end)) == (span["first"].value, span["last"].value)
    assert start.datatype == end.datatype == URIRef(span["first"].datatype.value)
    assert (span["first"].value, span["last"].value) == ("2020-01-01", "2021-06-30")


def test_cli_names_the_publisher_and_the_download_base(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    url = "http://127.0.0.1:8080/files/"
    result = cli(
        "--store", store_path, "--base", BASE, "export", "--out", folder,
        "--formats", "nq,csv", "--publisher", "Joint Research Centre", "--download-base", url,
    )  # fmt: skip
    graph = Graph().parse(folder / "dataset.ttl", format="turtle")
    downloads = [str(o) for o in graph.objects(None, DCAT.downloadURL)]

    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("exported ") and str(folder) in result.stdout
    assert list(graph.objects(PUBLISHER, FOAF.name)) == [Literal("Joint Research Centre")]
    assert len(downloads) == len(listed(folder)) - len(DESCRIPTION)
    assert all(download.startswith(url) for download in downloads)
    assert set(graph.objects(None, DCAT.accessURL)) == {URIRef(url)}
    assert list(graph.objects(CONTACT, VCARD.fn)) == [Literal("Joint Research Centre")]
    assert validate_description(graph) == []


@pytest.mark.parametrize(
    ("contact", "link", "iri"),
    [
        ("data@example.org", VCARD.hasEmail, "mailto:data@example.org"),
        ("https://example.org/contact", VCARD.hasURL, "https://example.org/contact"),
    ],
)
def test_cli_contact_is_the_contact_points_address(
    store_path: Path, tmp_path: Path, contact: str, link: URIRef, iri: str
) -> None:
    folder = tmp_path / "dumps"
    result = cli(
        "--store", store_path, "--base", BASE, "export", "--out", folder, "--formats", "nq",
        "--contact", contact,
    )  # fmt: skip
    graph = Graph().parse(folder / "dataset.ttl", format="turtle")

    assert result.exit_code == 0, result.stderr
    assert list(graph.predicate_objects(CONTACT)) and set(graph.objects(CONTACT, link)) == {
        URIRef(iri)
    }
    assert (CONTACT, VCARD.hasURL if link == VCARD.hasEmail else VCARD.hasEmail, None) not in graph
    assert validate_description(graph) == []


@pytest.mark.parametrize("contact", ["nobody", "a@b", "https://example.org/a b", "<a@b.org>"])
def test_cli_refuses_a_contact_one_cannot_reach(
    store_path: Path, tmp_path: Path, contact: str
) -> None:
    folder = tmp_path / "dumps"
    result = cli("--store", store_path, "export", "--out", folder, "--contact", contact)

    assert result.exit_code == 2
    assert "contact" in result.stderr and not folder.exists()


def test_description_has_the_dcat_ap_recommended_properties(description: Graph) -> None:
    """Issue 12: contact point, catalogue homepage, release date and licence, and per
    distribution a description and a planned availability."""
    assert list(description.objects(DATASET, DCAT.contactPoint)) == [CONTACT]
    assert (CONTACT, RDF.type, VCARD.Kind) in description
    assert list(description.objects(CONTACT, VCARD.fn)) == list(
        description.objects(PUBLISHER, FOAF.name)
    )
    assert list(description.objects(CONTACT, VCARD.hasURL)) == [URIRef(BASE)]
    assert list(description.objects(CATALOG, FOAF.homepage)) == [URIRef(BASE)]
    assert list(description.objects(CATALOG, DCT.license)) == list(
        description.objects(DATASET, DCT.license)
    )
    assert list(description.objects(CATALOG, DCT.issued)) == list(
        description.objects(DATASET, DCT.issued)
    )
    distributions = set(description.subjects(RDF.type, DCAT.Distribution))
    assert distributions
    for distribution in distributions:
        (text,) = description.objects(distribution, DCT.description)
        (url,) = description.objects(distribution, DCAT.downloadURL)
        assert str(url).rsplit("/", 1)[-1] in str(text), distribution
        assert list(description.objects(distribution, DCATAP.availability)) == [STABLE]


# -- 5. CSV ----------------------------------------------------------------------------------------


def test_csv_folder_is_what_write_tables_writes(store: Store, out: Path, tmp_path: Path) -> None:
    written = write_tables(store, tmp_path / "csv")

    assert contents(out / "csv") == contents(tmp_path / "csv")
    assert len(written) == 10  # nine tables and their CSVW metadata


def test_csv_metadata_lists_every_csv(out: Path) -> None:
    metadata = json.loads((out / "csv" / "csv-metadata.json").read_text(encoding="utf-8"))
    tables = {table["url"] for table in metadata["tables"]}

    assert tables == files_under(out / "csv") - {"csv-metadata.json"}


# -- 6. a subset of the formats --------------------------------------------------------------------

FORMAT_FILES = {
    "nq": {"s3graph.nq"},
    "nt": {"s3graph.nt"},
    "ttl": {"s3graph.ttl", "partnerships/*.ttl"},
    "jsonld": {"s3graph.jsonld", "context.jsonld", "partnerships/*.jsonld"},
    "csv": {"csv/*.csv", "csv/csv-metadata.json"},
}


def shapes(names: set[str]) -> set[str]:
    """File names with a partnership's or a table's name replaced by ``*``."""
    return {
        f"{n.split('/')[0]}/*{Path(n).suffix}" if n.count("/") and "metadata" not in n else n
        for n in names
    }


@pytest.mark.parametrize("chosen", list(FORMAT_FILES))
def test_a_format_alone_writes_its_files_and_the_same_void(
    exported: Exporter, description: Graph, chosen: str
) -> None:
    folder = exported(f"only-{chosen}", formats=(chosen,)).folder
    graph = Graph().parse(folder / "dataset.ttl", format="turtle")

    assert shapes(files_under(folder)) == {*FORMAT_FILES[chosen], *DESCRIPTION, SUMS}
    assert void_values(graph) == void_values(description)
    assert exported(f"only-{chosen}").partnerships == 6
    assert validate_description(graph) == []


def test_an_unknown_format_is_refused_in_one_line(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    result = cli("--store", store_path, "export", "--out", folder, "--formats", "nq,rdfxml")

    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "rdfxml" in result.stderr, result.stderr
    assert not folder.exists() and not leftovers(folder)
    with pytest.raises(ExportError, match="xml"):
        ExportSettings(formats=("xml",))


# -- 7. safety -------------------------------------------------------------------------------------


def test_a_folder_that_holds_something_else_is_refused(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("keep me\n", encoding="utf-8")
    result = cli("--store", store_path, "export", "--out", folder, "--formats", "nq")

    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and str(folder) in result.stderr, result.stderr
    assert contents(folder) == {"todo.txt": b"keep me\n"}
    assert not leftovers(folder)


def test_a_file_in_place_of_the_folder_is_refused(store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "dumps"
    target.write_bytes(b"data")
    result = cli("--store", store_path, "export", "--out", target, "--formats", "nq")

    assert result.exit_code == 2
    assert str(target) in result.stderr
    assert target.read_bytes() == b"data"


def test_an_export_replaces_the_earlier_one_whole(store_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    folder.mkdir()  # an empty folder is taken too
    first = cli("--store", store_path, "export", "--out", folder, "--formats", "nt")
    before = files_under(folder)
    second = cli("--store", store_path, "export", "--out", folder, "--formats", "nq")

    assert first.exit_code == 0, first.stderr
    assert second.exit_code == 0, second.stderr
    assert before == {"s3graph.nt", *DESCRIPTION, SUMS}
    assert files_under(folder) == {"s3graph.nq", *DESCRIPTION, SUMS}
    assert set(listed(folder)) == files_under(folder) - {SUMS}
    assert not leftovers(folder)


def test_the_export_folder_is_readable_like_any_new_folder(out: Path, tmp_path: Path) -> None:
    made = tmp_path / "made"
    made.mkdir()

    assert stat.S_IMODE(out.stat().st_mode) == stat.S_IMODE(made.stat().st_mode)
    for path in out.rglob("*"):
        assert path.stat().st_mode & stat.S_IRUSR, path


def _fail(*_args: object, **_kwargs: object) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    ("module", "name", "formats"),
    [
        (s3graph.export.run, "write_description", ("ttl", "csv")),  # last, in the parent
        (s3graph.export.run, "describe", ("jsonld", "csv")),  # once every file is written
        (s3graph.export.run, "write_tables", ("nq", "csv")),  # in the child writing the tables
        (s3graph.export.partnerships, "write_view", ("ttl",)),  # in the partnerships' child
    ],
    ids=["write_description", "describe", "write_tables", "write_view"],
)
def test_a_failed_export_leaves_the_earlier_one_as_it_was(
    store: Store,
    exported: Exporter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    module: object,
    name: str,
    formats: tuple[str, ...],
) -> None:
    folder = tmp_path / "dumps"
    shutil.copytree(exported("only-nq", formats=("nq",)).folder, folder)
    before = contents(folder)
    monkeypatch.setattr(module, name, _fail)

    with pytest.raises(ExportError, match="No space left") as caught:
        export(store, folder, ExportSettings(formats=formats))

    assert str(caught.value).startswith(f"{folder}: ")
    assert contents(folder) == before
    assert not leftovers(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dumps"]


def test_a_failure_as_the_export_takes_its_place_puts_the_earlier_one_back(
    store: Store, exported: Exporter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dumps"
    shutil.copytree(exported("only-nq", formats=("nq",)).folder, folder)
    before = contents(folder)
    rename = Path.rename

    def failing(self: Path, target: Path) -> Path:
        if self.name.startswith(".dumps.partial-"):
            raise OSError(18, "Invalid cross-device link", str(self))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    # where the system cannot exchange two folders in one step, the two renames are used
    monkeypatch.setattr("s3graph.export.run._exchange", lambda first, second: False)

    with pytest.raises(ExportError, match="cross-device"):
        export(store, folder, ExportSettings(formats=("nt",)))

    assert contents(folder) == before
    assert not leftovers(folder)


def test_a_failed_exchange_keeps_the_earlier_export(
    store: Store, exported: Exporter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dumps"
    shutil.copytree(exported("only-nq-again", formats=("nq",)).folder, folder)
    before = contents(folder)

    def failing(first: Path, second: Path) -> bool:
        raise OSError(18, "Invalid cross-device link", str(second))

    monkeypatch.setattr("s3graph.export.run._exchange", failing)

    with pytest.raises(ExportError, match="cross-device"):
        export(store, folder, ExportSettings(formats=("nt",)))

    assert contents(folder) == before
    assert not leftovers(folder)


def test_an_export_takes_the_place_of_the_earlier_one_in_one_step(
    store: Store, exported: Exporter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dumps"
    shutil.copytree(exported("only-nq-once-more", formats=("nq",)).folder, folder)
    renamed: list[str] = []
    rename = Path.rename

    def watched(self: Path, target: Path) -> Path:
        renamed.append(Path(target).name)
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", watched)
    export(store, folder, ExportSettings(formats=("nt",)))

    assert (folder / "s3graph.nt").exists() and not (folder / "s3graph.nq").exists()
    assert not any(".old-" in name for name in renamed)  # never without an export
    assert not leftovers(folder)


def test_a_write_failure_is_one_line_naming_the_export_folder(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dumps"

    def full(_triples: object, staging: Path, _syntax: object) -> None:
        raise OSError(28, "No space left on device", str(staging / "dataset.ttl"))

    monkeypatch.setattr(s3graph.export.run, "write_description", full)
    result = cli("--store", store_path, "export", "--out", folder, "--formats", "nq")

    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"{folder}: ") and "No space left" in result.stderr
    assert "partial" not in result.stderr and "readable" not in result.stderr
    assert not folder.exists() and not leftovers(folder)


@pytest.mark.parametrize("kind", ["missing", "empty", "not a store"])
def test_a_store_that_cannot_be_read_exits_3(tmp_path: Path, kind: str) -> None:
    store = tmp_path / "store"
    if kind != "missing":
        store.mkdir()
    if kind == "not a store":
        (store / "notes.txt").write_text("no database here\n", encoding="utf-8")
    folder = tmp_path / "dumps"
    result = cli("--store", store, "export", "--out", folder)

    assert result.exit_code == 3, result.stderr
    assert result.stderr.count("\n") == 1 and str(store) in result.stderr, result.stderr
    assert sorted(os.listdir(tmp_path)) == ([] if kind == "missing" else ["store"])


def test_the_current_folder_as_out_is_written_beside_itself_not_inside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "here"
    target.mkdir()
    monkeypatch.chdir(target)
    with Store.open(tmp_path / "store") as store:
        export(store, Path("."), ExportSettings(formats=("nq",)))
    assert (target / "SHA256SUMS").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here", "store"]
    assert not [p for p in target.iterdir() if p.name.startswith(".")]
