"""The pages say when stored judgements are older than the reference data in force (issue 12)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.cli import main
from s3graph.cli.support import Settings, load_reference
from s3graph.store import Store

BASE = "https://w3id.org/s3graph/"
REPORT = "/report/mining-industry/2020-H1"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def store_path(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stale") / "store"
    report = shared_dir / "corpus" / "mining-industry-2020-h1.txt"
    result = CliRunner().invoke(main, ["--store", str(path), "ingest", str(report)])
    assert result.exit_code == 0, result.output
    return path


def _client(store_path: Path, digest: str | None) -> Iterator[TestClient]:
    with Store.open(store_path, read_only=True) as store:
        app = create_app(ApiSettings(base=BASE, reference_digest=digest), store)
        with TestClient(app) as client:
            yield client


@pytest.fixture
def current(store_path: Path) -> Iterator[TestClient]:
    settings = Settings(store=store_path, base=BASE, verbose=False)
    yield from _client(store_path, load_reference(settings, None).stamp.digest)


@pytest.fixture
def changed(store_path: Path) -> Iterator[TestClient]:
    yield from _client(store_path, "0" * 64)  # as after loading other NUTS data


def test_pages_say_nothing_when_judgements_match_the_reference_data(current: TestClient) -> None:
    for path in ("/", REPORT):
        page = current.get(path, headers=HTML)
        assert page.status_code == 200
        assert "Judgements out of date" not in page.text


def test_home_and_report_pages_say_when_judgements_are_older(changed: TestClient) -> None:
    home = changed.get("/", headers=HTML).text
    assert "Judgements out of date" in home
    assert "of 1 report\n  were made against other reference data" in home
    assert "s3graph check" in home
    report = changed.get(REPORT, headers=HTML).text
    assert "Judgements out of date" in report
    assert "of this report were made against other reference data" in report


def test_the_report_page_says_which_nuts_versions_judged_it(current: TestClient) -> None:
    page = current.get(REPORT, headers=HTML).text
    assert "Region codes were checked against NUTS 2010 2013 2016 2021 2024 snapshot" in page
