"""Results people read: the HTML view of named queries, ``/sparql`` and ``/query`` (issue 13).

Over the shared corpus with NUTS loaded, as an analyst's server holds it: a browser gets tables
whose IRIs are named and linked, whose goals carry their titles and ratings read as words, with
the row count, a notice when rows were cut, the same result as CSV and JSON, and the error of a
wrong query in the page. Programs keep their JSON and CSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import pyoxigraph as ox
import pytest
from conftest import corpus_store, live_server
from fastapi.testclient import TestClient
from htmltree import parse

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.api.vocabulary import vocabulary
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SELECT_REPORTS = (
    "PREFIX s3g: <https://w3id.org/s3graph/def#> "
    "SELECT ?report ?partnership WHERE { ?report a s3g:MonitoringReport ; "
    "s3g:partnership ?partnership } ORDER BY ?report"
)


class Page:
    """What a reader sees of a page: the result table's rows, the links, the error box."""

    def __init__(self, html: str) -> None:
        page = parse(html)
        results = page.find_all("table", css_class="results")
        head = [c for t in results for h in t.iter("thead") for c in h.iter("th", "td")]
        body = [r for t in results for b in t.iter("tbody") for r in b.iter("tr")]
        self.headings = [cell.raw_text.strip() for cell in head]
        self.rows = [[c.raw_text.strip() for c in row.find_all("td", "th")] for row in body]
        self.links = [(a.attrs, a.raw_text.strip()) for a in page.iter("a")]
        self.inputs = [i.attrs for i in page.iter("input")]
        self.text = page.raw_text

    def link(self, media_type: str) -> str:
        return next(a["href"] for a, _ in self.links if a.get("type") == media_type)


@pytest.fixture(scope="module")
def store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with corpus_store(tmp_path_factory.mktemp("results") / "store", shared_dir, BASE) as opened:
        yield opened


@pytest.fixture(scope="module")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(ApiSettings(base=BASE), store)) as api:
        yield api


def _page(client: TestClient, url: str, status: int = 200, **params: str) -> Page:
    answer = client.get(url, params=params or None, headers={"Accept": BROWSER})
    assert answer.status_code == status, answer.text[:2000]
    assert answer.headers["content-type"].startswith("text/html")
    return Page(answer.text)


