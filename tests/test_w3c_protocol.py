"""The W3C SPARQL 1.1 Protocol test suite, read from its manifest and run in-process.

Query cases go to ``/sparql``; update cases (a request that sends ``update=`` or
``application/sparql-update``) go to ``/update`` with the bearer token. Each case gets a fresh
store holding the ``ut:graphData`` files it names. Every case, query and update, must pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import pytest
from conftest import find_shared_part
from fastapi.testclient import TestClient
from rdflib import RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.store import Store

FOUND, MISSING_REASON = find_shared_part("w3c-sparql-protocol")
SUITE = FOUND or Path("w3c-sparql-protocol")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
TOKEN = "w3c"

pytestmark = pytest.mark.skipif(FOUND is None, reason=f"W3C protocol suite: {MISSING_REASON}")


def _manifest() -> Graph:
    return Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=SUITE.as_uri() + "/")


def _cases() -> list[Any]:
    if FOUND is None:
        return []
    graph = _manifest()
    (entries,) = graph.objects(None, MF.entries)
    params = []
    for test in cast(list[URIRef], list(Collection(graph, entries))):
        name = str(test).rsplit("#", 1)[1]
        kind = "update" if _is_update(graph, test) else "query"
        params.append(pytest.param(test, id=f"{kind}:{name}"))
    return params


def _requests(graph: Graph, test: URIRef) -> list[URIRef]:
    action = graph.value(test, MF.action)
    requests = cast(URIRef, graph.value(action, HT.requests))
    return cast(list[URIRef], list(Collection(graph, requests)))


def _headers(graph: Graph, request: URIRef) -> dict[str, str]:
    node = graph.value(request, HT.headers)
    if node is None:
        return {}
    return {
        str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
        for h in Collection(graph, node)
    }


def _is_update(_graph: Graph, test: URIRef) -> bool:
    return "update" in str(test).rsplit("#", 1)[1]


@pytest.mark.parametrize("test", _cases())
def test_w3c_protocol(test: URIRef, tmp_path: Path) -> None:
    graph = _manifest()
    with Store.open(tmp_path / "store") as store:
        for data in graph.objects(test, UT.graphData):
            file = Path(str(graph.value(data, UT.graph)).removeprefix("file://"))
            name = str(graph.value(data, RDFS.label))
            store.load_graph(name, file.read_bytes(), ox.RdfFormat.N_TRIPLES, replace=False)
        client = TestClient(create_app(ApiSettings(update_token=TOKEN), store))
        for request in _requests(graph, test):
            _run(graph, client, request)


def _run(graph: Graph, client: TestClient, request: URIRef) -> None:
    method = str(graph.value(request, HT.methodName))
    path = str(graph.value(request, HT.absolutePath))
    headers = _headers(graph, request)
    body_node = graph.value(request, HT.body)
    content: bytes | None = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        content = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
    is_update = "sparql-update" in headers.get("content-type", "") or "update=" in (
        path + (content or b"").decode("latin-1")
    )
    if is_update:
        path = path.replace("/sparql/", "/update", 1)
        headers["Authorization"] = f"Bearer {TOKEN}"
    else:
        path = path.replace("/sparql/", "/sparql", 1)
    response = client.request(method, path, content=content, headers=headers)
    expected = graph.value(request, HT.resp)
    statuses = {
        str(s).rsplit("#StatusCode", 1)[1] for s in graph.objects(expected, MF.expectedStatus)
    }
    assert f"{str(response.status_code)[0]}xx" in statuses, (path, response.text)
    fmt = graph.value(expected, MF.expectedFormat)
    if fmt is not None and str(fmt) == "boolean":
        want = graph.value(expected, MF.expectedBoolean)
        value = response.json()["boolean"]
        assert want is None or value is want.toPython()  # type: ignore[attr-defined]
    elif fmt is not None and str(fmt) == "tabular":
        assert response.headers["content-type"].split(";")[0] in {
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        }
    elif fmt is not None and str(fmt) == "RDF":
        media = response.headers["content-type"].split(";")[0]
        assert media in {
            "text/turtle",
            "application/n-triples",
            "application/ld+json",
            "application/rdf+xml",
        }
        Graph().parse(
            data=response.text,
            format={
                "text/turtle": "turtle",
                "application/n-triples": "nt",
                "application/ld+json": "json-ld",
                "application/rdf+xml": "xml",
            }[media],
        )
