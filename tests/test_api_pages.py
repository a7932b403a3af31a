"""Linked-data pages: HTML for browsers, RDF for RDF clients, suffixes, 404, SVG pictures."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ingest_linked
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.sparql import list_queries, load_query, run_query
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
S3G = Namespace("https://w3id.org/s3graph/def#")
MINING = URIRef(BASE + "partnership/mining-industry")
BATTERIES = URIRef(BASE + "partnership/advanced-materials-for-batteries")
MINING_REPORT = URIRef(BASE + "report/mining-industry/2020-H1")
SVG = "{http://www.w3.org/2000/svg}svg"


@pytest.fixture(scope="module")
def store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    from s3graph.vocab.sources.loading import load_file

    opened = Store.open(tmp_path_factory.mktemp("pages") / "store")
    ingest_linked(opened, [shared_dir / "corpus"], BASE)
    load_file(opened, shared_dir / "reference" / "nuts-2021.csv")
    return opened


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    app = create_app(ApiSettings(base=BASE), store)
    return TestClient(app)


def _html(client: TestClient, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def _svgs(html: str) -> list[ET.Element]:
    pictures = []
    start = html.find("<svg")
    while start != -1:
        end = html.index("</svg>", start) + len("</svg>")
        pictures.append(ET.fromstring(html[start:end]))
        start = html.find("<svg", end)
    return pictures


# -- HTML --------------------------------------------------------------------------------------


def test_home_counts_and_groups_partnerships_by_platform(client: TestClient, store: Store) -> None:
    html = _html(client, "/")
    stats = run_query(store, load_query("stats"), {}, base=BASE).rows[0]
    # a cell is typed "any term or unbound" (union-attr ignored): these queries bind each one used
    assert f"<dd>{stats[0].value}</dd>" in html  # type: ignore[union-attr]  # reports
    assert 'href="/partnership/mining-industry"' in html
    # each partnership under the heading of its platform in the registry
    agri, industry = (
        html.index("<h3>Agri-Food</h3>"),
        html.index("<h3>Industrial Modernisation</h3>"),
    )
    assert agri < html.index("High Tech Farming") < industry < html.index("Mining Industry")


def test_partnership_page(client: TestClient) -> None:
    html = _html(client, "/partnership/mining-industry")
    assert "<h1>Mining Industry" in html
    assert 'href="/region/FI1D7"' in html and "http://data.europa.eu/nuts/code/FI1D7" in html
    assert 'href="/report/mining-industry/2020-H1"' in html
    assert "Partnership meeting - joint initiatives" in html  # an event
    assert "Advanced Materials for Batteries" in html  # a collaboration
    (picture,) = _svgs(html)
    assert picture.tag == SVG
    assert "SDG 17" in ET.tostring(picture, encoding="unicode")


def test_region_page_lists_partnerships_and_nuts_hierarchy(client: TestClient) -> None:
    html = _html(client, "/region/FI1D7")
    assert "Mining Industry" in html and 'href="/partnership/mining-industry"' in html
    assert "January - June 2020" in html
    for code in ("FI1D7", "FI1D", "FI1", "FI"):
        assert f">{code}</a>" in html


def test_report_page_shows_answers_and_its_validation(client: TestClient, store: Store) -> None:
    html = _html(client, "/report/mining-industry/2020-H1")
    assert "January - June 2020" in html
    rules = run_query(store, load_query("data-quality"), {}, base=BASE)
    own = {str(r[3].value) for r in rules.rows if r[0].value == str(MINING_REPORT)}  # type: ignore[union-attr]
    assert own, "the mining report has validation results"
    for rule in own:
        assert f"<code>{rule}</code>" in html
    assert "Executive summary" in html  # each answer under a heading, its text as paragraphs
    assert "Lapland" in html


def test_cross_view_draws_the_network_and_the_heatmap(client: TestClient, store: Store) -> None:
    html = _html(client, "/cross")
    network, heatmap = _svgs(html)
    # a long name is set on two lines (tspans): a label is the words of its text element
    texts = {" ".join(t.itertext()) for t in network.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Mining Industry", "Advanced Materials for Batteries"} <= texts
    assert len(list(heatmap.iter("{http://www.w3.org/2000/svg}rect"))) >= 17 * 6
    lines = [e for e in network.iter("{http://www.w3.org/2000/svg}line")]
    assert any(e.get("marker-end") for e in lines)  # a collaboration arrow
    assert any(
        e.findtext("{http://www.w3.org/2000/svg}title", "").endswith("shared region(s)")
        for e in lines
    )
    shared = run_query(store, load_query("shared-regions"), {}, base=BASE).rows
    assert shared
    for row in shared:  # the shared-regions table: each region named and linked to its page
        for code in str(row[5].value).split(", "):  # type: ignore[union-attr]
            assert f'href="/region/{code}"' in html and f"({code})</a>" in html


def test_query_page_has_a_form_that_works_offline_and_the_examples(client: TestClient) -> None:
    html = _html(client, "/query?query=ASK%20%7B%7D")
    # issue 13: the form runs the query on this page, which shows the result below it
    assert '<form id="sparql-form" action="/query#answer" method="get">' in html
    assert ">ASK {}</textarea>" in html
    for query in list_queries():
        assert f'href="/api/queries/{query.name}"' in html
    assert client.get("/static/style.css").status_code == 200


def test_text_is_escaped(client: TestClient) -> None:
    html = _html(client, "/report/mining-industry/2020-H1")
    assert "<script" not in html.split("<main>")[1].split("</main>")[0]


# -- RDF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("media", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_rdf_by_accept_parses_back(client: TestClient, media: str, rdflib_format: str) -> None:
    response = client.get("/partnership/mining-industry", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert (MINING, RDF.type, S3G.Partnership) in graph
    assert (MINING, SKOS.prefLabel, Literal("Mining Industry", lang="en")) in graph
    assert (MINING, S3G.collaboratesWith, BATTERIES) in graph
    # the label of a linked resource comes along
    assert (
        BATTERIES,
        SKOS.prefLabel,
        Literal("Advanced Materials for Batteries", lang="en"),
    ) in graph
    # only the description: no triple of another subject except labels
    assert {p for s, p, _ in graph if s != MINING} <= {
        SKOS.prefLabel,
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        URIRef("https://schema.org/name"),
        URIRef("http://purl.org/dc/terms/title"),
    }


@pytest.mark.parametrize(
    ("suffix", "media", "rdflib_format"),
    [(".ttl", "text/turtle", "turtle"), (".jsonld", "application/ld+json", "json-ld"),
     (".nt", "application/n-triples", "nt")],
)  # fmt: skip
def test_a_suffix_beats_accept(
    client: TestClient, suffix: str, media: str, rdflib_format: str
) -> None:
    response = client.get(
        f"/report/mining-industry/2020-H1{suffix}", headers={"Accept": "text/html"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert (MINING_REPORT, S3G.partnership, MINING) in graph
    assert (
        MINING_REPORT,
        S3G.validationReport,
        URIRef(str(MINING_REPORT) + "/validation"),
    ) in graph


@pytest.mark.parametrize(
    "path", ["/region/FI1D7", "/period/2020-H1", "/report/mining-industry/2020-H1/validation"]
)
def test_other_resources_dereference(client: TestClient, path: str) -> None:
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert any(graph.triples((URIRef(BASE + path[1:]), None, None)))
    assert "<h1>" in _html(client, path)


@pytest.mark.parametrize(
    "path", ["/partnership/no-such-thing", "/region/XX99", "/nothing.ttl", "/report/x/2020-H1"]
)
def test_unknown_resources_are_404(client: TestClient, path: str) -> None:
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 404
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert set(response.json()) == {"error", "detail"}


def test_an_unacceptable_type_is_406(client: TestClient) -> None:
    response = client.get("/partnership/mining-industry", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_every_page_query_runs_on_the_corpus(store: Store) -> None:
    params = {
        "resource": str(MINING),
        "partnership": str(MINING),
        "region": BASE + "region/FI1D7",
        "report": str(MINING_REPORT),
        "text": "mining",
        "version": "2021",
    }
    for query in (q for q in list_queries() if q.name.startswith("page-")):
        given = {p.name: params[p.name] for p in query.parameters}
        found = run_query(store, query, given, base=BASE).rows
        # The corpus holds no synthetic example (those are in tests/test_browser_synthetic.py)
        # and no boundaries (tests/test_map_pages.py loads them).
        assert bool(found) != (query.name in _EMPTY_ON_THE_CORPUS), query.name


_EMPTY_ON_THE_CORPUS = ("page-synthetic", "page-boundaries", "page-boundary-versions")


def test_a_page_whose_query_is_stopped_says_so_to_browsers_and_programs(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from s3graph.api import crossview
    from s3graph.querypool import WorkerTimeout

    def stopped(*_args: object, **_kwargs: object) -> None:
        raise WorkerTimeout("the query passed its 10 s", waited=0.5, ran=9.5)

    monkeypatch.setattr(crossview, "cross", stopped)
    page = client.get("/cross", headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert "query timeout" in page.text and "The query passed its 10 s." in page.text
    assert page.headers["X-S3graph-Waited"] == "0.500"
    program = client.get("/cross", headers={"Accept": "application/json"})
    assert program.status_code == 503
    assert program.json() == {
        "error": "query timeout",
        "detail": "the query passed its 10 s",
        "waited": 0.5,
        "ran": 9.5,
    }
