"""Synthetic NUTS boundary files for the tests: rough boxes where real regions lie, laid out as
GISCO's GeoJSON files are, enough to read, store and draw boundaries without GISCO's data (which
s3graph never ships). Shared by the boundary, map and page tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: code -> (name, west, south, east, north): boxes roughly where these regions are.
BOXES: dict[str, tuple[str, float, float, float, float]] = {
    "FI": ("Suomi / Finland", 20.5, 59.8, 31.5, 70.0),
    "FI1D": ("Pohjois- ja Itä-Suomi", 23.0, 62.0, 31.5, 70.0),
    "FI1D7": ("Lappi", 23.0, 66.0, 30.0, 70.0),
    "SE": ("Sverige", 11.0, 55.3, 24.1, 69.0),
    "SE33": ("Övre Norrland", 15.0, 63.3, 24.1, 68.5),
    "SE331": ("Västerbottens län", 15.0, 63.3, 21.5, 66.0),
    "ES": ("España", -9.3, 36.0, 3.3, 43.8),
    "ES41": ("Castilla y León", -7.0, 40.1, -1.8, 43.2),
    "ES61": ("Andalucía", -7.5, 36.0, -1.6, 38.7),
    "ES70": ("Canarias", -18.2, 27.6, -13.4, 29.4),
    "FR": ("France", -4.8, 42.3, 8.2, 51.1),
    "FRY1": ("Guadeloupe", -61.8, 15.8, -61.0, 16.5),
    "MT": ("Malta", 14.18, 35.8, 14.58, 36.08),
    "MT001": ("Malta", 14.4, 35.85, 14.402, 35.852),
}

#: More boxes, for the regions the bundled example reports (and the shared corpus) name, and
#: their countries: what a page's map draws in the page tests.
EXAMPLE_BOXES: dict[str, tuple[str, float, float, float, float]] = {
    "FI1D3": ("Pohjois-Karjala", 28.5, 62.0, 31.5, 63.9),
    "FI1D8": ("Kainuu", 26.5, 63.6, 30.6, 65.0),
    "SE332": ("Norrbottens län", 17.0, 65.2, 24.1, 69.0),
    "EL": ("Elláda", 20.0, 35.0, 26.6, 41.7),
    "EL63": ("Dytiki Elláda", 20.9, 37.3, 22.4, 38.7),
    "EL64": ("Sterea Elláda", 21.5, 38.1, 24.5, 39.1),
    "ES12": ("Principado de Asturias", -7.2, 42.9, -4.5, 43.7),
    "ES21": ("País Vasco", -3.5, 42.5, -1.7, 43.5),
    "ES24": ("Aragón", -2.2, 39.8, 0.8, 42.9),
    "PL": ("Polska", 14.1, 49.0, 24.1, 54.8),
    "PL21": ("Małopolskie", 19.1, 49.2, 21.4, 50.5),
    "PL51": ("Dolnośląskie", 15.0, 50.1, 17.8, 51.8),
    "PT": ("Portugal", -9.5, 37.0, -6.2, 42.1),
    "PT11": ("Norte", -8.9, 41.0, -6.2, 42.1),
    "PT16": ("Centro (PT)", -9.0, 39.2, -6.8, 41.0),
    "IT": ("Italia", 6.6, 36.6, 18.5, 47.1),
    "ITC4": ("Lombardia", 8.5, 44.7, 11.4, 46.6),
    "AT": ("Österreich", 9.5, 46.4, 17.2, 49.0),
    "AT31": ("Oberösterreich", 12.7, 47.5, 14.9, 48.8),
    "BE": ("Belgique-België", 2.5, 49.5, 6.4, 51.5),
    "BE2": ("Vlaams Gewest", 2.5, 50.7, 5.9, 51.5),
    "DE": ("Deutschland", 5.9, 47.3, 15.0, 55.0),
    "DE1": ("Baden-Württemberg", 7.5, 47.5, 10.5, 49.8),
    "CZ": ("Česko", 12.1, 48.6, 18.9, 51.1),
    "CZ06": ("Jihovýchod", 15.0, 48.6, 17.6, 50.0),
}


def box_ring(west: float, south: float, east: float, north: float) -> list[list[float]]:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def feature(code: str) -> dict[str, Any]:
    name, west, south, east, north = {**BOXES, **EXAMPLE_BOXES}[code]
    ring = box_ring(west, south, east, north)
    geometry: dict[str, Any] = {"type": "Polygon", "coordinates": [ring]}
    if code == "SE":  # two parts, the first with a hole (a lake)
        lake = box_ring(14.0, 58.3, 14.8, 58.9)
        island = box_ring(18.1, 56.9, 19.1, 57.9)
        geometry = {"type": "MultiPolygon", "coordinates": [[ring, lake[::-1]], [island]]}
    properties = {
        "NUTS_ID": code,
        "LEVL_CODE": len(code) - 2,
        "CNTR_CODE": code[:2],
        "NAME_LATN": name,
        "NUTS_NAME": name,
    }
    return {"type": "Feature", "id": code, "properties": properties, "geometry": geometry}


def synthetic_collection(codes: tuple[str, ...] = tuple(BOXES)) -> dict[str, Any]:
    """A FeatureCollection laid out as GISCO's NUTS GeoJSON files are."""
    return {"type": "FeatureCollection", "features": [feature(code) for code in codes]}


def write_synthetic(path: Path, document: object | None = None) -> Path:
    content = synthetic_collection() if document is None else document
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def write_example_boundaries(path: Path) -> Path:
    """A boundary file with every box above: the regions of the example reports and more."""
    return write_synthetic(path, synthetic_collection((*BOXES, *EXAMPLE_BOXES)))
