"""The ways in: the indexes of partnerships, regions and reports, and a partnership's events.

Each index must list exactly what the store holds (held against a SPARQL query of our own), the
home page's counts must lead to them, long indexes come in pages, and an empty store's indexes
say why they are empty. A partnership's events come past and planned apart, each by date.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import ingest_linked
from fastapi.testclient import TestClient
from htmltree import parse, rows

from s3graph.api import indexview
from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.cli import examples_dir
from s3graph.sparql import load_query, run_query
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
PREFIX = "PREFIX s3g: <https://w3id.org/s3graph/def#>\n"
# What each index must list, as the graph says it: partnerships that filed a report, every
# region, every report.
HELD = {
    "partnership": "SELECT DISTINCT ?x WHERE { ?r a s3g:MonitoringReport ; s3g:partnership ?x }",
    "region": "SELECT DISTINCT ?x WHERE { ?x a s3g:Region }",
    "report": "SELECT DISTINCT ?x WHERE { ?x a s3g:MonitoringReport }",
}
HOME_LABELS = {"partnership": "Partnerships", "region": "Regions", "report": "Reports"}


@dataclass
class Tables:
    """The tables of a page: per table its rows, per row its cells' text and first link."""

    tables: list[list[list[tuple[str, str | None]]]]
    links: list[tuple[str, str]]  # (href, rel) of every link


def _tables(html: str) -> Tables:
    page = parse(html)
    return Tables(
        [
            [[(cell.text, next(iter(cell.hrefs), None)) for cell in row] for row in rows(table)]
            for table in page.iter("table")
        ],
        [(a.get("href"), a.get("rel")) for a in page.iter("a")],
    )


def _page(client: TestClient, path: str) -> tuple[str, Tables]:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    return response.text, _tables(response.text)


def _body(tables: Tables) -> list[list[tuple[str, str | None]]]:
    """The body rows of the page's one table (its heading row left out)."""
    assert len(tables.tables) == 1
    return tables.tables[0][1:]


def _held(store: Store, kind: str) -> set[str]:
    return {row[0].value for row in store.query(PREFIX + HELD[kind])}  # type: ignore[union-attr]


def _local(iri: str) -> str:
    return "/" + iri[len(BASE) :]


@pytest.fixture(scope="module")
def store(corpus_nuts_store: Store) -> Store:
    return corpus_nuts_store


@pytest.fixture(scope="module")
def client(corpus_client: TestClient) -> TestClient:
    return corpus_client


# -- indexes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["partnership", "region", "report"])
def test_index_lists_exactly_what_the_store_holds(
    kind: str, client: TestClient, store: Store
) -> None:
    held = _held(store, kind)
    assert held, "the corpus gives every index something to list"
    html, tables = _page(client, f"/{kind}/")
    rows = _body(tables)
    column = 2 if kind == "report" else 0  # the report's own link is in its third column
    listed = [row[column][1] or "" for row in rows]
    assert sorted(listed) == sorted(_local(iri) for iri in held)  # each once, none missing
    assert f"{len(held)} {kind}" in html  # the count above the table says so


@pytest.mark.parametrize("kind", ["partnership", "region", "report"])
def test_home_counts_link_to_the_indexes(kind: str, client: TestClient, store: Store) -> None:
    html, _ = _page(client, "/")
    assert f'<a href="/{kind}/">{HOME_LABELS[kind]}</a>' in html
    stats = run_query(store, load_query("stats"), {}, base=BASE)
    count = stats.rows[0][stats.columns.index(HOME_LABELS[kind].lower())]
    _, index = _page(client, f"/{kind}/")
    assert len(_body(index)) == int(count.value)  # type: ignore[union-attr]  # what home counts


def test_index_default_order_is_by_name(client: TestClient) -> None:
    for kind in ("partnership", "region"):
        names = [row[0][0].casefold() for row in _body(_page(client, f"/{kind}/")[1])]
        assert names == sorted(names)


@pytest.mark.parametrize(
    ("kind", "sort", "column"),
    [("partnership", "reports", 1), ("region", "partnerships", 2), ("report", "events", 4)],
)
def test_index_sorts_by_a_count_most_first(
    kind: str, sort: str, column: int, client: TestClient
) -> None:
    default = _body(_page(client, f"/{kind}/")[1])
    html, tables = _page(client, f"/{kind}/?sort={sort}")
    counts = [int(row[column][0]) for row in _body(tables)]
    assert counts == sorted(counts, reverse=True)
    assert sorted(_body(tables)) == sorted(default)  # the same rows, in another order
    assert 'aria-sort="descending"' in html


