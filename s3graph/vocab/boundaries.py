"""NUTS boundaries, pure: a GISCO GeoJSON file read into region shapes, and shapes as WKT.

GISCO's NUTS files (``NUTS_RG_20M_2021_4326.geojson`` and the like) are FeatureCollections of
one Polygon or MultiPolygon per region, with ``NUTS_ID``, ``LEVL_CODE`` and ``NAME_LATN`` among
the properties. :func:`read_geojson` reads one completely and checks it before anything is kept:
a file that is not such a collection raises one :class:`VocabFileError` naming the file and what
was expected there. Positions are kept as (longitude, latitude) rounded to 4 decimals (about
10 m, far finer than any GISCO scale s3graph offers), in EPSG:4326; a file in EPSG:3035 (said by
its ``crs`` member or its GISCO file name) is turned back into longitude/latitude.

:func:`to_wkt` and :func:`parse_wkt` write and read the shapes as GeoSPARQL ``wktLiteral``s
(CRS84, the literal's default: longitude first), which is how the store keeps them
(:mod:`s3graph.vocab.boundaries_rdf`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from s3graph.vocab.boundaries_projection import laea_to_lonlat
from s3graph.vocab.rdf_files import VocabFileError

#: The copyright notice GISCO asks to be shown with any map made from its NUTS boundaries.
ATTRIBUTION = "© EuroGeographics for the administrative boundaries"
#: Where the boundaries come from, said under each map and in the graph that holds them.
SOURCE_NOTE = "Source: European Commission, Eurostat/GISCO"
#: GISCO's terms of use for the boundaries (its FAQ and download pages).
TERMS = (
    "GISCO NUTS boundaries: non-commercial use, free at 1:1 million or smaller scales; "
    f"the source must be acknowledged with the notice '{ATTRIBUTION}'"
)

Position = tuple[float, float]  # (longitude, latitude)
Ring = tuple[Position, ...]  # closed: the last position repeats the first
Polygon = tuple[Ring, ...]  # the exterior ring, then any holes
Shape = tuple[Polygon, ...]
#: Turns a position of the file's CRS into (longitude, latitude).
Converter = Callable[[float, float], Position]

_DECIMALS = 4
_CODE = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}")
_EPSG_IN_NAME = re.compile(r"_(4326|3035|3857)(?:_LEVL_\d)?\.geojson$", re.IGNORECASE)
_EXPECTED = "a GeoJSON FeatureCollection of NUTS regions (GISCO NUTS_RG_..._4326.geojson)"


@dataclass(frozen=True, slots=True)
class RegionShape:
    """The boundary of one NUTS region: its code, level, Latin-script name and polygons."""

    code: str
    level: int
    name: str
    polygons: Shape


def read_geojson(
    data: bytes, name: str, *, levels: Collection[int] | None = None
) -> list[RegionShape]:
    """Every region of a GISCO NUTS GeoJSON file (those of ``levels`` only, when given).

    ``name`` is the file as the user knows it (a path or URL), used in errors and to tell the
    CRS from a GISCO file name. Raises :class:`VocabFileError` for anything else than a
    FeatureCollection of Polygon/MultiPolygon features with a valid ``NUTS_ID`` each, once.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        found = f"found the byte 0x{data[exc.start]:02x}"
        raise VocabFileError(name, f"{_EXPECTED} in UTF-8, {found}") from exc
    except ValueError as exc:
        raise VocabFileError(name, f"{_EXPECTED}, found text that is not JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        kind = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise VocabFileError(name, f"{_EXPECTED}, found a JSON {kind!s:.40}")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise VocabFileError(name, f"{_EXPECTED}, found no features")
    to_lonlat = _converter(document, name)
    shapes: dict[str, RegionShape] = {}
    for number, feature in enumerate(features, start=1):
        shape = _feature(feature, number, name, to_lonlat)
        if shape.code in shapes:
            raise VocabFileError(name, f"one feature per NUTS code, found {shape.code} twice")
        if levels is None or shape.level in levels:
            shapes[shape.code] = shape
    return sorted(shapes.values(), key=lambda s: s.code)


def _converter(document: dict[str, Any], name: str) -> Converter:
    """How the file's positions become longitude/latitude: its ``crs`` member says, else its
    GISCO file name, else GeoJSON's own rule (WGS 84 longitude/latitude)."""
    crs = document.get("crs")
    said = json.dumps(crs) if crs is not None else ""
    in_name = _EPSG_IN_NAME.search(name)
    epsg = re.search(r"EPSG:{1,2}(\d+)", said) or in_name
    code = epsg.group(1) if epsg else "4326"
    if "CRS84" in said or code == "4326":
        return _lonlat
    if code == "3035":
        return laea_to_lonlat
    raise VocabFileError(name, f"{_EXPECTED} in EPSG:4326 or EPSG:3035, found EPSG:{code}")


def _lonlat(x: float, y: float) -> tuple[float, float]:
    return x, y


def _feature(feature: object, number: int, name: str, to_lonlat: Converter) -> RegionShape:
    where = f"feature {number}"
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise VocabFileError(name, f"a GeoJSON Feature as {where}")
    properties = feature.get("properties") or {}
    code = properties.get("NUTS_ID", feature.get("id")) if isinstance(properties, dict) else None
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise VocabFileError(name, f"a NUTS code like FI1D7 as NUTS_ID of {where}, found {code!r}")
    where = f"{where} ({code})"
    level = properties.get("LEVL_CODE", len(code) - 2)
    if str(level) != str(len(code) - 2):
        raise VocabFileError(name, f"LEVL_CODE {len(code) - 2} for {where}, found {level!r}")
    label = properties.get("NAME_LATN") or properties.get("NUTS_NAME") or ""
    polygons = _geometry(feature.get("geometry"), where, name, to_lonlat)
    return RegionShape(code, len(code) - 2, str(label), polygons)


def _geometry(geometry: object, where: str, name: str, to_lonlat: Converter) -> Shape:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        parts = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        parts = coordinates
    else:
        raise VocabFileError(name, f"a Polygon or MultiPolygon geometry for {where}, found {kind}")
    polygons = []
    for part in parts:
        if not isinstance(part, list) or not part:
            raise VocabFileError(name, f"a list of rings for each polygon of {where}")
        rings = tuple(r for r in (_ring(ring, where, name, to_lonlat) for ring in part) if r)
        if rings:
            polygons.append(rings)
    if not polygons:
        raise VocabFileError(name, f"at least one polygon of 4 or more positions for {where}")
    return tuple(polygons)


def _ring(ring: object, where: str, name: str, to_lonlat: Converter) -> Ring:
    """A ring as rounded longitude/latitude, repeated positions dropped; empty when it shrank
    below a triangle (an islet smaller than the rounding)."""
    if not isinstance(ring, list):
        raise VocabFileError(name, f"rings as lists of positions in {where}")
    try:
        points = [to_lonlat(_coordinate(p[0]), _coordinate(p[1])) for p in ring]
    except (TypeError, IndexError, KeyError, ValueError):
        bad = next(p for p in ring if not _is_position(p))
        raise VocabFileError(
            name, f"positions as [x, y] numbers in {where}, found {bad!s:.60}"
        ) from None
    # Out of range, or not a number (NaN compares false): not longitude/latitude.
    if points and not (
        all(-180.0 <= x <= 180.0 for x, _ in points) and all(-90.0 <= y <= 90.0 for _, y in points)
    ):
        bad = next(
            p
            for p, (x, y) in zip(ring, points, strict=True)
            if not (-180.0 <= x <= 180.0 and -90.0 <= y <= 90.0)
        )
        raise VocabFileError(
            name,
            f"longitude/latitude in degrees (EPSG:4326) in {where}, found {bad} "
            "(a file in EPSG:3035 says so in its crs member or its name, ..._3035.geojson)",
        )
    kept: list[Position] = []
    for x, y in points:
        point = (round(x, _DECIMALS), round(y, _DECIMALS))
        if not kept or kept[-1] != point:
            kept.append(point)
    if len(kept) > 1 and kept[0] != kept[-1]:
        kept.append(kept[0])
    return tuple(kept) if len(kept) >= 4 else ()


def _coordinate(value: object) -> float:
    """A JSON number as a float; anything else (a string, true, null) raises TypeError."""
    if type(value) is float or type(value) is int:
        return float(value)
    raise TypeError(value)


def _is_position(value: object) -> bool:
    try:
        _coordinate(value[0])  # type: ignore[index]
        _coordinate(value[1])  # type: ignore[index]
    except (TypeError, IndexError, KeyError):
        return False
    return isinstance(value, list)


# -- WKT ---------------------------------------------------------------------------------------


def _number(value: float) -> str:
    """The shortest text of a coordinate rounded to 4 decimals (``23.5``, ``-7``, ``0``)."""
    text = repr(value)
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def to_wkt(shape: Shape) -> str:
    """``MULTIPOLYGON(((lon lat, ...)), ...)``: a shape as a WKT literal's text (CRS84)."""
    polygons = (
        "("
        + ",".join("(" + ",".join(f"{_number(x)} {_number(y)}" for x, y in r) + ")" for r in p)
        + ")"
        for p in shape
    )
    return "MULTIPOLYGON(" + ",".join(polygons) + ")"


_CRS_PREFIX = re.compile(r"^\s*<([^>]*)>\s*")
_CRS84 = (
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "http://www.opengis.net/def/crs/EPSG/0/4326",
)
_BETWEEN_POLYGONS = re.compile(r"\)\s*\)\s*,\s*\(\s*\(")
_BETWEEN_RINGS = re.compile(r"\)\s*,\s*\(")


def parse_wkt(text: str) -> Shape:
    """A ``POLYGON`` or ``MULTIPOLYGON`` WKT literal (as :func:`to_wkt` writes it, or with a CRS84
    IRI in front) as a shape. Raises ValueError for anything else."""
    crs = _CRS_PREFIX.match(text)
    body = text[crs.end() :] if crs else text
    if crs and crs.group(1) not in _CRS84:
        raise ValueError(f"a WKT literal in CRS84, found the CRS <{crs.group(1)}>")
    kind, _, rest = body.partition("(")
    kind = kind.strip().upper()
    if kind not in ("POLYGON", "MULTIPOLYGON"):
        raise ValueError(f"a POLYGON or MULTIPOLYGON WKT literal, found {kind or body[:20]!r}")
    depth = 3 if kind == "MULTIPOLYGON" else 2  # parentheses around the first position
    inner = "(" + rest.strip()
    if not inner.startswith("(" * depth) or not inner.endswith(")" * depth):
        raise ValueError(f"a {kind} WKT literal with its parentheses, found {body[:40]!r}")
    inner = inner[depth:-depth]
    polygons = _BETWEEN_POLYGONS.split(inner) if depth == 3 else [inner]
    return tuple(tuple(map(_ring_of, _BETWEEN_RINGS.split(p))) for p in polygons)


def _ring_of(text: str) -> Ring:
    numbers = [float(v) for v in text.replace(",", " ").split()]
    return tuple(zip(numbers[::2], numbers[1::2], strict=True))


# -- what a set of shapes is -------------------------------------------------------------------


def per_level(shapes: Iterable[RegionShape]) -> str:
    """How many regions of each level: ``37 of level 0, 125 of level 1``."""
    counts: dict[int, int] = {}
    for shape in shapes:
        counts[shape.level] = counts.get(shape.level, 0) + 1
    return ", ".join(f"{n} of level {level}" for level, n in sorted(counts.items()))


__all__ = [
    "ATTRIBUTION",
    "SOURCE_NOTE",
    "TERMS",
    "Polygon",
    "Position",
    "RegionShape",
    "Ring",
    "Shape",
    "parse_wkt",
    "per_level",
    "read_geojson",
    "to_wkt",
]
