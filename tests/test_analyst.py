"""A policy analyst's tasks, done in headless Chromium from the home page by clicks and forms only.

The browser (Debian's Chromium driven by Playwright) reaches nothing but 127.0.0.1: every other
request is aborted, so a page that needs a CDN fails here as it would offline. Each task asserts
what the analyst reads, held against the named query that answers the same question (or the
shared reference tables), not only that a page loads:

(a) the partnerships Mining Industry collaborates with, each with quoted evidence, its report and
    line; (b) the regions in more than one partnership, with their NUTS names; (c) a partnership's
    SDG profile with the goals' titles; (d) a query typed on ``/query`` whose result table appears
    in the page (and a wrong one whose error does); (e) ``/docs`` renders the API's operations;
    (f) a partnership's timeline beside its map (its reports as columns, the regions that joined
    marked, its changes listed) and a region's partnerships over time, at both widths.

Screenshots of every kind of page at 1280 and 390 px wide are written to ``build/screenshots/``
(or ``$S3GRAPH_SCREENSHOTS``) for a reviewer, and at 390 px no page may be wider than the screen.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from conftest import live_server, nuts_labels
from test_browser import CHROMIUM_FLAGS, _chromium

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.sparql import load_query, plain, run_query
from s3graph.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

playwright = pytest.importorskip("playwright.sync_api")

BASE = "https://w3id.org/s3graph/"
ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("S3GRAPH_SCREENSHOTS") or ROOT / "build" / "screenshots")
MINING = BASE + "partnership/mining-industry"
WIDTHS = (1280, 390)


@pytest.fixture(scope="module")
def site(corpus_nuts_store: Store) -> Iterator[tuple[str, Store]]:
    """A live server on 127.0.0.1 over the shared corpus with NUTS loaded, and its store."""
    with live_server(create_app(ApiSettings(base=BASE), corpus_nuts_store)) as url:
        yield url, corpus_nuts_store


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(
            executable_path=_chromium(),
            args=list(CHROMIUM_FLAGS),
        )
        try:
            yield launched
        finally:
            launched.close()


class Offline:
    """A browser tab that may reach 127.0.0.1 only; what it tried elsewhere is recorded."""

    def __init__(self, browser: Any, width: int) -> None:
        self.blocked: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(20_000)

    def _route(self, route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    offline = Offline(browser, 1280)
    try:
        yield offline.page
    finally:
        offline.context.close()


def _rows(store: Store, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    result = run_query(store, load_query(name), params or {}, base=BASE)
    return [
        {c: plain(t) if t is not None else "" for c, t in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _section(page: Any, heading: str) -> Any:
    """The ``<section>`` whose heading holds ``heading`` (any case)."""
    found = page.locator("section").filter(
        has=page.locator("h2", has_text=re.compile(heading, re.I))
    )
    assert found.count() >= 1, f"a section headed {heading!r} on {page.url}"
    return found.first


# -- (a) whom Mining Industry works with, and the evidence --------------------------------------


def test_a_mining_industry_collaborations_with_quoted_evidence(
    site: tuple[str, Store], tab: Any
) -> None:
    url, store = site
    tab.goto(url + "/")
    tab.get_by_role("link", name="Mining Industry", exact=True).first.click()
    tab.wait_for_url("**/partnership/mining-industry")
    section = _section(tab, "collaborat")
    seen = _squash(section.inner_text())
    mentions = _rows(store, "collaborations", {"partnership": MINING})
    assert mentions, "the corpus has Mining Industry mention other partnerships"
    for mention in mentions:
        assert mention["otherLabel"] in seen
        assert _squash(mention["evidence"])[:40] in seen  # the quote
        assert re.search(rf"\bline {mention['line']}\b", seen), mention
        report = "/" + mention["report"][len(BASE) :]
        assert section.locator(f'a[href="{report}"]').count() >= 1  # and its report, linked
    # and the partner is a link a reader can follow
    other = mentions[0]
    section.get_by_role("link", name=other["otherLabel"]).first.click()
    tab.wait_for_url("**/" + other["other"][len(BASE) :])
    assert other["otherLabel"] in tab.locator("h1").inner_text()


# -- (b) regions in more than one partnership, named ---------------------------------------------


def test_b_regions_in_more_than_one_partnership_with_names(
    site: tuple[str, Store], tab: Any, shared_dir: Path
) -> None:
    url, store = site
    tab.goto(url + "/")
    tab.get_by_role("link", name="Across partnerships").first.click()
    tab.wait_for_url("**/cross")
    section = _section(tab, "more than one partnership")
    links = section.locator('a[href^="/region/"]')
    shown = {
        links.nth(i).get_attribute("href").rsplit("/", 1)[-1]: _squash(links.nth(i).inner_text())
        for i in range(links.count())
    }
    expected = {row["code"] for row in _rows(store, "most-shared-regions")}
    assert expected, "regions are shared in the corpus"
    assert set(shown) == expected  # the page's answer is the named query's answer
    labels = nuts_labels(shared_dir)
    for code, text in shown.items():
        assert text in labels[code] or any(label in text for label in labels[code]), (code, text)


# -- (c) a partnership's SDG profile, goals by title ----------------------------------------------


def test_c_sdg_profile_with_goal_titles(
    site: tuple[str, Store], tab: Any, shared_dir: Path
) -> None:
    url, store = site
    with (shared_dir / "reference" / "sdg-goals.csv").open(encoding="utf-8") as handle:
        titles = {row["iri"]: row["short_title"] for row in csv.DictReader(handle)}
    tab.goto(url + "/")
    tab.get_by_role("link", name="Mining Industry", exact=True).first.click()
    tab.wait_for_url("**/partnership/mining-industry")
    seen = _squash(_section(tab, "sustainable development|SDG").inner_text()).casefold()
    rated = {row["goal"] for row in _rows(store, "sdg-profile", {"partnership": MINING})}
    assert rated, "Mining Industry rates its contribution to the goals"
    for goal in rated:
        assert titles[goal].casefold() in seen, (goal, titles[goal])


# -- (d) a query typed on /query, answered in the page --------------------------------------------

TYPED = """PREFIX s3g: <https://w3id.org/s3graph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?partnership ?name WHERE {
  ?report s3g:partnership ?partnership . ?partnership skos:prefLabel ?name
} GROUP BY ?partnership ?name ORDER BY ?name"""


def test_d_a_typed_query_answers_in_the_page(site: tuple[str, Store], tab: Any) -> None:
    url, store = site
    tab.goto(url + "/")
    tab.get_by_role("link", name="Query", exact=True).first.click()
    tab.wait_for_url("**/query")
    tab.locator("textarea").first.fill(TYPED)
    tab.get_by_role("button", name=re.compile(r"^\s*run", re.I)).first.click()
    tab.wait_for_selector("table tbody tr")
    assert urlparse(tab.url).hostname == "127.0.0.1"
    names = sorted({row[1].value for row in store.query(TYPED)})  # type: ignore[union-attr]
    assert names, "the corpus has partnerships that report"
    seen = _squash(tab.locator("table").last.inner_text())
    for name in names:
        assert name in seen
    assert tab.locator("table").last.locator("tbody tr").count() == len(names)


def test_d_a_wrong_query_says_why_in_the_page(site: tuple[str, Store], tab: Any) -> None:
    url, _ = site
    tab.goto(url + "/query")
    tab.locator("textarea").first.fill("SELECT ?x WHERE { ?x ?y }")
    tab.get_by_role("button", name=re.compile(r"^\s*run", re.I)).first.click()
    tab.wait_for_load_state()
    body = _squash(tab.locator("main").inner_text())
    assert re.search(r"error|expected|syntax", body, re.I), body[-800:]
    assert tab.locator("textarea").first.input_value().startswith("SELECT ?x")  # kept to mend


# -- (e) the API documentation, offline --------------------------------------------------------


def test_e_the_api_docs_render_the_operations(site: tuple[str, Store], tab: Any) -> None:
    url, _ = site
    tab.goto(url + "/")
    tab.get_by_role("link", name="API", exact=True).first.click()
    tab.wait_for_url("**/docs")
    tab.wait_for_selector(".opblock-summary-path")
    paths = tab.locator(".opblock-summary-path").all_inner_texts()
    assert any("/sparql" in p for p in paths), paths
    assert any("/api/queries" in p for p in paths), paths


# -- (f) a partnership over time, and a region's partnerships over time ---------------------------

BATTERIES = BASE + "partnership/advanced-materials-for-batteries"


@pytest.mark.parametrize("width", WIDTHS)
def test_f_a_partnership_timeline_and_a_regions_partnerships_over_time(
    width: int, site: tuple[str, Store], browser: Any
) -> None:
    url, store = site
    offline = Offline(browser, width)
    tab = offline.page
    try:
        tab.goto(url + "/")
        tab.get_by_role("link", name="Advanced Materials for Batteries", exact=True).first.click()
        tab.wait_for_url("**/partnership/advanced-materials-for-batteries")
        assert _section(tab, "^map").is_visible()  # the map (or how to get its boundaries)
        timeline = _section(tab, "^over time")
        grid = timeline.locator("table.over-time")
        assert grid.is_visible()
        for report in _rows(store, "reports", {"partnership": BATTERIES}):
            column = grid.locator(f'thead a[href="/{report["report"][len(BASE) :]}"]')
            assert column.inner_text() == report["report"].rsplit("/", 1)[-1]
        changes = _rows(store, "changes", {"partnership": BATTERIES})
        joined = [c for c in changes if c["kind"] == "joined"]
        assert joined, "regions joined the batteries partnership between its reports"
        for change in joined:
            row = grid.locator("tbody tr").filter(has=tab.locator("th", has_text=change["name"]))
            assert "joined" in row.first.inner_text(), change["name"]
        listed = timeline.locator("table.changes tbody tr")
        assert listed.count() == len(changes)  # the changes query's rows, one each
        # the grid scrolls inside its own box; the page never does
        assert tab.evaluate("document.documentElement.scrollWidth") <= width + 2
        # a region that joined: its page shows its partnerships over time
        first = joined[0]
        grid.locator("tbody th a", has_text=first["name"]).first.click()
        tab.wait_for_url("**/region/**")
        over_time = _section(tab, "partnerships over time")
        row = over_time.locator("tbody tr").filter(
            has=tab.locator("a", has_text="Advanced Materials for Batteries")
        )
        seen = _squash(row.first.inner_text())
        assert "participating" in seen or "leading" in seen, seen
        heads = _squash(over_time.locator("thead").inner_text())
        assert first["earlierPeriod"] in heads and first["laterPeriod"] in heads
        assert tab.evaluate("document.documentElement.scrollWidth") <= width + 2
        SHOTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"region-over-time-{width}.png"), full_page=True)
    finally:
        offline.context.close()
    assert not offline.blocked, offline.blocked


# -- every kind of page, at two widths ----------------------------------------------------------

PAGES = {
    "home": "/",
    "partnership": "/partnership/mining-industry",
    "partnership-without-reports": None,  # found in the data below
    "partnership-over-time": "/partnership/advanced-materials-for-batteries",
    "report-what-changed": "/report/advanced-materials-for-batteries/2020-H2",
    "region": "/region/FI1D3",
    "report": "/report/mining-industry/2020-H1",
    "cross": "/cross",
    "query": "/query?query=" + "SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20%3Chttps%3A%2F%2F"
    "w3id.org%2Fs3graph%2Fdef%23Partnership%3E%20%7D",
    "search": "/search?q=mining",
    "index-partnerships": "/partnership/",
    "index-regions": "/region/",
    "index-reports": "/report/",
    "named-query": "/api/queries/sdg-profile",
    "vocabulary": "/def",
    "docs": "/docs",
    "not-found": "/region/XX999",
}


def _unreported(store: Store) -> str:
    """A partnership others mention that filed no report itself."""
    for row in _rows(store, "collaborations"):
        reports = _rows(store, "reports", {"partnership": row["other"]})
        if not reports:
            return "/" + row["other"][len(BASE) :]
    pytest.fail("the corpus mentions a partnership without reports")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_kind_of_page_is_drawn_and_fits(
    width: int, site: tuple[str, Store], browser: Any
) -> None:
    url, store = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    offline = Offline(browser, width)
    too_wide = {}
    try:
        for kind, path in PAGES.items():
            offline.page.goto(url + (path or _unreported(store)))
            offline.page.wait_for_load_state("networkidle")
            offline.page.screenshot(path=str(SHOTS / f"{kind}-{width}.png"), full_page=True)
            wide = offline.page.evaluate("document.documentElement.scrollWidth")
            if wide > width + 2:
                too_wide[kind] = wide
    finally:
        offline.context.close()
    for kind in PAGES:
        assert (SHOTS / f"{kind}-{width}.png").stat().st_size > 5_000, kind
    assert not too_wide, f"pages wider than a {width} px screen: {too_wide}"
