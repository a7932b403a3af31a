"""The vocabulary dereferences: each ``s3g:`` term the data uses leads to ``/def``, in HTML and RDF.

The terms are found in the data of a store holding the shared corpus (ingested as ``s3graph
ingest`` does), not listed here: a term the mapping starts to use is checked as soon as it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from conftest import ingest_linked
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDFS

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.resources import resource_dir
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
S3G = BASE + "def#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_SUFFIXES = {
    ".ttl": ("text/turtle", "turtle"),
    ".jsonld": ("application/ld+json", "json-ld"),
    ".nt": ("application/n-triples", "nt"),
    ".rdf": ("application/rdf+xml", "xml"),
}


@pytest.fixture(scope="module")
def store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    opened = Store.open(tmp_path_factory.mktemp("vocabulary") / "store")
    ingest_linked(opened, [shared_dir / "corpus"], BASE)
    return opened


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(ApiSettings(base=BASE), store))


@pytest.fixture(scope="module")
def used_terms(store: Store) -> list[str]:
    """Every ``s3g:`` IRI in the data, as subject, predicate or object, in any graph."""
    query = f"""
        SELECT DISTINCT ?term WHERE {{
          GRAPH ?g {{ ?s ?p ?o }}
          VALUES ?at {{ 1 2 3 }}
          BIND(IF(?at = 1, ?s, IF(?at = 2, ?p, ?o)) AS ?term)
          FILTER(isIRI(?term) && STRSTARTS(STR(?term), "{S3G}"))
        }}"""
    terms = sorted(str(row[0].value) for row in store.query(query))  # type: ignore[union-attr]
    assert len(terms) > 40, terms  # classes, properties and concepts of every kind
    return terms


def _path(iri: str) -> str:
    """The local path a browser asks for when it follows ``iri`` (the fragment is not sent)."""
    document = urldefrag(iri).url
    assert document.startswith(BASE), iri
    return "/" + document[len(BASE) :]


class _Ids(HTMLParser):
    """The ``id`` attributes of an HTML document, and the fragment links it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.fragments: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if tag == "a" and name == "href" and value and value.startswith("#"):
                self.fragments.add(value[1:])


