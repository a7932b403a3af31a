"""Real clients over a real socket: uvicorn on 127.0.0.1, SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import live_server
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.store import Store

EX = "http://example.org/"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("clients") / "store"
    with Store.open(path) as store:
        store.update(f'INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}p> "one" , "two" }} }}')
        with live_server(create_app(ApiSettings(), store)) as url:
            yield f"{url}/sparql"


def test_sparqlwrapper_json(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint)
    client.setQuery(f"SELECT ?o WHERE {{ <{EX}a> <{EX}p> ?o }} ORDER BY ?o")
    client.setReturnFormat(JSON)
    results: Any = client.queryAndConvert()  # JSON asked for: a dict, typed as any result kind
    values = [row["o"]["value"] for row in results["results"]["bindings"]]
    assert values == ["one", "two"]


def test_rdflib_sparqlstore_select(endpoint: str) -> None:
    graph = Graph(store=SPARQLStore(endpoint))
    query = f"SELECT ?o WHERE {{ <{EX}a> <{EX}p> ?o }} ORDER BY ?o"
    rows: Any = graph.query(query)  # a SELECT gives rows; rdflib types any result kind
    assert [str(row[0]) for row in rows] == ["one", "two"]
