"""One view of the graph (the union, or one partnership's slice) written as N-Triples, Turtle
and JSON-LD from its sorted, unique N-Triples lines.

The lines are written once as N-Triples and parsed back once; the parsed triples feed
pyoxigraph's Turtle writer and our JSON-LD writer side by side.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from s3graph.export.files import open_output, output_path
from s3graph.export.jsonld import JsonLdWriter
from s3graph.rdf.namespaces import RDF

__all__ = ["BASE_PREFIX", "Statistics", "Syntax", "write_view"]

_RDF_TYPE = RDF.iri("type")

#: JSON-LD prefix of the data IRIs (the ``--base``).
BASE_PREFIX = "s3graph"


@dataclass(frozen=True)
class Syntax:
    """How IRIs are shortened: the vocabularies' prefixes, and the base of the data IRIs.

    JSON-LD writes data IRIs as compact IRIs of a ``s3graph:`` prefix. Turtle writes them in
    full: as prefixed names their slashes would need escaping, and relative to a ``@base``
    pyoxigraph would also shorten every other ``https:`` IRI (``<//schema.org/>``).
    """

    prefixes: dict[str, str]
    base: str

    @property
    def context(self) -> dict[str, str]:
        """The JSON-LD context: the prefixes and ``s3graph:`` for the data IRIs."""
        return {**self.prefixes, BASE_PREFIX: self.base}


@dataclass
class Statistics:
    """VoID statistics of a view, counted as its sorted triples stream past."""

    triples: int = 0
    distinct_subjects: int = 0
    entities: int = 0
    classes: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)


def write_view(
    lines: Iterable[bytes],
    stem: Path,
    formats: Collection[str],
    *,
    gzip: bool,
    scratch: Path,
    syntax: Syntax,
    statistics: Statistics | None = None,
) -> list[Path]:
    """Sorted unique N-Triples ``lines`` as ``stem``.{nt,ttl,jsonld} for ``formats``.

    ``scratch`` is a file the N-Triples may be written to when no plain ``.nt`` is wanted.
    ``statistics``, when given, is filled in (even when ``formats`` is empty).
    """
    written: list[Path] = []
    nt = stem.with_name(stem.name + ".nt")
    plain = "nt" in formats and not gzip
    triples = nt if plain else scratch
    triples.parent.mkdir(parents=True, exist_ok=True)
    with triples.open("wb") as file:
        file.writelines(lines)
    if "nt" in formats:
        if gzip:
            with open_output(nt, gzip=True) as packed, triples.open("rb") as source:
                shutil.copyfileobj(source, packed, 1 << 20)
        written.append(output_path(nt, gzip=gzip))
    if "ttl" in formats or "jsonld" in formats or statistics is not None:
        written += _turtle_and_jsonld(triples, stem, formats, gzip, syntax, statistics)
    if not plain:
        triples.unlink()
    return written


def _turtle_and_jsonld(
    triples: Path,
    stem: Path,
    formats: Collection[str],
    gzip: bool,
    syntax: Syntax,
    statistics: Statistics | None,
) -> list[Path]:
    ttl = stem.with_name(stem.name + ".ttl")
    jsonld = stem.with_name(stem.name + ".jsonld")
    parsed: Iterable[ox.Triple] = ox.parse(path=triples, format=ox.RdfFormat.N_TRIPLES)
    written: list[Path] = []
    with (
        _maybe(ttl, "ttl" in formats, gzip) as ttl_out,
        _maybe(jsonld, "jsonld" in formats, gzip) as json_out,
    ):
        writer = JsonLdWriter(json_out, syntax.context) if json_out is not None else None
        stream = _tee(parsed, writer) if writer is not None else parsed
        if statistics is not None:
            stream = _counted(stream, statistics)
        if ttl_out is not None:
            ox.serialize(stream, ttl_out, ox.RdfFormat.TURTLE, prefixes=syntax.prefixes)
            written.append(output_path(ttl, gzip=gzip))
        else:
            for _ in stream:
                pass
        if writer is not None:
            writer.close()
            written.append(output_path(jsonld, gzip=gzip))
    return written


def _maybe(path: Path, wanted: bool, gzip: bool) -> AbstractContextManager[BinaryIO | None]:
    """The output of ``path`` when ``wanted``, else a context giving None."""
    return open_output(path, gzip=gzip) if wanted else nullcontext()


def _tee(triples: Iterable[ox.Triple], writer: JsonLdWriter) -> Iterator[ox.Triple]:
    add = writer.add
    for triple in triples:
        add(triple)
        yield triple


def _counted(triples: Iterable[ox.Triple], statistics: Statistics) -> Iterator[ox.Triple]:
    last: object = None
    properties, classes = statistics.properties, statistics.classes
    for triple in triples:
        statistics.triples += 1
        subject = triple.subject
        if subject != last:
            last = subject
            statistics.distinct_subjects += 1
            if type(subject) is ox.NamedNode:
                statistics.entities += 1
        predicate = triple.predicate.value
        properties.add(predicate)
        if predicate == _RDF_TYPE:
            classes.add(str(triple.object))
        yield triple
