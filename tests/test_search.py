"""The search box of every page: what it finds is what the graph names, in any case.

Held against SPARQL of the test's own (every partnership, region, report and event whose label
holds the text), over the shared corpus with NUTS loaded. The page must say why it found
nothing, refuse a one-letter search with a reason, and echo the text safely.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from s3graph.sparql import load_query, run_query
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
# Every labelled thing a search may find, with the label it carries, as the test reads the graph.
LABELLED = """
PREFIX s3g: <https://w3id.org/s3graph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?item ?label WHERE {
  { ?item a s3g:Partnership ; skos:prefLabel|skos:altLabel ?label }
  UNION { ?item a s3g:Region ; rdfs:label|skos:prefLabel|skos:altLabel|skos:notation ?label }
  UNION { ?item a s3g:MonitoringReport ; dcterms:title ?label }
  UNION { ?item a schema:Event ; schema:name ?label }
}
"""


@pytest.fixture(scope="module")
def store(corpus_nuts_store: Store) -> Store:
    return corpus_nuts_store


@pytest.fixture(scope="module")
def client(corpus_client: TestClient) -> TestClient:
    return corpus_client


def _expected(store: Store, text: str) -> set[str]:
    """The local paths of everything whose label holds ``text`` (any case)."""
    found = set()
    for row in store.query(LABELLED):  # type: ignore[union-attr]
        if text.casefold() in row["label"].value.casefold():
            found.add("/" + row["item"].value[len(BASE) :])
    return found


def _results(html: str) -> set[str]:
    """The local paths the result lists link to first in each item (not the report links)."""
    lists = re.findall(r'<ul class="search-results">(.*?)</ul>', html, re.S)
    return {
        unescape(m) for block in lists for m in re.findall(r'<li><a href="([^"]+)"', block)
    }


def _search(client: TestClient, text: str) -> str:
    response = client.get("/search", params={"q": text}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("text", ["mining", "MINING", "fi1d", "workshop", "batteries", "2020"])
def test_search_finds_exactly_what_the_graph_names(
    text: str, client: TestClient, store: Store
) -> None:
    expected = _expected(store, text)
    assert expected, f"the corpus names something with {text!r}"
    assert _results(_search(client, text)) == expected


def test_the_kinds_found_are_headed_and_counted(client: TestClient, store: Store) -> None:
    html = _search(client, "mining")
    total = len(_expected(store, "mining"))
    assert f"{total} things have a name holding “mining”" in html
    assert "<h2>Partnerships <small>(1)</small></h2>" in html
    assert re.search(r"<h2>Events <small>\(\d+\)</small></h2>", html)


def test_an_event_found_names_its_report(client: TestClient) -> None:
    html = _search(client, "Scoping note")
    event = r'<li><a href="(/report/mining-industry/2020-H1/event/[^"]+)".*?</li>'
    item = re.search(event, html, re.S)
    assert item, "the mining report's scoping-note event is found"
    assert 'in <a href="/report/mining-industry/2020-H1">' in item.group(0)


def test_nothing_found_says_why_and_what_to_try(client: TestClient) -> None:
    html = _search(client, "zzqxj")
    assert "Nothing in the graph has a name holding “zzqxj”" in html
    assert '<a href="/region/">regions</a>' in html
    assert "search-results" not in html


def test_one_letter_is_refused_with_a_reason(client: TestClient) -> None:
    html = _search(client, "a")
    assert "at least two letters" in html
    assert "search-results" not in html


def test_the_text_is_echoed_escaped(client: TestClient) -> None:
    html = _search(client, '<script>alert("x")</script>')
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_programs_get_the_named_query_rows(client: TestClient, store: Store) -> None:
    json = {"Accept": "application/json"}
    response = client.get("/search", params={"q": "mining"}, headers=json)
    assert response.status_code == 200
    got = response.json()
    assert got["text"] == "mining"
    result = run_query(store, load_query("page-search"), {"text": "mining"}, base=BASE)
    items = [row[result.columns.index("item")].value for row in result.rows]  # type: ignore[union-attr]
    assert [r["item"] for r in got["results"]] == items
    assert items, "the corpus names mining"


@pytest.mark.parametrize(
    "path", ["/", "/cross", "/query", "/partnership/", "/region/", "/report/",
             "/partnership/mining-industry", "/report/mining-industry/2020-H1", "/search"],
)  # fmt: skip
def test_every_page_has_the_search_box(path: str, client: TestClient) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    box = '<form class="search-box" role="search" action="/search" method="get">'
    assert box in response.text
    assert 'name="q"' in response.text