def _bindings(client: TestClient, url: str, **params: str) -> list[dict[str, dict[str, str]]]:
    answer = client.get(url, params=params, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text[:2000]
    return answer.json()["results"]["bindings"]


def _count(page: Page) -> int:
    found = re.search(r"(\d+)\s+rows?\b", page.text)
    assert found, page.text[:2000]
    return int(found[1])


def _label(store: Store, iri: str) -> str:
    """A goal's short title as the store holds it (its rdfs:label)."""
    text = f"SELECT ?l WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    found = store.query(text)
    assert isinstance(found, ox.QuerySolutions)
    return str(next(iter(found))["l"].value)


def test_the_sdg_profile_shows_goal_titles_and_rating_words(
    client: TestClient, store: Store
) -> None:
    page = _page(client, "/api/queries/sdg-profile")
    rows = _bindings(client, "/api/queries/sdg-profile")
    assert page.headings == ["partnership", "goal", "rating", "reports"]
    assert len(page.rows) == len(rows) == _count(page) > 0
    sections = vocabulary().sections
    words = {c.iri: c.label for s in sections for term in s.terms for c in term.concepts}
    for shown, row in zip(page.rows, rows, strict=True):
        goal, rating = row["goal"]["value"], row["rating"]["value"]
        assert shown[1] == _label(store, goal) and shown[1].startswith("Goal ")
        assert shown[2] == words[rating]  # "Neutral", not ...def#neutral
        assert shown[3] == row["reports"]["value"]
    cells = [text for row in page.rows for text in row]
    assert not [t for t in cells if "://" in t], "an IRI shown in the table"
    assert "http://metadata.un.org/sdg/1" not in [text for _, text in page.links]
    hrefs = {a["href"] for a, _ in page.links}
    assert "/partnership/mining-industry" in hrefs  # data IRIs lead to their local page


def test_programs_keep_getting_json_and_csv(client: TestClient) -> None:
    for accept in ("*/*", "application/json", "application/sparql-results+json", None):
        headers = {"Accept": accept} if accept else {}
        answer = client.get("/api/queries/partnerships", headers=headers)
        assert answer.headers["content-type"] == "application/sparql-results+json", accept
    answer = client.get("/api/queries/partnerships", headers={"Accept": "text/csv"})
    assert answer.headers["content-type"].startswith("text/csv")
    sparql = client.get("/sparql", params={"query": SELECT_REPORTS}, headers={"Accept": "*/*"})
    assert sparql.headers["content-type"].startswith("application/sparql-results+json")


def test_the_csv_and_json_links_give_the_same_rows(client: TestClient) -> None:
    page = _page(client, "/api/queries/reports")
    as_csv = client.get(page.link("text/csv"))
    assert as_csv.headers["content-type"].startswith("text/csv")
    as_json = client.get(page.link("application/sparql-results+json"))
    assert as_json.headers["content-type"] == "application/sparql-results+json"
    bindings = as_json.json()["results"]["bindings"]
    assert len(list(csv.DictReader(io.StringIO(as_csv.text)))) == len(bindings)
    assert len(page.rows) == len(bindings) == _count(page) > 0
    assert not [line for line in page.text.splitlines() if "is cut" in line]


def test_the_view_says_its_own_url_which_gives_the_same_view(client: TestClient) -> None:
    page = _page(client, "/api/queries/regions-of-partnership", partnership="mining-industry")
    share = next(a["href"] for a, text in page.links if text == "Link to this view")
    assert [i for i in page.inputs if i.get("value") == share]  # to copy
    again = _page(client, share.removeprefix("http://testserver"))
    assert again.rows == page.rows and page.rows


def test_a_cut_result_says_so(store: Store) -> None:
    with TestClient(create_app(ApiSettings(base=BASE, max_rows=3), store)) as small:
        page = _page(small, "/api/queries/sdg-profile")
        assert len(page.rows) == 3
        assert "Only the first 3 rows are shown" in page.text
        sparql = _page(small, "/sparql", query=SELECT_REPORTS, format="html")
        assert len(sparql.rows) == 3 and "Only the first 3 rows are shown" in sparql.text


def test_a_named_query_with_parameters_has_a_form_prefilled(client: TestClient) -> None:
    first = _page(client, "/api/queries/regions-of-partnership")
    (field,) = [i for i in first.inputs if i.get("name") == "partnership"]
    assert "required" in field and field["value"] == ""
    assert "press Run" in first.text and not first.rows  # asked, not scolded
    assert field["list"] and '<option value="mining-industry">Mining Industry</option>' in (
        client.get("/api/queries/regions-of-partnership", headers={"Accept": BROWSER}).text
    )  # the partnerships in the store, suggested by name
    by_code = client.get("/api/queries/partnerships-of-region", headers={"Accept": BROWSER}).text
    assert re.search(r'<option value="FI1D7">[^<]+ \(FI1D7\)</option>', by_code)  # name, code
    page = _page(client, "/api/queries/regions-of-partnership", partnership="mining-industry")
    (field,) = [i for i in page.inputs if i.get("name") == "partnership"]
    assert field["value"] == "mining-industry"
    rows = _bindings(client, "/api/queries/regions-of-partnership", partnership="mining-industry")
    assert len(page.rows) == len(rows) > 0
    roles = {row[page.headings.index("role")] for row in page.rows}
    assert roles <= {"Leading", "Participating", "Interested"} and roles


def test_an_optional_parameter_left_blank_on_the_form_is_no_parameter(client: TestClient) -> None:
    page = _page(client, "/api/queries/sdg-profile", partnership="")
    assert len(page.rows) == len(_bindings(client, "/api/queries/sdg-profile"))


def test_a_wrong_parameter_shows_its_message_in_the_page(client: TestClient) -> None:
    expected = client.get("/api/queries/stats", params={"nosuch": "1"}).json()["detail"]
    answer = client.get("/api/queries/stats", params={"nosuch": "1"}, headers={"Accept": BROWSER})
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html")
    page = Page(answer.text)
    assert expected in page.text and "could not run" in page.text
    assert not answer.text.lstrip().startswith("{")


def test_sparql_format_html_gives_a_table_with_the_json_rows(client: TestClient) -> None:
    page = _page(client, "/sparql", query=SELECT_REPORTS, format="html")
    rows = _bindings(client, "/sparql", query=SELECT_REPORTS)
    assert page.headings == ["report", "partnership"]
    assert len(page.rows) == len(rows) == _count(page) > 0
    assert "Mining Industry" in {row[1] for row in page.rows}
    by_accept = _page(client, "/sparql", query=SELECT_REPORTS)  # a browser's Accept
    assert by_accept.rows == page.rows
    as_csv = client.get(page.link("text/csv"))
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(as_csv.text)))) == len(rows)


def test_sparql_format_html_shows_a_wrong_query_in_the_page(client: TestClient) -> None:
    expected = client.get("/sparql", params={"query": "SELECT WHERE {"}).json()["detail"]
    page = _page(client, "/sparql", 400, query="SELECT WHERE {", format="html")
    assert expected in page.text


def test_the_query_page_shows_the_table_in_the_page(client: TestClient) -> None:
    page = _page(client, "/query", query=SELECT_REPORTS)
    assert len(page.rows) == len(_bindings(client, "/sparql", query=SELECT_REPORTS)) > 0
    assert "Query the graph with SPARQL" in page.text  # the form is still there
    assert SELECT_REPORTS in page.text  # in the textarea, ready to change


def test_the_query_page_shows_a_wrong_query_s_error_in_the_page(client: TestClient) -> None:
    expected = client.get("/sparql", params={"query": "BAD"}).json()["detail"]
    page = _page(client, "/query", 400, query="BAD")
    assert expected in page.text and "could not run" in page.text
    assert not page.rows


