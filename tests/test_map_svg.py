"""SVG maps of NUTS regions: a partnership's regions by role, the platform's by count.

Drawn from the synthetic boundaries of :mod:`boundary_files` (boxes where the regions lie).
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET

import pytest
from boundary_files import BOXES, synthetic_collection

from s3graph.api.mapframe import frame_for, path_data, project
from s3graph.api.maps import (
    COUNT_PALETTE,
    ROLE_COLOURS,
    WIDTH,
    Credit,
    MapRegion,
    count_classes,
    count_map,
    role_map,
)
from s3graph.vocab.boundaries import ATTRIBUTION, Shape, read_geojson

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def shapes() -> dict[str, Shape]:
    data = json.dumps(synthetic_collection()).encode()
    return {s.code: s.polygons for s in read_geojson(data, "synthetic.geojson")}


def region(code: str, value: str | int) -> MapRegion:
    return MapRegion(code, BOXES[code][0], value)


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def links(root: ET.Element) -> dict[str, ET.Element]:
    return {a.attrib["href"]: a for a in root.iter(f"{SVG}a")}


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_a_role_map_links_each_region_names_it_and_colours_it_by_role(
    shapes: dict[str, Shape],
) -> None:
    regions = [region("FI1D7", "leading"), region("SE331", "participating")]

    root = parsed(role_map(regions, shapes, title="Regions of a partnership"))

    assert set(links(root)) == {"/region/FI1D7", "/region/SE331"}
    lappi = links(root)["/region/FI1D7"]
    (path,) = lappi.iter(f"{SVG}path")
    assert path.attrib["fill"] == ROLE_COLOURS["leading"]
    assert path.find(f"{SVG}title") is not None
    assert path.findtext(f"{SVG}title") == "Lappi (FI1D7): leading region"
    (other,) = links(root)["/region/SE331"].iter(f"{SVG}path")
    assert other.attrib["fill"] == ROLE_COLOURS["participating"]
    shown = texts(root)
    assert "leading region" in shown and "participating region" in shown
    assert ATTRIBUTION in shown
    assert root.findtext(f"{SVG}title") == "Regions of a partnership"


def test_a_map_scales_with_the_page_and_fetches_nothing(shapes: dict[str, Shape]) -> None:
    svg = role_map([region("ES41", "leading")], shapes, title="t")
    root = parsed(svg)

    assert "width" not in root.attrib and "height" not in root.attrib
    x, y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    assert (x, y, w) == (0, 0, WIDTH) and h > 0
    assert root.attrib["role"] == "img"
    assert "<script" not in svg and "<image" not in svg
    assert re.findall(r"https?://[^\"' ]+", svg) == ["http://www.w3.org/2000/svg"]


def test_the_countries_around_are_drawn_unlinked_in_grey(shapes: dict[str, Shape]) -> None:
    root = parsed(role_map([region("ES61", "leading")], shapes, title="t"))

    linked = {id(p) for a in root.iter(f"{SVG}a") for p in a.iter(f"{SVG}path")}
    grey = [p for p in root.iter(f"{SVG}path") if id(p) not in linked]
    assert grey, "Spain and its neighbours drawn around Andalucía"
    assert {p.attrib["fill"] for p in grey} == {"#e6e6e6"}


def test_a_count_map_colours_by_class_and_leaves_zero_out(shapes: dict[str, Shape]) -> None:
    counts = {"FI1D7": 1, "SE331": 3, "ES41": 12, "ES61": 6, "SE33": 0}
    regions = [region(code, n) for code, n in counts.items()]

    root = parsed(count_map(regions, shapes, title="Partnerships per region"))

    assert "/region/SE33" not in links(root)
    classes = count_classes(12)
    for code, n in counts.items():
        if not n:
            continue
        (path,) = links(root)[f"/region/{code}"].iter(f"{SVG}path")
        expected = next(c for (low, high), c in classes if low <= n <= high)
        assert path.attrib["fill"] == expected
        assert path.findtext(f"{SVG}title", "").endswith(
            f": {n} partnership" + ("" if n == 1 else "s")
        )
    shown = texts(root)
    assert "partnerships per region:" in shown
    assert [t for t in shown if re.fullmatch(r"\d+( to \d+)?", t)] == [
        "1 to 2",
        "3 to 4",
        "5 to 7",
        "8 to 9",
        "10 to 12",
    ]


def test_count_classes_cover_every_count_once() -> None:
    for most in range(1, 60):
        classes = count_classes(most)
        covered = [n for (low, high), _ in classes for n in range(low, high + 1)]
        assert covered == list(range(1, most + 1))
        assert [c for _, c in classes][-1] == COUNT_PALETTE[-1] or most == 1
    assert count_classes(0) == []


def test_regions_not_drawn_are_named_under_the_map(shapes: dict[str, Shape]) -> None:
    regions = [
        region("FI1D7", "leading"),
        region("FRY1", "participating"),  # in the Caribbean
        MapRegion("DE21", "Oberbayern", "participating"),  # no boundary stored
    ]

    root = parsed(role_map(regions, shapes, title="t"))

    assert set(links(root)) == {"/region/FI1D7"}
    shown = " ".join(texts(root))
    assert "Outside this map: Guadeloupe (FRY1)." in shown
    assert "No boundary stored for: Oberbayern (DE21)." in shown


def test_a_region_too_small_to_draw_is_a_dot_still_linked(shapes: dict[str, Shape]) -> None:
    root = parsed(
        role_map([region("MT001", "participating"), region("FI1D7", "leading")], shapes, title="t")
    )

    dot = links(root)["/region/MT001"]
    (circle,) = dot.iter(f"{SVG}circle")
    assert circle.findtext(f"{SVG}title") == "Malta (MT001): participating region"


def test_names_are_escaped_and_the_credit_is_the_one_given(shapes: dict[str, Shape]) -> None:
    odd = MapRegion("FI1D7", 'Lappi <& "north">', "leading", href="/region/FI1D7?x=1&y=2")
    credit = Credit(source="Source: Eurostat/GISCO, NUTS 2021 at 1:20 million")

    svg = role_map([odd], shapes, title="A & B", credit=credit)
    root = parsed(svg)

    (link,) = root.iter(f"{SVG}a")
    assert link.attrib["href"] == "/region/FI1D7?x=1&y=2"
    assert link.findtext(f"{SVG}path/{SVG}title") == 'Lappi <& "north"> (FI1D7): leading region'
    assert "Source: Eurostat/GISCO, NUTS 2021 at 1:20 million" in texts(root)
    assert root.findtext(f"{SVG}title") == "A & B"


def test_two_maps_on_one_page_keep_their_ids_apart(shapes: dict[str, Shape]) -> None:
    one = role_map([region("FI1D7", "leading")], shapes, title="a", ident="map-a")
    two = count_map([region("FI1D7", 2)], shapes, title="b", ident="map-b")

    ids = re.findall(r'id="([^"]+)"', one + two)
    assert len(ids) == len(set(ids))


# -- the frame and the outlines ----------------------------------------------------------------


def absolute_points(d: str) -> list[list[tuple[float, float]]]:
    """The rings of path data written as ``Mx yl dx dy ... z``, back in absolute points."""
    rings = []
    for part in re.findall(r"M([^z]+)z", d):
        start, _, moves = part.partition("l")
        x, y = (float(v) for v in start.split())
        points = [(x, y)]
        numbers = [float(v) for v in moves.split()]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = round(x + dx, 1), round(y + dy, 1)
            points.append((x, y))
        rings.append(points)
    return rings


def test_an_outline_is_simplified_within_half_a_unit() -> None:
    circle = tuple(
        (10 + 8 * math.cos(2 * math.pi * i / 2000), 52 + 5 * math.sin(2 * math.pi * i / 2000))
        for i in range(2001)
    )
    shape = project(((circle,),))
    frame = frame_for([shape])

    (ring,) = absolute_points(path_data(shape, frame))

    assert 12 < len(ring) < 400
    true_points = [frame.to_view(p) for p in shape[0][0]]
    for x, y in ring:  # every point kept lies on the true outline, to the rounding
        assert min(math.dist((x, y), p) for p in true_points) < 0.1
    xs = [x for x, _ in ring]
    assert min(xs) < 0.1 * WIDTH and max(xs) > 0.9 * WIDTH  # the frame is fitted to it


def test_a_square_keeps_its_four_corners_and_its_hole() -> None:
    outer = ((5.0, 50.0), (15.0, 50.0), (15.0, 56.0), (5.0, 56.0), (5.0, 50.0))
    hole = ((9.0, 52.0), (9.0, 54.0), (11.0, 54.0), (11.0, 52.0), (9.0, 52.0))
    shape = project(((outer, hole),))

    rings = absolute_points(path_data(shape, frame_for([shape])))

    assert [len(ring) for ring in rings] == [4, 4]  # closed by z, each corner once


def test_roles_as_the_queries_give_them_and_a_region_without_name(
    shapes: dict[str, Shape],
) -> None:
    role = "https://w3id.org/s3graph/def#"
    regions = [
        MapRegion("ES41", "Castilla y León", role + "leading"),
        MapRegion("ES41", "Castilla y León", role + "participating"),  # leading comes first
        MapRegion("ES61", "", role + "participating"),
    ]

    root = parsed(role_map(regions, shapes, title="t"))

    assert len(list(root.iter(f"{SVG}a"))) == 2
    (leading,) = links(root)["/region/ES41"].iter(f"{SVG}path")
    assert leading.attrib["fill"] == ROLE_COLOURS["leading"]
    (unnamed,) = links(root)["/region/ES61"].iter(f"{SVG}path")
    assert unnamed.findtext(f"{SVG}title") == "ES61: participating region"
