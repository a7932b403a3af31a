"""One suite, three stores: the embedded store, ``oxigraph serve`` and Virtuoso (issue 14).

Each store gets the shared corpus as ``s3graph ingest`` writes it (base vocabularies, linked
reports, their validation and source graphs) and NUTS 2021; then every shipped named query, with
its parameters filled from the data, must give the same rows on a server as on the embedded
store (as multisets of terms: servers order ties as they like). Differences between servers are
handled in their preset (:mod:`s3graph.remote.presets`), never by loosening the comparison here.

The write path is checked on each store: a replaced graph keeps no triple of the old one, an
emptied graph is gone, a write that fails half-way leaves what the server held, a server that is
down or silent gives one line naming its URL within the time allowed, and credentials never
show in a message. The servers are real processes on 127.0.0.1 (:mod:`servers`).
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import pytest
from conftest import ingest_linked
from rdflib import Graph, Literal, URIRef
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
from servers import Server, free_port, oxigraph_server, virtuoso_server

from s3graph.errors import StoreError
from s3graph.remote import Endpoints, Limits, RemoteStore, is_store_url, preset, writing
from s3graph.remote.binding import with_values
from s3graph.remote.presets import mend_json
from s3graph.sparql import bind_parameters, list_queries
from s3graph.store import Store
from s3graph.vocab.sources.loading import load_file

__all__ = ["oxigraph_server", "virtuoso_server"]  # fixtures, used by name

BASE = "https://w3id.org/s3graph/"
KINDS = ("embedded", "oxigraph", "virtuoso")
#: the bound on a request in these tests: a down or silent server must be told within it
TEST_LIMITS = Limits(connect=2.0, read=30.0, total=60.0)
TEST_GRAPH = "https://example.org/s3graph-test/graph"

AnyStore = Store | RemoteStore


def open_store(kind: str, request: pytest.FixtureRequest, folder: Path) -> AnyStore:
    if kind == "embedded":
        return Store.open(folder)
    server = cast(Server, request.getfixturevalue(f"{kind}_server"))
    return RemoteStore.open(server.url, server=kind, environ=server.environ(), limits=TEST_LIMITS)


@pytest.fixture(scope="module")
def reference(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The embedded store holding the corpus: what every server must answer alike."""
    with Store.open(tmp_path_factory.mktemp("reference")) as store:
        fill(store, shared_dir)
        yield store


def fill(store: AnyStore, shared: Path) -> float:
    """The corpus ingested and linked, NUTS 2021 loaded; the seconds the ingest took."""
    started = time.perf_counter()
    ingest_linked(store, [shared / "corpus"], BASE)
    took = time.perf_counter() - started
    load_file(store, shared / "reference" / "nuts-2021.csv")  # typed GraphStore: takes either
    return took


@pytest.fixture(scope="module", params=KINDS)
def corpus(
    request: pytest.FixtureRequest, shared_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AnyStore]:
    """Each kind of store holding the corpus, as ``s3graph ingest`` writes it."""
    kind = request.param
    store = open_store(kind, request, tmp_path_factory.mktemp(f"corpus-{kind}"))
    with store:
        for iri in store.graphs():  # a session's server may hold an earlier module's graphs
            store.replace_graphs([Graph(identifier=URIRef(iri))])
        took = fill(store, shared_dir)
        print(f"\n{kind}: corpus ingested in {took:.2f} s ({store.count()} quads)")
        yield store


@pytest.fixture(params=KINDS)
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AnyStore]:
    """Each kind of store, without the test graph."""
    store = open_store(request.param, request, tmp_path / "store")
    with store:
        store.replace_graphs([Graph(identifier=URIRef(TEST_GRAPH))])
        yield store
        store.replace_graphs([Graph(identifier=URIRef(TEST_GRAPH))])


# -- the same rows ----------------------------------------------------------------------------


_PICKS = """
PREFIX s3g: <https://w3id.org/s3graph/def#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?region ?code ?partnership ?report ?rule WHERE {
  ?m org:member ?region ; org:organization ?partnership ; s3g:reportedIn ?report ;
     s3g:statedCode ?code .
  ?region s3g:nutsRegion ?nuts .
  { SELECT (MIN(?r) AS ?rule) WHERE { ?x s3g:rule ?r } }
} ORDER BY ?region ?report LIMIT 1
"""


