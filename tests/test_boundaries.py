"""NUTS boundaries: a GISCO GeoJSON file read, checked, kept as GeoSPARQL and read back; fetched
from a local server standing in for GISCO, cached, and loaded from a user's file by the CLI.

The boundary file is synthetic (:mod:`boundary_files`): rough boxes where a few real regions
lie, enough to check reading and drawing without GISCO's data (which s3graph never ships).
"""

from __future__ import annotations

import csv
import functools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from boundary_files import BOXES, box_ring, feature, synthetic_collection, write_synthetic
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import DCTERMS
from test_vocab_loading import _closed_port, _Quiet

from s3graph.cli import main
from s3graph.store import Store
from s3graph.vocab.boundaries import ATTRIBUTION, parse_wkt, read_geojson, to_wkt
from s3graph.vocab.boundaries_projection import laea_to_lonlat
from s3graph.vocab.boundaries_rdf import (
    boundaries_graph,
    boundaries_graph_iri,
    read_boundaries_graph,
)
from s3graph.vocab.rdf_files import VocabFileError
from s3graph.vocab.sources import boundaries as geo


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "store") as opened:
        yield opened


# -- reading -------------------------------------------------------------------------------------


def test_a_gisco_file_is_read_region_by_region() -> None:
    data = json.dumps(synthetic_collection()).encode()

    shapes = {s.code: s for s in read_geojson(data, "NUTS_RG_20M_2021_4326.geojson")}

    assert sorted(shapes) == sorted(BOXES)
    assert shapes["FI1D7"].level == 3 and shapes["FI1D7"].name == "Lappi"
    assert shapes["FI1D7"].polygons == (
        (((23.0, 66.0), (30.0, 66.0), (30.0, 70.0), (23.0, 70.0), (23.0, 66.0)),),
    )
    sweden = shapes["SE"].polygons
    assert [len(polygon) for polygon in sweden] == [2, 1]  # a hole in the first part


def test_levels_keep_only_those_regions() -> None:
    data = json.dumps(synthetic_collection()).encode()

    shapes = read_geojson(data, "f.geojson", levels={0})

    assert {s.code for s in shapes} == {"FI", "SE", "ES", "FR", "MT"}


def test_a_file_in_epsg_3035_is_turned_back_into_longitude_latitude() -> None:
    # The EPSG guidance's example point (50 N, 5 E) and three more around it, in metres.
    e, n = 3962799.45, 2999718.85
    ring = [[e, n], [e + 20000, n], [e + 20000, n + 20000], [e, n + 20000], [e, n]]
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3035"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"NUTS_ID": "BE34", "LEVL_CODE": 2},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }

    (shape,) = read_geojson(json.dumps(document).encode(), "regions.geojson")

    first = shape.polygons[0][0][0]
    assert first == (5.0, 50.0)
    assert laea_to_lonlat(e + 20000, n + 20000)[1] > 50.1


def test_a_gisco_file_name_in_epsg_3035_says_its_crs() -> None:
    e, n = 3962799.45, 2999718.85
    ring = [[e, n], [e + 20000, n], [e + 20000, n + 20000], [e, n + 20000], [e, n]]
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"NUTS_ID": "BE34"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    data = json.dumps(document).encode()

    (shape,) = read_geojson(data, "NUTS_RG_20M_2021_3035_LEVL_2.geojson")

    assert shape.polygons[0][0][0] == (5.0, 50.0)
    with pytest.raises(VocabFileError, match="found EPSG:3857"):
        read_geojson(data, "NUTS_RG_20M_2021_3857.geojson")


BAD_FILES: list[tuple[str, object, str]] = [
    ("not JSON", "{oops", "found text that is not JSON"),
    ("a list", [1, 2], "found a JSON list"),
    ("no features", {"type": "FeatureCollection", "features": []}, "found no features"),
    (
        "a point",
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"NUTS_ID": "FI1D7"},
                    "geometry": {"type": "Point", "coordinates": [25.0, 67.0]},
                }
            ],
        },
        "a Polygon or MultiPolygon geometry for feature 1 (FI1D7), found Point",
    ),
    (
        "no code",
        {"type": "FeatureCollection", "features": [{**feature("FI"), "properties": {}, "id": 7}]},
        "a NUTS code like FI1D7 as NUTS_ID of feature 1, found 7",
    ),
    (
        "twice",
        synthetic_collection(("FI", "SE", "FI")),
        "one feature per NUTS code, found FI twice",
    ),
    (
        "metres without a CRS",
        {
            "type": "FeatureCollection",
            "features": [
                {
                    **feature("FI"),
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [box_ring(0, 0, 500000, 500000)],
                    },
                }
            ],
        },
        "longitude/latitude in degrees (EPSG:4326) in feature 1 (FI), found [500000, 0] "
        "(a file in EPSG:3035 says so in its crs member or its name",
    ),
]