def _ids(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


def _get(client: TestClient, path: str, accept: str) -> tuple[str, str]:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, (path, accept, response.text[:500])
    assert "Accept" in response.headers.get("vary", "")
    return response.headers["content-type"], response.text


def test_every_term_the_data_uses_has_a_section_in_the_html(
    client: TestClient, used_terms: list[str]
) -> None:
    pages: dict[str, _Ids] = {}
    for term in used_terms:
        path = _path(term)
        if path not in pages:
            media, html = _get(client, path, BROWSER)
            assert media.startswith("text/html")
            pages[path] = _ids(html)
        assert urldefrag(term).fragment in pages[path].ids, term
    assert list(pages) == ["/def"]
    found = pages["/def"]
    assert len(found.ids) == len(set(found.ids)), "an anchor is given twice"
    # every link within the page (contents, domains, ranges, schemes) lands on an anchor
    assert found.fragments <= set(found.ids), found.fragments - set(found.ids)


def test_every_term_the_data_uses_is_described_in_turtle(
    client: TestClient, used_terms: list[str]
) -> None:
    graphs: dict[str, Graph] = {}
    for term in used_terms:
        path = _path(term)
        if path not in graphs:
            media, text = _get(client, path, "text/turtle")
            assert media.startswith("text/turtle")
            graphs[path] = Graph().parse(data=text, format="turtle")
        assert (URIRef(term), None, None) in graphs[path], term


def test_the_served_vocabulary_holds_the_whole_ontology(client: TestClient) -> None:
    served = Graph().parse(data=client.get("/def.ttl").text, format="turtle")
    ontology = Graph()
    for path in resource_dir("ontology").glob("*.ttl"):
        ontology.parse(path, format="turtle")
    missing = [triple for triple in ontology if triple not in served]
    assert len(ontology) > 300 and not missing, missing[:5]


@pytest.mark.parametrize("suffix", sorted(RDF_SUFFIXES))
def test_suffixes_choose_the_syntax_whatever_the_accept(client: TestClient, suffix: str) -> None:
    media, syntax = RDF_SUFFIXES[suffix]
    answered, text = _get(client, "/def" + suffix, BROWSER)
    assert answered.startswith(media)
    by_suffix = Graph().parse(data=text, format=syntax)
    by_accept = Graph().parse(data=_get(client, "/def", media)[1], format=syntax)
    assert len(by_suffix) > 300
    assert to_isomorphic(by_suffix) == to_isomorphic(by_accept)
    assert (URIRef(S3G + "Partnership"), RDFS.label, None) in by_suffix


def test_html_suffix_and_the_formats_offered(client: TestClient) -> None:
    media, html = _get(client, "/def.html", "text/turtle")
    assert media.startswith("text/html")
    for suffix in RDF_SUFFIXES:
        assert f'href="/def{suffix}"' in html


@pytest.mark.parametrize("suffix", ["xyz", "ttl.bak", "html5", "TTL", "%0A", "ttl%00", "%E2%80%AE"])
def test_an_unknown_suffix_is_not_found(client: TestClient, suffix: str) -> None:
    response = client.get(f"/def.{suffix}", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    response = client.get(f"/def.{suffix}", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json()["error"] == "not found"
    assert response.json()["detail"].isprintable()  # nothing unseen echoed


def test_an_unacceptable_type_is_406(client: TestClient) -> None:
    response = client.get("/def", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_a_class_section_reads_for_people(client: TestClient) -> None:
    """Partnership: label, definition, superclass and the properties used on it, linked."""
    html = _get(client, "/def", BROWSER)[1]
    start = html.index('<section id="Partnership"')
    section = html[start : html.index("</section>", start)]
    assert "<h3>Partnership <code>s3g:Partnership</code></h3>" in section
    assert "thematic Smart Specialisation partnership" in section  # its skos:definition
    assert "http://www.w3.org/ns/org#OrganizationalCollaboration" in section
    assert 'href="#collaboratesWith"' in section  # a property whose domain it is
    assert html.index('href="#section-classes"') < start  # listed in the contents first


def test_concept_schemes_list_their_concepts_in_order(client: TestClient) -> None:
    html = _get(client, "/def", BROWSER)[1]
    ratings = [html.index(f'<tr id="{name}"') for name in
               ("strongly-agree", "agree", "neutral", "disagree", "strongly-disagree")]  # fmt: skip
    assert ratings == sorted(ratings)
    assert html.index('<section id="SdgRatingScheme"') < ratings[0]
    assert '<tr id="AgriFoodPlatform"' in html  # the registry's platforms are terms too


@pytest.mark.parametrize(
    "page", ["/partnership/mining-industry", "/report/mining-industry/2020-H1", "/region/FI1D7"]
)
def test_the_pages_links_to_terms_land_on_their_sections(client: TestClient, page: str) -> None:
    """The data pages link the classes and concepts they show to ``/def#Name``: each lands."""
    linked = [
        href[len("/def#") :]
        for href in re.findall(r'href="([^"]*)"', _get(client, page, BROWSER)[1])
        if href.startswith("/def#")
    ]
    assert linked, f"{page} links to no term of the vocabulary"
    anchors = set(_ids(_get(client, "/def", BROWSER)[1]).ids)
    assert set(linked) <= anchors, set(linked) - anchors


# -- in a browser --------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.e2e
def test_a_browser_following_a_term_lands_on_its_section(store: Store, tmp_path: Path) -> None:
    """Chromium opens ``/def#Partnership``: the DOM it builds holds the section, with its heading
    and definition and not marked hidden; the page is drawn."""
    from conftest import live_server
    from test_browser import _browse

    with live_server(create_app(ApiSettings(base=BASE), store)) as url:
        dom = _browse(f"{url}/def#Partnership", tmp_path, "--dump-dom")
        shot = tmp_path / "def.png"
        _browse(f"{url}/def", tmp_path, f"--screenshot={shot}", "--window-size=1280,1000")
    start = dom.index('<section id="Partnership"')
    section = dom[start : dom.index("</section>", start)]
    assert "<h3>Partnership <code>s3g:Partnership</code></h3>" in section
    assert "thematic Smart Specialisation partnership" in section
    assert "hidden" not in dom[start - 200 : start + 60]
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000
