"""Running a SPARQL query for the web: dataset, row cap, cancellation and serialisation.

This runs in a worker thread (see :mod:`s3graph.api.sparql`). Rows are pulled one by one, so a
cancelled query (its client timed out) stops at the next row and a result beyond ``max_rows`` is
cut; pyoxigraph writes the bytes. Solutions pulled here are handed to pyoxigraph's serialisers
through the SPARQL JSON results format (``parse_query_results``), since pyoxigraph cannot
serialise a list of solutions directly.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from s3graph.api.negotiation import RDF_TYPES, RESULT_TYPES
from s3graph.store import QueryDataset, Store

__all__ = ["Cancelled", "QueryOutcome", "kind_of", "run_query"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Cancelled(Exception):
    """The query was abandoned (its client's time ran out)."""


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    """Serialised results: the body, its media type and whether rows were cut."""

    body: bytes
    media_type: str
    truncated: bool = False


def kind_of(results: object) -> str:
    """``"solutions"``, ``"boolean"`` or ``"graph"``: which table of media types applies."""
    if isinstance(results, ox.QuerySolutions):
        return "solutions"
    if isinstance(results, ox.QueryBoolean):
        return "boolean"
    return "graph"


def run_query(
    store: Store,
    text: str,
    *,
    dataset: QueryDataset | None,
    base_iri: str | None,
    choose: Any,
    max_rows: int,
    cancel: threading.Event,
) -> QueryOutcome:
    """Evaluate ``text`` and serialise the results in the media type ``choose(kind)`` returns.

    ``choose`` receives the kind of the results (see :func:`kind_of`) and returns a media type
    of :data:`RESULT_TYPES` or :data:`RDF_TYPES`, or raises to refuse. Raises
    :class:`SyntaxError` for a malformed query and :class:`Cancelled` when ``cancel`` is set.
    """
    try:
        return _run(store, text, dataset, base_iri, choose, max_rows, cancel)
    except Exception as exc:
        # pyoxigraph's results must be dropped on this thread: forget the frames that hold them
        raise exc.with_traceback(None) from None


def _run(
    store: Store,
    text: str,
    dataset: QueryDataset | None,
    base_iri: str | None,
    choose: Any,
    max_rows: int,
    cancel: threading.Event,
) -> QueryOutcome:
    results = store.query(text, dataset=dataset, base_iri=base_iri)
    media_type: str = choose(kind_of(results))
    if isinstance(results, ox.QueryBoolean):
        return QueryOutcome(_bytes(results.serialize(format=RESULT_TYPES[media_type])), media_type)
    if isinstance(results, ox.QuerySolutions):
        return _solutions(results, media_type, max_rows, cancel)
    triples: list[ox.Triple] = []
    for triple in results:
        if cancel.is_set():
            raise Cancelled
        if len(triples) == max_rows:
            body = _bytes(ox.serialize(triples, format=RDF_TYPES[media_type]))
            return QueryOutcome(body, media_type, truncated=True)
        triples.append(triple)
    return QueryOutcome(_bytes(ox.serialize(triples, format=RDF_TYPES[media_type])), media_type)


def _bytes(data: bytes | None) -> bytes:
    """The result of a pyoxigraph ``serialize`` called without an output: always the bytes."""
    assert data is not None
    return data


def _solutions(
    results: ox.QuerySolutions, media_type: str, max_rows: int, cancel: threading.Event
) -> QueryOutcome:
    names = [variable.value for variable in results.variables]
    bindings: list[dict[str, Any]] = []
    truncated = False
    for solution in results:
        if cancel.is_set():
            raise Cancelled
        if len(bindings) == max_rows:
            truncated = True
            break
        row = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = _json_term(value)
        bindings.append(row)
    document: dict[str, Any] = {"head": {"vars": names}, "results": {"bindings": bindings}}
    if media_type == "application/sparql-results+json":
        # Written here directly (the rows are at hand); a cut is said in a top-level member,
        # which SPARQL JSON results allow and clients ignore when they don't know it.
        if truncated:
            document["s3graph"] = {"truncated": True, "maxRows": max_rows}
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
        return QueryOutcome(body, media_type, truncated)
    data = json.dumps(document).encode()
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return QueryOutcome(
        _bytes(parsed.serialize(format=RESULT_TYPES[media_type])), media_type, truncated
    )


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        literal: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            literal["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            literal["datatype"] = term.datatype.value
        return literal
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }
