"""``/dumps/`` and ``/dataset``: the server lists and serves the export, and only the export."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import requests
from conftest import ingest_linked, live_server
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.export.run import ExportSettings, export
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"


@pytest.fixture(scope="module")
def exported(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Path]:
    folder = tmp_path_factory.mktemp("dumps")
    store = Store.open(folder / "store")
    ingest_linked(store, [shared_dir / "corpus"], BASE)
    export(store, folder / "export", ExportSettings(base=BASE))
    return store, folder / "export"


@pytest.fixture(scope="module")
def client(exported: tuple[Store, Path]) -> TestClient:
    store, folder = exported
    return TestClient(create_app(ApiSettings(base=BASE, dumps=folder), store))


def _sums(folder: Path) -> dict[str, str]:
    lines = (folder / "SHA256SUMS").read_text().splitlines()
    return {name: digest for digest, name in (line.split("  ", 1) for line in lines)}


def test_the_listing_names_every_file_of_the_export_with_its_checksum(
    client: TestClient, exported: tuple[Store, Path]
) -> None:
    _, folder = exported
    listing = client.get("/dumps/", headers={"Accept": "application/json"})
    assert listing.status_code == 200
    files = {f["path"]: f for f in listing.json()["files"]}
    assert {name: f["sha256"] for name, f in files.items()} == _sums(folder)
    assert files["s3graph.nq"]["bytes"] == (folder / "s3graph.nq").stat().st_size
    assert files["csv/memberships.csv"]["mediaType"] == "text/csv"


def test_a_browser_gets_a_page_linking_every_file(client: TestClient) -> None:
    page = client.get("/dumps/", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for name in ("s3graph.nq", "partnerships/mining-industry.ttl", "csv/regions.csv"):
        assert f'href="/dumps/{name}"' in page.text


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("s3graph.nq", "application/n-quads"),
        ("s3graph.jsonld", "application/ld+json"),
        ("partnerships/mining-industry.ttl", "text/turtle"),
        ("csv/events.csv", "text/csv"),
        ("SHA256SUMS", "text/plain"),
    ],
)
def test_each_file_is_served_byte_for_byte(
    client: TestClient, exported: tuple[Store, Path], name: str, media_type: str
) -> None:
    _, folder = exported
    response = client.get(f"/dumps/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.content == (folder / name).read_bytes()
    if name != "SHA256SUMS":
        assert hashlib.sha256(response.content).hexdigest() == _sums(folder)[name]


@pytest.mark.parametrize("path", ["/dumps/nothing.nq", "/dumps/..%2Fstore%2FLOCK", "/dumps/store"])
def test_nothing_but_the_listed_files_is_reachable(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "see /dumps/" in response.json()["detail"]


def test_the_description_is_negotiated(client: TestClient, exported: tuple[Store, Path]) -> None:
    _, folder = exported
    turtle = client.get("/dataset", headers={"Accept": "text/turtle"})
    jsonld = client.get("/dataset", headers={"Accept": "application/ld+json"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    from_turtle = Graph().parse(data=turtle.text, format="turtle")
    assert isomorphic(from_turtle, Graph().parse(data=jsonld.text, format="json-ld"))
    dataset = URIRef(BASE + "dataset")
    assert (dataset, RDF.type, DCAT.Dataset) in from_turtle
    assert len(list(from_turtle.objects(dataset, DCAT.distribution))) == len(_sums(folder)) - 2
    assert client.get("/dataset", headers={"Accept": "image/png"}).status_code == 406


def test_without_an_export_the_answer_says_how_to_make_one(exported: tuple[Store, Path]) -> None:
    store, folder = exported
    for settings in (ApiSettings(base=BASE), ApiSettings(base=BASE, dumps=folder / "missing")):
        client = TestClient(create_app(settings, store))
        for path in ("/dumps/", "/dataset", "/dumps/s3graph.nq"):
            response = client.get(path)
            assert response.status_code == 404
            assert "s3graph export --out" in response.json()["detail"]


def test_a_real_socket_serves_the_dumps(exported: tuple[Store, Path]) -> None:
    store, folder = exported
    with live_server(create_app(ApiSettings(base=BASE, dumps=folder), store)) as url:
        nquads = requests.get(f"{url}/dumps/s3graph.nq", timeout=10)
        description = requests.get(f"{url}/dataset", headers={"Accept": "text/turtle"}, timeout=10)
    assert nquads.content == (folder / "s3graph.nq").read_bytes()
    assert description.content == (folder / "dataset.ttl").read_bytes()
