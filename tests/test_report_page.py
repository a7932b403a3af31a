"""Answers as data: the report page shows every answer as parsed (the SDG matrix as a table of
goals with titles and ratings as words, working areas and events as tables without empty rows,
narratives as paragraphs), and the partnership page says why a section is empty.

"One answer per question": each section is checked against the named query behind it, run
through :func:`s3graph.sparql.run_query` on the same store, row for row.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from htmltree import parse, rows

from s3graph.api import views
from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.mapping.iris import rating_term
from s3graph.model import SDG_RATINGS
from s3graph.sparql import load_query, plain, run_query
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
MINING_REPORT = BASE + "report/mining-industry/2020-H1"
MINING = BASE + "partnership/mining-industry"


# -- reading a page ----------------------------------------------------------------------------


@dataclass
class Page:
    """The tables of a page with their attributes, each row's cells as text, the paragraphs
    and lists of each answer section, and the list items of lists marked with a query."""

    tables: list[tuple[dict[str, str], list[list[str]]]]
    sections: dict[str, list[tuple[str, str]]]  # answer key -> (tag, text)
    lists: dict[str, list[str]]  # data-query of a <ul> -> its items' text

    def table(self, css_class: str) -> list[list[str]]:
        """The body rows of the one table of that class."""
        found = [rows for attrs, rows in self.tables if css_class in attrs.get("class", "")]
        assert len(found) == 1, f"{len(found)} tables of class {css_class}"
        return found[0][1:]


def _read(html: str) -> Page:
    page = parse(html)
    return Page(
        [(t.attrs, [[c.text for c in row] for row in rows(t)]) for t in page.iter("table")],
        {
            section.get("id").removeprefix("answer-"): [
                (block.tag, block.raw_text)
                for block in section.iter("p", "li", outside=("td", "th"))
            ]
            for section in page.iter("section")
            if section.get("id").startswith("answer-")
        },
        {
            ul.get("data-query"): [li.text for li in ul.iter("li")]
            for ul in page.iter("ul")
            if ul.get("data-query")
        },
    )


def _get(client: TestClient, path: str) -> str:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    return response.text


def _page(client: TestClient, path: str) -> tuple[str, Page]:
    text = _get(client, path)
    return text, _read(text)


def _rows(store: Store, name: str, params: dict[str, str]) -> list[dict[str, Any]]:
    result = run_query(store, load_query(name), params, base=BASE)
    return [
        {c: plain(t) if t is not None else None for c, t in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]


def _local(iri: str) -> str:
    return "/" + iri[len(BASE) :]


# -- the store ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(corpus_nuts_store: Store) -> Store:
    return corpus_nuts_store


@pytest.fixture(scope="module")
def client(corpus_client: TestClient) -> TestClient:
    return corpus_client


@pytest.fixture(scope="module")
def mining(client: TestClient) -> tuple[str, Page]:
    return _page(client, _local(MINING_REPORT))


def _pages(store: Store) -> list[str]:
    """Every report, partnership and region page of the store, and each answer's own page."""
    reports = [r["report"] for r in _rows(store, "page-index-reports", {})]
    paths = [_local(r) for r in reports]
    paths += [
        _local(report) + "/answer/" + a["question"].rsplit("#question-", 1)[-1]
        for report in reports
        for a in _rows(store, "page-report-answers", {"report": report})
    ]
    paths += [_local(r["partnership"]) for r in _rows(store, "page-index-partnerships", {})]
    paths += [_local(r["other"]) for r in _rows(store, "collaborations", {})]  # reporting or not
    paths += [_local(r["region"]) for r in _rows(store, "page-index-regions", {})]
    return sorted({p for p in paths if p.startswith("/")})


# -- the SDG matrix ----------------------------------------------------------------------------


