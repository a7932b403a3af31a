"""The SPARQL endpoint in-process: methods, formats, errors, limits, auth, federation, timeouts."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, URIRef

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.store import Store

TOKEN = "s3cret"
EX = "http://example.org/"
SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store.open(tmp_path_factory.mktemp("api") / "store") as opened:
        rows = "".join(f"<{EX}s{i}> <{EX}p> {i} .\n" for i in range(30))
        opened.update(f"INSERT DATA {{ GRAPH <{EX}g1> {{ {rows} }} }}")
        opened.update(f'INSERT DATA {{ GRAPH <{EX}g2> {{ <{EX}x> <{EX}q> "two"@en }} }}')
        yield opened


def client(store: Store, **settings: object) -> TestClient:
    return TestClient(create_app(ApiSettings(**settings), store))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def api(store: Store) -> TestClient:
    return client(store, update_token=TOKEN)


def _rows(response_json: dict[str, object]) -> list[dict[str, object]]:
    return response_json["results"]["bindings"]  # type: ignore[index, return-value]


# -- methods and formats -----------------------------------------------------------------------


def test_get_post_form_and_direct_post_agree(api: TestClient) -> None:
    got = api.get("/sparql", params={"query": SELECT})
    form = api.post("/sparql", data={"query": SELECT})
    direct = api.post(
        "/sparql", content=SELECT, headers={"Content-Type": "application/sparql-query"}
    )
    for response in (got, form, direct):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert len(_rows(response.json())) == 30
    assert got.json() == form.json() == direct.json()


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_formats_parse_back(api: TestClient, accept: str, media: str) -> None:
    response = api.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    if media == "text/csv":
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert rows[0] == {"s": f"{EX}s0", "o": "0"}
        return
    fmt = {
        "application/sparql-results+json": ox.QueryResultsFormat.JSON,
        "application/sparql-results+xml": ox.QueryResultsFormat.XML,
        "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    }[media]
    solutions = list(ox.parse_query_results(response.content, format=fmt))
    assert len(solutions) == 30
    assert solutions[0]["s"] == ox.NamedNode(f"{EX}s0")


def test_json_results_are_the_terms_pyoxigraph_writes(api: TestClient) -> None:
    """The JSON written row by row (each term once) says what pyoxigraph's own writer says."""
    query = (
        'SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) { (<http://example.org/x> "two"@en 3)'
        ' ("quote \\" and \\\\ and é\\n"'
        ' <http://example.org/x> UNDEF) (<http://example.org/x> 4.5 "2020-01-01"^^'
        "<http://www.w3.org/2001/XMLSchema#date>) } }"
    )
    response = api.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    mine = response.json()
    with Store.open(Path(api.app.state.store.path), read_only=True) as store:  # type: ignore[attr-defined]
        theirs = json.loads(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))
    assert mine == theirs
    assert len(mine["results"]["bindings"]) == 3
    assert "c" not in mine["results"]["bindings"][1]


