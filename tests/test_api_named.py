"""The named queries as an HTTP API: same rows as run_query, CSV, parameters, errors, OpenAPI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import ingest_linked
from fastapi.testclient import TestClient

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.sparql import format_json, list_queries, load_query, run_query
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"


@pytest.fixture(scope="module")
def store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    opened = Store.open(tmp_path_factory.mktemp("named") / "store")
    ingest_linked(opened, [shared_dir / "corpus"], BASE)
    return opened


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    app = create_app(ApiSettings(base=BASE), store)
    return TestClient(app)


def _values(document: dict) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in row.items()} for row in document["results"]["bindings"]]


def test_the_index_lists_every_query_with_its_header(client: TestClient) -> None:
    response = client.get("/api/queries")
    assert response.status_code == 200
    listed = {q["name"]: q for q in response.json()}
    assert set(listed) == {q.name for q in list_queries()}
    reports = listed["reports"]
    assert reports["title"] == "Reports"
    assert reports["columns"][:3] == ["report", "partnership", "period"]
    assert reports["parameters"] == [
        {
            "name": "partnership",
            "type": "iri",
            "required": False,
            "description": "only the reports of this partnership",
        }
    ]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("partnerships", {}),
        ("stats", {}),
        ("reports", {"partnership": "partnership/mining-industry"}),
        ("regions-of-partnership", {"partnership": BASE + "partnership/mining-industry"}),
        ("partnerships-of-region", {"code": "FI1D7"}),
        ("data-quality", {}),
    ],
)
def test_json_is_the_same_as_run_query(
    client: TestClient, store: Store, name: str, params: dict[str, str]
) -> None:
    response = client.get(f"/api/queries/{name}", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    expected = run_query(store, load_query(name), params, base=BASE)
    assert response.json() == json.loads(format_json(expected))
    assert response.json()["results"]["bindings"], f"{name} answers no row on the corpus"


def test_a_parameter_filters(client: TestClient) -> None:
    everything = _values(client.get("/api/queries/reports").json())
    mining = _values(
        client.get("/api/queries/reports?partnership=partnership/mining-industry").json()
    )
    assert len(mining) == 1 < len(everything)
    assert mining[0]["report"] == BASE + "report/mining-industry/2020-H1"


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/api/queries/partnerships?format=csv", {}),
        ("/api/queries/partnerships", {"Accept": "text/csv"}),
        ("/api/queries/partnerships?format=csv", {"Accept": "application/json"}),
    ],
)
def test_csv_has_the_columns_as_header(
    client: TestClient, url: str, headers: dict[str, str]
) -> None:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == load_query("partnerships").columns
    labels = {row[1] for row in rows[1:]}
    assert {"Mining Industry", "Hydrogen Valleys"} <= labels


@pytest.mark.parametrize(
    "url",
    [
        "/api/queries/partnerships?nope=1",  # undeclared
        "/api/queries/regions-of-partnership",  # required missing
        "/api/queries/partnerships-of-region?code=ES41&extra=x",
        "/api/queries/partnerships?format=xml",
    ],
)
def test_bad_parameters_are_400_json_errors(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error", "detail"}
    assert body["detail"]


def test_an_unknown_query_is_404(client: TestClient) -> None:
    response = client.get("/api/queries/no-such-query")
    assert response.status_code == 404
    assert "partnerships" in response.json()["detail"]


def test_openapi_documents_each_query_and_its_parameters(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for query in list_queries():
        operation = schema["paths"][f"/api/queries/{query.name}"]["get"]
        assert operation["summary"] == query.title
        documented = {p["name"]: p for p in operation["parameters"]}
        assert set(documented) == {p.name for p in query.parameters} | {"format"}
        for p in query.parameters:
            assert documented[p.name]["required"] == p.required
    assert "/api/queries/{name}" not in schema["paths"]