def test_sdg_answers_are_a_table_of_goals_with_titles_and_ratings(
    mining: tuple[str, Page], shared_dir: Path, store: Store
) -> None:
    expected = json.loads(
        (shared_dir / "corpus" / "mining-industry-2020-h1.expected.json").read_text("utf-8")
    )["sdg"]
    titles = {r["number"]: r["title"] for r in _rows(store, "page-sdg-goals", {})}
    assert len(titles) == 17 and titles["1"] == "No poverty"
    rows = mining[1].table("sdg-answers")
    assert len(rows) == 17
    shown = {goal.split(" ", 1)[0]: (goal, rating) for goal, rating, _line in rows}
    assert sorted(shown, key=int) == [str(n) for n in range(1, 18)]
    for number, (goal, rating) in shown.items():
        assert goal == f"{number} {titles[number]}"  # e.g. "1 No poverty"
        assert rating == expected[number]  # the rating as a word, as the form's column names it


def test_sdg_table_holds_the_rows_of_its_query(mining: tuple[str, Page], store: Store) -> None:
    found = _rows(store, "page-report-sdg", {"report": MINING_REPORT})
    ratings: dict[str, list[str]] = {}
    for r in found:
        ratings.setdefault(r["number"], [])
        if r["rating"]:
            ratings[r["number"]].append(views.RATING_WORDS[r["rating"]])
    lines = {r["number"]: r["line"] for r in found}
    shown = [(goal.split(" ", 1)[0], rating, line) for goal, rating, line in
             mining[1].table("sdg-answers")]  # fmt: skip
    assert shown == [(n, _ratings(ratings[n]), lines[n]) for n in ratings]


def _ratings(words: list[str]) -> str:
    """The ratings of a goal as the page words them."""
    if not words:
        return "no box ticked"
    return ", ".join(words) + (f" ({len(words)} boxes ticked)" if len(words) > 1 else "")


@pytest.mark.parametrize("report", ["advanced-materials-for-batteries/2020-H2"])
def test_a_goal_unticked_or_ticked_twice_says_so(
    report: str, client: TestClient, store: Store
) -> None:
    iri = BASE + "report/" + report
    found = _rows(store, "page-report-sdg", {"report": iri})
    counts = {n: sum(1 for r in found if r["number"] == n and r["rating"]) for n in
              {r["number"] for r in found}}  # fmt: skip
    assert 0 in counts.values() and 2 in counts.values(), "the corpus has both cases"
    shown = {row[0].split(" ", 1)[0]: row[1] for row in _page(client, _local(iri))[1].table(
        "sdg-answers")}  # fmt: skip
    for number, n in counts.items():
        assert shown[number].endswith({0: "no box ticked", 2: "(2 boxes ticked)"}.get(n, "")), (
            number,
            shown[number],
        )


def test_rating_words_name_the_rating_concepts() -> None:
    assert {str(rating_term(label)): label for label in SDG_RATINGS} == views.RATING_WORDS


# -- tables without markup or empty rows -------------------------------------------------------


def test_no_page_holds_form_markup_or_empty_rows(client: TestClient, store: Store) -> None:
    pages = _pages(store)
    kinds = {p.split("/")[1] for p in pages}
    assert kinds == {"report", "partnership", "region"} and len(pages) > 20
    assert any(p.endswith("/answer/sdg") for p in pages)
    for path in pages:
        text = _get(client, path)
        main = text[text.index("<main>") : text.index("</main>")]  # the search box is ours
        assert "<input" not in main, path
        assert "<input" not in htmllib.unescape(main), f"{path} shows form markup as text"
        for attrs, cells in _read(main).tables:
            for row in cells:
                assert any(cell.strip() for cell in row), f"{path}: an empty row in {attrs}"
        if "/answer/" not in path:  # an answer's own page shows its text as stored
            assert "\t" not in htmllib.unescape(re.sub(r"<[^>]*>", "", main)), f"{path}: a tab"


def test_no_answer_text_stored_carries_form_markup(store: Store) -> None:
    """The SDG matrix's answer is stored as the ratings in words, not the form's radio buttons."""
    found = store.query(
        "SELECT ?answer ?text WHERE { ?answer a <https://w3id.org/s3graph/def#Answer> ; "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?text "
        'FILTER (CONTAINS(?text, "<input")) }'
    )
    assert [row["answer"].value for row in found] == []  # type: ignore[union-attr]
    text = _rows(store, "page-describe", {"resource": MINING_REPORT + "/answer/sdg"})
    values = [r["value"] for r in text if r["property"].endswith("#value")]
    assert values and values[0].startswith("Goal 1. End poverty in all its forms everywhere: ")