def test_sparql_route_keeps_its_methods_and_schema(api: TestClient) -> None:
    """/sparql is a plain route first (fast) and FastAPI's behind it (documented)."""
    assert api.head("/sparql", params={"query": "ASK {}"}).status_code == 405
    put = api.put("/sparql", content="ASK {}")
    assert put.status_code == 405
    assert put.json()["error"] == "method not allowed"
    assert set(put.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert api.get("/sparql/", params={"query": "ASK {}"}).json()["boolean"] is True
    schema = api.get("/openapi.json").json()
    assert set(schema["paths"]["/sparql"]) == {"get", "post"}


def test_ask_in_json_and_xml(api: TestClient) -> None:
    query = f"ASK {{ <{EX}x> ?p ?o }}"
    as_json = api.get("/sparql", params={"query": query})
    assert as_json.json()["boolean"] is True
    as_xml = api.get("/sparql", params={"query": query}, headers={"Accept": "text/xml"})
    assert as_xml.headers["content-type"].startswith("application/sparql-results+xml")
    assert bool(ox.parse_query_results(as_xml.content, format=ox.QueryResultsFormat.XML))
    assert (
        api.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"}).status_code
        == 406
    )


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_and_describe_formats(api: TestClient, accept: str, rdflib_format: str) -> None:
    for query in (f"CONSTRUCT WHERE {{ <{EX}x> ?p ?o }}", f"DESCRIBE <{EX}x>"):
        response = api.get("/sparql", params={"query": query}, headers={"Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(accept)
        graph = Graph().parse(data=response.text, format=rdflib_format)
        assert len(graph) == 1


def test_q_values_are_honoured(api: TestClient) -> None:
    accept = "application/rdf+xml;q=0.5, text/turtle;q=0.9"
    query = f"CONSTRUCT WHERE {{ <{EX}x> ?p ?o }}"
    response = api.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith("text/turtle")


def test_406_when_nothing_fits(api: TestClient) -> None:
    response = api.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["error"] == "not acceptable"


def test_protocol_dataset_replaces_the_union(api: TestClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = api.get("/sparql", params={"query": query})
    only_g2 = api.get("/sparql", params={"query": query, "default-graph-uri": f"{EX}g2"})
    assert _rows(union.json())[0]["n"]["value"] == "31"
    assert _rows(only_g2.json())[0]["n"]["value"] == "1"
    named = api.get(
        "/sparql",
        params={"query": "SELECT ?g WHERE { GRAPH ?g {} }", "named-graph-uri": f"{EX}g1"},
    )
    assert [row["g"]["value"] for row in _rows(named.json())] == [f"{EX}g1"]


# -- errors --------------------------------------------------------------------------------------


def test_syntax_error_says_where(api: TestClient) -> None:
    response = api.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "malformed query"
    assert "1:" in body["detail"]


def test_bad_requests(api: TestClient) -> None:
    assert api.put("/sparql", content="ASK {}").status_code == 405
    assert (
        api.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"}).status_code
        == 415
    )
    assert api.post("/sparql").status_code == 415
    assert api.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D").json()["error"].startswith("several")


# -- descriptions ----------------------------------------------------------------------------------


def test_service_description_parses(api: TestClient) -> None:
    response = api.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert list(graph.objects(None, URIRef(sd + "endpoint"))) == [
        URIRef("http://testserver/sparql")
    ]
    assert (None, RDF.type, URIRef(sd + "Service")) in graph
    jsonld = api.get("/sparql", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)


def test_void_parses(api: TestClient) -> None:
    response = api.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    graph = Graph().parse(data=response.text, format="nt")
    (triples,) = graph.objects(None, URIRef("http://rdfs.org/ns/void#triples"))
    assert int(triples) >= 31
    assert (None, RDF.type, URIRef("http://rdfs.org/ns/void#Dataset")) in graph


# -- writes and auth ------------------------------------------------------------------------------

UPDATE = f"INSERT DATA {{ GRAPH <{EX}w> {{ <{EX}a> <{EX}b> <{EX}c> }} }}"


@pytest.mark.parametrize(
    ("token", "header", "status"),
    [
        (None, None, 403),
        (None, "Bearer x", 403),
        (TOKEN, None, 401),
        (TOKEN, "Basic abc", 401),
        (TOKEN, "Bearer wrong", 403),
        (TOKEN, f"Bearer {TOKEN}", 204),
    ],
)
def test_update_auth_matrix(
    store: Store, token: str | None, header: str | None, status: int
) -> None:
    api = client(store, update_token=token)
    headers = {"Content-Type": "application/sparql-update"}
    if header:
        headers["Authorization"] = header
    response = api.post("/update", content=UPDATE, headers=headers)
    assert response.status_code == status
    store_get = api.get("/store", params={"default": ""}, headers=headers)
    assert store_get.status_code == (200 if status == 204 else status)
    if status != 204:
        assert set(response.json()) == {"error", "detail"}


def test_graph_store_protocol(api: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    graph = {"graph": f"{EX}gsp"}
    turtle = {**auth, "Content-Type": "text/turtle"}
    assert api.get("/store", params=graph, headers=auth).status_code == 404
    put = api.put("/store", params=graph, content=f"<{EX}a> <{EX}b> 1 .", headers=turtle)
    assert put.status_code == 201
    post = api.post("/store", params=graph, content=f"<{EX}a> <{EX}b> 2 .", headers=turtle)
    assert post.status_code == 204
    got = api.get("/store", params=graph, headers={**auth, "Accept": "application/n-triples"})
    assert len(Graph().parse(data=got.text, format="nt")) == 2
    again = api.put("/store", params=graph, content=f"<{EX}a> <{EX}b> 3 .", headers=turtle)
    assert again.status_code == 204
    got = api.get("/store", params=graph, headers={**auth, "Accept": "text/turtle"})
    assert len(Graph().parse(data=got.text, format="turtle")) == 1
    bad = api.put("/store", params=graph, content="<not turtle", headers=turtle)
    assert bad.status_code == 400
    assert api.delete("/store", params=graph, headers=auth).status_code == 204
    assert api.delete("/store", params=graph, headers=auth).status_code == 404


def test_update_syntax_error(api: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = api.post("/update", data={"update": "CLEAR XYZ"}, headers=headers)
    assert response.status_code == 400
    assert "1:" in response.json()["detail"]


# -- federation -------------------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[str, list[object]]]:
    """A plain TCP listener on 127.0.0.1 that records every connection it gets."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    connections: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", connections
    stop.set()
    thread.join()
    server.close()


def test_service_and_load_are_refused_and_nothing_connects(
    api: TestClient, listener: tuple[str, list[object]]
) -> None:
    url, connections = listener
    queries = [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX r: <{url[:-6]}> SELECT * WHERE {{ service r:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        response = api.get("/sparql", params={"query": query})
        assert response.status_code == 400, query
        assert response.json()["error"] == "federated query refused"
    load = api.post(
        "/update",
        data={"update": f"LOAD <{url}>"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert load.status_code == 400
    time.sleep(0.2)
    assert connections == []


def test_service_words_inside_strings_and_comments_are_fine(api: TestClient) -> None:
    query = 'SELECT ("SERVICE <http://127.0.0.1:1/>" AS ?x) WHERE {} # SERVICE <http://x/>'
    assert api.get("/sparql", params={"query": query}).status_code == 200


# -- limits ---------------------------------------------------------------------------------------


def test_row_cap_is_signalled(store: Store) -> None:
    api = client(store, max_rows=10)
    response = api.get("/sparql", params={"query": SELECT})
    assert response.headers["X-S3graph-Truncated"] == "true"
    body = response.json()
    assert len(_rows(body)) == 10
    assert body["s3graph"] == {"truncated": True, "maxRows": 10}
    assert ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    xml = api.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/xml"})
    assert xml.headers["X-S3graph-Truncated"] == "true"
    construct = api.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/turtle"},
    )
    assert construct.headers["X-S3graph-Truncated"] == "true"
    assert len(Graph().parse(data=construct.text, format="turtle")) == 10
    small = api.get("/sparql", params={"query": f"SELECT * WHERE {{ <{EX}x> ?p ?o }}"})
    assert "X-S3graph-Truncated" not in small.headers
    assert "s3graph" not in small.json()


def test_body_limit(store: Store) -> None:
    api = client(store, max_body=1024)
    big = "ASK {} #" + "x" * 2000
    response = api.post(
        "/sparql", content=big, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "request too large"


def test_cors_for_reads_only(api: TestClient) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    read = api.get("/sparql", params={"query": "ASK {}"}, headers=origin)
    assert read.headers["access-control-allow-origin"] == "*"
    preflight = api.options(
        "/sparql",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    write = api.post("/update", content="CLEAR ALL", headers=origin)
    assert "access-control-allow-origin" not in write.headers


def test_timeout_answers_while_others_are_served(tmp_path: Path) -> None:
    with Store.open(tmp_path / "slow") as slow:
        rows = "".join(f"<{EX}s{i}> <{EX}p> {i} .\n" for i in range(3000))
        slow.update(f"INSERT DATA {{ GRAPH <{EX}big> {{ {rows} }} }}")
        api = client(slow, query_timeout=0.5, max_rows=10**12)
        # rows stream out lazily, so the abandoned worker stops at its next row (an aggregate
        # over this product would keep its worker busy long after the 503)
        heavy = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
        result: dict[str, object] = {}

        def run_heavy() -> None:
            started = time.monotonic()
            result["response"] = api.get("/sparql", params={"query": heavy})
            result["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=run_heavy)
        thread.start()
        time.sleep(0.1)
        started = time.monotonic()
        quick = api.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        quick_seconds = time.monotonic() - started
        thread.join()
        assert quick.status_code == 200
        assert quick_seconds < 0.4
        response = result["response"]
        assert response.status_code == 503  # type: ignore[attr-defined]
        assert response.json()["error"] == "query timeout"  # type: ignore[attr-defined]
        assert result["seconds"] < 2  # type: ignore[operator]


def test_timeout_clock_starts_when_the_query_runs(store: Store) -> None:
    """A query queued behind a busy worker longer than the timeout still gets its full time."""
    api = client(store, query_timeout=0.3, workers=1)
    release = threading.Event()
    with api:
        busy = api.app.state.executor.submit(release.wait, 10)  # type: ignore[attr-defined]
        threading.Timer(1.0, release.set).start()  # queued for ~3 timeouts
        response = api.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert busy.result() is True
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True


def test_a_job_abandoned_while_queued_never_runs() -> None:
    from s3graph.api.execute import QueryOutcome
    from s3graph.api.sparql import QueryTimeout, run_timed

    ran: list[str] = []

    def job(name: str) -> QueryOutcome:
        ran.append(name)
        return QueryOutcome(b"", "text/plain")

    async def scenario() -> None:
        with ThreadPoolExecutor(1) as executor:
            release = threading.Event()
            executor.submit(release.wait, 10)
            cancel = threading.Event()
            waiting = asyncio.ensure_future(run_timed(executor, lambda: job("queued"), 5, cancel))
            await asyncio.sleep(0.05)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            assert cancel.is_set()
            release.set()
            # a running job that outlives its time: QueryTimeout, and it is told to stop
            stop = threading.Event()

            def slow() -> QueryOutcome:
                stop.wait(10)
                return job("slow")

            with pytest.raises(QueryTimeout):
                await run_timed(executor, slow, 0.05, stop)
            assert stop.is_set()

    asyncio.run(scenario())
    assert ran == ["slow"]


def test_protocol_using_graphs_become_using_clauses() -> None:
    """using-graph-uri / using-named-graph-uri: USING clauses before each top-level WHERE."""
    from s3graph.sparql_lex import with_using

    update = (
        "DELETE WHERE { ?s ?p ?o } ;\n"
        'INSERT { GRAPH <http://g/> { ?s a ?t } } WHERE { ?s a ?t . FILTER(?t != "WHERE") '
        "{ SELECT ?s WHERE { ?s ?p ?o } } }"
    )
    rewritten = with_using(update, ["http://a/"], ["http://n/"])
    assert rewritten.count("USING <http://a/> USING NAMED <http://n/> WHERE") == 1
    assert rewritten.startswith("DELETE WHERE {")  # the shorthand takes no USING
    assert "SELECT ?s WHERE" in rewritten  # nor does a subquery


def test_every_openapi_operation_has_its_own_id(api: TestClient) -> None:
    schema = api.get("/openapi.json").json()
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert {op["operationId"] for op in schema["paths"]["/sparql"].values()} == {
        "sparql_sparql_get",
        "sparql_sparql_post",
    }


def test_a_parsed_query_string_is_fresh_each_time() -> None:
    """Query strings are decoded once and kept; what callers add must not leak into the next."""
    from s3graph.api.protocol import _parse_form

    first = _parse_form("query=ASK%20%7B%7D&default-graph-uri=urn%3Ag")
    first["query"].append("SELECT * {}")
    first.setdefault("named-graph-uri", []).append("urn:n")
    assert _parse_form("query=ASK%20%7B%7D&default-graph-uri=urn%3Ag") == {
        "query": ["ASK {}"],
        "default-graph-uri": ["urn:g"],
    }
