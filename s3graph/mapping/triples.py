"""The building blocks of the report mapping: triples, the sink they go into and the subjects.

Each part of the mapping (:mod:`s3graph.mapping.report`, :mod:`s3graph.mapping.members`,
:mod:`s3graph.mapping.tables`) is a function ``(Sink, Subjects) -> None`` built from these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from s3graph.mapping.iris import Iris
from s3graph.model import Report

Triple = tuple[URIRef, URIRef, Node]


class Sink(list[Triple]):
    """Where the mapping functions put triples: a list with rdflib's ``Graph.add`` spelling.

    Adding to an rdflib :class:`~rdflib.Graph` indexes every triple three ways in memory, which was
    60 % of the mapping time; the store never needs those indexes.
    """

    add = list.append


@dataclass(frozen=True, slots=True)
class NamedTriples:
    """The triples of one named graph, without rdflib's in-memory indexes.

    Iterating gives the triples, ``len`` their number; :attr:`identifier` names the graph like
    :attr:`rdflib.Graph.identifier`, so the store takes either.
    """

    identifier: URIRef
    triples: list[Triple]

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)


@dataclass(frozen=True, slots=True)
class Subjects:
    """The report being mapped and the IRIs that most triples point to."""

    report: Report
    iris: Iris
    report_iri: URIRef
    partnership: URIRef
    period: URIRef


def add_text(graph: Sink, subject: URIRef, predicate: URIRef, value: str | None) -> None:
    """Add a plain string literal unless the value is missing or blank."""
    if value is not None and value.strip():
        graph.add((subject, predicate, Literal(value)))


def add_all(graph: Sink, subject: URIRef, pairs: Iterable[tuple[URIRef, Node]]) -> None:
    """Add ``(subject, predicate, object)`` for each ``(predicate, object)`` pair."""
    for predicate, obj in pairs:
        graph.add((subject, predicate, obj))