def test_working_areas_are_the_rows_of_their_query(mining: tuple[str, Page], store: Store) -> None:
    found = _rows(store, "page-report-working-areas", {"report": MINING_REPORT})
    shown = mining[1].table("working-areas")
    assert 0 < len(shown) == len(found) < 10  # the form's ten rows, empty ones left out
    for row, r in zip(shown, found, strict=True):
        assert row[0] == r["row"] and row[1] == " ".join((r["label"] or "").split())
        assert row[2] == (r["regionInCharge"] or "")


def test_members_and_validation_are_the_rows_of_their_queries(
    mining: tuple[str, Page], store: Store
) -> None:
    found = _rows(store, "page-report-memberships", {"report": MINING_REPORT})
    members = [rows for attrs, rows in mining[1].tables
               if attrs.get("data-query") == "page-report-memberships"]  # fmt: skip
    assert len(members) == 1
    # each member by its own name (a region's NUTS label), then what the report stated
    assert [(row[0], row[2], row[3], row[4]) for row in members[0][1:]] == [
        (r["line"], r["label"] or r["name"], r["name"] or "", r["code"] or "") for r in found
    ]
    assert any(r["label"] and r["label"] != r["name"] for r in found)  # e.g. Kainuu, FI1D3
    results = [r for r in _rows(store, "page-report-validation", {"report": MINING_REPORT})
               if r["result"]]  # fmt: skip
    validation = [rows for attrs, rows in mining[1].tables
                  if attrs.get("data-query") == "page-report-validation"]  # fmt: skip
    assert results and [(row[0], row[2]) for row in validation[0][1:]] == [
        (r["line"] or "", r["rule"]) for r in results
    ]


# -- narratives --------------------------------------------------------------------------------


def test_narratives_are_paragraphs_as_written(mining: tuple[str, Page], store: Store) -> None:
    answers = {
        r["question"].rsplit("#question-", 1)[-1]: r
        for r in _rows(store, "page-report-answers", {"report": MINING_REPORT})
    }
    sections = mining[1].sections
    assert list(sections) == list(answers)  # every question, in the form's order
    summary = answers["executive_summary"]["value"]
    paragraphs = [p for p in re.split(r"\n\s*\n", summary.strip()) if p.strip()]
    blocks = sections["executive_summary"]
    assert len(paragraphs) >= 2 and {tag for tag, _ in blocks} == {"p", "li"}
    # each paragraph of the text is a <p>, its bulleted lines the items of a list, no word lost
    unbulleted = [re.sub(r"^\s*[-*\u2022\u2013]\s+", "", line) for line in summary.splitlines()]
    assert " ".join(text for _, text in blocks).split() == " ".join(unbulleted).split()
    assert len([t for t, _ in blocks if t == "p"]) == len(
        [p for p in paragraphs if not p.lstrip().startswith("- ")]
    )
    # a text of lines keeps its lines
    regions = sections["participating_regions"]
    assert regions == [("p", "\n".join(answers["participating_regions"]["value"].splitlines()))]
    # the tables' answers are never shown as text: they have none in the query either
    for key in ("sdg", "working_areas", "past_events", "planned_events"):
        assert answers[key]["value"] is None and answers[key]["answered"] == "true"
        assert all(tag != "p" for tag, _ in sections[key])


def test_an_empty_answer_says_so(mining: tuple[str, Page], store: Store) -> None:
    unanswered = [
        r["question"].rsplit("#question-", 1)[-1]
        for r in _rows(store, "page-report-answers", {"report": MINING_REPORT})
        if r["answered"] == "false"
    ]
    assert unanswered, "the corpus report leaves questions empty"
    for key in unanswered:
        assert mining[1].sections[key] == [("p", "Not answered: the report leaves this "
                                                 "question empty.")]  # fmt: skip


# -- events ------------------------------------------------------------------------------------