def parameter_sets(store: Store) -> dict[str, list[dict[str, str]]]:
    """For each named query: no parameters (when it may), then each parameter picked from data."""
    row = next(iter(cast(ox.QuerySolutions, store.query(_PICKS))))
    picks = {
        "partnership": [row["partnership"].value],
        "region": [row["region"].value],
        "code": [row["code"].value],
        "report": [row["report"].value],
        "resource": [row["partnership"].value, row["region"].value, row["report"].value],
        "text": ["in", row["code"].value, 'x" } ; DROP ALL ; #'],
        "rule": [row["rule"].value],
    }
    sets: dict[str, list[dict[str, str]]] = {}
    for query in list_queries():
        runs: list[dict[str, str]] = [] if any(p.required for p in query.parameters) else [{}]
        runs += [{p.name: value} for p in query.parameters for value in picks.get(p.name, [])]
        sets[query.name] = runs
    return sets


def rows(store: AnyStore, text: str, substitutions: dict[str, Any]) -> Counter[tuple[str, ...]]:
    solutions = store.query(text, substitutions)
    assert isinstance(solutions, ox.QuerySolutions)
    columns = [v.value for v in solutions.variables]
    return Counter(tuple(show(s[c]) for c in columns) for s in solutions)


def show(term: object) -> str:
    if term is None:
        return ""
    return "_:b" if isinstance(term, ox.BlankNode) else str(term)


def test_every_named_query_gives_the_same_rows(corpus: AnyStore, reference: Store) -> None:
    """The same rows, but for the queries the server's preset names as answered wrongly by it:
    those must still differ (once the server or the query is mended, the entry must go)."""
    deviations = corpus.preset.deviations if isinstance(corpus, RemoteStore) else {}
    differences = []
    differing = set()
    checked = 0
    for query in list_queries():
        for params in parameter_sets(reference)[query.name]:
            bound = bind_parameters(query, params, base=BASE)
            expected = rows(reference, query.text, bound)
            checked += 1
            try:
                found = rows(corpus, query.text, bound)
            except (StoreError, SyntaxError) as exc:
                differing.add(query.name)
                if query.name not in deviations:
                    differences.append(f"{query.name} {params}: {exc}")
                continue
            if found != expected:
                differing.add(query.name)
            if found != expected and query.name not in deviations:
                missing = list((expected - found).elements())[:2]
                extra = list((found - expected).elements())[:2]
                differences.append(f"{query.name} {params}: missing {missing}, extra {extra}")
    assert checked > len(list_queries())
    assert not differences, "\n".join(differences)
    mended = sorted(set(deviations) - differing)
    assert not mended, f"answered right now, take them out of the preset's deviations: {mended}"


def test_the_counts_agree(corpus: AnyStore, reference: Store) -> None:
    assert corpus.graphs() == reference.graphs()
    assert corpus.graph_count() == reference.graph_count()
    assert corpus.count() == reference.count()
    report = next(g for g in reference.graphs() if "/report/" in g)
    assert corpus.has_graph(report) and not corpus.has_graph(TEST_GRAPH)
    assert corpus.graph_size(report) == reference.graph_size(report)


def test_ask_and_construct_come_back_as_the_embedded_store_gives_them(
    corpus: AnyStore, reference: Store
) -> None:
    report_type = "<https://w3id.org/s3graph/def#MonitoringReport>"
    for text in (f"ASK {{ ?s a {report_type} }}", "ASK { ?s ?s ?s }"):
        found, expected = corpus.query(text), reference.query(text)
        assert isinstance(found, ox.QueryBoolean) and bool(found) == bool(expected)
    membership = "<http://www.w3.org/ns/org#Membership>"
    text = f"CONSTRUCT {{ ?s a ?t }} WHERE {{ ?s a ?t . FILTER(?t = {membership}) }}"
    found_triples = corpus.query(text)
    assert isinstance(found_triples, ox.QueryTriples)
    assert {str(t) for t in found_triples} == {str(t) for t in cast(Any, reference.query(text))}


def test_a_substituted_value_is_a_value_never_text(corpus: AnyStore, reference: Store) -> None:
    text = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    before = corpus.count()
    for evil in ['x" } ; DROP ALL ; #', "x' } } INSERT DATA { <a:b> <a:b> <a:b> } #", "\\\n}"]:
        bound = {"label": ox.Literal(evil)}
        assert rows(corpus, text, bound) == rows(reference, text, bound) == Counter()
    a_label = next(iter(cast(ox.QuerySolutions, reference.query(text))))["label"]
    assert rows(corpus, text, {"label": a_label}) == rows(reference, text, {"label": a_label})
    assert corpus.count() == before