@pytest.mark.parametrize(("case", "document", "expected"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_one_line_naming_the_file_and_what_was_expected(
    tmp_path: Path, case: str, document: object, expected: str
) -> None:
    path = tmp_path / "bad.geojson"
    text = document if isinstance(document, str) else json.dumps(document)
    path.write_text(text, encoding="utf-8")

    with pytest.raises(VocabFileError) as caught:
        geo.read_boundaries_file(path, year=2021)

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: expected ")
    assert expected in message


def test_wkt_round_trip_and_the_crs_said_in_front() -> None:
    (shape,) = (
        s.polygons for s in read_geojson(json.dumps(synthetic_collection(("SE",))).encode(), "f")
    )

    text = to_wkt(shape)

    assert text.startswith("MULTIPOLYGON(((11 55.3,24.1 55.3,")
    assert parse_wkt(text) == shape
    crs84 = "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POLYGON((1 2,3 2,3 4,1 2))"
    assert parse_wkt(crs84) == ((((1.0, 2.0), (3.0, 2.0), (3.0, 4.0), (1.0, 2.0)),),)
    with pytest.raises(ValueError, match="CRS84"):
        parse_wkt("<http://www.opengis.net/def/crs/EPSG/0/3035> POLYGON((1 2,3 2,3 4,1 2))")
    with pytest.raises(ValueError, match="POLYGON"):
        parse_wkt("POINT(1 2)")


# -- the graph and the store -------------------------------------------------------------------


def test_the_graph_holds_geosparql_geometries_and_gisco_notice() -> None:
    shapes = read_geojson(json.dumps(synthetic_collection()).encode(), "f")

    graph = boundaries_graph(shapes, 2021, source="https://example.org/x.geojson", scale="20M")
    back = read_boundaries_graph(graph, 2021)

    assert graph.identifier == boundaries_graph_iri(2021)
    assert (graph.identifier, DCTERMS.rights, Literal(ATTRIBUTION, lang="en")) in graph
    assert back.attribution == ATTRIBUTION
    assert back.title == "NUTS 2021 boundaries at 1:20 million"
    assert back.shapes == {s.code: s.polygons for s in shapes}


def test_a_file_is_stored_and_read_back(store: Store, tmp_path: Path) -> None:
    path = write_synthetic(tmp_path / "NUTS_RG_60M_2016_4326.geojson")

    update = geo.read_boundaries_file(path)
    geo.write_boundaries(store, update)

    assert update.lines() == [
        f"{boundaries_graph_iri(2016)}: {store.graph_size(str(boundaries_graph_iri(2016)))} "
        "triples (NUTS 2016 boundaries at 1:60 million: 5 of level 0, 6 of level 2, "
        f"3 of level 3) from {path}"
    ]
    assert geo.boundary_years(store) == [2016]
    stored = geo.stored_boundaries(store)
    assert stored is not None and stored.year == 2016
    assert set(stored.shapes) == set(BOXES)
    assert geo.stored_boundaries(store, 2021) is None


def test_the_version_must_be_told_when_the_name_does_not(tmp_path: Path) -> None:
    path = write_synthetic(tmp_path / "regions.geojson")

    with pytest.raises(Exception, match="give it with --year YEAR"):
        geo.read_boundaries_file(path)


def test_the_version_in_force_is_today_s_without_reports(store: Store) -> None:
    assert geo.years_in_force(store, today=date(2022, 6, 1)) == (2021,)


# -- downloads and the command line ------------------------------------------------------------


@pytest.fixture
def gisco_root(tmp_path: Path) -> Path:
    root = tmp_path / "gisco"
    (root / "geojson").mkdir(parents=True)
    write_synthetic(root / "geojson" / "NUTS_RG_20M_2021_4326.geojson")
    return root


@pytest.fixture
def gisco_server(gisco_root: Path) -> Iterator[str]:
    with serving(gisco_root) as url:
        yield url


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """A local server standing in for GISCO's distribution API, serving ``root``."""
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_cli_downloads_the_boundaries_and_uses_the_cache_offline(
    gisco_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S3GRAPH_CACHE", str(tmp_path / "cache"))
    store_dir = tmp_path / "cli-store"
    command = ["--store", str(store_dir), "vocab", "boundaries", "--year", "2021"]

    with serving(gisco_root) as url:
        monkeypatch.setenv("S3GRAPH_NUTS_BASE", url)
        first = CliRunner().invoke(main, command)

    assert first.exit_code == 0, first.output
    (line,) = first.output.splitlines()
    assert line.startswith(f"{boundaries_graph_iri(2021)}: ")
    assert "NUTS 2021 boundaries at 1:20 million: 5 of level 0" in line
    assert line.endswith(f"from {url}geojson/NUTS_RG_20M_2021_4326.geojson")
    with Store.open(store_dir) as opened:
        stored = geo.stored_boundaries(opened, 2021)
        assert stored is not None and len(stored.shapes) == len(BOXES)

    # the server is gone: the copy in the cache is loaded again, the same graph
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)
    cached = CliRunner().invoke(main, command)
    assert cached.exit_code == 0, cached.output
    assert line in cached.output.splitlines()
    assert "using the cached copy" in cached.output


def test_cli_offline_without_cache_says_how_to_load_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S3GRAPH_NUTS_BASE", f"http://127.0.0.1:{_closed_port()}/")
    monkeypatch.setenv("S3GRAPH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)

    result = CliRunner().invoke(
        main, ["--store", str(tmp_path / "s"), "vocab", "boundaries", "--year", "2016"]
    )

    assert result.exit_code == 4, result.output
    (line,) = result.output.splitlines()
    assert line.startswith("cannot download http://127.0.0.1:")
    assert "NUTS_RG_20M_2016_4326.geojson" in line
    assert line.endswith("run `s3graph vocab boundaries --file FILE.geojson`")


def test_cli_a_bad_download_is_one_line_and_stores_nothing(
    gisco_server: str, gisco_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("S3GRAPH_NUTS_BASE", gisco_server)
    monkeypatch.setenv("S3GRAPH_CACHE", str(tmp_path / "cache"))
    (gisco_root / "geojson" / "NUTS_RG_20M_2021_4326.geojson").write_text("<html>moved</html>")
    store_dir = tmp_path / "cli-store"

    result = CliRunner().invoke(
        main, ["--store", str(store_dir), "vocab", "boundaries", "--year", "2021"]
    )

    assert result.exit_code == 2, result.output
    (line,) = result.output.splitlines()
    assert line.startswith(f"{gisco_server}geojson/NUTS_RG_20M_2021_4326.geojson: expected ")
    assert "GeoJSON FeatureCollection of NUTS regions" in line
    with Store.open(store_dir) as opened:
        assert geo.boundary_years(opened) == []


def test_cli_loads_a_named_file_and_refuses_a_bad_one(tmp_path: Path) -> None:
    store_dir = tmp_path / "cli-store"
    good = write_synthetic(tmp_path / "regions.geojson")
    bad = write_synthetic(tmp_path / "bad.geojson", synthetic_collection(("FI", "FI")))

    loaded = CliRunner().invoke(
        main,
        ["--store", str(store_dir), "vocab", "boundaries", "--file", str(good), "--year", "2024"],
    )
    refused = CliRunner().invoke(
        main,
        ["--store", str(store_dir), "vocab", "boundaries", "--file", str(bad), "--year", "2021"],
    )

    assert loaded.exit_code == 0, loaded.output
    assert refused.exit_code == 2
    assert refused.output.splitlines() == [
        f"{bad}: expected one feature per NUTS code, found FI twice"
    ]
    with Store.open(store_dir) as opened:
        assert geo.boundary_years(opened) == [2024]
        size = opened.graph_size(str(boundaries_graph_iri(2024)))
    listed = CliRunner().invoke(main, ["--store", str(store_dir), "vocab", "list"])
    assert f"{boundaries_graph_iri(2024)}: {size} triples (NUTS 2024 boundaries)" in (
        listed.output.splitlines()
    )


def test_the_dumps_carry_the_boundaries_and_their_notice(store: Store, tmp_path: Path) -> None:
    from s3graph.export.run import ExportSettings, export

    geo.write_boundaries(
        store, geo.read_boundaries_file(write_synthetic(tmp_path / "b.geojson"), year=2021)
    )

    export(store, tmp_path / "out", ExportSettings(formats=("nq", "ttl")))

    quads = (tmp_path / "out" / "s3graph.nq").read_text(encoding="utf-8")
    graph = f"<{boundaries_graph_iri(2021)}> ."
    assert sum(line.endswith(graph) for line in quads.splitlines()) == store.graph_size(
        str(boundaries_graph_iri(2021))
    )
    assert f'"{ATTRIBUTION}"@en {graph}' in quads
    assert ATTRIBUTION in (tmp_path / "out" / "dataset.ttl").read_text(encoding="utf-8")


def test_every_url_asked_for_is_in_gisco_s_list_of_files(shared_dir: Path) -> None:
    listing = shared_dir / "reference" / "gisco-nuts-files.csv"
    if not listing.is_file():
        pytest.skip(f"no list of GISCO's files at {listing}")
    with listing.open(encoding="utf-8", newline="") as handle:
        published = {row["url"] for row in csv.DictReader(handle)}
    official = "https://gisco-services.ec.europa.eu/distribution/v2/nuts/"

    asked = [
        geo.boundaries_url(year, scale=scale, level=level, base=official)
        for year in (2010, 2013, 2016, 2021, 2024)
        for scale in ("01M", "03M", "10M", "20M", "60M")
        for level in (None, 0, 1, 2, 3)
    ]

    assert sorted(set(asked) - published) == []
