"""The SPARQL endpoint in-process: methods, formats, errors, limits, auth, federation, timeouts."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, URIRef

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


def _rows(response_json: dict[str, Any]) -> list[dict[str, Any]]:
    return response_json["results"]["bindings"]


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
    solutions = list(cast(ox.QuerySolutions, ox.parse_query_results(response.content, format=fmt)))
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
        solutions = cast(ox.QuerySolutions, store.query(query))
        theirs = json.loads(cast(bytes, solutions.serialize(format=ox.QueryResultsFormat.JSON)))
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
    assert int(cast(Literal, triples)) >= 31
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


#: A product of six patterns: minutes of counting on the 31 triples of the test store.
HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE "
    "{ ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h . ?i ?t ?j . ?k ?u ?l }"
)


def _in_background(api: TestClient, query: str) -> tuple[threading.Thread, dict[str, object]]:
    result: dict[str, object] = {}

    def run() -> None:
        result["response"] = api.get("/sparql", params={"query": query})

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def queueing(api: TestClient) -> TestClient:
    """``api`` with no spare workers: a query waits for a worker while the one there is busy."""
    pool = api.app.state.pool  # type: ignore[attr-defined]
    pool.limits = dataclasses.replace(pool.limits, spare_factor=1)
    return api


def test_the_deadline_counts_from_arrival_time_queued_included(store: Store) -> None:
    """With its only worker busy, a query waits; the wait counts, and the answer says so."""
    api = queueing(client(store, query_timeout=1.0, workers=1, long_queries=1))
    thread, heavy = _in_background(api, HEAVY)
    time.sleep(0.3)
    quick = api.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    thread.join()
    # the heavy query held the worker to its deadline; the quick one waited for it, then ran
    stopped = heavy["response"]
    assert stopped.status_code == 503  # type: ignore[attr-defined]
    body = stopped.json()  # type: ignore[attr-defined]
    assert body["error"] == "query timeout"
    assert body["ran"] >= 0.9 and body["waited"] < 0.5
    assert quick.status_code == 200, quick.text
    assert float(quick.headers["X-S3graph-Waited"]) >= 0.5
    assert float(quick.headers["X-S3graph-Ran"]) < 0.5


def test_a_query_whose_deadline_passes_in_the_queue_is_refused(store: Store) -> None:
    from s3graph.api.execute import QueryJob

    api = queueing(client(store, query_timeout=0.5, workers=1, long_queries=1))
    pool = api.app.state.pool  # type: ignore[attr-defined]
    # a query ahead in the queue that may run for a second yet holds the only worker
    arrived = time.monotonic() + 0.5

    def hold() -> None:
        with pytest.raises(Exception, match=r"passed its 0\.5 s"):
            pool.run(QueryJob(HEAVY), arrived=arrived)

    ahead = threading.Thread(target=hold)
    ahead.start()
    time.sleep(0.2)
    queued = api.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    ahead.join()
    assert queued.status_code == 503
    assert queued.json()["error"] == "query timeout"
    assert queued.json()["ran"] == 0
    assert queued.json()["waited"] >= 0.25


def test_a_timed_out_query_frees_its_core(store: Store) -> None:
    """The worker of a query past its deadline is killed: its process is gone within a second."""
    api = client(store, query_timeout=0.5)
    pool = api.app.state.pool  # type: ignore[attr-defined]
    thread, result = _in_background(api, HEAVY)
    time.sleep(0.3)
    busy = pool.worker_pids()
    thread.join()
    assert result["response"].status_code == 503  # type: ignore[attr-defined]
    time.sleep(0.5)
    gone = [pid for pid in busy if not Path(f"/proc/{pid}").exists() or _zombie(pid)]
    assert busy and gone == busy


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except OSError:
        return True


def test_a_long_query_beyond_the_allowed_number_is_stopped_and_short_ones_go_on(
    store: Store,
) -> None:
    api = client(store, query_timeout=8, workers=3, long_queries=1)
    first, one = _in_background(api, HEAVY)
    second, two = _in_background(api, HEAVY)
    time.sleep(0.5)
    started = time.monotonic()
    quick = api.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert time.monotonic() - started < 1
    assert quick.status_code == 200
    # whichever of the two uses its second of CPU last is one long query too many
    deadline = time.monotonic() + 7
    while first.is_alive() and second.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    stopped = two if not second.is_alive() else one
    busy = stopped["response"]
    assert busy.status_code == 503  # type: ignore[attr-defined]
    assert busy.json()["error"] == "server busy"  # type: ignore[attr-defined]
    assert busy.headers["Retry-After"]  # type: ignore[attr-defined]
    first.join()
    second.join()
    survivor = one if stopped is two else two
    assert survivor["response"].json()["error"] == "query timeout"  # type: ignore[attr-defined]


def test_a_query_that_outgrows_its_memory_is_stopped(store: Store) -> None:
    grow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?l LIMIT 5"
    api = client(store, query_timeout=20, query_memory=64 << 20)
    started = time.monotonic()
    response = api.get("/sparql", params={"query": grow})
    assert response.status_code in (500, 503), response.text
    assert response.json()["error"] in ("query memory limit", "query engine failure")
    assert time.monotonic() - started < 15
    assert api.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


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


def test_sparql_is_served_once_and_documented(api: TestClient) -> None:
    app = api.app
    serving = [r for r in app.router.routes if getattr(r, "path", None) == "/sparql"]  # type: ignore[attr-defined]
    assert len(serving) == 1
    schema = api.get("/openapi.json").json()
    get, post = schema["paths"]["/sparql"]["get"], schema["paths"]["/sparql"]["post"]
    assert [p["$ref"].rsplit("/", 1)[1] for p in get["parameters"]] == [
        "SparqlQuery",
        "DefaultGraphUri",
        "NamedGraphUri",
        "Format",  # issue 13: format= (html among them), the convention Fuseki users know
    ]
    assert set(post["requestBody"]["content"]) == {
        "application/sparql-query",
        "application/x-www-form-urlencoded",
    }
    results = schema["components"]["responses"]["SparqlResults"]["content"]
    assert "application/sparql-results+json" in results and "text/turtle" in results
    for reference in get["parameters"]:  # every reference resolves
        assert reference["$ref"].rsplit("/", 1)[1] in schema["components"]["parameters"]