# -- writes -----------------------------------------------------------------------------------


def graph_of(*objects: str) -> Graph:
    graph = Graph(identifier=URIRef(TEST_GRAPH))
    for number, text in enumerate(objects):
        graph.add(
            (URIRef(f"{TEST_GRAPH}/s{number}"), URIRef("https://example.org/p"), Literal(text))
        )
    return graph


def held(store: AnyStore) -> set[str]:
    text = f"SELECT ?o WHERE {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }}"
    return {term.value for term in (s["o"] for s in cast(ox.QuerySolutions, store.query(text)))}


def test_a_replaced_graph_keeps_no_triple_of_the_old_one(empty: AnyStore) -> None:
    empty.replace_graphs([graph_of("old one", "kept", 'with "quotes" and \\ and\nbreak')])
    assert held(empty) == {"old one", "kept", 'with "quotes" and \\ and\nbreak'}
    empty.replace_graphs([graph_of("new one", "kept")])
    assert held(empty) == {"new one", "kept"}
    assert empty.graph_size(TEST_GRAPH) == 2
    empty.replace_graphs([graph_of()])
    assert held(empty) == set() and not empty.has_graph(TEST_GRAPH)
    assert TEST_GRAPH not in empty.graphs()
    # nothing left of a write's scaffolding (Virtuoso's new terms, s3graph.remote.writing)
    assert not empty.query(f"ASK {{ GRAPH <{writing.TERMS_GRAPH}> {{ ?s ?p ?o }} }}")


