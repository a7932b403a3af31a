"""``format=`` on /sparql: the convention Fuseki and Virtuoso users know, in place of Accept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.rdf.formats import FORMAT_PARAMETER
from s3graph.store import Store

EX = "http://example.org/"
SELECT = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    path: Path = tmp_path_factory.mktemp("format") / "store"
    with Store.open(path) as store:
        store.update(f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> 1 . <{EX}b> <{EX}p> 2 }} }}")
        with TestClient(create_app(ApiSettings(), store)) as client:
            yield client


@pytest.mark.parametrize(
    ("name", "media"),
    [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
     ("csv", "text/csv"), ("tsv", "text/tab-separated-values"), ("text/csv", "text/csv"),
     ("CSV", "text/csv")],
)  # fmt: skip
def test_format_chooses_the_results_format_over_accept(
    api: TestClient, name: str, media: str
) -> None:
    answer = api.get("/sparql", params={"query": SELECT, "format": name},
                     headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    assert f"{EX}a" in answer.text and f"{EX}b" in answer.text


def test_output_is_taken_too_and_so_is_a_posted_form(api: TestClient) -> None:
    got = api.get("/sparql", params={"query": SELECT, "output": "csv"})
    assert got.headers["content-type"].startswith("text/csv")
    posted = api.post("/sparql", data={"query": SELECT, "format": "tsv"})
    assert posted.headers["content-type"].startswith("text/tab-separated-values")


@pytest.mark.parametrize("name", ["turtle", "ttl", "nt", "jsonld", "rdfxml"])
def test_format_chooses_the_rdf_format_of_a_graph(api: TestClient, name: str) -> None:
    answer = api.get("/sparql", params={"query": CONSTRUCT, "format": name})
    assert answer.status_code == 200, answer.text
    media = FORMAT_PARAMETER[name]
    assert answer.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=answer.text, format={"text/turtle": "turtle",
                          "application/n-triples": "nt", "application/ld+json": "json-ld",
                          "application/rdf+xml": "xml"}[media])  # fmt: skip
    assert len(graph) == 2


def test_an_unknown_format_is_a_clear_400(api: TestClient) -> None:
    answer = api.get("/sparql", params={"query": SELECT, "format": "yaml"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "unknown format"
    assert "json" in answer.json()["detail"]


def test_a_format_the_query_kind_cannot_take_is_406(api: TestClient) -> None:
    answer = api.get("/sparql", params={"query": SELECT, "format": "turtle"})
    assert answer.status_code == 406