def _event_rows(store: Store, params: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    found = _rows(store, "page-events", params)
    return {kind: [r for r in found if r["kind"] == kind] for kind in ("past", "planned")}


@pytest.mark.parametrize("report", ["mining-industry/2020-H1", "hydrogen-valleys/2020-H2"])
def test_events_by_parsed_date_past_and_planned_apart(
    report: str, client: TestClient, store: Store
) -> None:
    iri = BASE + "report/" + report
    text, page = _page(client, _local(iri))
    held = _event_rows(store, {"report": iri})
    assert held["past"] or held["planned"]
    for kind in ("past", "planned"):
        if not held[kind]:
            assert f'class="events-{kind}"' not in text
            continue
        shown = page.table(f"events-{kind}")
        dates = [row[0] for row in shown]
        dated = [d for d in dates if d != "not parsed"]
        assert dates == dated + ["not parsed"] * (len(dates) - len(dated))  # undated after
        assert dated == sorted(dated)
        # the rows of page-events for the report, its text kept where no date was read
        assert [(row[1], row[2]) for row in shown] == [
            (r["dateText"] or "not given", " ".join((r["name"] or "").split())) for r in held[kind]
        ]
    if held["past"] and held["planned"]:
        assert text.index('class="events-past"') < text.index('class="events-planned"')


# -- the partnership page ----------------------------------------------------------------------


def test_partnership_sections_hold_the_rows_of_their_queries(
    client: TestClient, store: Store
) -> None:
    _text, page = _page(client, _local(MINING))
    params = {"partnership": MINING}
    assert len(page.lists["reports"]) == len(_rows(store, "reports", params)) > 0
    held = _event_rows(store, params)
    for kind in ("past", "planned"):
        assert [row[2] for row in page.table(f"events-{kind}")] == [
            " ".join((r["name"] or "").split()) for r in held[kind]
        ]
    titles = {r["goal"]: r["title"] for r in _rows(store, "page-sdg-goals", {})}
    profile: dict[str, list[str]] = {}
    for r in _rows(store, "sdg-profile", params):
        n = int(r["reports"])
        word = views.RATING_WORDS[r["rating"]]
        profile.setdefault(r["goal"], []).append(f"{word} in {n} report{'s' if n != 1 else ''}")
    shown = page.table("sdg-profile")
    assert [row[0] for row in shown] == [
        f"{goal.rsplit('/', 1)[-1]} {titles[goal]}" for goal in profile
    ]
    assert [row[1] for row in shown] == ["; ".join(r) for r in profile.values()]
    mentions = _rows(store, "collaborations", params)
    mentioned_by = [r for r in _rows(store, "collaborations", {}) if r["other"] == MINING]
    assert len(page.lists["collaborations"]) == len(mentions) + len(mentioned_by) > 0


def test_a_partnership_without_reports_says_why_its_sections_are_empty(
    client: TestClient, store: Store
) -> None:
    reporting = {r["partnership"] for r in _rows(store, "partnerships", {})}
    silent = sorted({r["other"] for r in _rows(store, "collaborations", {})} - reporting)
    assert silent, "the corpus mentions partnerships that file no report"
    for iri in silent:
        text = _get(client, _local(iri))
        main = text[text.index("<main>") : text.index("<details>")]
        assert "<svg" not in main and "<tbody>" not in main  # no empty chart, no empty table
        for section in ("regions", "reports", "events", "sdg"):
            part = main[main.index(f'<h2 id="{section}">') :]
            part = part[: part.index("</section>")]
            assert "No report of this partnership is stored, so " in part, (iri, section)
        assert "Mentioned by" in main  # how the graph knows it


def test_home_of_an_empty_store_says_why(tmp_path: Path) -> None:
    with Store.open(tmp_path / "store") as empty:
        text = _get(TestClient(create_app(ApiSettings(base=BASE), empty)), "/")
    main = text[text.index("<main>") : text.index("</main>")]
    assert "No report has been ingested yet, so no partnership is listed" in main
    assert "No report is ingested yet, so there is nothing to count" in main
    assert "<tbody>" not in main and "<li>" not in main