# the servers only: the embedded store writes all graphs in one transaction (tests/test_store.py)
@pytest.mark.parametrize("empty", [k for k in KINDS if k != "embedded"], indirect=True)
def test_a_write_failing_half_way_leaves_what_the_server_held(
    empty: AnyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(empty, RemoteStore)
    other = "https://example.org/s3graph-test/other"
    empty.replace_graphs([graph_of("before")])
    first = graph_of("after")
    second = Graph(identifier=URIRef(other))
    second.add((URIRef(other), URIRef("https://example.org/p"), Literal("new")))
    write = writing.write_graph
    calls = []

    def failing_second(store: RemoteStore, graph: Any, before: Any) -> None:
        calls.append(graph.name)
        if len(calls) == 2:
            write(store, graph, before)  # the request reached the server, then the answer was lost
            raise store.http.error(store.url, "refused a write", "HTTP 503")
        write(store, graph, before)

    monkeypatch.setattr(writing, "write_graph", failing_second)
    with pytest.raises(StoreError) as raised:
        empty.replace_graphs([first, second])
    assert len(calls) == 2
    assert str(raised.value).endswith("nothing was changed")
    assert held(empty) == {"before"} and not empty.has_graph(other)


# -- a server down, silent or refusing --------------------------------------------------------


def test_a_down_server_is_one_line_naming_it_within_the_bound() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    store = RemoteStore.open(url, server="oxigraph", environ={}, limits=Limits(1, 1, 2))
    for action in (store.count, lambda: store.replace_graphs([graph_of("x")])):
        started = time.monotonic()
        with pytest.raises(StoreError) as raised:
            action()
        assert time.monotonic() - started < 3
        message = str(raised.value)
        assert url in message and "cannot connect" in message and "\n" not in message


class Silent:
    """A server that accepts connections and never answers."""

    def __enter__(self) -> str:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def __exit__(self, *exc: object) -> None:
        self.socket.close()


def test_a_silent_server_is_given_up_after_the_configured_time() -> None:
    with Silent() as url:
        limits = Limits.from_environment({"S3GRAPH_STORE_TIMEOUT": "1"})
        store = RemoteStore.open(url, server="virtuoso", environ={}, limits=limits)
        started = time.monotonic()
        with pytest.raises(StoreError) as raised:
            store.replace_graphs([graph_of("x")])
        took = time.monotonic() - started
    assert 0.9 < took < 3, took
    said = "the SPARQL server cannot be queried; no answer within 1 s"
    assert str(raised.value) == f"{url}/sparql: {said}"


def test_a_write_refused_for_its_credentials_changes_nothing(virtuoso_server: Server) -> None:
    """Virtuoso's /sparql-auth checks them (oxigraph serve takes none)."""
    secret = "s3cr3t-Pa55"
    environ = {"S3GRAPH_STORE_USER": "dba", "S3GRAPH_STORE_PASSWORD": secret}
    store = RemoteStore.open(virtuoso_server.url, server="virtuoso", environ=environ)
    before = (store.count(), store.graphs())
    with pytest.raises(StoreError) as raised:
        store.replace_graphs([graph_of("x")])
    message = str(raised.value)
    assert isinstance(store.http._auth, HTTPDigestAuth)  # as the server's challenge asked
    assert "HTTP 401" in message and f"{virtuoso_server.url}/sparql-auth" in message
    assert secret not in message and secret not in repr(store) and secret not in repr(
        store.http.credentials
    )
    assert (store.count(), store.graphs()) == before


class Echo(BaseHTTPRequestHandler):
    """Asks for basic credentials, then answers 500 with the request's headers in the body."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if "Authorization" not in self.headers:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = f"echo {self.headers['Authorization']} {self.path}".encode()
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_credentials_never_appear_in_a_message() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = "pa55-w0rd-Z"
    try:
        url = f"http://someone:{secret}@127.0.0.1:{server.server_address[1]}"
        store = RemoteStore.open(url, server="generic", environ={}, limits=Limits(2, 2, 5))
        assert secret not in store.url and secret not in repr(store)
        with pytest.raises(StoreError) as raised:
            store.count()
        message = str(raised.value)
        assert "HTTP 500: echo Basic" in message  # the server did get them, as it asked
        assert isinstance(store.http._auth, HTTPBasicAuth)
        assert secret not in message and "someone" not in message
        environ = {"S3GRAPH_STORE_USER": "someone", "S3GRAPH_STORE_PASSWORD": secret}
        store = RemoteStore.open(url.replace(f"someone:{secret}@", ""), server="generic",
                                 environ=environ, limits=Limits(2, 2, 5))
        with pytest.raises(StoreError) as raised:
            store.replace_graphs([graph_of("x")])
        assert secret not in str(raised.value)
    finally:
        server.shutdown()
        server.server_close()


# -- presets and URLs -------------------------------------------------------------------------


def test_a_url_is_told_from_a_folder_name() -> None:
    for url in ("http://localhost:7878", "https://data.example.eu/sparql", "HTTP://h/x"):
        assert is_store_url(url)
    for folder in ("store", "http:", "http:store", "http:/x", "./http://x", "ftp://h", "/tmp/s"):
        assert not is_store_url(folder)


def test_each_preset_knows_its_endpoints() -> None:
    assert preset("oxigraph").endpoints("http://h:7878/") == Endpoints(
        "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"
    )
    assert preset("virtuoso").endpoints("http://h:8890") == Endpoints(
        "http://h:8890/sparql", "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth"
    )
    assert preset("fuseki").endpoints("http://h:3030/ds") == Endpoints(
        "http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data"
    )
    repository = "http://h:7200/repositories/s3"
    assert preset("graphdb").endpoints(repository) == Endpoints(
        repository, f"{repository}/statements", f"{repository}/rdf-graphs/service"
    )
    with pytest.raises(StoreError, match="oxigraph, virtuoso, fuseki, graphdb, generic"):
        RemoteStore.open("http://h", server="blazegraph", environ={})


def test_values_are_written_by_pyoxigraph_and_bound_in_every_pattern() -> None:
    """The value in the pattern of the query and of each subquery (not in a CONSTRUCT's
    template, nor in strings, IRIs or comments); names are checked."""
    text = 'SELECT ?a (COUNT(*) AS ?n) WHERE { { SELECT ?a { ?a ?b "{" } } } # {'
    bound = with_values(text, {"a": ox.Literal('"}')})
    block = ' VALUES (?a) { ("\\"}") } '
    inner = f'{{ SELECT ?a {{{block} ?a ?b "{{" }} }}'
    assert bound == f"SELECT ?a (COUNT(*) AS ?n) WHERE {{{block} {inner} }} # {{"
    construct = with_values("CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c }", {"a": ox.NamedNode("a:b")})
    assert construct == "CONSTRUCT { ?a ?b ?c } WHERE { VALUES (?a) { (<a:b>) }  ?a ?b ?c }"
    with pytest.raises(ValueError):
        with_values("SELECT ?a {}", {"a} ; DROP ALL #": ox.Literal("x")})
    with pytest.raises(ValueError):
        with_values("SELECT ?a {}", {"a": ox.BlankNode()})


@pytest.mark.parametrize("empty", KINDS, indirect=True)
def test_a_reader_never_sees_half_of_a_replaced_graph(empty: AnyStore) -> None:
    """While a graph of 3,000 triples is replaced by another (every triple changed), back and
    forth, a reader on another connection sees all of one version or all of the other.

    Each version holds texts the server has not seen (Virtuoso showed a replacement half done
    when its terms were new to it: 0 old triples and 2,527 new ones, s3graph.remote.writing)."""
    size = 3_000
    run = uuid.uuid4().hex[:8]

    def version(turn: int) -> Graph:
        return graph_of(*(f"{'ab'[turn % 2]}{run}.{turn}-{i}" for i in range(size)))

    empty.replace_graphs([version(0)])
    text = (
        "SELECT (SUM(IF(STRSTARTS(?o, 'a'), 1, 0)) AS ?a) "
        "(SUM(IF(STRSTARTS(?o, 'b'), 1, 0)) AS ?b)"
        f" WHERE {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }}"
    )
    reader = open_reader(empty)
    seen: list[tuple[int, int]] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            row = next(iter(cast(ox.QuerySolutions, reader.query(text))))
            seen.append((_number(row["a"]), _number(row["b"])))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for turn in range(1, 5):
            empty.replace_graphs([version(turn)])
    finally:
        done.set()
        thread.join()
    print(f"\n{len(seen)} reads during 4 replacements: {sorted(set(seen))}")
    assert set(seen) == {(size, 0), (0, size)}, sorted(set(seen))[:5]  # both, nothing between


def test_a_graph_store_put_replaces_a_graph_whole(
    oxigraph_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A preset may write by the Graph Store Protocol's PUT (none does by default: measured
    slower on oxigraph serve, not whole on Virtuoso): the graph is replaced, an emptied one
    dropped, checked as an update is."""
    kind = dataclasses.replace(preset("oxigraph"), put_graphs=True)
    with RemoteStore(oxigraph_server.url, kind, limits=TEST_LIMITS) as store:
        sent, send = [], store.http.send

        def spy(method: str, url: str, **options: Any) -> Any:
            sent.append(f"{method} {url.removeprefix(oxigraph_server.url)}")
            return send(method, url, **options)

        monkeypatch.setattr(store.http, "send", spy)
        store.replace_graphs([graph_of("old", "kept")])
        assert "PUT /store" in sent and "POST /update" not in sent
        store.replace_graphs([graph_of("new", "kept", 'a "quoted"\nline')])
        assert held(store) == {"new", "kept", 'a "quoted"\nline'}
        store.replace_graphs([graph_of()])
        assert not store.has_graph(TEST_GRAPH)


def open_reader(store: AnyStore) -> AnyStore:
    """Another connection to the same store (the embedded one is read through itself)."""
    if isinstance(store, Store):
        return store
    return RemoteStore(store.url, store.preset, limits=TEST_LIMITS)


def _number(term: object) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0


def test_terms_come_back_as_the_embedded_store_gives_them(empty: AnyStore, tmp_path: Path) -> None:
    """Dates, language tags, booleans and long texts (Virtuoso's usual suspects) read back as
    the embedded store reads them: one term for each, with the same datatype or language."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    terms = [
        Literal("2020-06-30", datatype=URIRef(xsd + "date")),
        Literal("2020-06-30T10:00:00Z", datatype=URIRef(xsd + "dateTime")),
        Literal("Niederösterreich", lang="de"),
        Literal("Regions of Europe", lang="en-GB"),
        Literal(True),
        Literal(42),
        Literal("2.50", datatype=URIRef(xsd + "decimal")),
        Literal("00ff", datatype=URIRef(xsd + "hexBinary")),
        Literal('a "quoted"\nline\tand \\ and ünïcödé € 😀 ' * 200),
    ]
    graph = Graph(identifier=URIRef(TEST_GRAPH))
    for number, term in enumerate(terms):
        graph.add((URIRef(f"{TEST_GRAPH}/s{number}"), URIRef("https://example.org/p"), term))
    text = f"SELECT ?s ?o WHERE {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }}"
    with Store.open(tmp_path / "embedded") as embedded:
        embedded.replace_graphs([graph])
        expected = rows(embedded, text, {})
    empty.replace_graphs([graph])
    assert rows(empty, text, {}) == expected


def test_virtuosos_json_is_mended_before_parsing() -> None:
    """Its ASK table is a boolean, its boolean digits are words; other answers pass untouched."""
    virtuoso, oxigraph = preset("virtuoso"), preset("oxigraph")
    ask = b'{"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "0"}}]}}'  # noqa: E501
    assert ox.parse_query_results(mend_json(virtuoso, ask), ox.QueryResultsFormat.JSON) == (
        ox.parse_query_results('{"head": {}, "boolean": false}', ox.QueryResultsFormat.JSON)
    )
    digits = b'{"head": {"vars": ["b"]}, "results": {"bindings": [{"b": {"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"}}]}}'  # noqa: E501
    solutions = ox.parse_query_results(mend_json(virtuoso, digits), ox.QueryResultsFormat.JSON)
    assert [str(s["b"]) for s in cast(ox.QuerySolutions, solutions)] == [
        '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    ]
    assert mend_json(oxigraph, digits) is digits
    plain = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'
    assert mend_json(virtuoso, plain) is plain


def test_virtuosos_padded_fractions_of_a_second_read_as_stored() -> None:
    """A stored 47.28701Z comes back from Virtuoso as 47.287010Z: read as the embedded store keeps
    it (the canonical form of the same value); an ingestion time ending in 0 made pushes differ."""
    virtuoso, oxigraph = preset("virtuoso"), preset("oxigraph")
    template = (
        '{"head": {"vars": ["t"]}, "results": {"bindings": [{"t": {"type": "typed-literal", '
        '"datatype": "http://www.w3.org/2001/XMLSchema#dateTime", "value": "%s"}}]}}'
    )
    cases = {
        "2026-12-07T22:12:47.287010Z": "2026-12-07T22:12:47.28701Z",
        "2026-12-07T22:12:47.000000Z": "2026-12-07T22:12:47Z",
        "2026-12-07T22:12:40.100000+01:00": "2026-12-07T22:12:40.1+01:00",
        "2026-12-07T22:12:47Z": "2026-12-07T22:12:47Z",
    }
    for sent, read in cases.items():
        data = (template % sent).encode()
        solutions = ox.parse_query_results(mend_json(virtuoso, data), ox.QueryResultsFormat.JSON)
        assert [s["t"].value for s in cast(ox.QuerySolutions, solutions)] == [read]
        assert mend_json(oxigraph, data) == data  # a server that keeps the form: untouched


# -- generic: the three URLs ------------------------------------------------------------------


def test_generic_takes_the_three_urls(oxigraph_server: Server, shared_dir: Path) -> None:
    """``--store QUERY_URL --server generic --update-url URL --graph-store-url URL`` (or their
    variables) reach oxigraph serve's three endpoints: its commands read and write there, and a
    wrong update URL is one line that shows no password."""
    from click.testing import CliRunner

    from s3graph.cli import main
    from s3graph.cli.support import Settings, store_opener

    url, secret = oxigraph_server.url, "g3n3ric-Pa55"
    urls = [f"{url}/query", f"{url}/update", f"{url}/store"]
    options = ["--server", "generic", "--update-url", urls[1], "--graph-store-url", urls[2]]
    variables = {
        "S3GRAPH_STORE": urls[0],
        "S3GRAPH_SERVER": "generic",
        "S3GRAPH_UPDATE_URL": urls[1],
        "S3GRAPH_GRAPH_STORE_URL": urls[2],
    }
    credentials = {"S3GRAPH_STORE_USER": "someone", "S3GRAPH_STORE_PASSWORD": secret}
    runner = CliRunner()
    by_options = runner.invoke(main, ["--store", urls[0], *options, "stats"], env=credentials)
    by_variables = runner.invoke(main, ["stats"], env=credentials | variables)
    assert by_options.exit_code == 0 and by_variables.exit_code == 0, by_options.output
    assert by_options.output == by_variables.output and "quads" in by_options.output

    settings = Settings(urls[0], BASE, False, "generic", urls[1], urls[2])
    with cast(RemoteStore, store_opener(settings)()) as store:
        assert store.endpoints == Endpoints(*urls)
        store.replace_graphs([graph_of("by the update URL")])
        assert held(store) == {"by the update URL"}
        store.replace_graphs([graph_of()])
        assert not store.has_graph(TEST_GRAPH)

    down = f"127.0.0.1:{free_port()}/update"  # nothing listens there
    goals = str(shared_dir / "reference" / "sdg-goals.csv")
    wrong = ["--update-url", f"http://someone:{secret}@{down}"]
    refused = runner.invoke(
        main,
        ["--store", urls[0], *options[:2], *wrong, "vocab", "load", goals],
        env={"S3GRAPH_STORE_TIMEOUT": "2"},
    )
    assert refused.exit_code == 3, refused.output
    assert f"http://{down}: the SPARQL server refused a write; cannot connect" in refused.output
    assert secret not in refused.output and "someone" not in refused.output
