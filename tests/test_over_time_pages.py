"""Over time on the pages (issue 15): what the pages show is what the named queries give.

Over the shared corpus (two Advanced Materials for Batteries reports, 2020-H1 and 2020-H2): the
partnership page's timeline has a column per report, linked, and a last one saying it stopped
reporting (``reporting-gaps``); its regions' rows mark the regions that joined in the 2020-H2
column; its table of changes has one row per row of ``changes``, in words; the 2020-H2 report
page lists the changes whose later report it is, the 2020-H1 page says no earlier report is
stored; the home page lists the latest changes (``page-latest-changes``) and the regions joining
per half-year and country (``region-flows``); a region's page shows its partnerships by
half-year; a third batteries report (the 2020-H2 text restated for 2021-H2, so 2021-H1 is missing
between two filed reports) shows the gap in words. The store is the corpus and that third report
ingested as ``s3graph ingest`` does, the changes computed with the linker (so a region is matched
by its resolved NUTS code, as on a real site). Nothing here is hard-coded from the texts: the
expectations are read from the queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ingest_linked
from fastapi.testclient import TestClient
from htmltree import Element, parse
from test_query_repeats import with_period

from s3graph.api.app import create_app
from s3graph.api.changeview import MARKS
from s3graph.api.settings import ApiSettings
from s3graph.ingest import ingest
from s3graph.linking.links import Linker
from s3graph.mapping.links import linked_mapper
from s3graph.namespaces import DEFAULT_BASE as BASE
from s3graph.sparql import load_query, plain, run_query
from s3graph.store import Store
from s3graph.validate import validate_graph
from s3graph.vocab.nuts_snapshot import snapshot_index
from s3graph.vocab.sources.loading import load_file

AMB = BASE + "partnership/advanced-materials-for-batteries"
AMB_PAGE = "/partnership/advanced-materials-for-batteries"
H1 = BASE + "report/advanced-materials-for-batteries/2020-H1"
H2 = BASE + "report/advanced-materials-for-batteries/2020-H2"


@pytest.fixture(scope="module")
def site(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """(client, store): the corpus and a third batteries report for July - December 2021,
    ingested and linked as ``s3graph ingest`` does (the changes computed with the linker), with
    NUTS 2021 loaded."""
    folder = tmp_path_factory.mktemp("over-time")
    corpus = shared_dir / "corpus"
    batteries = sorted(corpus.glob("advanced-materials-for-batteries-*.txt"))
    later = with_period(batteries[-1].read_text(encoding="utf-8"), "July - December 2021")
    third = folder / "advanced-materials-for-batteries-2021-h2.txt"
    third.write_text(later, encoding="utf-8")
    linker = Linker.load(snapshot_index())
    with Store.open(folder / "store") as store:
        ingest_linked(store, [], BASE)  # the base vocabularies
        ingest(store, [corpus, third], base=BASE, linker=linker,
               map_report=linked_mapper(linker), validate=validate_graph)  # fmt: skip
        load_file(store, shared_dir / "reference" / "nuts-2021.csv")
        yield TestClient(create_app(ApiSettings(), store)), store


def _rows(store: Store, name: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
    result = run_query(store, load_query(name), params or {}, base=BASE)
    return [
        {c: plain(t) if t is not None else "" for c, t in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]


def _page(client: Any, path: str) -> Element:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, (path, response.text[:300])
    return parse(response.text)


def _local(iri: str) -> str:
    return "/" + iri[len(BASE) :]


def _section(page: Element, heading_id: str) -> Element:
    (section,) = [s for s in page.iter("section") if s.get("aria-labelledby") == heading_id]
    return section


def _period(report: str) -> str:
    return report.rsplit("/", 1)[-1]


# -- the partnership page -------------------------------------------------------------------------


def test_timeline_columns_are_the_reports_and_the_gaps(site: Any) -> None:
    client, store = site
    section = _section(_page(client, AMB_PAGE), "over-time")
    heads = section.find("table", css_class="over-time").find_all("th", css_class="period")
    reports = _rows(store, "reports", {"partnership": AMB})
    assert len(reports) == 3
    linked = [h.hrefs for h in heads if h.hrefs]
    assert linked == [[_local(r["report"])] for r in reports]  # each report a column, in order
    gaps = [g["period"] for g in _rows(store, "reporting-gaps", {"partnership": AMB})]
    filed = [_period(r["report"]) for r in reports]
    assert gaps and [h.text.split()[0] for h in heads] == sorted([*filed, *gaps])


def test_a_partnership_that_stopped_reporting_says_since_when(site: Any) -> None:
    client, store = site
    stopped = [g for g in _rows(store, "reporting-gaps") if g["kind"] == "stopped"]
    assert stopped, "the corpus has partnerships whose last report is older than others'"
    for gap in stopped:
        section = _section(_page(client, _local(gap["partnership"])), "over-time")
        assert f"no report since {gap['lastPeriod']}" in section.text
        heads = section.find("table", css_class="over-time").find_all("th", css_class="period")
        assert heads[-1].text.startswith(gap["period"]) and "stopped" in heads[-1].text


def _grid(client: Any) -> Element:
    return _section(_page(client, AMB_PAGE), "over-time").find("table", css_class="over-time")


def _region_rows(grid: Element) -> dict[str, list[str]]:
    """The words of each row's cells, by the row's heading (a region's name and code)."""
    found = {}
    for row in grid.iter("tr"):
        heading = row.find_all("th")
        if heading and heading[0].get("scope") == "row":
            found[heading[0].text] = [c.text for c in row.find_all("td")]
    return found


def _row_of(found: dict[str, list[str]], code: str) -> tuple[str, list[str]]:
    """The row of the region ``code`` names (its heading: name, code as resolved, and the code
    as stated when another): the one resolved to it, else the one stated so."""
    for main in (True, False):
        hits = [
            (h, cells)
            for h, cells in found.items()
            if (h.split(",")[0].split()[-1] == code if main else code in h.split())
        ]
        if hits:
            (hit,) = hits
            return hit
    raise AssertionError(f"no row for {code}: {list(found)}")


def test_timeline_rows_mark_the_regions_that_joined(
    site: Any
) -> None:
    client, store = site
    grid = _grid(client)
    periods = [h.text.split()[0] for h in grid.find_all("th", css_class="period")]
    found = _region_rows(grid)
    changes = _rows(store, "changes", {"partnership": AMB})
    joined = [c for c in changes if c["kind"] == "joined"]
    assert joined, "regions joined between the two batteries reports"
    for change in joined:
        heading, cells = _row_of(found, change["code"])
        assert change["name"] in heading  # named, not only coded
        before = cells[periods.index(change["earlierPeriod"])]
        after = cells[periods.index(change["laterPeriod"])]
        assert before == "not listed", (change["code"], before)
        assert "joined" in after and change["after"] in after, (change["code"], after)
    # a region every report lists is in each report's column with its role, unmarked
    params = {"partnership": AMB}
    stay = {r["code"] for r in _rows(store, "regions-of-partnership", params)
            if r["reports"] == str(len(_rows(store, "reports", params))) and r["code"]}  # fmt: skip
    resolved = {h.split(",")[0].split()[-1] for h in found}
    assert len(stay & resolved) >= 5
    for code in stay & resolved:
        _, cells = _row_of(found, code)
        assert all(c in ("leading", "participating") for c in cells if c != "no report"), cells


def test_timeline_marks_sdg_changes_with_their_direction(
    site: Any
) -> None:
    client, store = site
    grid = _grid(client)
    periods = [h.text.split()[0] for h in grid.find_all("th", css_class="period")]
    goals = {}
    for row in grid.iter("tr"):
        heading = row.find_all("th")
        if heading and heading[0].get("scope") == "row" and heading[0].text[:1].isdigit():
            goals[heading[0].text.split()[0]] = row.find_all("td")
    changed = [c for c in _rows(store, "changes", {"partnership": AMB})
               if c["kind"] == "sdg-changed"]  # fmt: skip
    assert changed
    for change in changed:
        cell = goals[change["goal"].rsplit("/", 1)[-1]][periods.index(change["laterPeriod"])]
        (mark,) = cell.find_all("mark")
        assert MARKS[change["detail"]] == mark.text  # the direction, in words
        for rating in filter(None, change["after"].split("; ")):
            assert rating in cell.text


def test_changes_table_is_the_changes_query(site: Any) -> None:
    client, store = site
    section = _section(_page(client, AMB_PAGE), "over-time")
    table = section.find("table", css_class="changes")
    shown = [r for r in table.iter("tr") if r.get("data-kind")]
    changes = _rows(store, "changes", {"partnership": AMB})
    assert len(changes) >= 10
    assert [r.get("data-kind") for r in shown] == [c["kind"] for c in changes]
    for row, change in zip(shown, changes, strict=True):
        text = row.text
        assert "-" not in row.find_all("td")[0].text.split()[0]  # the kind in words, not a token
        assert change["name"] or change["subject"] in text or change["goal"], text
        if change["name"]:
            assert change["name"] in text
        for value in (change["before"], change["after"]):
            assert value in text, (value, text)
        assert f"{_local(change['earlier'])}" in row.hrefs and _local(change["later"]) in row.hrefs
        for line in filter(None, (change["linesBefore"] + "," + change["linesAfter"]).split(",")):
            assert line.strip() in text
        assert "https://" not in text  # words, not IRIs


# -- the report pages -----------------------------------------------------------------------------


def test_report_page_lists_what_changed_since_the_previous_report(
    site: Any
) -> None:
    client, store = site
    section = _section(_page(client, _local(H2)), "what-changed")
    changes = [c for c in _rows(store, "changes", {"partnership": AMB})
               if c["later"] == H2]  # fmt: skip
    shown = [r.get("data-kind") for r in section.iter("tr") if r.get("data-kind")]
    assert shown == [c["kind"] for c in changes] and changes
    assert _local(H1) in section.hrefs  # compared with the previous report, linked


def test_first_report_says_no_earlier_report_is_stored(site: Any) -> None:
    client, _ = site
    section = _section(_page(client, _local(H1)), "what-changed")
    assert "No earlier report of this partnership is stored" in section.text
    assert not section.find_all("table")


# -- the home page and a region's page ------------------------------------------------------------


def test_home_lists_latest_changes_and_regions_joining_per_country(
    site: Any
) -> None:
    client, store = site
    section = _section(_page(client, "/"), "latest-changes")
    latest = _rows(store, "page-latest-changes")
    shown = [r for r in section.find("table", css_class="changes").iter("tr") if r.get("data-kind")]
    assert 0 < len(shown) <= len(latest)
    for row, change in zip(shown, latest, strict=False):
        assert row.get("data-kind") == change["kind"]
        assert _local(change["partnership"]) in row.hrefs and change["partnershipLabel"] in row.text
    flows = _rows(store, "region-flows")
    assert flows, "regions joined between the batteries reports"
    table = section.find("table", css_class="region-flows").text
    for flow in flows:
        assert flow["period"] in table and flow["countryName"] in table and flow["country"] in table


def test_region_page_shows_its_partnerships_over_time(
    site: Any
) -> None:
    client, store = site
    joined = next(c for c in _rows(store, "changes", {"partnership": AMB})
                  if c["kind"] == "joined" and c["region"])  # fmt: skip
    page = _page(client, _local(joined["region"]))
    grid = _section(page, "over-time").find("table", css_class="over-time")
    periods = [h.text for h in grid.find_all("th", css_class="period")]
    (row,) = [r for r in grid.iter("tr") if _local(AMB) in r.hrefs]
    cells = [c.text for c in row.find_all("td")]
    assert cells[periods.index(joined["earlierPeriod"])] == "not listed"
    assert cells[periods.index(joined["laterPeriod"])] == joined["after"]


# -- a gap between two filed reports ---------------------------------------------------------------


def test_a_missing_period_is_shown_as_a_gap(site: Any) -> None:
    client, store = site
    gaps = [g for g in _rows(store, "reporting-gaps", {"partnership": AMB}) if g["kind"] == "gap"]
    assert [g["period"] for g in gaps] == ["2021-H1"]
    section = _section(_page(client, AMB_PAGE), "over-time")
    grid = section.find("table", css_class="over-time")
    heads = [h.text for h in grid.find_all("th", css_class="period")]
    column = [n for n, h in enumerate(heads) if h.startswith("2021-H1")]
    assert column and "gap" in heads[column[0]]
    cells = [r.find_all("td") for r in grid.iter("tr") if r.find_all("td")]
    region_cells = [c[column[0]].text for c in cells if len(c) == len(heads)]
    assert region_cells and set(region_cells) == {"no report"}
    assert "No report was filed for 2021-H1" in section.text
    assert "no report since" not in section.text  # it reported for the latest half-year
