"""``/docs`` and ``/redoc`` work with no network: their scripts and styles come from this server.

The assets are ``fastapi-offline``'s (a maintained package), served under ``DOCS_ASSETS``. Read
in-process, the pages name no other host and every asset they name answers 200; in headless
Chromium, with every host but 127.0.0.1 unresolvable, Swagger UI draws the operations of our
schema (``/sparql`` comes from ``openapi-fragments/``, so seeing it proves the schema is ours).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import live_server
from fastapi.testclient import TestClient
from test_browser import _browse

from s3graph.api.app import create_app
from s3graph.api.openapi import DOCS_ASSETS
from s3graph.api.settings import ApiSettings
from s3graph.store import Store

DOC_PAGES = ["/docs", "/redoc"]


class _Links(HTMLParser):
    """Every URL a page makes the browser load: ``src`` and ``href`` of any tag."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(value for name, value in attrs if name in ("src", "href") and value)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store.open(tmp_path_factory.mktemp("docs") / "store") as opened:
        yield opened


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(ApiSettings(), store))


@pytest.mark.parametrize("page", DOC_PAGES)
def test_a_docs_page_names_no_other_host(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert "content-security-policy" not in response.headers  # nothing to block our assets
    # anywhere in the page: attributes, inline script, comments
    assert not re.findall(r"(?:https?:)?//[\w.-]+", response.text), page
    links = _links(response.text)
    assert links and all(url.startswith(DOCS_ASSETS + "/") for url in links), links


@pytest.mark.parametrize("page", DOC_PAGES)
def test_every_asset_of_a_docs_page_is_served(client: TestClient, page: str) -> None:
    for url in _links(client.get(page).text):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) > 1000, url  # the file, not an error body


def test_the_docs_read_our_schema(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "'/openapi.json'" in html
    assert "/sparql" in client.get("/openapi.json").json()["paths"]  # merged from the fragments


def test_the_assets_are_not_in_the_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith(("/docs", "/redoc", DOCS_ASSETS))]


#: No name resolves but the server's: a CDN, were one named, could not load.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.mark.browser
@pytest.mark.e2e
def test_docs_render_the_operations_offline(store: Store, tmp_path: Path) -> None:
    with live_server(create_app(ApiSettings(), store)) as url:
        dom = _browse(f"{url}/docs", tmp_path, OFFLINE, "--dump-dom")
    # drawn by Swagger UI from /openapi.json: an operation block per path
    assert re.search(r'class="opblock-summary-path"[^>]*data-path="/sparql"', dom), dom[-2000:]
    assert 'data-path="/api/queries"' in dom
    assert "Failed to load API definition" not in dom
