"""What a person sees: headless Chromium opens pages of a live server and we read its DOM.

Chromium comes from Debian's ``chromium`` package (``.ci/run`` installs it). Without it the tests
are skipped on a developer's machine and fail in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ingest_linked, live_server

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.cli import examples_dir
from s3graph.namespaces import DEFAULT_BASE
from s3graph.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed (.ci/run installs Debian's chromium package)")
    pytest.skip("chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server on 127.0.0.1 over the bundled example reports."""
    path: Path = tmp_path_factory.mktemp("browser") / "store"
    with Store.open(path) as store:
        ingest_linked(store, [examples_dir()], DEFAULT_BASE)
        with live_server(create_app(ApiSettings(), store)) as url:
            yield url


#: Chromium on a machine with no network but 127.0.0.1: no sandbox (tests run as root), and none of
#: its own connections (updates, sync, background fetches), which the closed network refuses.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _browse(url: str, tmp_path: Path, *extra: str) -> str:
    """The DOM Chromium shows for ``url`` (scripts run; no network but 127.0.0.1)."""
    command = [
        _chromium(),
        "--headless",
        *CHROMIUM_FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=3000",
        *extra,
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_home_lists_the_partnerships(site: str, tmp_path: Path) -> None:
    dom = _browse(f"{site}/", tmp_path, "--dump-dom")
    assert "Mining Industry" in dom and "Advanced Materials for Batteries" in dom
    assert 'href="/partnership/mining-industry"' in dom or "/partnership/mining-industry" in dom


def test_a_partnership_page_shows_regions_reports_and_a_chart(site: str, tmp_path: Path) -> None:
    dom = _browse(f"{site}/partnership/mining-industry", tmp_path, "--dump-dom")
    assert "Mining Industry" in dom
    assert "<svg" in dom  # the SDG profile, drawn on the server
    assert "2020" in dom  # its report's period
    assert "FI1D7" in dom or "SE331" in dom  # a region with its NUTS code


def test_the_query_page_works_offline(site: str, tmp_path: Path) -> None:
    """YASGUI cannot load here (no network): the plain form is what a person uses."""
    dom = _browse(f"{site}/query", tmp_path, "--dump-dom")
    assert "<form" in dom and "<textarea" in dom
    assert "partnerships" in dom  # the named queries as examples


def test_a_screenshot_of_the_home_page_is_drawn(site: str, tmp_path: Path) -> None:
    shot = tmp_path / "home.png"
    _browse(f"{site}/", tmp_path, f"--screenshot={shot}", "--window-size=1200,900")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
