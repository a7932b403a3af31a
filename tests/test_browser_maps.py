"""Maps as a person sees them: headless Chromium (Playwright, 127.0.0.1 only) on a partnership
page and ``/map`` over the example reports with synthetic boundaries, and on a store without.

Screenshots at 1280 and 390 px go to ``build/screenshots/`` (or ``$S3GRAPH_SCREENSHOTS``) as
``map-*.png``, for a reviewer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import live_server
from test_analyst import SHOTS, WIDTHS, Offline
from test_map_pages import LEFT_OUT, MINING, example_boundaries, example_store, partnership_regions

from s3graph.api.app import create_app
from s3graph.api.settings import ApiSettings
from s3graph.vocab.boundaries import ATTRIBUTION

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(scope="module")
def mapped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """A live server over the examples with boundaries, and Mining Industry's codes drawn."""
    root = tmp_path_factory.mktemp("browser-maps")
    with example_store(root / "store", example_boundaries(root / "geo")) as store:
        codes = {r["code"] for r in partnership_regions(store, "mining-industry")} - {LEFT_OUT}
        with live_server(create_app(ApiSettings(), store)) as url:
            yield url, sorted(codes)


@pytest.fixture(scope="module")
def bare_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server over the examples without boundaries."""
    root = tmp_path_factory.mktemp("browser-no-maps")
    with example_store(root / "store", None) as store, live_server(
        create_app(ApiSettings(), store)
    ) as url:
        yield url


def _shot(offline: Offline, name: str, width: int) -> int:
    """A full-page screenshot ``map-{name}-{width}.png``; the page's width in px."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    offline.page.wait_for_load_state("networkidle")
    offline.page.screenshot(path=str(SHOTS / f"map-{name}-{width}.png"), full_page=True)
    return int(offline.page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_partnership_page_shows_its_map_with_a_link_per_region(
    width: int, mapped_site: tuple[str, list[str]], browser: Any
) -> None:
    url, codes = mapped_site
    offline = Offline(browser, width)
    try:
        page = offline.page
        page.goto(url + MINING)
        regions = page.locator("svg.map a.map-region")
        links = [regions.nth(i) for i in range(regions.count())]
        assert sorted(link.get_attribute("data-code") for link in links) == codes
        for link in links:
            assert link.get_attribute("href") == f"/region/{link.get_attribute('data-code')}"
        credit = page.locator(".map-attribution")
        assert credit.is_visible() and ATTRIBUTION in credit.inner_text()
        left_out = page.locator(".map-not-drawn").inner_text()
        assert left_out == f"No boundary stored in NUTS 2021: Principado de Asturias ({LEFT_OUT})."
        drawn = page.locator("svg.map").bounding_box()
        assert drawn is not None and drawn["width"] <= width
        assert _shot(offline, "partnership", width) <= width + 2
        assert not offline.blocked  # nothing asked of another host
        page.locator('svg.map a.map-region[data-code="FI1D7"]').click()
        page.wait_for_url(url + "/region/FI1D7")
        assert "Lappi" in page.locator("h1").inner_text()
    finally:
        offline.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_platform_map_is_drawn_and_fits(
    width: int, mapped_site: tuple[str, list[str]], browser: Any
) -> None:
    url, _ = mapped_site
    offline = Offline(browser, width)
    try:
        offline.page.goto(url + "/")
        offline.page.locator("nav a", has_text="Map").click()
        offline.page.wait_for_url(url + "/map")
        assert offline.page.locator("svg.map a.map-region").count() >= 10
        assert ATTRIBUTION in offline.page.locator(".map-attribution").inner_text()
        assert _shot(offline, "platform", width) <= width + 2
    finally:
        offline.context.close()


def test_without_boundaries_the_page_says_how_to_get_them(bare_site: str, browser: Any) -> None:
    offline = Offline(browser, 390)
    try:
        offline.page.goto(bare_site + MINING)
        hint = offline.page.locator(".map-hint")
        assert hint.is_visible() and "s3graph vocab boundaries" in hint.inner_text()
        assert offline.page.locator("svg.map").count() == 0
        assert offline.page.locator("h2", has_text="Reports").is_visible()
        _shot(offline, "missing", 390)
    finally:
        offline.context.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from test_analyst import playwright
    from test_browser import CHROMIUM_FLAGS, _chromium

    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=_chromium(), args=list(CHROMIUM_FLAGS))
        try:
            yield launched
        finally:
            launched.close()

