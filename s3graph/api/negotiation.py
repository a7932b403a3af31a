"""Content negotiation for the whole web app: the media-type tables and one negotiator.

Every route that answers in several formats asks :func:`negotiate` with the media types it can
produce, in its order of preference; the tables map the chosen type to the pyoxigraph format that
writes it. Suffix URLs (``/x.ttl``, :data:`SUFFIXES`) beat ``Accept``: a route that sees a suffix
uses its media type and does not negotiate.

:func:`negotiate` follows RFC 7231 section 5.3.2: each offered type gets the quality of the most
specific range that matches it (``type/subtype;params`` > ``type/subtype`` > ``type/*`` > ``*/*``),
``q=0`` excludes, the highest quality wins and ties go to the earlier offered type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

__all__ = [
    "HTML",
    "RDF_TYPES",
    "RESULT_TYPES",
    "SUFFIXES",
    "negotiate",
    "parse_accept",
]

HTML = "text/html"

#: RDF graphs (CONSTRUCT, DESCRIBE, service description, VoID, resource pages): media type ->
#: pyoxigraph format, first is the default. ``text/html`` is offered separately by pages.
RDF_TYPES: Mapping[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}

#: SELECT and ASK results: media type -> pyoxigraph format, first is the default.
RESULT_TYPES: Mapping[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}

#: Aliases some clients send, mapped to the type of the tables above they mean.
ALIASES: Mapping[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
}

#: URL suffixes that choose a representation without ``Accept``.
SUFFIXES: Mapping[str, str] = {
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
}


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One range of an ``Accept`` header: ``type/subtype;params;q=...``."""

    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def matches(self, media_type: str, params: Mapping[str, str]) -> bool:
        kind, _, sub = media_type.partition("/")
        if self.type not in ("*", kind):
            return False
        if self.subtype not in ("*", sub):
            return False
        # charset is about the encoding (always UTF-8 here), not the representation
        return all(params.get(k) == v for k, v in self.params if k != "charset")


def parse_accept(accept: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed ranges are skipped."""
    ranges: list[MediaRange] = []
    for part in accept.split(","):
        media, *raw_params = (piece.strip() for piece in part.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for raw in raw_params:
            key, _, value = raw.partition("=")
            key, value = key.strip().lower(), value.strip().strip('"')
            if key == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
                break  # accept-extensions after q are not media-type parameters
            if key:
                params.append((key, value))
        ranges.append(MediaRange(kind, sub, tuple(params), q))
    return ranges


def _split(offered: str) -> tuple[str, dict[str, str]]:
    media, *raw_params = (piece.strip() for piece in offered.split(";"))
    params = {}
    for raw in raw_params:
        key, _, value = raw.partition("=")
        params[key.strip().lower()] = value.strip().strip('"')
    return media.lower(), params


def quality(ranges: Sequence[MediaRange], offered: str) -> float:
    """The quality ``ranges`` give ``offered``: that of the most specific matching range."""
    media, params = _split(offered)
    best: MediaRange | None = None
    for media_range in ranges:
        if media_range.matches(media, params) and (
            best is None or media_range.specificity > best.specificity
        ):
            best = media_range
    return 0.0 if best is None else best.q


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The type of ``offered`` that ``accept`` prefers, or None when none is acceptable.

    No (or an empty) ``Accept`` accepts anything: the first offered type. Aliases (``text/xml``,
    ``application/json``, ...) count as the type they stand for when that type is offered.
    """
    if not offered:
        return None
    if accept is None or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    lowered = [media.lower() for media in offered]
    best: str | None = None
    best_q = 0.0
    for index, media in enumerate(offered):
        q = quality(ranges, media)
        for alias, target in ALIASES.items():
            if target == lowered[index] and alias not in lowered:
                alias_q = quality([r for r in ranges if r.specificity >= 2], alias)
                q = max(q, alias_q)
        if q > best_q:
            best, best_q = media, q
    return best