def test_an_unknown_sort_or_page_falls_back(client: TestClient) -> None:
    default = _body(_page(client, "/region/")[1])
    assert _body(_page(client, "/region/?sort=nonsense&page=x")[1]) == default
    assert _body(_page(client, "/region/?page=999")[1]) == default  # one page: the last is it


def test_a_long_index_comes_in_pages(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexview, "PER_PAGE", 10)
    held = {_local(iri) for iri in _held(store, "region")}
    assert len(held) > 20, "the corpus names enough regions for three pages of ten"
    seen: list[str] = []
    path: str | None = "/region/?sort=code"
    pages = 0
    while path is not None:
        html, tables = _page(client, path)
        pages += 1
        rows = _body(tables)
        assert 0 < len(rows) <= 10
        seen += [row[0][1] or "" for row in rows]
        rels = dict((rel, href) for href, rel in tables.links if rel in ("prev", "next"))
        assert ("prev" in rels) == (pages > 1)  # the first page has no previous
        assert f"page {pages} of {-(-len(held) // 10)}" in html
        path = "/region/" + rels["next"].replace("&amp;", "&") if "next" in rels else None
    assert pages == -(-len(held) // 10)
    assert sorted(seen) == sorted(held)  # every region once over all pages
    codes = [row[1][0] for row in _body(_page(client, "/region/?sort=code&page=2")[1])]
    assert codes == sorted(codes)  # the order holds within a page as across them


@pytest.mark.parametrize("kind", ["partnership", "region", "report"])
def test_an_empty_store_says_why_its_indexes_are_empty(
    kind: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with Store.open(tmp_path_factory.mktemp("empty") / "store") as empty:
        html, tables = _page(TestClient(create_app(ApiSettings(base=BASE), empty)), f"/{kind}/")
    assert not tables.tables
    assert "no report ingested yet" in html and "s3graph ingest" in html


def test_the_report_index_flags_synthetic_examples(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with Store.open(tmp_path_factory.mktemp("examples") / "store") as examples:
        ingest_linked(examples, [examples_dir()], BASE)
        client = TestClient(create_app(ApiSettings(base=BASE), examples))
        html, tables = _page(client, "/report/")
        reports = len(_held(examples, "report"))
    assert 'class="synthetic-notice"' in html
    badges = [row for row in _body(tables) if "synthetic example" in row[2][0]]
    assert len(badges) == reports  # every bundled example is badged where it is listed


# -- a partnership's events --------------------------------------------------------------------


def _events(client: TestClient, slug: str) -> dict[str, list[list[tuple[str, str | None]]]]:
    """The rows of the past and planned tables of a partnership page."""
    html, tables = _page(client, f"/partnership/{slug}")
    found = {}
    for kind in ("past", "planned"):
        marker = f'<table class="events-{kind}"'
        if marker in html:
            before = html[: html.index(marker)].count("<table")
            found[kind] = tables.tables[before][1:]
        else:
            found[kind] = []
    if found["past"] and found["planned"]:
        assert html.index('class="events-past"') < html.index('class="events-planned"')
    return found


def _dates_in_order(rows: list[list[tuple[str, str | None]]]) -> None:
    dates = [row[0][0] for row in rows]
    dated = [d for d in dates if d != "not parsed"]
    assert dates == dated + ["not parsed"] * (len(dates) - len(dated))  # the undated after
    assert dated == sorted(dated)  # ISO dates: text order is date order


@pytest.mark.parametrize(
    "slug", ["mining-industry", "advanced-materials-for-batteries", "hydrogen-valleys"]
)
def test_events_past_and_planned_apart_each_by_date(
    slug: str, client: TestClient, store: Store
) -> None:
    held = run_query(
        store, load_query("page-events"), {"partnership": f"{BASE}partnership/{slug}"}, base=BASE
    )
    kinds = [row[held.columns.index("kind")].value for row in held.rows]  # type: ignore[union-attr]
    given = [row[held.columns.index("dateText")] for row in held.rows]
    starts = [row[held.columns.index("start")] for row in held.rows]
    texts = {
        " ".join(text.value.split()) if text is not None else "not given"  # type: ignore[union-attr]
        for text, start in zip(given, starts, strict=True)
        if start is None
    }
    events = _events(client, slug)
    for kind in ("past", "planned"):
        assert len(events[kind]) == kinds.count(kind)
        _dates_in_order(events[kind])
    assert kinds, "the corpus report lists events"
    undated = {row[1][0] for kind in events for row in events[kind] if row[0][0] == "not parsed"}
    assert undated == texts  # an unparsed date is shown as written
