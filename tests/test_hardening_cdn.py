"""Scripts and style sheets from other hosts are pinned: an exact version and an SRI hash.

A floating version (``@4``, ``@latest``, ``^4.1``) lets the CDN hand browsers code nobody here
has read; ``integrity`` makes the browser refuse any byte that differs from the file the hash was
taken of. The templates are read as HTML (attributes may span lines), and the query page is also
checked as served, so a tag added by a block in another template is seen too.
"""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from s3graph.api import pages
from s3graph.store import Store

TEMPLATES = Path(pages.__file__).parent / "templates"
STATIC = Path(pages.__file__).parent / "static"

#: ``name@1.2.3`` (optionally ``-rc.1`` or ``+build``) followed by a path: an exact npm version.
EXACT_VERSION = re.compile(r"@v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?/")
#: Bytes of each digest SRI accepts.
DIGEST_BYTES = {"sha256": 32, "sha384": 48, "sha512": 64}


class _Assets(HTMLParser):
    """Every ``<script src>`` and ``<link rel=stylesheet href>``, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and named.get("src"):
            self.found.append((named["src"] or "", named))
        rel = (named.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rel and named.get("href"):
            self.found.append((named["href"] or "", named))


def _assets(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Assets()
    parser.feed(html)
    return parser.found


def _external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def _problems(url: str, attrs: dict[str, str | None]) -> list[str]:
    """What is wrong with one external asset (nothing: it is pinned and hashed)."""
    problems = []
    if not EXACT_VERSION.search(url):
        problems.append("no exact version (name@X.Y.Z/...) in its URL")
    if re.search(r"@(latest|next|\^|~)", url):
        problems.append("a floating version tag or range")
    integrity = (attrs.get("integrity") or "").split()
    if not integrity:
        problems.append("no integrity attribute")
    for value in integrity:
        algorithm, _, digest = value.partition("-")
        try:
            size = len(base64.b64decode(digest, validate=True))
        except ValueError:
            size = -1
        if DIGEST_BYTES.get(algorithm) != size:
            problems.append(f"integrity {value!r} is not a sha256/384/512 digest in base64")
    if attrs.get("crossorigin") != "anonymous":
        problems.append('no crossorigin="anonymous" (needed for SRI across origins)')
    return problems


TEMPLATE_FILES = sorted(TEMPLATES.glob("*.html"))


def test_the_templates_are_read() -> None:
    # The query page loads its local script; a parser that saw nothing would prove nothing.
    query = (TEMPLATES / "query.html").read_text(encoding="utf-8")
    assert "/static/query.js" in [url for url, _ in _assets(query)]


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda p: p.name)
def test_every_external_script_and_style_sheet_is_pinned_with_sri(template: Path) -> None:
    for url, attrs in _assets(template.read_text(encoding="utf-8")):
        if _external(url):
            assert not _problems(url, attrs), f"{template.name}: {url}: {_problems(url, attrs)}"


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda p: p.name)
def test_external_scripts_never_block_the_page(template: Path) -> None:
    """The page must work offline: a script from elsewhere loads async (or deferred)."""
    for url, attrs in _assets(template.read_text(encoding="utf-8")):
        if _external(url) and "src" in attrs:
            assert "async" in attrs or "defer" in attrs, f"{template.name}: {url} blocks the page"


def test_static_files_load_nothing_from_other_hosts() -> None:
    for path in sorted(STATIC.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(import|url\(|src\s*=)\s*["']?(https?:)?//""", text), path.name


def test_the_served_query_page_is_pinned_and_keeps_its_plain_form(tmp_path: Path) -> None:
    app = FastAPI()
    app.state.store = Store.open(tmp_path / "store")
    app.state.settings = SimpleNamespace(base="https://w3id.org/s3graph/")
    app.include_router(pages.router)
    html = TestClient(app).get("/query", headers={"Accept": "text/html"}).text
    external = [(url, attrs) for url, attrs in _assets(html) if _external(url)]
    for url, attrs in external:
        assert not _problems(url, attrs), f"{url}: {_problems(url, attrs)}"
    # Without the CDN (offline, or a file that fails its hash) the plain form is what remains.
    assert '<form id="sparql-form" action="/query#answer" method="get">' in html  # issue 13
    app.state.store.close()