def test_the_query_page_shows_another_format_as_text_to_download(client: TestClient) -> None:
    answer = client.get("/query", params={"query": SELECT_REPORTS, "format": "csv"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    page = Page(answer.text)
    (download,) = [a for a, _ in page.links if "download" in a]
    assert download["download"] == "results.csv" and download["type"] == "text/csv"
    sparql_csv = client.get(download["href"]).text
    assert sparql_csv.splitlines()[1] in page.text


def test_the_query_page_asks_no_other_host(client: TestClient) -> None:
    html = client.get("/query", params={"query": SELECT_REPORTS}).text
    loaded = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)
    assert loaded and all(url.startswith("/") for url in loaded), loaded


def test_over_a_socket_a_browser_gets_the_views(store: Store) -> None:
    with live_server(create_app(ApiSettings(base=BASE), store)) as site:
        for path in (
            "/api/queries/sdg-profile?partnership=mining-industry",
            "/query?query=" + quote(SELECT_REPORTS),
            "/sparql?format=html&query=" + quote(SELECT_REPORTS),
        ):
            request = urllib.request.Request(site + path, headers={"Accept": BROWSER})
            with urllib.request.urlopen(request, timeout=30) as answer:
                assert answer.headers["content-type"].startswith("text/html")
                page = Page(answer.read().decode())
            assert page.rows and _count(page) == len(page.rows), path
        with urllib.request.urlopen(site + "/static/sortable.js", timeout=30) as script:
            assert b"data-sortable" in script.read()
        request = urllib.request.Request(site + "/api/queries/stats")
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert json.loads(answer.read())["results"]["bindings"]


def test_in_chromium_the_columns_sort_and_nothing_is_asked_of_other_hosts(store: Store) -> None:
    """The sorting script of ours, in a real browser with every other host blocked; YASGUI is
    fetched only when its button is pressed, and without a network the form stays."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    elsewhere: list[str] = []

    def only_here(route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    app = create_app(ApiSettings(base=BASE), store)
    with live_server(app) as site, sync_api.sync_playwright() as p:
        flags = ["--no-sandbox", "--disable-gpu"]
        browser = p.chromium.launch(executable_path=chromium, args=flags)
        try:
            tab = browser.new_page()
            tab.route("**/*", only_here)
            tab.goto(site + "/api/queries/sdg-profile?partnership=mining-industry")
            goals = tab.locator("table.results tbody tr td:nth-child(2)")
            numbers = [int(re.findall(r"\d+", t)[0]) for t in goals.all_inner_texts()]
            assert numbers == sorted(numbers) and len(numbers) > 9  # the query's order
            heading = tab.get_by_role("button", name="goal")
            heading.click()  # ascending: as it was
            heading.click()  # descending, by number: goal 17 before goal 9
            after = [int(re.findall(r"\d+", t)[0]) for t in goals.all_inner_texts()]
            assert after == sorted(numbers, reverse=True)
            assert tab.locator("th[aria-sort=descending]").count() == 1
            tab.goto(site + "/query?query=" + quote(SELECT_REPORTS))
            assert tab.locator("table.results tbody tr").count() > 0
            assert not elsewhere, elsewhere  # the page and its result asked no other host
            tab.get_by_role("button", name="Open the YASGUI editor instead").click()
            status = tab.locator("#yasgui-status")
            status.filter(has_text="could not be loaded").wait_for(timeout=10_000)
            assert tab.locator("#sparql-form").is_visible()  # the form is still there
            assert elsewhere and all("unpkg.com" in url for url in elsewhere)  # asked for
        finally:
            browser.close()


def test_the_index_of_named_queries_leads_a_browser_to_each_table(client: TestClient) -> None:
    listed = client.get("/api/queries").json()  # programs: the JSON list, as before
    page = _page(client, "/api/queries")
    hrefs = {a["href"] for a, _ in page.links}
    for query in listed:
        assert query["url"] in hrefs and query["title"] in page.text
    free = next(q for q in listed if not any(p.get("required") for p in q["parameters"]))
    assert _page(client, free["url"] + "?format=html").headings  # a table, asked for nothing


def test_a_graph_and_a_yes_or_no_are_shown_too(client: TestClient) -> None:
    construct = "CONSTRUCT WHERE { ?s a <https://w3id.org/s3graph/def#Partnership> }"
    page = _page(client, "/sparql", query=construct, format="html")
    assert page.headings == ["subject", "predicate", "object"] and page.rows
    assert {row[1] for row in page.rows} == {"rdf:type"}
    asked = _page(client, "/sparql", query="ASK { ?s a ?o }", format="html")
    assert "The answer is yes" in " ".join(asked.text.split())


def test_an_empty_answer_says_why(client: TestClient) -> None:
    page = _page(client, "/api/queries/regions-of-partnership", partnership="no-such-thing")
    assert not page.rows and 'no partnership "no-such-thing" in the store' in page.text
    answer = client.get("/api/queries/partnerships")
    assert "Accept" in answer.headers["vary"]  # one address, a page or JSON
