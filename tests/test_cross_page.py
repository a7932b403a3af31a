"""``/cross`` gives the answers of the named queries: one answer per question, every pair drawn.

Each section of the page is held to the rows of the query of ``queries/`` that answers its
question (the one ``/api/queries/NAME`` and ``s3g query NAME`` run), run on the same store: the
regions in more than one partnership (``most-shared-regions``), the collaborations with their
evidence and every pair of them in the picture (``collaborations``), the regions each pair shares
(``shared-regions``). Partners that filed no report are drawn and marked; regions carry names.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from htmltree import parse

from s3graph.api.views import value
from s3graph.sparql import load_query, run_query
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
SVG = "{http://www.w3.org/2000/svg}"
#: The labels a region resource carries (whichever of the two the names come from).
LABELS = """
SELECT ?label WHERE {
  VALUES ?property { <http://www.w3.org/2000/01/rdf-schema#label>
                     <http://www.w3.org/2004/02/skos/core#prefLabel> }
  <REGION> ?property ?label
}"""


@pytest.fixture(scope="module")
def store(corpus_nuts_store: Store) -> Store:
    return corpus_nuts_store


@pytest.fixture(scope="module")
def client(corpus_client: TestClient) -> TestClient:
    return corpus_client


@pytest.fixture(scope="module")
def page(client: TestClient) -> str:
    response = client.get("/cross", headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def _rows(store: Store, name: str) -> list[dict[str, Any]]:
    """The rows of a named query, each a dict of plain values (as the pages get them)."""
    result = run_query(store, load_query(name), {}, base=BASE)
    return [dict(zip(result.columns, map(value, row), strict=True)) for row in result.rows]


def _href(iri: str) -> str:
    return "/" + iri[len(BASE) :]


Cells = list[tuple[str, list[str]]]


@dataclass
class Rows:
    """The table rows of a page that carry a class: per row its class, its group (the ``id``
    of its ``tbody``), and per cell its text and the links in it."""

    rows: list[tuple[str, str, Cells]]

    def of(self, kind: str) -> list[tuple[str, Cells]]:
        return [(group, cells) for cls, group, cells in self.rows if cls == kind]


def _parsed(page: str) -> Rows:
    found: list[tuple[str, str, Cells]] = []
    group = ""
    for element in parse(page).iter("tbody", "tr"):
        if element.tag == "tbody":
            group = element.get("id")
        elif element.get("class"):
            cells = [(cell.text, cell.hrefs) for cell in element.find_all("td", "th")]
            found.append((element.get("class"), group, cells))
    return Rows(found)


def _svgs(page: str) -> list[ET.Element]:
    """The pictures of the page, parsed as XML (each is well-formed SVG)."""
    parts = page.split("<svg")[1:]
    return [ET.fromstring("<svg" + part.split("</svg>", 1)[0] + "</svg>") for part in parts]


def _network(page: str) -> ET.Element:
    return _svgs(page)[0]


def _section(page: str, ident: str) -> str:
    start = page.index(f'<section aria-labelledby="{ident}">')
    return page[start : page.index("</section>", start)]


# -- regions in more than one partnership ------------------------------------------------------


def test_the_shared_regions_are_the_rows_of_most_shared_regions(store: Store, page: str) -> None:
    expected = [
        (
            _href(r["region"]),
            r["name"] or f"{r['code']} no name known",
            r["code"],
            str(r["partnerships"]),
        )
        for r in _rows(store, "most-shared-regions")
    ]
    shown = [
        (region[1][0], region[0], code[0], count[0])
        for _, (region, code, count, _which) in _parsed(page).of("shared-region")
    ]
    assert shown == expected  # the same rows, in the same order
    codes = {code for _, _, code, _ in shown}
    assert "SK02" in codes  # stated by two partnerships (one states it under another name)
    assert len(codes) == len(shown)


def test_every_shared_region_is_named_and_links_to_its_page(
    store: Store, page: str, client: TestClient
) -> None:
    shown = _parsed(page).of("shared-region")
    for _, (region, code, _, _) in shown:
        (href,) = region[1]
        assert href == f"/region/{code[0]}"
        found = store.query(LABELS.replace("REGION", f"{BASE}region/{code[0]}"))
        labels = {str(row[0].value) for row in found}  # type: ignore[union-attr]
        if labels:  # the label the region resource carries, not the bare code
            assert region[0] in labels, (region, code)
        else:
            assert region[0] == f"{code[0]} no name known"
    assert any(region[0] != code[0] for _, (region, code, _, _) in shown)
    first = _parsed(page).of("shared-region")[0][1][0][1][0]
    assert client.get(first, headers={"Accept": "text/html"}).status_code == 200


def test_each_shared_region_names_the_partnerships_it_counts(store: Store, page: str) -> None:
    reported = {_href(r["partnership"]) for r in _rows(store, "partnerships")}
    for _, (region, _code, count, which) in _parsed(page).of("shared-region"):
        assert len(which[1]) == int(count[0]), region  # as many as most-shared-regions counts
        assert len(set(which[1])) == len(which[1]) and set(which[1]) <= reported


# -- collaborations: every pair drawn, every mention with its evidence -------------------------


def test_every_collaboration_pair_is_drawn(store: Store, page: str) -> None:
    pairs = {(r["partnership"], r["other"]) for r in _rows(store, "collaborations")}
    assert pairs
    edges = [
        (a.get("data-source"), a.get("data-target"))
        for a in _network(page).iter(f"{SVG}a")
        if a.get("class") == "collaboration"
    ]
    assert len(edges) == len(pairs)  # one arrow per pair, none twice
    assert set(edges) == pairs
    # both ways are two arrows: the corpus has partnerships that mention each other
    assert any((b, a) in pairs for a, b in pairs)


def test_each_arrow_leads_to_its_evidence(page: str) -> None:
    groups = {group for group, _ in _parsed(page).of("mention")}
    arrows = [a for a in _network(page).iter(f"{SVG}a") if a.get("class") == "collaboration"]
    for arrow in arrows:
        href = arrow.get("href") or ""
        assert href.startswith("#") and href[1:] in groups, href
        line = arrow.find(f"{SVG}line")
        assert line is not None and line.get("marker-end")
        assert "mentions" in line.findtext(f"{SVG}title", "")


def test_the_evidence_table_holds_every_mention_of_collaborations(store: Store, page: str) -> None:
    expected = Counter(
        (
            _href(r["partnership"]),
            _href(r["other"]),
            r["evidence"],
            _href(r["report"]),
            str(r["line"]),
        )
        for r in _rows(store, "collaborations")
    )
    parsed = _parsed(page)
    heads = {group: cells[0][1] for group, cells in parsed.of("pair")}
    shown: Counter[tuple[str, ...]] = Counter()
    for group, (quote, report, _where, line) in parsed.of("mention"):
        partnership, other = heads[group][:2]  # the pair's heading: who mentions whom
        shown[(partnership, other, quote[0].strip("“”\"'"), report[1][0], line[0])] += 1
    assert shown == expected


def test_the_evidence_names_its_report_and_section_in_words(store: Store, page: str) -> None:
    periods = {r["period"] for r in _rows(store, "collaborations")}
    section = _section(page, "collaborations")
    for period in periods:
        assert f">{period}</a>" in section  # the report, by the period it covers
    assert "_" not in "".join(cells[2][0] for _, cells in _parsed(page).of("mention"))


# -- partners without reports ------------------------------------------------------------------


def test_partners_without_reports_are_drawn_dashed_and_said_so(store: Store, page: str) -> None:
    reported = {r["partnership"] for r in _rows(store, "partnerships")}
    mentioned = {r["other"] for r in _rows(store, "collaborations")}
    unreported = mentioned - reported
    assert unreported, "the corpus mentions partnerships that filed no report"
    nodes = {
        a.get("data-iri"): a
        for a in _network(page).iter(f"{SVG}a")
        if a.get("class") == "partnership"
    }
    assert set(nodes) == reported | mentioned  # every partnership of a pair is drawn
    for iri, node in nodes.items():
        circle = node.find(f"{SVG}circle")
        assert circle is not None
        dashed = circle.get("stroke-dasharray") is not None
        assert dashed == (iri in unreported), iri
        assert node.get("data-reported") == ("no" if iri in unreported else "yes")
        assert node.get("href") == _href(str(iri))
        if iri in unreported:
            assert node.findtext(f"{SVG}title", "").endswith("no report stored")
    legend = page[page.index('<figure class="network">') : page.index("</figure>")]
    assert "Dashed circle" in legend and "no report stored" in legend
    intro = _section(page, "collaborations").split("<figure", 1)[0]
    for iri in unreported:
        assert f'href="{_href(iri)}"' in intro  # named, and linked, in the words too


def test_every_node_opens_its_page(page: str, client: TestClient) -> None:
    for node in _network(page).iter(f"{SVG}a"):
        if node.get("class") == "partnership":
            response = client.get(node.get("href") or "", headers={"Accept": "text/html"})
            assert response.status_code == 200, node.get("href")
            assert node.findtext(f"{SVG}text/{SVG}tspan", "").split()[0] in response.text


# -- regions two partnerships share ------------------------------------------------------------


def test_the_pairs_sharing_regions_are_the_rows_of_shared_regions(store: Store, page: str) -> None:
    rows = _rows(store, "shared-regions")
    shown = _parsed(page).of("shared-pair")
    assert len(shown) == len(rows)
    for row, (_, (one, other, count, regions)) in zip(rows, shown, strict=True):
        assert one[1] == [_href(row["partnership"])] and other[1] == [_href(row["other"])]
        assert count[0] == str(row["shared"])
        codes = row["regions"].split(", ")
        for code in codes:
            assert f"({code})" in regions[0] or code in regions[0]
        linked = [href.rsplit("/", 1)[-1] for href in regions[1]]
        assert set(linked) <= set(codes)
    lines = [a for a in _network(page).iter(f"{SVG}a") if a.get("class") == "shared-regions"]
    assert len(lines) == len(rows)


def test_the_pictures_scale_to_the_screen(page: str) -> None:
    """A viewBox and no script: the page's CSS sizes the pictures to the screen's width."""
    pictures = _svgs(page)
    assert len(pictures) == 2  # the network and the SDG heatmap
    for picture in pictures:
        assert picture.get("viewBox", "").startswith("0 0 ")
    assert "<script" not in page.split("<main>", 1)[1]
