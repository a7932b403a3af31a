"""Where the reference vocabularies are published: every official URL in one place.

s3graph never ships copies of NUTS, SDG or Wikidata data; it downloads them from these sources
(through :func:`.fetch.fetch`, cached) or loads a file the user names. Each base can
be overridden by an environment variable, which is how the tests point the real download code at
a local server, and how a user behind a mirror points it elsewhere.
"""

from __future__ import annotations

import os

#: NUTS versions s3graph knows (the classifications in force from 2012, 2015, 2018, 2021, 2024).
NUTS_VERSIONS: tuple[int, ...] = (2010, 2013, 2016, 2021, 2024)

#: Eurostat GISCO distribution API, NUTS part (ends with a slash).
DEFAULT_NUTS_BASE = "https://gisco-services.ec.europa.eu/distribution/v2/nuts/"
#: Environment variable overriding :data:`DEFAULT_NUTS_BASE`.
NUTS_BASE_ENV = "S3GRAPH_NUTS_BASE"

#: The UN SDG Knowledge Organization System (goals, targets, indicators) as Turtle.
DEFAULT_SDG_URL = (
    "https://raw.githubusercontent.com/UNStats/LOD4Stats/master/"
    "sdg-data/sdg-kos-goals-targets-indicators.ttl"
)
#: Environment variable overriding :data:`DEFAULT_SDG_URL`.
SDG_URL_ENV = "S3GRAPH_SDG_URL"

#: Wikidata Query Service SPARQL endpoint.
DEFAULT_WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
#: Environment variable overriding :data:`DEFAULT_WIKIDATA_ENDPOINT`.
WIKIDATA_ENDPOINT_ENV = "S3GRAPH_WIKIDATA_ENDPOINT"


def _configured(env: str, default: str) -> str:
    """The value of ``env`` when set and not blank, else ``default``."""
    value = os.environ.get(env, "").strip()
    return value or default


def nuts_base() -> str:
    """The GISCO NUTS base URL (``$S3GRAPH_NUTS_BASE`` or the official one), ending with ``/``."""
    base = _configured(NUTS_BASE_ENV, DEFAULT_NUTS_BASE)
    return base if base.endswith("/") else base + "/"


def nuts_csv_url(version: int, base: str | None = None) -> str:
    """URL of the GISCO attribute table (codes and names, no geometry) of a NUTS version.

    >>> nuts_csv_url(2021, "https://example.org/nuts/")
    'https://example.org/nuts/csv/NUTS_AT_2021.csv'
    """
    if version not in NUTS_VERSIONS:
        known = ", ".join(str(v) for v in NUTS_VERSIONS)
        raise ValueError(f"unknown NUTS version {version}: expected one of {known}")
    root = base if base is not None else nuts_base()
    if not root.endswith("/"):
        root += "/"
    return f"{root}csv/NUTS_AT_{version}.csv"


def sdg_kos_url() -> str:
    """URL of the UN SDG KOS Turtle file (``$S3GRAPH_SDG_URL`` or the official one)."""
    return _configured(SDG_URL_ENV, DEFAULT_SDG_URL)


def wikidata_endpoint() -> str:
    """The Wikidata SPARQL endpoint (``$S3GRAPH_WIKIDATA_ENDPOINT`` or the official one)."""
    return _configured(WIKIDATA_ENDPOINT_ENV, DEFAULT_WIKIDATA_ENDPOINT)


__all__ = [
    "DEFAULT_NUTS_BASE",
    "DEFAULT_SDG_URL",
    "DEFAULT_WIKIDATA_ENDPOINT",
    "NUTS_BASE_ENV",
    "NUTS_VERSIONS",
    "SDG_URL_ENV",
    "WIKIDATA_ENDPOINT_ENV",
    "nuts_base",
    "nuts_csv_url",
    "sdg_kos_url",
    "wikidata_endpoint",
]
