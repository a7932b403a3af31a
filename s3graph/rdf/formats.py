"""The formats s3graph reads and writes, in one table, and the one ``Accept`` negotiator.

Each :class:`Format` says once what a format is called everywhere: its media type, its file
suffix, the pyoxigraph format that reads and writes it (an ``RdfFormat`` for graphs, a
``QueryResultsFormat`` for SELECT/ASK results) and its type in the EU authority table of file
types (the export's DCAT description). The tables the routes offer (:data:`RDF_TYPES`,
:data:`RESULT_TYPES`, :data:`SUFFIXES`) are views of it.

:func:`parse_media_type` is the one reader of ``type/subtype; k=v`` text (``Content-Type``, each
range of ``Accept``). :func:`negotiate` follows RFC 7231 section 5.3.2: each offered type gets the
quality of the most specific range that matches it (``type/subtype;params`` > ``type/subtype`` >
``type/*`` > ``*/*``), ``q=0`` excludes, the highest quality wins and ties go to the earlier
offered type. Suffix URLs (``/x.ttl``) beat ``Accept``: a route that sees one uses its type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from s3graph.rdf.namespaces import FILE_TYPE

__all__ = [
    "ALIASES",
    "FORMATS",
    "FORMAT_PARAMETER",
    "HTML",
    "RDF_TYPES",
    "RESULT_TYPES",
    "SUFFIXES",
    "Format",
    "MediaRange",
    "by_suffix",
    "format_parameter",
    "negotiate",
    "parse_accept",
    "parse_media_type",
]

HTML = "text/html"


@dataclass(frozen=True, slots=True)
class Format:
    """One format: how HTTP, file names, pyoxigraph and DCAT each name it."""

    media_type: str
    suffix: str
    #: What the format is, for people ("Turtle").
    label: str
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None
    #: Local name in the EU file-type table (``RDF_TURTLE``), None when it has none.
    file_type_name: str | None = None

    @property
    def file_type(self) -> str | None:
        """The IRI of the EU file type, for ``dct:format``."""
        return FILE_TYPE.iri(self.file_type_name) if self.file_type_name else None


#: Every format, by media type.
FORMATS: Mapping[str, Format] = {
    f.media_type: f
    for f in (
        Format("text/turtle", ".ttl", "Turtle", rdf=ox.RdfFormat.TURTLE,
               file_type_name="RDF_TURTLE"),
        Format("application/n-triples", ".nt", "N-Triples", rdf=ox.RdfFormat.N_TRIPLES,
               file_type_name="RDF_N_TRIPLES"),
        Format("application/ld+json", ".jsonld", "JSON-LD", rdf=ox.RdfFormat.JSON_LD,
               file_type_name="JSON_LD"),
        Format("application/rdf+xml", ".rdf", "RDF/XML", rdf=ox.RdfFormat.RDF_XML,
               file_type_name="RDF_XML"),
        Format("application/n-quads", ".nq", "N-Quads", rdf=ox.RdfFormat.N_QUADS,
               file_type_name="RDF_N_QUADS"),
        Format("application/sparql-results+json", ".srj", "SPARQL results (JSON)",
               results=ox.QueryResultsFormat.JSON),
        Format("application/sparql-results+xml", ".srx", "SPARQL results (XML)",
               results=ox.QueryResultsFormat.XML),
        Format("text/csv", ".csv", "CSV", results=ox.QueryResultsFormat.CSV,
               file_type_name="CSV"),
        Format("text/tab-separated-values", ".tsv", "TSV", results=ox.QueryResultsFormat.TSV,
               file_type_name="TSV"),
        Format("application/csvm+json", ".json", "CSVW metadata (JSON)", file_type_name="JSON"),
        Format(HTML, ".html", "HTML", file_type_name="HTML"),
    )
}  # fmt: skip


def _rdf(types: Iterable[str]) -> dict[str, ox.RdfFormat]:
    return {media: rdf for media in types if (rdf := FORMATS[media].rdf) is not None}


def _results(types: Iterable[str]) -> dict[str, ox.QueryResultsFormat]:
    return {media: fmt for media in types if (fmt := FORMATS[media].results) is not None}


#: RDF graphs (CONSTRUCT, DESCRIBE, service description, VoID, resource pages): media type ->
#: pyoxigraph format, first is the default. ``text/html`` is offered separately by pages.
RDF_TYPES: Mapping[str, ox.RdfFormat] = _rdf(
    ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
)

#: SELECT and ASK results: media type -> pyoxigraph format, first is the default.
RESULT_TYPES: Mapping[str, ox.QueryResultsFormat] = _results(
    ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
     "text/tab-separated-values"]
)  # fmt: skip

#: URL suffixes that choose a representation of a resource page without ``Accept``.
SUFFIXES: Mapping[str, str] = {FORMATS[media].suffix: media for media in
                               ["text/turtle", "application/ld+json", "application/n-triples",
                                "application/rdf+xml"]}  # fmt: skip

#: Aliases some clients send, mapped to the type of the tables above they mean.
ALIASES: Mapping[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
}

#: What ``format=`` (or ``output=``) on a SPARQL request may name, as Fuseki and Virtuoso users
#: write it: short names of the result and RDF formats (a media type is taken as it is).
FORMAT_PARAMETER: Mapping[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
}


def format_parameter(value: str) -> str | None:
    """The media type a ``format=`` value names (``json``, ``csv``, ``turtle``, or a media type
    such as ``text/csv``), or None for a value that names none."""
    name = value.strip().lower()
    if "/" in name:
        return name if parse_accept(name) else None
    return FORMAT_PARAMETER.get(name)


_BY_SUFFIX = {f.suffix: f for f in FORMATS.values()}


def by_suffix(suffix: str) -> Format | None:
    """The format of a file suffix (``.ttl``), or None."""
    return _BY_SUFFIX.get(suffix)


def parse_media_type(text: str) -> tuple[str, list[tuple[str, str]]]:
    """``type/subtype; k=v; ...`` as the lowercased type and its parameters, in order.

    Keys are lowercased and values unquoted (their case kept: only some parameters, such as
    ``charset``, are case-insensitive).
    """
    media, *raw_params = (piece.strip() for piece in text.split(";"))
    params: list[tuple[str, str]] = []
    for raw in raw_params:
        key, _, value = raw.partition("=")
        params.append((key.strip().lower(), value.strip().strip('"')))
    return media.lower(), params


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
        media, raw_params = parse_media_type(part)
        kind, slash, sub = media.partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for key, value in raw_params:
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


def quality(ranges: Sequence[MediaRange], offered: str) -> float:
    """The quality ``ranges`` give ``offered``: that of the most specific matching range."""
    media, params = parse_media_type(offered)
    given = dict(params)
    best: MediaRange | None = None
    for media_range in ranges:
        if media_range.matches(media, given) and (
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
