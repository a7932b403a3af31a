"""What every page of the site shows is true to the reference data, for the shared corpus.

The site is crawled as a reader would walk it: from the home page and the three indexes to
every partnership, region and report page, ``/cross`` and a search. On all of them:

* a link to a NUTS region reads as the region's NUTS label (of some NUTS version, national or
  Latin; the code may stand beside it): never a name a report stated in its stead;
* no page shows the text ``<input`` (the form's raw radio-button markup) as words;
* every page answers 200.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from conftest import nuts_labels
from fastapi.testclient import TestClient
from htmltree import parse

BASE = "https://w3id.org/s3graph/"
NUTS_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
START = ["/", "/partnership/", "/region/", "/report/", "/cross", "/search?q=ES"]
# pages the crawl follows: a partnership, region or report, not their events or documents
FOLLOWED = re.compile(r"^/(partnership|region)/[^/?#.]+$|^/report/[^/?#.]+/[^/?#.]+$")


@dataclass
class Page:
    """A page's visible text (scripts and styles left out) and its links with their text."""

    text: str
    links: list[tuple[str, str]]


def _read(html: str) -> Page:
    page = parse(html)
    return Page(page.raw_text, [(a.get("href"), a.text) for a in page.iter("a")])


@pytest.fixture(scope="module")
def crawled(corpus_client: TestClient) -> dict[str, Page]:
    """Every page reached from the starting pages, parsed."""
    pages: dict[str, Page] = {}
    queue = list(START)
    while queue:
        path = queue.pop()
        if path in pages:
            continue
        response = corpus_client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 200, (path, response.status_code)
        page = _read(response.text)
        pages[path] = page
        queue.extend(h for h, _ in page.links if FOLLOWED.match(h) and h not in pages)
    return pages


@pytest.fixture(scope="module")
def labels(shared_dir: Path) -> dict[str, set[str]]:
    return nuts_labels(shared_dir)


def test_the_crawl_reaches_every_kind_of_page(crawled: dict[str, Page]) -> None:
    kinds = {path.split("/")[1] for path in crawled if path.count("/") >= 2}
    assert {"partnership", "region", "report"} <= kinds
    assert sum(p.startswith("/region/") for p in crawled) > 20  # the corpus names many regions


def _region_links(crawled: dict[str, Page]) -> Iterator[tuple[str, str, str]]:
    for path, page in crawled.items():
        for href, text in page.links:
            code = href.rsplit("/", 1)[-1]
            if href.startswith("/region/") and NUTS_CODE.match(code) and text:
                yield path, code, text


def test_every_region_link_reads_as_its_nuts_label(
    crawled: dict[str, Page], labels: dict[str, set[str]]
) -> None:
    wrong = []
    seen = 0
    for path, code, text in _region_links(crawled):
        if code not in labels:
            continue  # a code NUTS does not hold: its page says so (judged elsewhere)
        readings = {  # the link's text, or it without the code written beside the name
            text,
            " ".join(text.replace(f"({code})", " ").split()),
            " ".join(text.replace(code, " ").split()).strip(" ·-:,\u2013"),
        }
        seen += 1
        if not readings & (labels[code] | {""}):
            wrong.append(f"{path}: /region/{code} reads {text!r}")
    assert seen > 50, "the crawl saw region links"
    assert not wrong, "\n".join(sorted(set(wrong))[:30])


def test_a_region_page_is_headed_by_its_nuts_label(
    crawled: dict[str, Page], labels: dict[str, set[str]]
) -> None:
    wrong = []
    for path, page in crawled.items():
        code = path.rsplit("/", 1)[-1]
        if not (path.startswith("/region/") and code in labels):
            continue
        title = " ".join(page.text.split())
        if not any(label in title for label in labels[code]):
            wrong.append(path)
    assert not wrong, wrong


def test_no_page_shows_raw_form_markup(crawled: dict[str, Page]) -> None:
    shown = [path for path, page in crawled.items() if "<input" in unescape(page.text)]
    assert not shown, shown
