"""Maps on the pages (issue 15): a partnership's regions by role, the platform's partnerships per
region, drawn from synthetic boundaries (:mod:`boundary_files`) stored as ``s3graph vocab
boundaries --file`` stores them; without boundaries, the pages say how to get them.

The stores hold the bundled example reports (Mining Industry, 2020-H2: NUTS 2016 in force; the
boundaries stored are of NUTS 2021, so its codes are followed to their NUTS 2021 successors).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from boundary_files import (
    BOXES,
    EXAMPLE_BOXES,
    synthetic_collection,
    write_synthetic,
)
from conftest import ingest_linked
from fastapi.testclient import TestClient

from s3graph.api import mapshapes
from s3graph.api.app import create_app
from s3graph.api.mapview import _place
from s3graph.api.settings import ApiSettings
from s3graph.cli import examples_dir
from s3graph.namespaces import DEFAULT_BASE
from s3graph.sparql import load_query, plain, run_query
from s3graph.store import Store
from s3graph.vocab.boundaries import ATTRIBUTION
from s3graph.vocab.nuts_snapshot import snapshot_index
from s3graph.vocab.sources.boundaries import (
    MISSING_HINT,
    read_boundaries_file,
    write_boundaries,
)

MINING = "/partnership/mining-industry"
#: A region of Mining Industry left out of the boundary file: listed under its map, not drawn.
LEFT_OUT = "ES12"


def example_store(path: Path, boundaries: Path | None) -> Store:
    """The example reports ingested as ``s3graph ingest`` does, and ``boundaries`` (a GeoJSON
    file) stored as ``s3graph vocab boundaries --file`` stores them."""
    store = Store.open(path)
    ingest_linked(store, [examples_dir()], DEFAULT_BASE)
    if boundaries is not None:
        write_boundaries(store, read_boundaries_file(boundaries))
    return store


def example_boundaries(folder: Path) -> Path:
    """Boxes for every example region but :data:`LEFT_OUT`, as GISCO names a NUTS 2021 file."""
    folder.mkdir(parents=True, exist_ok=True)
    codes = tuple(c for c in (*BOXES, *EXAMPLE_BOXES) if c != LEFT_OUT)
    return write_synthetic(folder / "NUTS_RG_20M_2021_4326.geojson", synthetic_collection(codes))


def partnership_regions(store: Store, slug: str) -> list[dict[str, str]]:
    query = load_query("regions-of-partnership")
    result = run_query(store, query, {"partnership": slug}, base=DEFAULT_BASE)
    return [
        {c: plain(t) if t is not None else "" for c, t in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]


@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    root = tmp_path_factory.mktemp("mapped")
    with example_store(root / "store", example_boundaries(root / "geo")) as store:
        yield store


@pytest.fixture(scope="module")
def client(mapped: Store) -> Iterator[TestClient]:
    with TestClient(create_app(ApiSettings(), mapped)) as opened:
        yield opened


def _map_section(html: str) -> str:
    found = re.search(r'<section aria-labelledby="map".*?</section>', html, re.S)
    assert found, "a map section"
    return found.group(0)


def _outside_svg(html: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.S)


def test_a_partnership_page_maps_each_region_with_a_link_and_the_notice(
    client: TestClient, mapped: Store
) -> None:
    section = _map_section(client.get(MINING).text)
    codes = {r["code"] for r in partnership_regions(mapped, "mining-industry")}
    drawn = set(re.findall(r'<a href="/region/([A-Z0-9]+)" class="map-region"', section))
    assert drawn == codes - {LEFT_OUT}
    leading = re.findall(r'data-code="([A-Z0-9]+)"><path d="[^"]+" fill="#b8470f"', section)
    assert sorted(leading) == ["FI1D3", "FI1D7"]  # leading wins over participating
    words = _outside_svg(section)
    assert ATTRIBUTION in words  # under the map, in words, not only in the picture
    assert "NUTS 2021" in words and "NUTS 2016" in words  # drawn in; in force for the report
    # the region left out of the file is named under the map, with why, and linked
    link = rf'<a href="/region/{LEFT_OUT}">[^<]+</a> \({LEFT_OUT}\)'
    not_drawn = rf"<li>No boundary stored in NUTS 2021: {link}\."
    assert re.search(not_drawn, words)


def test_the_platform_map_counts_partnerships_per_region(client: TestClient) -> None:
    page = client.get("/map")
    assert page.status_code == 200
    section = _map_section(page.text)
    tip = r'data-code="([A-Z0-9]+)">.*?<title>[^<]*: (\d+) partnerships?'
    tips = dict(re.findall(tip, section))
    # both example partnerships name Castilla y León and Andalucía; Lappi only Mining Industry
    assert tips["ES41"] == "2" and tips["ES61"] == "2" and tips["FI1D7"] == "1"
    assert ATTRIBUTION in _outside_svg(section)
    assert 'href="/map"' in client.get("/").text  # the nav leads there


def test_the_boundaries_are_read_once_per_data_version(client: TestClient) -> None:
    client.get(MINING)
    pool = client.app.state.pool  # type: ignore[attr-defined]
    first = mapshapes._KEPT[pool][2021].shapes
    client.get(MINING)
    client.get("/map")
    assert mapshapes._KEPT[pool][2021].shapes is first


def test_an_older_code_is_drawn_as_its_successor() -> None:
    """EL23 (Dytiki Elláda, NUTS 2010) is EL63 from NUTS 2013 on: drawn as EL63 on a 2021 map."""
    index = snapshot_index()
    assert index.versions_of("EL23") and index.successors("EL23", 2010, 2021) == ("EL63",)
    rows = [
        {"region": DEFAULT_BASE + "region/EL23", "code": "EL23", "name": "Dytiki Elláda"},
        {"region": DEFAULT_BASE + "region/XX9", "code": "XX9", "name": ""},
        {"region": DEFAULT_BASE + "region/Somewhere", "code": "", "name": "Somewhere"},
    ]
    placed, recoded, not_drawn = _place(rows, {"EL63": ()}, 2021, index, DEFAULT_BASE)
    assert [(code, href) for code, _, href in placed] == [("EL63", "/region/EL23")]
    assert recoded[0].code == "EL23" and "EL63" in recoded[0].why
    assert [(u.code, u.why) for u in not_drawn] == [
        ("XX9", "not a NUTS code of any version"),
        ("", "named without a NUTS code"),
    ]


def test_without_boundaries_the_pages_say_how_to_get_them(tmp_path: Path) -> None:
    with (
        example_store(tmp_path / "store", None) as store,
        TestClient(create_app(ApiSettings(), store)) as bare,
    ):
        page = bare.get(MINING)
        assert page.status_code == 200
        assert _hint(page.text) == MISSING_HINT.replace("`", "")
        assert "<code>s3graph vocab boundaries</code>" in page.text  # the command to run
        assert 'class="map"' not in page.text
        # everything else is there
        for heading in ("Regions", "Reports", "Events", "Sustainable Development Goals"):
            assert f">{heading}</h2>" in page.text
        assert "Lappi" in page.text
        platform = bare.get("/map")
        assert platform.status_code == 200 and _hint(platform.text) == _hint(page.text)


def _hint(html: str) -> str:
    """The words of the page's note where a map would be."""
    found = re.search(r'<p class="empty-notice map-hint" role="note">(.*?)</p>', html, re.S)
    assert found, "a note where the map would be"
    return unescape(re.sub(r"<[^>]+>", "", found.group(1)))

