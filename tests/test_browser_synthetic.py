"""In headless Chromium: every page that shows a synthetic example report says so, visibly.

The DOM tells which pages carry the notice and the badges; a screenshot tells that the notice is
drawn in the first screen of the page (its background colour is counted in the pixels).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import find_shared_part, ingest_linked, live_server
from test_browser import _browse

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.cli import examples_dir
from s3graph.namespaces import DEFAULT_BASE
from s3graph.removal import find_reports, remove
from s3graph.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

NOTICE = 'class="synthetic-notice"'
BADGE = 'class="badge-synthetic"'
#: The notice's background (``.synthetic-notice`` in static/style.css).
NOTICE_BACKGROUND = (0xFF, 0xF4, 0xE5)
#: Pages that show data of the examples (the mining example mentions the batteries partnership).
EXAMPLE_PAGES = (
    "/",
    "/cross",
    "/report/mining-industry/2020-H2",
    "/partnership/mining-industry",
    "/partnership/advanced-materials-for-batteries",
    "/region/ES41",
    "/report/mining-industry/2020-H2/membership/leading/1",
    "/entity/lapland-mining-cluster",  # named by the example only: its statements are its data
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store, bool]]:
    """A live server over the examples and, when it is there, the corpus."""
    corpus, _ = find_shared_part("corpus")
    path = tmp_path_factory.mktemp("synthetic-pages") / "store"
    with Store.open(path) as store:
        ingest_linked(store, [examples_dir(), *([corpus] if corpus else [])], DEFAULT_BASE)
        with live_server(create_app(ApiSettings(), store)) as url:
            yield url, store, corpus is not None


@pytest.mark.parametrize("page", EXAMPLE_PAGES)
def test_a_page_showing_an_example_carries_the_notice(
    served: tuple[str, Store, bool], page: str, tmp_path: Path
) -> None:
    url, _, _ = served
    dom = _browse(url + page, tmp_path, "--dump-dom")
    assert dom.count(NOTICE) == 1
    assert "synthetic example" in dom and "not cite" in dom


def test_the_report_page_badges_the_report_and_the_partnership_page_its_list(
    served: tuple[str, Store, bool], tmp_path: Path
) -> None:
    url, _, _ = served
    report = _browse(f"{url}/report/mining-industry/2020-H2", tmp_path, "--dump-dom")
    assert "This report is a synthetic example" in report
    partnership = _browse(f"{url}/partnership/mining-industry", tmp_path, "--dump-dom")
    listed = partnership.split('<h2 id="reports">', 1)[1].split("</section>", 1)[0]
    example = listed.split('href="/report/mining-industry/2020-H2"', 1)[1].split("</li>", 1)[0]
    assert BADGE in example
    others = [item for item in listed.split("<li>")[1:] if "2020-H2" not in item]
    assert all(BADGE not in item for item in others)


def test_a_partnerships_own_report_carries_no_notice(
    served: tuple[str, Store, bool], tmp_path: Path
) -> None:
    url, _, with_corpus = served
    if not with_corpus:
        pytest.skip("the shared corpus is not there")
    dom = _browse(f"{url}/report/cybersecurity/2021-H1", tmp_path, "--dump-dom")
    assert "Cybersecurity" in dom
    assert NOTICE not in dom and BADGE not in dom


def test_the_notice_is_drawn_in_the_first_screen(
    served: tuple[str, Store, bool], tmp_path: Path
) -> None:
    url, _, _ = served
    shot = tmp_path / "report.png"
    page = f"{url}/report/mining-industry/2020-H2"
    _browse(page, tmp_path, f"--screenshot={shot}", "--window-size=1024,700")
    width, height, pixels = read_png(shot.read_bytes())
    painted = sum(1 for pixel in pixels if pixel[:3] == NOTICE_BACKGROUND)
    assert painted > width * height // 50  # a band across the page, not a stray pixel


def test_after_remove_examples_no_page_carries_the_notice(
    served: tuple[str, Store, bool], tmp_path: Path
) -> None:
    """Runs last in this module: it takes the examples out of the served store.

    The running server's query workers hold the store as it was when they started (a write of
    another process reaches them when the server starts again), so a fresh server is asked.
    """
    _, store, with_corpus = served
    remove(store, find_reports(store, examples=True, base=DEFAULT_BASE))
    with live_server(create_app(ApiSettings(), store)) as url:
        dom = _browse(f"{url}/", tmp_path, "--dump-dom")
        assert "S3 thematic partnerships" in dom
        assert NOTICE not in dom
        if with_corpus:
            dom = _browse(f"{url}/partnership/mining-industry", tmp_path, "--dump-dom")
            assert "Mining Industry" in dom and "2020-H1" in dom
            assert NOTICE not in dom and BADGE not in dom
            assert 'href="/report/mining-industry/2020-H2"' not in dom


def read_png(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and pixels of an 8-bit RGB or RGBA PNG, not interlaced (as Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, bytes] = {}
    at = 8
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        chunks[kind] = chunks.get(kind, b"") + data[at + 8 : at + 8 + size]
        at += 12 + size
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and colour in (2, 6) and interlace == 0
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = width * channels
    pixels: list[tuple[int, ...]] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            line[i] = (line[i] + _predict(kind, left, up, corner)) & 0xFF
        pixels += [tuple(line[x : x + channels]) for x in range(0, stride, channels)]
        previous = line
    return width, height, pixels


def _predict(kind: int, left: int, up: int, corner: int) -> int:
    """The PNG filter predictor of ``kind`` (0 none, 1 sub, 2 up, 3 average, 4 Paeth)."""
    if kind == 0:
        return 0
    if kind == 1:
        return left
    if kind == 2:
        return up
    if kind == 3:
        return (left + up) // 2
    guess = left + up - corner
    near = enumerate((left, up, corner))
    candidates = [(abs(guess - value), order, value) for order, value in near]
    return min(candidates)[2]  # the nearest; ties to left, then up
