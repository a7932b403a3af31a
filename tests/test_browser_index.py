"""The indexes as a person reaches them: headless Chromium follows the home page's count of
reports to the report index and reads the table it draws (no network but 127.0.0.1).

Uses the live server and browser of ``test_browser`` (the bundled examples, so every report
listed is a synthetic example and the page must say so).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ingest_linked, live_server
from test_browser import _browse

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.cli import examples_dir
from s3graph.namespaces import DEFAULT_BASE
from s3graph.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A live server over the bundled examples, and how many reports they are."""
    path: Path = tmp_path_factory.mktemp("browser-index") / "store"
    with Store.open(path) as store:
        ingest_linked(store, [examples_dir()], DEFAULT_BASE)
        ask = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a <%sMonitoringReport> }"
        count = int(next(iter(store.query(ask % (DEFAULT_BASE + "def#"))))[0].value)  # type: ignore[arg-type]
        with live_server(create_app(ApiSettings(), store)) as url:
            yield url, count


def test_the_home_count_of_reports_leads_to_their_index(
    site: tuple[str, int], tmp_path: Path
) -> None:
    url, count = site
    home = _browse(f"{url}/", tmp_path, "--dump-dom")
    found = re.search(r'<dt><a href="([^"]+)">Reports</a></dt><dd>(\d+)</dd>', home)
    assert found, "the home page's count of reports is a link"
    assert int(found.group(2)) == count
    index = _browse(url + found.group(1), tmp_path, "--dump-dom")
    body = index[index.index("<tbody>") : index.index("</tbody>")]
    assert body.count("<tr>") == count  # every report the store holds, once
    assert 'class="synthetic-notice"' in index  # they are the bundled examples
    assert body.count("synthetic example</span>") == count


@pytest.mark.parametrize("width", [1280, 390])
def test_a_screenshot_of_the_region_index_is_drawn(
    width: int, site: tuple[str, int], tmp_path: Path
) -> None:
    shot = tmp_path / f"region-index-{width}.png"
    _browse(f"{site[0]}/region/", tmp_path, f"--screenshot={shot}", f"--window-size={width},900")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
